"""The Reference tab: offline background (§11) and every citation the app uses, with its caveat.

Read-only. The search box filters background paragraphs and citations by plain text, so a
clinician can find "Miettunen" or "pamidronate" without a network.
"""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.case.sources import SOURCES, source
from desktop_app.plan.background import BACKGROUND, BACKGROUND_SOURCE


class ReferencePanel(QWidget):
    title = "Reference"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Search background and references…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search background and references")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Background and references")
        self.browser.setTabChangesFocus(True)  # Tab moves on instead of cycling through the text
        self.browser.setOpenLinks(False)  # offline: nothing to follow
        self.count = QLabel()
        self.count.setAccessibleName("References shown")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.count)
        self.search.textChanged.connect(self._render)
        self._render("")

    def _render(self, query: str) -> None:
        q = query.strip().lower()

        def hit(*texts: str) -> bool:
            return not q or any(q in t.lower() for t in texts)

        parts = ["<h2>Background</h2>"]
        background = [(h, t) for h, t in BACKGROUND if hit(h, t)]
        parts += [f"<p><b>{escape(h)}.</b> {escape(t)}</p>" for h, t in background]
        if background:
            parts.append(f"<p><i>Source: {escape(source(BACKGROUND_SOURCE).short)}</i></p>")
        parts.append("<h2>References</h2>")
        refs = [s for s in SOURCES.values() if hit(s.short, s.citation, s.caveat)]
        items = []
        for s in refs:
            caveat = f"<br/><i>Caveat: {escape(s.caveat)}</i>" if s.caveat else ""
            items.append(f"<li><b>{escape(s.short)}</b> — {escape(s.citation)}{caveat}</li>")
        parts.append(f"<ol>{''.join(items)}</ol>" if items else "<p>No reference matches.</p>")
        self.browser.setHtml("".join(parts))
        self.count.setText(f"{len(refs)} of {len(SOURCES)} references shown")
