"""A list of case records (lesions, biopsies, treatment courses): a table, Add/Duplicate/Remove and
a form for the selected record.

The table is a read-only summary; the form edits one record. Every change rebuilds the whole list
and writes it with `doc.set(path, items)`, so it is validated by pydantic and undoable as one step.
The form's inputs carry `case_path` "<list path>.<field>" (e.g. "imaging.lesions.bone") and the
table carries the list path, so "jump to the missing field" lands here.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QGridLayout, QGroupBox,
                               QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from desktop_app.ui.document import CaseDocument
from desktop_app.case import labels
from desktop_app.ui.widgets import (ChoiceCombo, FieldMessage, hint_label, route_undo_keys, scroll_page,
                                    validation_message, with_message)

Column = tuple[str, Callable[[Any], str]]  # header, text of a record


class CheckList(QWidget):
    """Several check boxes for a list-of-choices field (e.g. the modalities a lesion was seen on)."""

    valueEdited = Signal(object)

    def __init__(self, choices: Sequence[tuple[str, str]], columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)  # rows of `columns` boxes: fits a narrow form
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (value, label) in enumerate(choices):
            box = QCheckBox(label)
            box.setAccessibleName(label)
            box.clicked.connect(lambda _checked: self.valueEdited.emit(self.value()))
            layout.addWidget(box, *divmod(i, columns))
            self.boxes[value] = box
        layout.setColumnStretch(columns, 1)
        if self.boxes:
            self.setFocusProxy(next(iter(self.boxes.values())))

    def value(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def setValue(self, values: Optional[Sequence[str]]) -> None:
        for v, box in self.boxes.items():
            box.setChecked(v in (values or ()))


def required_choice(choices: Sequence[tuple[Any, str]]) -> ChoiceCombo:
    """A choice without "Not recorded" (the field is required, e.g. a lesion's bone)."""
    combo = ChoiceCombo(choices)
    combo.removeItem(0)
    return combo


class _RecordTable(QTableWidget):
    """The records' table; with wrapped columns, row heights follow the width the columns get, up to
    MAX_ROW_LINES lines (the cell's tooltip has the whole text), so that at least MIN_ROWS rows
    are in view at 1024×700 (issue 17: the lesion table showed one row)."""

    MAX_ROW_LINES = 2
    MIN_ROWS = 4

    def __init__(self, rows: int, columns: int, rows_follow_width: bool):
        super().__init__(rows, columns)
        self._rows_follow_width = rows_follow_width
        self.horizontalHeader().setMinimumSectionSize(56)  # a stretched column keeps its title readable
        self.setMinimumHeight(self.horizontalHeader().sizeHint().height() + self.MIN_ROWS * self.row_cap()
                              + 2 * self.frameWidth() + 2)

    def row_cap(self) -> int:
        return self.MAX_ROW_LINES * self.fontMetrics().lineSpacing() + 8

    def fit_rows(self) -> None:
        self.resizeRowsToContents()
        # Whole rows when the table has the room (1280×800); two lines each when it is short.
        rows_in_view = max(1, min(self.rowCount(), self.MIN_ROWS))
        cap = max(self.row_cap(), self.viewport().height() // rows_in_view)
        for row in range(self.rowCount()):
            if self.rowHeight(row) > cap:
                self.setRowHeight(row, cap)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._rows_follow_width:  # stretched columns changed width: the wrapped text needs new heights
            self.fit_rows()


class ListEditor(QWidget):
    """Table + buttons + form for the list at `path` of `model` records."""

    rowSelected = Signal(int)  # -1 when nothing is selected

    wrap_columns: tuple[str, ...] = ()  # column titles that stretch and wrap

    def __init__(self, doc: CaseDocument, path: str, model: type[BaseModel], columns: Sequence[Column],
                 noun: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc, self.path, self.model, self.columns, self.noun = doc, path, model, list(columns), noun
        self.fields: dict[str, QWidget] = {}
        self._row = -1

        self.table = _RecordTable(0, len(self.columns), rows_follow_width=bool(self.wrap_columns))
        self.table.setHorizontalHeaderLabels([c[0] for c in self.columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the table (arrow keys move between rows): with tab navigation on, Tab and
        # Shift+Tab cycled through the cells and the buttons and form were out of keyboard reach.
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Long free-form columns share the width left and wrap, instead of being cut off at 1280 px.
        for c, (title, _text) in enumerate(self.columns):
            if title in self.wrap_columns:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a capped row ends in "…" (tooltip: all)
        self.table.setProperty("case_path", path)
        self.table.setAccessibleName(f"{noun.capitalize()} list")
        self.table.itemSelectionChanged.connect(self._table_selection_changed)

        self.add_button = QPushButton(f"Add {noun}")
        self.duplicate_button = QPushButton("Duplicate")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.remove_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.duplicate_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.form_box = QGroupBox(f"Selected {noun}")
        self.form = QFormLayout(self.form_box)
        self.empty_label = hint_label(f"No {noun} selected: add one, or select a row above.", wrap=False)
        self.form.addRow(self.empty_label)
        self.message = FieldMessage()  # a refused edit, in words (the form shows the stored value)
        self.message.setAccessibleName(f"Selected {noun}: message")
        self.form.addRow(self.message)
        self.form_box.setMaximumWidth(900)  # full-width date and combo boxes are hard to read

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.form_box)
        self._layout = layout
        doc.changed.connect(self._doc_changed)
        doc.checksChanged.connect(self._show_checks)

    def scroll_form(self) -> None:
        """Put the form in its own scroll area: a long form (the lesion's) scrolls while the table
        and the buttons above it stay in view."""
        index = self._layout.indexOf(self.form_box)
        self._layout.removeWidget(self.form_box)
        area = scroll_page(self.form_box)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.insertWidget(index, area, 3)
        self._layout.setStretch(self._layout.indexOf(self.table), 1)

    # --- building the form ---------------------------------------------------------------------
    def add_field(self, name: str, label: str, widget: QWidget, row_widget: QWidget | None = None) -> QWidget:
        """A form input for the record's field `name`; `row_widget` wraps it (e.g. with a unit)."""
        widget.setProperty("case_path", f"{self.path}.{name}")
        widget.setAccessibleName(label)
        if isinstance(widget, QComboBox):  # long labels (histology) must not widen the form
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(14)
        widget.valueEdited.connect(lambda value, n=name: self.set_field(n, value))
        route_undo_keys(self.doc, widget)
        self.fields[name] = widget
        self.form.addRow(label, with_message(row_widget or widget, widget))
        return widget

    # --- reading and writing the list ----------------------------------------------------------
    def items(self) -> list[BaseModel]:
        return list(self.doc.get(self.path))

    def current_row(self) -> int:
        return self._row

    def current(self) -> Optional[BaseModel]:
        items = self.items()
        return items[self._row] if 0 <= self._row < len(items) else None

    def write(self, items: list[BaseModel], select: int, label: str) -> None:
        try:
            self.doc.set(self.path, items, label)
        except ValidationError as exc:  # e.g. the lesion cap: nothing changes, and the form says why
            self.message.show_message(f"{label} refused: {validation_message(exc)}.")
            return
        self._row = select
        self.refresh()  # a no-op write still moves the selection

    def new_item(self) -> BaseModel:
        return self.model()

    def copy_item(self, item: BaseModel) -> BaseModel:
        return item.model_copy(deep=True)

    def add(self) -> None:
        items = self.items() + [self.new_item()]
        self.write(items, len(items) - 1, f"Add {self.noun}")

    def duplicate(self) -> None:
        item = self.current()
        if item is None:
            return
        items = self.items()
        items.insert(self._row + 1, self.copy_item(item))
        self.write(items, self._row + 1, f"Duplicate {self.noun}")

    def remove(self) -> None:
        items = self.items()
        if not 0 <= self._row < len(items):
            return
        del items[self._row]
        self.write(items, min(self._row, len(items) - 1), f"Remove {self.noun}")

    def set_field(self, name: str, value: Any) -> None:
        """Write one field of the selected record (validated; an invalid value is not written)."""
        item = self.current()
        if item is None:
            return
        data = item.model_dump()
        data.update(self.field_update(name, value, item))
        try:
            new = self.model.model_validate(data)
        except ValidationError as exc:
            self.load_form()  # the one rule: the form shows the stored value, and says why
            self.message.show_message(f"{labels.field_label(f'{self.noun}.{name}')} not changed: "
                                      f"{validation_message(exc)}.")
            return
        self.message.show_message("")
        items = self.items()
        items[self._row] = new
        self.doc.set(self.path, items, f"Edit {self.noun}")

    def field_update(self, name: str, value: Any, item: BaseModel) -> dict[str, Any]:
        """The fields to change when `name` is edited (override to keep fields consistent)."""
        return {name: value}

    def select(self, row: int) -> None:
        self._row = row if 0 <= row < len(self.items()) else -1
        self.refresh()

    # --- refreshing ----------------------------------------------------------------------------
    def _doc_changed(self, path: str) -> None:
        if not path or path == self.path or self.path.startswith(path + "."):
            self.refresh()

    def refresh(self) -> None:
        items = self.items()
        if self._row >= len(items) or (self._row < 0 and items):
            self._row = len(items) - 1 if self._row >= len(items) else 0
        self.table.blockSignals(True)
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            for c, (_header, text) in enumerate(self.columns):
                cell = QTableWidgetItem(text(item))
                cell.setToolTip(cell.text())
                self.table.setItem(r, c, cell)
        if self.wrap_columns:
            self.table.fit_rows()
        self.table.clearSelection()
        if self._row >= 0:
            self.table.selectRow(self._row)
        self.table.blockSignals(False)
        self.duplicate_button.setEnabled(self._row >= 0)
        self.remove_button.setEnabled(self._row >= 0)
        self.load_form()
        self.rowSelected.emit(self._row)

    def load_form(self) -> None:
        item = self.current()
        self.empty_label.setVisible(item is None)
        for name, widget in self.fields.items():
            widget.setEnabled(item is not None)
            widget.blockSignals(True)
            widget.setValue(getattr(item, name) if item is not None else None)
            widget.blockSignals(False)
        self._show_checks()
        self.form_loaded(item)

    def _show_checks(self) -> None:
        """Entry checks of the selected record beside its fields ("treatments[0].end_date")."""
        for name, widget in self.fields.items():
            if hasattr(widget, "set_check"):
                checks = self.doc.checks(f"{self.path}[{self._row}].{name}") if self._row >= 0 else []
                widget.set_check(" ".join(c.message for c in checks),
                                 "error" if any(c.severity == "error" for c in checks) else "warning")

    def form_loaded(self, item: Optional[BaseModel]) -> None:
        """Hook after the form shows `item` (enable/disable dependent inputs)."""

    def _table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        if row != self._row and row >= 0:
            self._row = row
            self.duplicate_button.setEnabled(True)
            self.remove_button.setEnabled(True)
            self.load_form()
            self.rowSelected.emit(row)


def yes_no(value: Optional[bool]) -> str:
    return {True: "Yes", False: "No"}.get(value, "—")
