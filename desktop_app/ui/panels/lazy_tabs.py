"""Tabs whose panels are built the first time they are needed, not at start-up.

Building all nine panels (and importing their modules: the skeleton map, the plan engine) cost
more than the rest of start-up together, while the user sees one tab at a time. A page is built
when its tab becomes current, or when someone searches the tabs for their inputs (`findChildren`,
as "jump to the missing field" and the tests do): a search means the caller wants every input.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class LazyPage(QWidget):
    """An empty page that turns into `factory()` on `build()`."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._factory = factory
        self.panel: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.panel is None:
            self.panel = self._factory()
            self.layout().addWidget(self.panel)
            if self.isVisible():
                self.panel.show()  # now, not on the layout's deferred show: no blank frame
        return self.panel


class LazyTabs(QTabWidget):
    """A QTabWidget of LazyPages; the current page is always built, except while `held`.

    The window is first drawn held (tab titles, empty pages) before the case model exists, and
    releases the tabs once it has a document (see MainWindow.attach_case).
    """

    def __init__(self, parent: QWidget | None = None, held: bool = False):
        super().__init__(parent)
        self.held = held
        self.currentChanged.connect(self._build_page)

    def release(self) -> None:
        """Build pages from now on, starting with the current one."""
        self.held = False
        self._build_page(self.currentIndex())

    def add_lazy_tab(self, factory: Callable[[], QWidget], title: str) -> int:
        index = self.addTab(LazyPage(factory), title.replace("&", "&&"))  # "&" would be a mnemonic
        if index == self.currentIndex():
            self._build_page(index)
        return index

    def _build_page(self, index: int) -> None:
        page = self.widget(index)
        if not self.held and isinstance(page, LazyPage) and page.panel is None:
            panel = page.build()
            title = getattr(panel, "title", None)  # a panel may bring its own title
            if title:
                self.setTabText(index, title.replace("&", "&&"))

    def build_all(self) -> None:
        for index in range(self.count()):
            self._build_page(index)

    def findChildren(self, *args, **kwargs):  # noqa: N802 (Qt naming)
        self.build_all()
        return super().findChildren(*args, **kwargs)
