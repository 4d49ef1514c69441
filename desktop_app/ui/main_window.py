"""The main window: case tabs on the left, the live assessment always visible on the right.

It owns the open `CaseDocument` and everything around it: New/Open/Save with the unsaved-changes
question, recent files, autosave and crash recovery, undo/redo, drag-and-drop of `.crmo` files, the
PDF actions and "jump to the missing field". Every question to the user goes through `Prompter`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QLabel, QMainWindow, QScrollArea, QSplitter, QVBoxLayout,
                               QWidget)

from desktop_app.about import APP_NAME, DISCLAIMER, __version__
from desktop_app.case.labels import field_label
from desktop_app.storage.errors import CaseFileError
from desktop_app.ui.file_actions import AUTOSAVE_MS, Autosave, RecentFiles
from desktop_app.ui.panels import panel_factories
from desktop_app.ui.panels.lazy_tabs import LazyTabs
from desktop_app.ui.prompter import Prompter

# Not imported here: the case model (pydantic), the document and the assessment pane (the criteria
# engine). They cost ~150 ms, and the window draws its frame before importing them (attach_case).
if TYPE_CHECKING:
    from desktop_app.case.models import Case
    from desktop_app.ui.assessment_pane import AssessmentPane
    from desktop_app.ui.document import CaseDocument

CASE_SUFFIX = ".crmo"
FOCUS_RING = "#2a6fdb"
PANE_MIN_WIDTH = 300  # with the form's ~700 px, the window fits 1024 px
NARROW_WINDOW = 1100  # the pane's border while the keyboard is in it


def _case_io():
    from desktop_app.storage import case_file  # lazy: keeps `import main_window` cheap

    return case_file


def _normalise(path: str) -> str:
    """"imaging.lesions[2].bone" → "imaging.lesions.bone" (widgets carry paths without indices)."""
    return re.sub(r"\[\d+\]", "", path)


def redo_keys() -> list:
    """The platform's Redo keys, plus Ctrl+Y and Ctrl+Shift+Z where it lacks one: users come from both
    conventions (Windows and most editors: Ctrl+Y; GNOME, macOS ports: Ctrl+Shift+Z), and a shortcut
    built from one standard key keeps only its first binding."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    for extra in ("Ctrl+Y", "Ctrl+Shift+Z"):
        if QKeySequence(extra) not in keys:
            keys.append(QKeySequence(extra))
    return keys


