"""Small input widgets that keep "not recorded" distinct from "no", and bind to a CaseDocument.

Every panel builds its fields from these so that tri-state answers, optional numbers and enum
choices look and behave the same everywhere. A binding writes user edits into the document
(`doc.set(path, value)`, validated and undoable) and refreshes the widget when the document
changes (open, undo, redo), without echoing its own edit back.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional, Sequence

from pydantic import ValidationError
from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDateEdit, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget)
from shiboken6 import isValid

from desktop_app.case.labels import NOT_RECORDED, field_label
from desktop_app.case.number_text import decimal_text, parse_date_text, parse_number
from desktop_app.report.palette import ATTENTION, MUTED, RED_FLAG
from desktop_app.ui.document import CaseDocument


class WheelGuard:
    """Mixin for combos, spin boxes and date edits: the mouse wheel never changes the value, even
    with the focus (a focused combo scrolled past changed a lesion's status, issue 23), so scrolling
    a form never changes an answer (pitfalls.md C.6); the wheel event goes on to the scroll area."""

    def _guard(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not give the focus either

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        event.ignore()  # never a value, focused or not (issue 23): the page under it scrolls


class GuardedCombo(WheelGuard, QComboBox):
    """A combo box that the wheel and PageUp/PageDown cannot change by accident: a combo answers
    with the arrow keys, typing, or its popup list."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._guard()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            event.ignore()  # Qt would jump to the last answer ("Yes"); let the page scroll instead
            return
        super().keyPressEvent(event)


class GuardedDateEdit(WheelGuard, QDateEdit):
    """The one date box (every date of the case uses it): nothing but a deliberate entry changes it.

    - A click in the text places the cursor, as in a line edit. A plain QDateEdit with a calendar
      popup hit-tests its text as SC_ComboBoxEditField, which QAbstractSpinBox reads as
      SC_SpinBoxDown: one click moved the date back a year (issue 23, defect 3).
    - The arrow opens the calendar; the wheel, Up/Down and PageUp/PageDown never step the date.
    - The text is typed freely and read when typing ends (Enter, Tab, leaving, Save):
      2027-04-15, 20270415 or 15/04/2027 (`parse_date_text`); anything else is refused in words
      (`invalidEntered`) and the date shown before stays.
    - Tab and Shift+Tab enter with the whole date selected, so a whole date typed replaces it, and
      one Tab leaves (QDateTimeEdit tabs through its sections).
    """

    invalidEntered = Signal(str, str)  # (the text typed, why it is not a date)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._guard()
        self._typing = False  # the user has edited the text since the date was last shown
        self.lineEdit().setValidator(None)  # free typing; the text is read by parse_date_text
        self.lineEdit().textEdited.connect(self._text_edited)
        self.dateChanged.connect(lambda _d: setattr(self, "_typing", False))

    def _text_edited(self, _text: str) -> None:
        self._typing = True

    # --- no stepping, ever ---------------------------------------------------------------------
    def stepEnabled(self):  # noqa: N802 (Qt naming)
        return QAbstractSpinBox.StepEnabledFlag.StepNone

    def stepBy(self, _steps: int) -> None:  # noqa: N802 (Qt naming)
        pass

    # --- the mouse: the arrow opens the calendar, the text takes the cursor ----------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        edit = self.lineEdit()
        point = event.position().toPoint()
        if event.button() != Qt.MouseButton.LeftButton or not edit.geometry().contains(point):
            super().mousePressEvent(event)  # the calendar arrow (stepping is off anyway)
            return
        if not self.hasFocus():
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        edit.deselect()
        edit.setCursorPosition(edit.cursorPositionAt(edit.mapFrom(self, point)))
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        event.accept()  # no spin-button tracking while the button is held

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not self.lineEdit().geometry().contains(event.position().toPoint()):
            super().mouseReleaseEvent(event)
        else:
            event.accept()

    # --- the keys: typing edits the text as in a line edit ----------------------------------------
    _EDIT_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
                  Qt.Key.Key_Home, Qt.Key.Key_End)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Up, Qt.Key.Key_Down) \
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            event.ignore()  # no stepping: PageUp/PageDown scroll the page
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish_typing()
        elif key in self._EDIT_KEYS or (event.text() and event.text().isprintable()
                                         and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
                                         & ~Qt.KeyboardModifier.KeypadModifier):
            self.lineEdit().event(event)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            self.lineEdit().selectAll()  # a whole date typed replaces the whole date

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._finish_typing()
        super().focusOutEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt naming)
        self._finish_typing()
        return QWidget.focusNextPrevChild(self, forward)  # one Tab leaves (not section by section)

    def interpretText(self) -> None:  # noqa: N802 (Qt naming)
        self._finish_typing()
        super().interpretText()

    def _finish_typing(self) -> None:
        """Read the typed text: a date is put in the box's own format (the spin box then stores it
        as it always did); anything else is refused and the date shown before comes back."""
        if not self._typing:
            return
        self._typing = False
        typed = self.lineEdit().text().strip()
        special = self.specialValueText()
        try:
            if special and typed == special:
                raise ValueError("")
            date = parse_date_text(typed)
            if not self.minimumDate() <= QDate(date) <= self.maximumDate():
                raise ValueError("the date is outside the dates this box takes")
        except ValueError as exc:
            shown = special if special and self.date() == self.minimumDate() else \
                self.textFromDateTime(self.dateTime())
            self.lineEdit().setText(shown)  # the date kept
            if str(exc):
                self.invalidEntered.emit(typed, str(exc))
            return
        self.lineEdit().setText(QDate(date).toString(self.displayFormat()))


