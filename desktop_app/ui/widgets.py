"""Small input widgets that keep "not recorded" distinct from "no", and bind to a CaseDocument.

Every panel builds its fields from these so that tri-state answers, optional numbers and enum
choices look and behave the same everywhere. A binding writes user edits into the document
(`doc.set(path, value)`, validated and undoable) and refreshes the widget when the document
changes (open, undo, redo), without echoing its own edit back.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from desktop_app.ui.document import CaseDocument

NOT_RECORDED = "Not recorded"


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
    widget.setProperty("case_path", path)  # lets "jump to the missing field" find it
    refresh("")