class MainWindow(QMainWindow):
    """The window. `MainWindow()` is complete, with an empty case. Start-up instead builds
    `MainWindow(frame_only=True)`, shows it, and then calls `start(case_path)`: the user sees the
    window at once, and the case model and criteria engine are imported while it is on screen."""

    case_saved = Signal(object)  # the Path just saved (the case library updates its row)

    def __init__(self, prompter: Prompter | None = None, settings: QSettings | None = None,
                 check_recovery: bool = True, autosave_ms: int = AUTOSAVE_MS, frame_only: bool = False):
        super().__init__()
        self.prompter = prompter or Prompter()
        if getattr(self.prompter, "parent", None) is None:
            self.prompter.parent = self
        self.settings = settings or QSettings()
        self.recent = RecentFiles(self.settings)
        self.path: Optional[Path] = None
        self._preview = None  # keeps a non-modal preview window alive
        self._autosave_ms = autosave_ms
        self.doc: Optional[CaseDocument] = None  # set by attach_case
        self.autosave: Optional[Autosave] = None
        self.pane: Optional[AssessmentPane] = None
        self.library = None  # the case library window, made on first use (open_library)

        # Panels are built when their tab is first shown (start-up builds only the first one),
        # and not before the window has a document (held).
        self.tabs = LazyTabs(held=True)
        self.tabs.setAccessibleName("Case sections")
        # Slimmer tabs; below ~1100 px the longer titles are shortened ("Treatment hi…", full title in
        # the tooltip) instead of hiding tabs behind scroll arrows (issue 17: fit 1024×700).
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 4px 4px; }")  # the bar only: a style
        # sheet on the tab widget would style every panel through QStyleSheetStyle too
        for title, make in panel_factories(lambda: self.doc):
            index = self.tabs.add_lazy_tab(make, title)
            self.tabs.setTabToolTip(index, title)

        # Until attach_case: "Opening…" where the assessment pane goes, as wide as the pane.
        self._pane_placeholder = QWidget()
        self._pane_placeholder.setMinimumWidth(PANE_MIN_WIDTH)
        placeholder = QVBoxLayout(self._pane_placeholder)
        placeholder.addWidget(QLabel("Opening…"))
        placeholder.addStretch(1)
        splitter = QSplitter()  # horizontal
        splitter.addWidget(self.tabs)
        splitter.addWidget(self._pane_placeholder)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([850, 430])  # the imaging tab needs ~850 px
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self._shortcuts: list[tuple[QAction, object]] = []
        self._build_actions()
        self._update_title()
        self.resize(1280, 800)
        if frame_only:
            self.statusBar().showMessage("Opening…")
            for bar in (self.menuBar(), self.toolbar):
                bar.setEnabled(False)  # nothing to act on until attach_case
            self.setAcceptDrops(False)  # QMainWindow accepts drops by default
            return
        self.attach_case(None)
        if check_recovery:
            self.offer_recovery()

    def attach_case(self, case: Optional[Case], path: Optional[Path] = None) -> None:
        """Give the window its document (an empty case when `case` is None): the pane, the tabs'
        panels, undo/redo and autosave. Called once; later cases go through `_set_document`."""
        from desktop_app.ui.assessment_pane import AssessmentPane
        from desktop_app.ui.document import CaseDocument

        self.path = path
        self.doc = CaseDocument(case, parent=self)
        self.autosave = Autosave(self.doc, lambda: self.path, self._autosave_ms, self)
        self.pane = AssessmentPane(self.doc)
        self.pane.missingClicked.connect(self.jump_to)
        self._pane_keyboard()
        self.splitter.replaceWidget(1, self.pane)
        self._pane_placeholder.deleteLater()
        self.tabs.release()

        # Menu items say what they undo ("Undo weight"); the toolbar's buttons keep a fixed text
        # (the step is in their tooltip), so the buttons after them never move.
        stack = self.doc.undo_stack
        self.act_undo = QAction("&Undo", self)
        self.act_redo = QAction("&Redo", self)
        self.tool_undo = QAction("&Undo", self)
        self.tool_redo = QAction("&Redo", self)
        for menu, tool, go, can, text, verb in (
                (self.act_undo, self.tool_undo, self.undo, stack.canUndo, stack.undoText, "Undo"),
                (self.act_redo, self.tool_redo, self.redo, stack.canRedo, stack.redoText, "Redo")):
            for action in (menu, tool):
                action.triggered.connect(lambda _c=False, go=go: go())
                action.setEnabled(can())
            changed = (stack.canUndoChanged, stack.undoTextChanged) if verb == "Undo" else (
                stack.canRedoChanged, stack.redoTextChanged)
            changed[0].connect(menu.setEnabled)
            changed[0].connect(tool.setEnabled)
            changed[1].connect(lambda t, m=menu, b=tool, v=verb: self._undo_text(m, b, v, t))
            self._undo_text(menu, tool, verb, text())
        K = QKeySequence.StandardKey
        self._shortcuts += [(self.act_undo, K.Undo)]
        for action, shortcut in self._shortcuts:
            action.setShortcut(QKeySequence(shortcut))
        self.act_redo.setShortcuts(redo_keys())
        self.edit_menu.insertActions(self.act_pane, [self.act_undo, self.act_redo])
        self.edit_menu.insertSeparator(self.act_pane)
        self.toolbar.insertActions(self.act_preview, [self.tool_undo, self.tool_redo])
        self.toolbar.insertSeparator(self.act_preview)
        for bar in (self.menuBar(), self.toolbar):
            bar.setEnabled(True)
        self.setAcceptDrops(True)  # a dropped case replaces this document: only once there is one
        # Bound methods, not lambdas: Qt drops the connection when the window is destroyed, so a
        # late signal at interpreter shutdown cannot reach a deleted window.
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.doc.changed.connect(self._update_title)
        self.doc.changed.connect(self._case_changed_for_preview)
        # A tab switch first finishes the entries in progress; a refused one keeps its tab.
        self.tabs.tabBar().installEventFilter(self)
        self._tab_index = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)
        self._update_title()
        self.statusBar().showMessage(f"Opened {path}" if path else "Ready")

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt naming)
        from PySide6.QtCore import QEvent

        if obj is self.tabs.tabBar() and event.type() == QEvent.Type.MouseButtonPress and self.doc is not None:
            target = self.tabs.tabBar().tabAt(event.position().toPoint())
            if target >= 0 and target != self.tabs.currentIndex() and not self._finish_for_tab_switch():
                return True  # the click is not a switch: the refused entry stays in view
        return super().eventFilter(obj, event)

    def _finish_for_tab_switch(self) -> bool:
        from desktop_app.ui.widgets import EditTracker, refusal_lines

        refused = EditTracker.of(self.doc).finish()
        if refused:
            self.statusBar().showMessage(f"Tab not changed: {refusal_lines(refused[:1])}")
            self._focus_input(refused[0][0])
        return not refused

    def _tab_changed(self, index: int) -> None:
        previous, self._tab_index = self._tab_index, index
        if getattr(self, "_switching_back", False) or self.doc is None:
            return
        from desktop_app.ui.widgets import EditTracker, refusal_lines

        refused = EditTracker.of(self.doc).finish()  # a switch by keys (Ctrl+Tab) or code
        if refused:
            self._switching_back = True
            try:
                self.tabs.setCurrentIndex(previous)
                self.statusBar().showMessage(f"Tab not changed: {refusal_lines(refused[:1])}")
                self._focus_input(refused[0][0])
            finally:
                self._switching_back = False

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        # A narrow window (1024 px) gives the form every pixel the pane can spare, so all the tab
        # titles fit; from 1100 px the user's (or the default) split is kept.
        if self.width() < NARROW_WINDOW and self.splitter.count() == 2:
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([total - PANE_MIN_WIDTH, PANE_MIN_WIDTH])
        self._fit_tab_titles()

    def _fit_tab_titles(self, *_args) -> None:
        """Below NARROW_WINDOW each tab shows the first word of its title ("Biopsy"), the full
        title in its tooltip, so every tab stays in view without scroll arrows."""
        narrow = self.width() < NARROW_WINDOW
        for i in range(self.tabs.count()):
            full = self.tabs.tabToolTip(i)
            text = (full.split(" ", 1)[0] if narrow else full).replace("&", "&&")
            if full and self.tabs.tabText(i) != text:
                self.tabs.setTabText(i, text)

    # --- keyboard: the pane after the form, F6 between them, F1 for the reference ------------------
    def _pane_keyboard(self) -> None:
        """The pane's links are out of the Tab chain until F6 moves into the pane (issue 17: Tab from
        the tab bar crossed ~70 pane links before the first field). In the pane, Tab walks its
        links and a ring shows where the keyboard is; F6 (or Shift+F6) goes back to the form."""
        from PySide6.QtCore import Qt

        from desktop_app.ui.rich_text import RichText

        self._pane_sections = lambda: self.pane.findChildren(RichText)
        for section in self._pane_sections():
            section.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.pane.setObjectName("assessmentPane")
        self.pane.setMinimumWidth(PANE_MIN_WIDTH)
        self.tabs.setUsesScrollButtons(False)  # here, not in __init__: `Qt` enums cost the first frame
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.currentChanged.connect(self._fit_tab_titles)  # a page built sets its own title
        self.pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its sections take the focus (F6)
        self._form_focus: Optional[QWidget] = None
        self.doc.changed.connect(self._pane_policy)  # after the pane's refresh: cards it added
        QApplication.instance().focusChanged.connect(self._focus_moved)
        self.destroyed.connect(self._stop_focus_watch)

    def _stop_focus_watch(self, *_args) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_moved)
        except (RuntimeError, TypeError):
            pass

    def _in_pane(self, widget: Optional[QWidget]) -> bool:
        return widget is not None and self.pane is not None and self.pane.isAncestorOf(widget)

    def _focus_moved(self, _old: Optional[QWidget], new: Optional[QWidget]) -> None:
        try:
            inside = self._in_pane(new)
            if new is not None and not inside and self.isAncestorOf(new):
                self._form_focus = new
            self._pane_policy(inside)
        except RuntimeError:  # the window (or the widget given focus) is being destroyed
            return

    def _pane_policy(self, inside: Optional[bool] = None) -> None:
        """Pane links in the Tab chain only while the keyboard is in the pane (new cards too)."""
        from PySide6.QtCore import Qt

        if not isinstance(inside, bool):
            inside = self._in_pane(QApplication.focusWidget())
        policy = Qt.FocusPolicy.StrongFocus if inside else Qt.FocusPolicy.ClickFocus
        for section in self._pane_sections():
            section.setFocusPolicy(policy)
        ring = f"#assessmentPane {{ border: 2px solid {FOCUS_RING}; }}" if inside else ""
        if self.pane.styleSheet() != ring:
            self.pane.setStyleSheet(ring)

    def toggle_pane_focus(self) -> None:
        """F6: into the assessment pane (its first section), or back to the form."""
        if self._in_pane(QApplication.focusWidget()):
            target = self._form_focus
            if target is None or not target.isVisible():
                target = self.tabs.currentWidget()
            target.setFocus()
            return
        sections = [s for s in self._pane_sections() if s.isVisible()]
        if sections:
            from PySide6.QtCore import Qt

            sections[0].setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            sections[0].setFocus()
            self.pane.ensureWidgetVisible(sections[0])

    def show_reference(self) -> None:
        """F1: the Reference tab (background, criteria and sources)."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == "Reference":
                self.tabs.setCurrentIndex(i)
                self.tabs.currentWidget().setFocus()
                return

    @staticmethod
    def _undo_text(menu: QAction, tool: QAction, verb: str, step: str) -> None:
        menu.setText(f"&{verb} {step}" if step else f"&{verb}")
        tool.setToolTip(f"{verb} {step}" if step else verb)
        tool.setStatusTip(tool.toolTip())

    def commit_pending(self) -> bool:
        """Finish every entry in progress (fields, lab rows, the plan wording draft), as leaving
        them would, so Save, Export, Print and Undo act on what the window shows. False, with the
        refusals said in words, when one was refused: the caller's action then stops."""
        from desktop_app.ui.widgets import EditTracker

        refused = EditTracker.of(self.doc).finish()
        if refused:
            self._say_refused(refused)
        return not refused

    def _say_refused(self, refused) -> None:
        from desktop_app.ui.widgets import refusal_lines

        lines = refusal_lines(refused)
        self.statusBar().showMessage("Not done: an entry was not accepted (see the message under it)")
        self.prompter.info("Entry not accepted",
                           f"{lines}\n\nNothing else was done. Correct the entry, or leave it as it is "
                           "now shown, and try again.")
        self._focus_input(refused[0][0])

    def _focus_input(self, item) -> None:
        """Show the tab holding a refused input and put the focus on it."""
        widget = item if isinstance(item, QWidget) else getattr(item, "value_edit", None)
        if widget is None:
            return
        switching, self._switching_back = getattr(self, "_switching_back", False), True
        try:
            for i in range(self.tabs.count()):
                if self.tabs.widget(i).isAncestorOf(widget):
                    self.tabs.setCurrentIndex(i)
                    break
        finally:
            self._switching_back = switching
        widget.setFocus()

    def undo(self) -> None:
        if self.commit_pending():
            self.doc.undo_stack.undo()

    def redo(self) -> None:
        if self.commit_pending():
            self.doc.undo_stack.redo()

    def start(self, case_path: Optional[str | Path]) -> bool:
        """The second half of start-up, after `MainWindow(frame_only=True)` is on screen: open the
        case named on the command line, or an empty one. A bad file is reported (prompter.error)
        and the window opens with an empty case; False then."""
        path = Path(case_path) if case_path else None
        case, error = self._read_case(path) if path else (None, "")
        self.attach_case(case, path if case is not None else None)
        if case is not None:
            self.recent.add(path)
        if error:  # after attach_case: the dialog opens over a working window, not the frame
            self.prompter.error("Could not open case", error)
        return not error

    # --- menus and toolbar ------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            # Set in attach_case: the first setShortcut builds PySide6's `Qt` enums (~14 ms),
            # which the first frame can do without.
            self._shortcuts.append((action, shortcut))
        if tip:
            action.setStatusTip(tip)
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.act_new = self._action("&New", self.new_case, K.New, "Start an empty case")
        self.act_open = self._action("&Open…", self.open_dialog, K.Open, "Open a .crmo case file")
        self.act_save = self._action("&Save", self.save, K.Save, "Save the case")
        self.act_save_as = self._action("Save &As…", self.save_as, K.SaveAs, "Save the case under a new name")
        self.act_export = self._action("&Export PDF…", self.export_pdf, "Ctrl+E", "Write the consult note (or a visit's follow-up note) as PDF")
        self.act_export_fhir = self._action("Export &FHIR…", self.export_fhir, tip="Write the note as a FHIR R4 "
                                            "document bundle (JSON) for a hospital record")
        self.act_preview = self._action("Pre&view note", self.preview_note, "Ctrl+Shift+P",
                                        "Show the consult note (or a visit's follow-up note)")
        self.act_print = self._action("&Print…", self.print_note, K.Print, "Print the consult note (or a visit's follow-up note)")
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_about = self._action(f"&About {APP_NAME}", self.about)
        self.act_reference = self._action("&Reference", self.show_reference, "F1",
                                          "Background, criteria and sources (F1)")
        self.act_pane = self._action("Assessment &pane ⇄ form", self.toggle_pane_focus, "F6",
                                     "Move the keyboard between the form and the assessment pane (F6)")

        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()
        self.act_library = self._action("Case &library…", self.open_library, "Ctrl+L",
                                        "Every case of a folder: who needs attention, search, the audit table")
        file_menu.addAction(self.act_library)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        file_menu.addActions([self.act_export, self.act_export_fhir, self.act_preview, self.act_print])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.edit_menu = self.menuBar().addMenu("&Edit")  # undo/redo: attach_case
        self.edit_menu.addAction(self.act_pane)  # undo/redo are inserted before it (attach_case)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addActions([self.act_reference, self.act_about])

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.act_new, self.act_open, self.act_save])
        toolbar.addSeparator()  # undo, redo and a second separator follow (attach_case)
        toolbar.addActions([self.act_preview, self.act_export, self.act_print])
        self.toolbar = toolbar

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for i, path in enumerate(paths, 1):
            action = self.recent_menu.addAction(f"&{i} {path.name}")
            action.setStatusTip(str(path))
            action.setToolTip(str(path))
            action.triggered.connect(lambda _c=False, p=path: self.open_recent(p))
        if not paths:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def _update_title(self, *_signal_args) -> None:
        name = self.path.name if self.path else "Untitled"
        self.setWindowTitle(f"{APP_NAME} — {name}[*]")
        self.setWindowModified(self.doc is not None and self.doc.dirty)

    @property
    def document_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    # --- unsaved changes ------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Before the case is closed: True when it is safe to go on (saved, discarded or clean).
        An entry refused now or earlier (its words still under the field) is never dropped
        without a question."""
        if self.doc is not None:
            from desktop_app.ui.widgets import EditTracker, refusal_lines

            tracker = EditTracker.of(self.doc)
            tracker.finish()
            standing = tracker.standing()
            if standing:
                answer = self.prompter.confirm_drop_entries(self.document_name, refusal_lines(standing))
                if answer != "discard":
                    self._focus_input(standing[0][0])
                    return False
        if self.doc is None or not self.doc.dirty:
            return True
        answer = self.prompter.confirm_discard(self.document_name)
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.autosave.discard()
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.maybe_save():
            if self.autosave is not None:
                self.autosave.discard()
            if self.library is not None:
                self.library.close()
            event.accept()
        else:
            event.ignore()

    # --- new / open -------------------------------------------------------------------------
    def new_case(self) -> bool:
        if not self.maybe_save():
            return False
        from desktop_app.case.models import Case

        self._set_document(Case(), None)
        self.statusBar().showMessage("New case")
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        start = str(self.path.parent) if self.path else (str(self.recent.paths()[0].parent)
                                                         if self.recent.paths() else "")
        path = self.prompter.open_path(start)
        return self.open_file(path, ask=False) if path else False

    def open_recent(self, path: Path) -> bool:
        if not Path(path).exists():
            self.recent.remove(path)
            self.prompter.error("Could not open case", f"{Path(path).name}: file not found ({path}).")
            return False
        return self.open_file(path)

    def open_file(self, path: str | Path, ask: bool = True) -> bool:
        """Open a case file; on failure report it and leave the current case untouched."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        case, error = self._read_case(path)
        if error:
            self.prompter.error("Could not open case", error)
            return False
        self.autosave.discard()  # the old document's changes were saved or dropped above
        self._set_document(case, path)
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {path}")
        return True

    @staticmethod
    def _read_case(path: Path) -> tuple[Optional[Case], str]:
        """(the case in `path`, "") or (None, one sentence saying why it could not be read)."""
        try:
            return _case_io().load_case(path), ""
        except (CaseFileError, OSError) as exc:
            return None, str(exc)

    def _set_document(self, case: Case, path: Optional[Path]) -> None:
        self.path = path
        self.doc.replace_case(case)
        self._update_title()

    # --- save ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if not self.commit_pending():
            return False
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        if not self.commit_pending():
            return False
        suggested = self.path or Path((self.recent.paths()[0].parent if self.recent.paths() else Path.home()),
                                      self._suggested_name())
        path = self.prompter.save_path(str(suggested))
        return self.save_to(path) if path else False

    def _suggested_name(self) -> str:
        name = re.sub(r"[^\w\- ]+", "", self.doc.case.patient.name).strip().replace(" ", "-")
        return (name or "case") + CASE_SUFFIX

    def save_to(self, path: str | Path) -> bool:
        """Save; on failure report it and keep the document dirty (nothing is lost)."""
        if not self.commit_pending():
            return False
        path = Path(path)
        try:
            _case_io().save_case(self.doc.case, path)
        except (CaseFileError, OSError) as exc:
            self.prompter.error("Could not save case", str(exc))
            return False
        self.path = path
        self.doc.mark_saved()
        self.autosave.discard()
        self.recent.add(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}")
        self.case_saved.emit(path)
        return True

    # --- the case library (issue 24) ----------------------------------------------------------------
    def open_library(self) -> None:
        """Show the library window on the last library folder (or ask for one)."""
        from desktop_app.ui.library_window import LibraryWindow

        if self.library is None:
            self.library = LibraryWindow(settings=self.settings, prompter=self.prompter)
            self.library.open_requested.connect(self._open_from_library)
            self.case_saved.connect(self.library.file_saved)
            if not self.library.open_last_or_ask():
                self.library.deleteLater()
                self.library = None
                return
        self.library.show()
        self.library.raise_()
        self.library.activateWindow()

    def _open_from_library(self, path: Path) -> None:
        if self.path is not None and Path(path).resolve() == self.path.resolve():
            opened = True  # already open: keep its unsaved changes
        else:
            opened = self.open_file(path)
        if opened:
            self.raise_()
            self.activateWindow()

    # --- recovery -------------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer the autosaved copies; restore the chosen one as unsaved changes,
        or delete it when the user says so. True when a case was recovered."""
        try:
            from desktop_app.storage import recovery
            entries = recovery.list_recoveries()
        except Exception as exc:  # a broken data folder must not stop the app from starting
            self.statusBar().showMessage(f"Could not look for unsaved work: {exc}")
            return False
        if not entries:
            return False
        answer = self.prompter.offer_recovery(entries)
        if answer is None:
            return False
        action, entry = answer
        if action == "delete":
            recovery.discard_recovery(entry)
            self.statusBar().showMessage("Deleted the autosaved copy")
            return False
        if not self.maybe_save():
            return False
        try:
            case = recovery.load_recovery(entry)
        except (CaseFileError, OSError) as exc:
            self.prompter.error("Could not recover case", str(exc))
            return False
        self._set_document(case, Path(entry.original) if entry.original else None)
        self.doc.undo_stack.resetClean()  # recovered work is unsaved, and undo can't make it "clean"
        self.autosave.adopt(Path(entry.path))
        self._update_title()
        self.statusBar().showMessage("Recovered unsaved changes: save them to keep them")
        return True

    # --- consult note (ReportLab and QtPdf are imported only here) ---------------------------------
    def _choose_note(self, action: str) -> tuple[bool, Optional[str]]:
        """A case with visits: ask which note (the latest visit's preselected, §13.6). (False, None)
        when cancelled; without visits (True, None) at once: the consult note, as before."""
        from desktop_app.ui.note_choice import note_options

        options = note_options(self.doc.case)
        if not options:
            return True, None
        index = self.prompter.choose_note(action, [o.label for o in options])
        if index is None:
            return False, None
        return True, options[index].visit_id

    _ASK = "ask"  # export_pdf's visit_id when the window asks which note (the menu action)

    def export_pdf(self, visit_id: Optional[str] = _ASK) -> bool:
        """Export PDF…: the note chosen here (asked when the case has visits), or `visit_id`'s (the
        preview's choice; None: the first consultation's)."""
        if not self.commit_pending():
            return False
        if visit_id == self._ASK:
            go, visit_id = self._choose_note("Export PDF")
            if not go:
                return False
        stem = self.path.stem if self.path else Path(self._suggested_name()).stem
        name = f"{stem}-{visit_id}.pdf" if visit_id else f"{stem}.pdf"  # a visit's note says which
        suggested = self.path.with_name(name) if self.path else Path.home() / name
        path = self.prompter.pdf_path(str(suggested))
        if not path:
            return False
        try:
            from desktop_app.ui.pdf_preview import export_pdf
            export_pdf(self.doc.case, path, visit_id)
        except Exception as exc:  # report it; the case is unaffected
            self.prompter.error("Could not export the consult note", str(exc))
            return False
        what = "Consult note" if visit_id is None else f"Follow-up note of visit {visit_id}"
        self.statusBar().showMessage(f"{what} written to {path}")
        return True

    def export_fhir(self) -> bool:
        """Export FHIR…: the note chosen as for Export PDF…, as a FHIR document bundle (file_actions)."""
        if not self.commit_pending():
            return False
        go, visit_id = self._choose_note("Export FHIR")
        if not go:
            return False
        from desktop_app.ui.file_actions import export_fhir

        return export_fhir(self, visit_id)

    def preview_note(self) -> None:
        if not self.commit_pending():
            return
        try:
            from desktop_app.ui.pdf_preview import show_preview
            if self._preview is not None:
                self._preview.close()
            self._preview = show_preview(self.doc.case, self, self.prompter.choose_printer,
                                         self._case_for_preview, self.export_pdf)
            self._preview.destroyed.connect(self._preview_closed)
        except Exception as exc:
            self.prompter.error("Could not show the consult note", str(exc))

    def _case_for_preview(self, finish: bool) -> Optional[Case]:
        """The case the preview shows: for Print, after finishing the edits (None if refused)."""
        return self.doc.case if not finish or self.commit_pending() else None

    def _preview_closed(self, *_args) -> None:
        self._preview = None

    def _case_changed_for_preview(self, *_args) -> None:
        if self._preview is not None:
            self._preview.case_changed()  # the preview follows the case (issue 17)

    def print_note(self) -> None:
        if not self.commit_pending():
            return
        go, visit_id = self._choose_note("Print")
        if not go:
            return
        printer = self.prompter.choose_printer()
        if printer is None:
            return
        try:
            from desktop_app.ui.pdf_preview import print_case
            print_case(self.doc.case, printer, visit_id)
        except Exception as exc:
            self.prompter.error("Could not print the consult note", str(exc))

    def about(self) -> None:
        self.prompter.about(
            f"About {APP_NAME}",
            f"<b>{APP_NAME} {__version__}</b><p>Offline point-of-care calculator for chronic recurrent "
            "multifocal osteomyelitis (CRMO / chronic nonbacterial osteomyelitis).</p>"
            f"<p><b>{DISCLAIMER}</b> Criteria, scores and doses are shown with their sources and "
            "caveats; verify doses against your local formulary.</p>")

    # --- jump to a missing field ------------------------------------------------------------------
    def field_widget(self, path: str) -> Optional[QWidget]:
        """The input whose `case_path` equals `path`, else the closest one (a table holding it, or
        the first field under it)."""
        want = _normalise(path)
        best, best_score = None, -1
        for w in self.tabs.findChildren(QWidget):
            have = w.property("case_path")
            if not have:
                continue
            have = _normalise(str(have))
            if have == want:
                score = 10_000
            elif want.startswith(have + "."):
                score = len(have)  # a container of the field, e.g. the lesions table
            elif have.startswith(want + "."):
                score = 5_000 - len(have)  # a part of the field, e.g. the CRP value box
            else:
                continue
            if score > best_score:
                best, best_score = w, score
        return best

    def _select_list_item(self, path: str) -> None:
        """"imaging.lesions[2].bone": select row 2 of the lesions table first, so the editor below
        it shows that lesion."""
        match = re.match(r"^(.*?)\[(\d+)\]", path)
        if not match:
            return
        for view in self.tabs.findChildren(QAbstractItemView):
            if view.property("case_path") == _normalise(match.group(1)):
                row = int(match.group(2))
                if 0 <= row < view.model().rowCount():
                    view.setCurrentIndex(view.model().index(row, 0))
                return

    def _show_visit(self, index: int, field: str) -> str:
        """Select visit `index` (file order) in the Visits tab; the path of its editor's input."""
        from desktop_app.ui.panels.visits import VisitsPanel

        panels = self.tabs.findChildren(VisitsPanel)
        if panels and 0 <= index < len(self.doc.case.visits):
            panels[0].select_visit(self.doc.case.visits[index].id)
        return f"visits.selected.{field}"

    def jump_to(self, path: str) -> bool:
        visit = re.match(r"^visits\[(\d+)\]\.(.+)$", path)
        if visit:  # a field of a follow-up visit: show that visit in the Visits tab first
            path = self._show_visit(int(visit.group(1)), visit.group(2))
        else:
            self._select_list_item(path)
        widget = self.field_widget(path)
        if widget is None:
            self.statusBar().showMessage(f"No input for “{field_label(path)}” in this build")
            return False
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).isAncestorOf(widget):
                self.tabs.setCurrentIndex(i)
                break
        parent = widget.parentWidget()
        while parent is not None:  # scroll long forms so the field is on screen
            if isinstance(parent, QScrollArea) and parent.widget() is not None \
                    and parent.widget().isAncestorOf(widget):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()
        widget.setFocus()
        self.statusBar().showMessage(f"Enter {field_label(path)}")
        return True

    # --- drag and drop --------------------------------------------------------------------------------
    @staticmethod
    def _dropped_case(event) -> Optional[Path]:
        for url in event.mimeData().urls() if event.mimeData().hasUrls() else []:
            if url.isLocalFile() and url.toLocalFile().lower().endswith(CASE_SUFFIX):
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_case(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_case(event)
        if path:
            event.acceptProposedAction()
            self.open_file(path)