class ChoiceCombo(GuardedCombo):
    """An optional choice: the first entry is "Not recorded" (None), then (value, label) pairs."""

    valueEdited = Signal(object)

    def __init__(self, choices: Sequence[tuple[Any, str]], none_label: str = NOT_RECORDED,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem(none_label, None)
        for value, label in choices:
            self.addItem(label, value)
        self.activated.connect(lambda _i: self.valueEdited.emit(self.value()))

    def value(self) -> Any:
        return self.currentData()

    def setValue(self, value: Any) -> None:
        i = self.findData(value)
        self.setCurrentIndex(i if i >= 0 else 0)

    def shown_text(self) -> str:
        """The label the user picked ("Improved", from case/labels.py), never the stored value
        ("improved"): a refusal quotes what was seen. "" for none, read as "not recorded"."""
        return "" if self.value() is None else self.currentText()


class TriStateCombo(ChoiceCombo):
    """Yes / No / Not recorded for an Optional[bool] field (labels adjustable, e.g. Confirmed/Excluded)."""

    def __init__(self, yes: str = "Yes", no: str = "No", none_label: str = NOT_RECORDED,
                 parent: QWidget | None = None):
        super().__init__([(True, yes), (False, no)], none_label, parent)


ERROR_COLOUR = RED_FLAG  # a refused entry: the same red as a red flag, with words, never alone
WARNING_COLOUR = ATTENTION  # an entry to check (entry_checks.py)


class FieldMessage(QLabel):
    """The words under an input: why an entry was refused, or what to check about it.

    Visible in place (not a tooltip), hidden when there is nothing to say. Plain text: it quotes
    what the user typed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setVisible(False)
        self.severity = ""
        self._owner: Optional[QWidget] = None

    @classmethod
    def owned_by(cls, owner: QWidget) -> "FieldMessage":
        """The message of an input: a child of the input until a panel places it under the input
        (`with_message`, or a layout of its own), so it is never a parentless widget."""
        message = cls(owner)
        message._owner = owner
        return message

    def placed(self) -> bool:
        return self.parent() is not None and self.parent() is not self._owner

    def show_message(self, text: str, severity: str = "error") -> None:
        self.severity = severity if text else ""
        self.setText(text)
        colour = ERROR_COLOUR if severity == "error" else WARNING_COLOUR
        self.setStyleSheet(f"color: {colour};" if text else "")
        self._show_if_placed()

    def _show_if_placed(self) -> None:
        # A message not yet placed in a panel is never shown: shown parentless it became a stray
        # top-level window that took the focus (issue 23, defect 2). It appears once placed.
        self.setVisible(bool(self.text()) and self.placed())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            self._show_if_placed()
        return super().event(event)


class Messages:
    """Mixin for an input with a `FieldMessage` (`self.message`, placed by the panel under the
    input): a refused entry (`set_error`) outranks an entry check (`set_check`)."""

    message: FieldMessage
    _error = ""
    _check = ""
    _check_severity = "warning"

    def set_error(self, message: str) -> None:
        self._error = message
        self._show_message()

    def error(self) -> str:
        return self._error

    def set_check(self, message: str, severity: str = "warning") -> None:
        self._check, self._check_severity = message, severity
        self._show_message()

    def check(self) -> str:
        return self._check

    def _show_message(self) -> None:
        if self._error:
            self.message.show_message(self._error, "error")
        else:
            self.message.show_message(self._check, self._check_severity)
        self._mark(bool(self._error) or (bool(self._check) and self._check_severity == "error"))

    def _mark(self, on: bool) -> None:
        self.setProperty("invalid", bool(self._error))
        self.setStyleSheet(f"border: 2px solid {ERROR_COLOUR};" if on else "")


class NumberEdit(Messages, QLineEdit):
    """An optional number typed as text: empty means None.

    The one rule for a refused entry (see `bind`): the field goes back to the case's value at once
    and the words under it say what was refused and why, so the field never shows a number the
    case does not hold."""

    valueEdited = Signal(object)
    invalidEntered = Signal(str, str)  # (the text typed, why it cannot be read as a number)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None,
                 parse: Callable[[str], float] = parse_number):
        super().__init__(parent)
        self._parse = parse
        self.message = FieldMessage.owned_by(self)
        self.setPlaceholderText(placeholder)
        self.editingFinished.connect(self._emit)

    def value(self) -> Optional[float]:
        text = self.text().strip()
        # decimal_text: the one comma rule (number_text.py); "1,250" raises with what to type.
        return self._parse(decimal_text(text)) if text else None  # may raise ValueError

    def setValue(self, value: Optional[float]) -> None:
        self.setText("" if value is None else f"{value:.12g}")  # :g alone rounds to 6 digits

    def shown_text(self) -> str:
        return self.text().strip()

    def _emit(self) -> None:
        try:
            value = self.value()
        except ValueError as exc:
            self.invalidEntered.emit(self.text().strip(), number_reason(exc))
            return
        self.valueEdited.emit(value)

    commit_edit = _emit  # Save, Export and Undo finish a half-typed entry first

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().dropEvent(event)
        self.commit_edit()  # a drop is an edit: stored (or refused) now, not when focus leaves

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.message.setAccessibleName(f"{name}: message")


def number_reason(exc: ValueError) -> str:
    """Why typed text is not a number, in words: a parser's own message (parse_temperature says
    what to type), or a plain hint instead of Python's "could not convert string to float"."""
    text = str(exc)
    return "type a number only, e.g. 12.5" if text.startswith(("could not convert", "invalid literal")) \
        or not text else text


