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
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit,
                               QScrollArea, QVBoxLayout, QWidget)

from desktop_app.case.labels import NOT_RECORDED
from desktop_app.report.palette import MUTED
from desktop_app.ui.document import CaseDocument


class ChoiceCombo(QComboBox):
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


class TriStateCombo(ChoiceCombo):
    """Yes / No / Not recorded for an Optional[bool] field (labels adjustable, e.g. Confirmed/Excluded)."""

    def __init__(self, yes: str = "Yes", no: str = "No", none_label: str = NOT_RECORDED,
                 parent: QWidget | None = None):
        super().__init__([(True, yes), (False, no)], none_label, parent)


class NumberEdit(QLineEdit):
    """An optional number typed as text: empty means None. Invalid or out-of-range input is
    flagged in place (red border + tooltip message) and never written into the case."""

    valueEdited = Signal(object)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None,
                 parse: Callable[[str], float] = float):
        super().__init__(parent)
        self._parse = parse
        self.setPlaceholderText(placeholder)
        self.editingFinished.connect(self._emit)

    def value(self) -> Optional[float]:
        text = self.text().strip().replace(",", ".")
        return self._parse(text) if text else None  # may raise ValueError

    def setValue(self, value: Optional[float]) -> None:
        self.setText("" if value is None else f"{value:g}")
        self.set_error("")  # now showing the case's value: a flag on rejected text no longer applies

    def _emit(self) -> None:
        try:
            value = self.value()
        except ValueError:
            self.set_error("Not a number")
            return
        self.valueEdited.emit(value)

    def set_error(self, message: str) -> None:
        self.setProperty("invalid", bool(message))
        self.setToolTip(message)
        self.setStyleSheet("border: 2px solid #c0392b;" if message else "")

    def error(self) -> str:
        return self.toolTip() if self.property("invalid") else ""


def validation_message(exc: ValidationError) -> str:
    """The first pydantic error as a short sentence for the user ("Input should be ≤ 300")."""
    err = exc.errors()[0]
    return str(err.get("msg", "Invalid value")).replace("less than or equal to", "≤").replace(
        "greater than or equal to", "≥")


def bind(doc: CaseDocument, path: str, widget: QWidget,
         to_case: Callable[[Any], Any] = lambda v: v,
         from_case: Callable[[Any], Any] = lambda v: v) -> None:
    """Two-way binding of a widget with `value()/setValue()/valueEdited` to `doc` at `path`.

    `to_case`/`from_case` convert between the widget's value and the case's (units, models).
    A rejected value is flagged on the widget (when it can show errors) and the case is unchanged.
    """
    def write(value: Any) -> None:
        try:
            doc.set(path, to_case(value))
        except (ValidationError, ValueError) as exc:
            message = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
            if hasattr(widget, "set_error"):
                widget.set_error(message)
            else:
                refresh("")
            return
        if hasattr(widget, "set_error"):
            widget.set_error("")

    def refresh(changed: str) -> None:
        if changed and not (changed == path or path.startswith(changed + ".") or changed.startswith(path + ".")):
            return
        widget.blockSignals(True)
        widget.setValue(from_case(doc.get(path)))
        widget.blockSignals(False)

    widget.valueEdited.connect(write)
    doc.changed.connect(refresh)
    # The document can outlive the widget (a panel thrown away): a plain Python slot is not
    # disconnected by Qt, and the next change would call setValue on a deleted widget.
    widget.destroyed.connect(lambda _obj=None: _disconnect(doc.changed, refresh))
    widget.setProperty("case_path", path)  # lets "jump to the missing field" find it
    refresh("")


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
        self.editingFinished.connect(lambda: self.valueEdited.emit(self.text().strip()))

    def value(self) -> str:
        return self.text().strip()

    def setValue(self, value: Optional[str]) -> None:
        self.setText(value or "")


class OptionalDateEdit(QWidget):
    """An optional date: a "Recorded" check box plus a QDateEdit (ISO format, calendar popup).

    Unchecked means None ("Not recorded", shown in the disabled editor). Checking the box records
    the date shown (today by default), so the widget never shows a date the case does not hold.
    Keyboard tracking is off: a date is written when typing ends, not at every keystroke.
    """

    valueEdited = Signal(object)
    _FLOOR = QDate(1900, 1, 1)  # the special "not recorded" value of the editor

    def __init__(self, parent: QWidget | None = None, check_text: str = "Recorded"):
        super().__init__(parent)
        self.check = QCheckBox(check_text)
        self.edit = QDateEdit()
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setCalendarPopup(True)
        self.edit.setKeyboardTracking(False)
        self.edit.setMinimumDate(self._FLOOR)
        self.edit.setSpecialValueText(NOT_RECORDED)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._date_changed)
        self._show(None)

    def value(self) -> Optional[dt.date]:
        if not self.check.isChecked() or self.edit.date() == self._FLOOR:
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

    def _show(self, value: Optional[dt.date]) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value is not None else self._FLOOR)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on:
            self.edit.blockSignals(True)
            if self.edit.date() == self._FLOOR:
                self.edit.setDate(QDate.currentDate())
            self.edit.blockSignals(False)
            self.edit.setFocus()
            self.edit.setSelectedSection(QDateEdit.Section.YearSection)  # typing starts with the year
        self.valueEdited.emit(self.value())

    def _date_changed(self, _date: QDate) -> None:
        if self.check.isChecked():
            self.valueEdited.emit(self.value())


def field_bounds(model: type, name: str) -> tuple[Optional[float], Optional[float]]:
    """The (ge, le) limits declared on a pydantic model field, so a hint such as "0.5–300" is read
    from the model (the one place the range is defined) instead of being retyped in the UI."""
    low = high = None
    for meta in model.model_fields[name].metadata:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def with_unit(widget: QWidget, unit: str, hint: str = "") -> QWidget:
    """The widget followed by its unit (and an optional grey hint) on one line, for form rows."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 1)
    if unit:
        layout.addWidget(QLabel(unit))
    if hint:
        layout.addWidget(hint_label(hint, wrap=False))
    box.setFocusProxy(widget)
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


def side_by_side(*widgets: QWidget) -> QWidget:
    """Several widgets on one form row; focus goes to the first."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    box.setFocusProxy(widgets[0])
    return box