def validation_message(exc: ValidationError) -> str:
    """The first pydantic error as a short phrase for the user ("must be ≤ 300")."""
    err = exc.errors()[0]
    if err.get("type") in ("literal_error", "enum"):
        return "not one of the choices in the list"  # pydantic's text lists the stored values
    msg = str(err.get("msg", "Invalid value")).replace("less than or equal to", "≤").replace(
        "greater than or equal to", "≥").replace("Value error, ", "")
    return msg.replace("Input should be", "must be")


def refused_text(typed: str, reason: str, kept: str) -> str:
    """The words shown under a field whose entry was refused (the one rule, everywhere)."""
    kept = f"kept {kept}" if kept else "still not recorded"
    return f"“{typed}” not accepted: {reason[:1].lower()}{reason[1:]}; {kept}."


def bind(doc: CaseDocument, path: str, widget: QWidget,
         to_case: Callable[[Any], Any] = lambda v: v,
         from_case: Callable[[Any], Any] = lambda v: v) -> None:
    """Two-way binding of a widget with `value()/setValue()/valueEdited` to `doc` at `path`.

    `to_case`/`from_case` convert between the widget's value and the case's (units, models).
    A refused value never stays on screen: the widget shows the case's value again and, when it
    can show messages, says in place what was refused and why. Entry checks for `path`
    (entry_checks.py) are shown the same way, as long as they apply.
    """
    def reject(typed: str, reason: str) -> None:
        refresh("")
        kept = widget.shown_text() if hasattr(widget, "shown_text") else ""
        message = refused_text(typed, reason, kept)
        if hasattr(widget, "set_error"):
            widget.set_error(message)
        tracker.refused(widget, message)

    def pending(case: Any) -> None:  # the case as the window shows it (autosave, EditTracker)
        set_path(case, path, to_case(widget.value()))

    tracker = EditTracker.of(doc)
    tracker.add(widget, path, pending)

    def write(value: Any) -> None:
        typed = widget.shown_text() if hasattr(widget, "shown_text") else str(value)
        try:
            doc.set(path, to_case(value))  # a change clears the message (on_change)
        except (ValidationError, ValueError) as exc:
            reject(typed, validation_message(exc) if isinstance(exc, ValidationError) else str(exc))
            # An unchanged value (Save finishing an edit already refused) leaves the message up.

    def refresh(changed: str) -> None:
        if changed and not (changed == path or path.startswith(changed + ".") or changed.startswith(path + ".")):
            return
        widget.blockSignals(True)
        widget.setValue(from_case(doc.get(path)))
        widget.blockSignals(False)

    def on_change(changed: str) -> None:
        refresh(changed)
        if hasattr(widget, "set_error") and (not changed or changed == path or changed.startswith(path + ".")):
            widget.set_error("")  # the case changed here (open, undo): an old refusal is over

    def show_checks() -> None:
        checks = doc.checks(path)
        if hasattr(widget, "set_check"):
            worst = "error" if any(c.severity == "error" for c in checks) else "warning"
            widget.set_check(" ".join(c.message for c in checks), worst)

    widget.valueEdited.connect(write)
    if hasattr(widget, "invalidEntered"):
        widget.invalidEntered.connect(reject)
    doc.changed.connect(on_change)
    doc.checksChanged.connect(show_checks)
    route_undo_keys(doc, widget)
    # The document can outlive the widget (a panel thrown away): a plain Python slot is not
    # disconnected by Qt, and the next change would call setValue on a deleted widget.
    widget.destroyed.connect(lambda _obj=None: (_disconnect(doc.changed, on_change),
                                                _disconnect(doc.checksChanged, show_checks)))
    widget.setProperty("case_path", path)  # lets "jump to the missing field" find it
    refresh("")
    show_checks()


class _UndoKeys(QObject):
    """Ctrl+Z / Ctrl+Shift+Z in a case input undo the case (the document's stack), not the text in
    the widget: one undo history, whatever has the focus. A half-typed entry is finished first,
    so it becomes the step that is undone."""

    def __init__(self, doc: CaseDocument):
        super().__init__(doc)
        self.doc = doc

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        undo = event.matches(QKeySequence.StandardKey.Undo)
        redo = event.matches(QKeySequence.StandardKey.Redo)
        if not (undo or redo):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # deliver the key here (not to the window's action, not twice)
            return True
        commit_pending(obj)
        (self.doc.undo_stack.undo if undo else self.doc.undo_stack.redo)()
        return True


def route_undo_keys(doc: CaseDocument, widget: QObject) -> None:
    """Send Ctrl+Z/Ctrl+Shift+Z typed in `widget` (or its inner editors) to the document's undo."""
    keys = doc.findChild(_UndoKeys)
    if keys is None:
        keys = _UndoKeys(doc)
    targets = [widget] + (widget.findChildren(QWidget) if isinstance(widget, QWidget) else [])
    for target in targets:
        target.installEventFilter(keys)


def commit_pending(widget: Optional[QObject]) -> None:
    """Finish the entry being typed in `widget` (or the input it belongs to), as leaving it would:
    Save, Export, Print and Undo call this so they act on what the field shows."""
    while widget is not None:
        commit = getattr(widget, "commit_edit", None)
        if commit is not None:
            commit()
            return
        widget = widget.parent()


def set_path(obj: Any, path: str, value: Any) -> None:
    """Assign `value` at dotted `path` of a case (validated by pydantic's validate_assignment)."""
    *parents, leaf = path.split(".")
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, leaf, value)


class EditTracker(QObject):
    """Every input of one document, so that nothing typed is lost (issue 17): the one place that

    - finishes every pending edit (`finish`) before Save, Export, Preview, Print, Undo, a tab
      switch, New, Open and Close, and reports the entries this refused, in words;
    - lists the refusals still shown under their fields (`standing`): Close and New ask first;
    - builds the case as the window shows it, edits in progress included (`case_with_pending`),
      for the autosave.

    `bind` registers its inputs; other editors (list forms, the plan wording draft) call `add`
    with an object that has `commit_edit()` and, optionally, `error()` and a `pending(case)`.
    A new tab built on `bind` gets all of this without code of its own."""

    draftEdited = Signal()  # text typed but not yet committed somewhere: the autosave should run

    def __init__(self, doc: QObject):
        super().__init__(doc)
        self.doc = doc
        self._inputs: list[tuple[QObject, str, Optional[Callable[[Any], None]]]] = []
        self._refusals: Optional[list[tuple[QObject, str]]] = None  # collected during finish()

    @staticmethod
    def of(doc: QObject) -> "EditTracker":
        tracker = doc.findChild(EditTracker)
        return tracker if tracker is not None else EditTracker(doc)

    def add(self, item: QObject, path: str = "", pending: Optional[Callable[[Any], None]] = None) -> None:
        entry = (item, path, pending)
        self._inputs.append(entry)
        item.destroyed.connect(lambda _obj=None, e=entry: self._inputs.remove(e) if e in self._inputs else None)
        for signal in ("textEdited", "textChanged"):
            sig = getattr(item, signal, None)
            if sig is not None and hasattr(sig, "connect"):
                sig.connect(self.draftEdited)
                break

    def _live(self) -> list[tuple[QObject, str, Optional[Callable[[Any], None]]]]:
        return [e for e in self._inputs if isValid(e[0])]

    def refused(self, item: QObject, message: str) -> None:
        """An input refused an entry (bind's reject, a list form): counted if finish() runs."""
        if self._refusals is not None:
            self._refusals.append((item, message))

    def finish(self) -> list[tuple[QObject, str]]:
        """Commit every input's pending edit, as leaving it would; the (input, words) of every
        entry this refused. The caller stops its action when the list is not empty."""
        self._refusals = []
        try:
            for item, _path, _pending in self._live():
                commit = getattr(item, "commit_edit", None)
                if commit is not None and isValid(item):
                    commit()
            return self._refusals
        finally:
            self._refusals = None

    def standing(self) -> list[tuple[QObject, str]]:
        """The refused entries whose words are still shown under their input."""
        out = []
        for item, _path, _pending in self._live():
            error = getattr(item, "error", None)
            text = error() if callable(error) else ""
            if text:
                out.append((item, text))
        return out

    def case_with_pending(self) -> Any:
        """A copy of the case with every edit in progress applied that the case would accept
        (a value still refused, e.g. without its unit, is left out)."""
        case = self.doc.case.model_copy(deep=True)
        for item, _path, pending in self._live():
            if pending is None:
                continue
            try:
                pending(case)
            except (ValidationError, ValueError, TypeError, AttributeError):
                pass
        return case

    def has_pending(self) -> bool:
        return self.case_with_pending().model_dump() != self.doc.case.model_dump()


def item_name(item: QObject, path: str = "") -> str:
    """What a refusal is about, for a message that names it ("Weight (kg)")."""
    name = item.accessibleName() if isinstance(item, QWidget) else ""
    path = path or (item.property("case_path") or "" if isinstance(item, QObject) else "")
    return name or (field_label(str(path)) if path else "An entry")


def refusal_lines(refusals: Sequence[tuple[QObject, str]]) -> str:
    """One line per refused entry: "Weight (kg): “34kg” not accepted: …"."""
    return "\n".join(f"{item_name(item)}: {message}" for item, message in refusals)


def _disconnect(signal, slot) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):  # already gone with the document
        pass


# --- appended by the form-panels engineer (generic; used by the patient/symptoms/labs panels) ----

class TextLine(QLineEdit):
    """A free-text field (name, MRN, clinician...): "" is the empty value; written on editingFinished."""

    valueEdited = Signal(object)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.editingFinished.connect(self.commit_edit)

    def commit_edit(self) -> None:
        self.valueEdited.emit(self.text().strip())

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().dropEvent(event)
        self.commit_edit()  # a drop is an edit: stored now, not when focus leaves

    def value(self) -> str:
        return self.text().strip()

    def setValue(self, value: Optional[str]) -> None:
        self.setText(value or "")


class OptionalDateEdit(Messages, QWidget):
    """An optional date: a "Recorded" check box plus a QDateEdit (ISO format, calendar popup).

    Unchecked means None ("Not recorded", shown in the disabled editor). Ticking the box opens the
    date for entry (today suggested, the year selected, the words under it say so) but stores
    nothing: a date is stored when it is typed, picked in the calendar, or Enter keeps the one
    shown. Leaving the box without a date goes back to "Not recorded" (issue 17: a tick stored
    today as a date of birth). Keyboard tracking is off: a date is written when typing ends.
    """

    valueEdited = Signal(object)
    invalidEntered = Signal(str, str)  # a typed text that is not a date (see GuardedDateEdit)
    _FLOOR = QDate(1900, 1, 1)  # the special "not recorded" value of the editor
    ENTER_HINT = "Not recorded yet: type the date or pick it in the calendar (Enter keeps the date shown)."

    def __init__(self, parent: QWidget | None = None, check_text: str = "Recorded"):
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.message = FieldMessage.owned_by(self)
        self.edit = GuardedDateEdit()
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setCalendarPopup(True)
        self.edit.setKeyboardTracking(False)
        self.edit.setMinimumDate(self._FLOOR)
        self.edit.setSpecialValueText(NOT_RECORDED)
        self._awaiting = False  # ticked, no date entered yet
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._date_changed)
        self.edit.editingFinished.connect(self._editing_finished)
        self.edit.calendarWidget().clicked.connect(lambda _d: self._accept_shown())
        self.edit.invalidEntered.connect(self.invalidEntered)
        self._show(None)

    def value(self) -> Optional[dt.date]:
        if not self.check.isChecked() or self._awaiting or self.edit.date() == self._FLOOR:
            return None
        return self.edit.date().toPython()

    def setValue(self, value: Optional[dt.date]) -> None:
        blocked = self.check.blockSignals(True), self.edit.blockSignals(True)
        self._show(value)
        self.check.blockSignals(blocked[0])
        self.edit.blockSignals(blocked[1])

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.check.setAccessibleName(f"{name} recorded")
        self.edit.setAccessibleName(name)
        self.message.setAccessibleName(f"{name}: message")

    def shown_text(self) -> str:
        value = self.value()
        return value.isoformat() if value else ""

    def commit_edit(self) -> None:
        self.edit.interpretText()  # a half-typed date is read now (keyboard tracking is off)

    def calendar_open(self) -> bool:
        calendar = self.edit.calendarWidget()
        return calendar is not None and calendar.window().isVisible() and calendar.window() is not self.window()

    def _mark(self, on: bool) -> None:  # the date box only: a container's sheet would cascade
        self.setProperty("invalid", bool(self._error))
        self.edit.setStyleSheet(f"border: 2px solid {ERROR_COLOUR};" if on else "")

    def _show(self, value: Optional[dt.date]) -> None:
        self._set_awaiting(False)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value is not None else self._FLOOR)

    def _set_awaiting(self, on: bool) -> None:
        if on == self._awaiting:
            return
        self._awaiting = on
        if on:
            self.message.show_message(self.ENTER_HINT, "warning")
        else:
            self._show_message()

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if not on:
            self._set_awaiting(False)
            self.valueEdited.emit(None)
            return
        self.edit.blockSignals(True)
        if self.edit.date() == self._FLOOR:
            self.edit.setDate(QDate.currentDate())  # a suggestion, not stored
        self.edit.blockSignals(False)
        self._set_awaiting(True)
        self.edit.setFocus()
        self.edit.lineEdit().selectAll()  # a whole date typed replaces the suggestion

    def _accept_shown(self) -> None:
        if self.check.isChecked():
            self._set_awaiting(False)
            self.valueEdited.emit(self.value())

    def _date_changed(self, _date: QDate) -> None:
        self._accept_shown()

    def _editing_finished(self) -> None:
        if not self._awaiting:
            return
        if self.edit.hasFocus():  # Enter: the date shown is the one meant
            self._accept_shown()
        elif not self.calendar_open():  # left without a date: back to "Not recorded"
            QTimer.singleShot(0, self._abandon)

    def _abandon(self) -> None:
        if self._awaiting and isValid(self) and not self.edit.hasFocus() and not self.calendar_open():
            self.setValue(None)


def field_bounds(model: type, name: str) -> tuple[Optional[float], Optional[float]]:
    """The (ge, le) limits declared on a pydantic model field, so a hint such as "0.5–300" is read
    from the model (the one place the range is defined) instead of being retyped in the UI."""
    low = high = None
    for meta in model.model_fields[name].metadata:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def with_unit(widget: QWidget, unit: str, hint: str = "", width: Optional[int] = None) -> QWidget:
    """The widget followed by its unit (and an optional grey hint) on one line, for form rows.
    `width`: the widget's widest, with unit and hint kept beside it and the spare width after them."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0 if width else 1)
    if width:
        widget.setMaximumWidth(width)
    if unit:
        layout.addWidget(QLabel(unit))
    if hint:
        # Wrapped, with the spare width: on one line it was cut at the right edge at 1024×700 (issue 23).
        layout.addWidget(hint_label(hint), 0 if width else 1)
    if width:
        layout.addStretch(1)
    box.setFocusProxy(widget)
    return with_message(box, widget)


def with_message(row: QWidget, widget: QWidget) -> QWidget:
    """`row` with `widget`'s FieldMessage under it (unchanged when the widget has none or its
    message is already placed): the words about an entry sit where it was typed."""
    message = getattr(widget, "message", None)
    if not isinstance(message, FieldMessage) or message.placed():
        return row
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(row)
    column.addWidget(message)
    box.setFocusProxy(row)
    return box


HINT_STYLE = f"color: {MUTED};"  # grey explanatory text under or beside an input


def hint_label(text: str = "", wrap: bool = True) -> QLabel:
    """A grey explanatory line (plain text: it may quote case data)."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(HINT_STYLE)
    return label


def scroll_page(content: QWidget) -> QScrollArea:
    """Wrap a long form so it stays usable at 1280×720."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(content)
    return area


def scrolled_column(panel: QWidget, *boxes: QWidget) -> None:
    """Fill a form tab with `boxes` stacked top to bottom on one scroll page."""
    page = QWidget()
    column = QVBoxLayout(page)
    for box in boxes:
        column.addWidget(box)
    column.addStretch(1)
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll_page(page))


def share_label_column(*forms: QFormLayout, widest: int = 260) -> None:
    """Line up the inputs of several forms (one group box each) at one x, as if they were one form:
    every label gets the width of the widest, up to `widest` px; a longer label wraps onto two
    lines instead of pushing every input to the right. Each form alone would place its inputs after
    its own longest label, and a tab of group boxes then zigzags (issue 23, cosmetic)."""
    role = QFormLayout.ItemRole.LabelRole
    labels = [item.widget() for form in forms for row in range(form.rowCount())
              if (item := form.itemAt(row, role)) is not None and isinstance(item.widget(), QLabel)]
    width = min(max((label.sizeHint().width() for label in labels), default=0), widest)
    for label in labels:
        if label.sizeHint().width() > width:
            label.setWordWrap(True)
            label.setMaximumWidth(width)
        label.setMinimumWidth(width)


def side_by_side(*widgets: QWidget) -> QWidget:
    """Several widgets on one form row; focus goes to the first."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    box.setFocusProxy(widgets[0])
    return with_message(box, widgets[0])
