"""The "Labs" tab: one row per analyte (value, unit, the lab report's range, date) with a live flag.

A row writes one `LabValue` (or None when the value is cleared) at `labs.<analyte>`. The unit is
part of the value: an analyte whose allowed units give different numbers (CRP mg/L vs mg/dL) has no
unit until the user picks one, and a number without its unit is refused in place. Changing the unit
keeps the number as typed: the user states the unit of their number, the app never rescales it; the
lab report's range, typed in the old unit, is converted (and the row says so). A number impossible
in its unit is refused with its likely meaning (units.PLAUSIBLE).

The flag and the range it was judged against come from `reference_ranges.lab_reading`, the same
reading the criteria use, so the tab and the assessment cannot disagree.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFormLayout, QGridLayout, QGroupBox, QLabel,
                               QWidget)
from shiboken6 import isValid

from desktop_app.case import labels, units
from desktop_app.case.models import LAB_UNITS, LabValue
from desktop_app.case.number_text import whole_number_text
from desktop_app.case.reference_ranges import LabReading, lab_reading
from desktop_app.course.meaning import CALCIUM_DEFAULT_LOW, VITAMIN_D_LOW
from desktop_app.report.palette import LAB_FLAG_COLOURS
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.widgets import (HINT_STYLE, ChoiceCombo, FieldMessage, GuardedCombo, NumberEdit,
                                    OptionalDateEdit, TriStateCombo, bind, hint_label, number_reason, refused_text,
                                    scrolled_column)

CHOOSE_UNIT = "– unit –"
# Out of range is bold as well as coloured.
FLAG_STYLE = {status: f"color: {colour};" + (" font-weight: bold;" if status in ("high", "low") else "")
              for status, colour in LAB_FLAG_COLOURS.items()}


def unit_choice_required(analyte: str) -> bool:
    """True when the allowed units do not share one number (mg/L vs mg/dL): then no unit is
    pre-selected, so a value can never be stored under a unit the user did not state."""
    return any(units.factor(analyte, unit) != 1 for unit in LAB_UNITS[analyte])


def units_words(analyte: str, joiner: str = " or ") -> str:
    """The row's units as its list shows them ("µmol/L or mg/dL"), never the stored "umol/L"."""
    return joiner.join(labels.unit_label(unit) for unit in LAB_UNITS[analyte])


class Implausible(ValueError):
    """A number that cannot be a result in the unit shown: the unit may be what is wrong."""


class LabRow(QObject):
    """The inputs of one analyte, bound as one unit (`widgets.bind`) whose value is a LabValue dict
    or None. Not a widget itself: its inputs sit in the panel's grid, one column each.

    A value typed before its unit is held while the focus stays in the row (so the user can reach
    the unit box without a warning), and refused like any other entry when the focus leaves the
    row, or Save/Export/Undo finish the edit, with still no unit. The unit box's popup list and the
    date's calendar are their own windows: focus moving into them is not leaving the row, and
    "left" is decided once they have closed (pitfalls.md C.6)."""

    valueEdited = Signal(object)
    invalidEntered = Signal(str, str)

    def __init__(self, analyte: str, parent: QObject | None = None):
        super().__init__(parent)
        self.analyte = analyte
        name = labels.field_label(f"labs.{analyte}")
        self.value_edit = NumberEdit("value")
        self.value_edit.setAccessibleName(f"{name} value")
        self.unit = GuardedCombo()
        self.unit.setAccessibleName(f"{name} unit")
        if unit_choice_required(analyte):
            self.unit.addItem(CHOOSE_UNIT, None)
        for unit in LAB_UNITS[analyte]:
            self.unit.addItem(labels.unit_label(unit), unit)
        self.ref_low = NumberEdit("ref low")
        self.ref_low.setAccessibleName(f"{name} reference low (from the lab report)")
        self.ref_high = NumberEdit("ref high")
        self.ref_high.setAccessibleName(f"{name} reference high (from the lab report)")
        self.date = OptionalDateEdit(check_text="")
        self.date.setAccessibleName(f"{name} date")
        self.date.check.setToolTip("Date recorded")
        self.value_edit.setMinimumWidth(70)
        for ref in (self.ref_low, self.ref_high):
            ref.setMinimumWidth(60)
        for edit in (self.value_edit, self.ref_low, self.ref_high, self.date):
            edit.valueEdited.connect(self._emit)
        self._unit_shown: Optional[str] = self.unit.currentData()  # the unit the range was typed in
        self._unit_note = ""  # what a unit change did to the range, in words
        self.value_edit.textEdited.connect(lambda _t: setattr(self, "_unit_note", ""))
        self.unit.activated.connect(self._unit_changed)  # first: the range follows, then the row is sent
        self.unit.activated.connect(self._emit)
        self.message = FieldMessage()
        self.message.setAccessibleName(f"{name}: message")
        # The date's words (its hint, a refused date) are the row's, under the row: its own label
        # was never placed and showed as a stray window (issue 23, defect 2).
        self.date.message = self.message
        self.date.invalidEntered.connect(
            lambda typed, why: self.set_error(refused_text(typed, why, self.date.shown_text())))
        self._error = self._check = ""
        self._pending = False  # a value waits for its unit while the focus is in the row
        for edit in (self.value_edit, self.ref_low, self.ref_high):
            edit.invalidEntered.connect(self._refused)
            edit.commit_edit = self.leave  # Save/Export/Undo: finishing the edit leaves the row
        self.textEdited = self.value_edit.textEdited  # the autosave sees a value being typed
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.value_edit.destroyed.connect(self._stop_watching_focus)

    def widgets(self) -> tuple[QWidget, ...]:
        return self.value_edit, self.unit, self.ref_low, self.ref_high, self.date

    # --- bound-widget protocol (see widgets.bind) -----------------------------------------
    def value(self) -> Optional[dict[str, Any]]:
        value = self.value_edit.value()  # may raise ValueError
        if value is None:
            return None  # clearing the value clears the analyte
        unit = self.unit.currentData()
        if unit is None:
            raise ValueError(f"Choose the unit of this value ({units_words(self.analyte, ', ')})")
        if units.reported_whole(self.analyte, unit):
            whole_number_text(self.value_edit.text())  # "1.250 U/L" is refused as ambiguous
        impossible = units.implausible(self.analyte, value, unit, labels.unit_label)
        if impossible:
            raise Implausible(impossible)
        return {"value": value, "unit": unit, "ref_low": self.ref_low.value(),
                "ref_high": self.ref_high.value(), "date": self.date.value()}

    def setValue(self, lab: Optional[LabValue]) -> None:
        for w in self.widgets():
            w.blockSignals(True)
        self.value_edit.setValue(lab.value if lab else None)
        # No value: back to "choose the unit" (or the only/equivalent unit).
        self.unit.setCurrentIndex(self.unit.findData(lab.unit) if lab else 0)
        self._unit_shown = self.unit.currentData()
        self.ref_low.setValue(lab.ref_low if lab else None)
        self.ref_high.setValue(lab.ref_high if lab else None)
        self.date.setValue(lab.date if lab else None)
        for w in self.widgets()[2:]:
            w.setEnabled(lab is not None)  # a range or date needs a value to belong to
        for w in self.widgets():
            w.blockSignals(False)

    def _unit_changed(self, _index: int) -> None:
        """The lab report's range is in the value's unit: when the unit changes it is converted with
        the unit's factor (the value is the user's number in the unit they state, never rescaled),
        or cleared where no factor applies; the row says which (issue 23, defect 4)."""
        old, new = self._unit_shown, self.unit.currentData()
        self._unit_shown = new
        said, self._unit_note = self._unit_note, ""
        try:
            bounds = [(edit, edit.value()) for edit in (self.ref_low, self.ref_high)]
        except ValueError:
            return  # a refused range entry: its own message says so
        if old == new or all(v is None for _e, v in bounds):
            if old is None and said:
                self._unit_note = said  # a range cleared on the way through "no unit" stays said
            return
        before = "–".join(units.fmt_number(v) if v is not None else "…" for _e, v in bounds)
        if old is None or new is None:
            for edit, _v in bounds:
                edit.setValue(None)
            was = f"{before} {labels.unit_label(old)}" if old else before
            self._unit_note = (f"Range {was} cleared: without a unit it cannot be converted; enter the lab "
                               "report's range in the unit you choose.")
            return
        if units.factor(self.analyte, old) == units.factor(self.analyte, new):
            return  # the same number in both units
        for edit, v in bounds:
            if v is not None:
                edit.setValue(float(f"{units.convert_between(self.analyte, v, old, new):.3g}"))
        after = "–".join(edit.text() or "…" for edit, _v in bounds)
        self._unit_note = (f"Range converted with the unit: {before} {labels.unit_label(old)} is "
                           f"{after} {labels.unit_label(new)} (3 significant figures).")

    def shown_text(self) -> str:
        text = self.value_edit.text().strip()
        unit = self.unit.currentData()
        return f"{text} {labels.unit_label(unit)}" if text and unit else text

    def set_error(self, message: str) -> None:
        self._error = message
        self._pending = self._pending and not message
        if message:  # refused: the row shows the case's value and range again, so no unit note holds
            self._unit_note = ""
        self._show()

    def error(self) -> str:
        return self._error

    def set_check(self, message: str, severity: str = "warning") -> None:
        self._check = message
        self._show()

    def _show(self, hint: str = "") -> None:
        self.value_edit._mark(bool(self._error))
        if self._error:
            self.message.show_message(self._error, "error")
        elif hint:  # what the range did, then what to do next
            self.message.show_message(" ".join(t for t in (self._unit_note, hint) if t), "warning")
        else:
            self.message.show_message(" ".join(t for t in (self._unit_note, self._check) if t), "warning")

    def _refused(self, typed: str, reason: str) -> None:
        self._pending = False
        self.invalidEntered.emit(typed, reason)

    def _popups(self) -> list[QWidget]:
        """The row's own pop-up windows: the unit list and the date's calendar."""
        popups = [self.unit.view().window()]
        calendar = self.date.edit.calendarWidget()
        if calendar is not None:
            popups.append(calendar.window())
        return [p for p in popups if p is not self.value_edit.window()]

    def _in_row(self, widget: Optional[QWidget]) -> bool:
        if widget is None:
            return False
        if any(w is widget or w.isAncestorOf(widget) for w in self.widgets()):
            return True
        return any(p is widget or p.isAncestorOf(widget) for p in self._popups())

    def _popup_open(self) -> bool:
        return any(p.isVisible() for p in self._popups())

    def _focus_changed(self, _old: Optional[QWidget], new: Optional[QWidget]) -> None:
        if not self._pending or self._in_row(new):
            return
        if new is None or self._popup_open():
            # No focus (a popup opening, the window deactivated) or a popup of the row still
            # open: decide once things settle, from where the focus is then.
            QTimer.singleShot(0, self._check_left)
            return
        self.leave()

    def _check_left(self) -> None:
        if not self._pending or not isValid(self.value_edit):
            return
        if self._popup_open():
            QTimer.singleShot(50, self._check_left)  # still choosing in the list or calendar
            return
        focus = QApplication.focusWidget()
        if focus is not None and not self._in_row(focus):
            self.leave()

    def _stop_watching_focus(self, *_args: Any) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (RuntimeError, TypeError):
            pass

    def leave(self) -> None:
        """The user is done with the row: a value still without its unit is refused."""
        self._emit(leaving=True)

    commit_edit = leave  # EditTracker.finish: Save, Export, a tab switch, Close…

    def _emit(self, *_args: Any, leaving: bool = False) -> None:
        text = self.value_edit.text().strip()
        try:
            value = self.value()
        except ValueError as exc:
            if isinstance(exc, Implausible) and not leaving and self._in_row(QApplication.focusWidget()):
                self._pending = True  # the user may be on the way to the unit box
                self._show(f"{exc} Choose its unit in the unit list, or correct the number.")
                return
            if self.unit.currentData() is None and self.value_edit.text().strip():
                try:
                    self.value_edit.value()
                except ValueError:
                    pass
                else:  # only the unit is missing
                    if not leaving and self._in_row(QApplication.focusWidget()):
                        self._pending = True
                        self._show(f"Now choose the unit of {text} in the unit list.")
                        return
                    self._refused(text, f"no unit was chosen ({units_words(self.analyte)})")
                    return
            self._refused(text, number_reason(exc))
            return
        self._pending = False
        self._show()
        self.valueEdited.emit(value)


class LabsPanel(QWidget):
    title = "Labs"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.rows: dict[str, LabRow] = {}
        self.flags: dict[str, QLabel] = {}
        self.ranges: dict[str, QLabel] = {}
        scrolled_column(self, self._analytes_box(), self._other_box())
        doc.changed.connect(self._refresh_flags)
        self._refresh_flags("")

    def _analytes_box(self) -> QGroupBox:
        # Two grid lines per analyte: the inputs and the flag, then the range the flag used
        # (long text, so it gets the full width instead of a narrow column).
        box = QGroupBox("Blood tests")
        grid = QGridLayout(box)
        heads = ("Analyte", "Value", "Unit", "Flag", "Ref low", "Ref high", "Date")
        for col, head in enumerate(heads):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        note = hint_label("Enter the reference range printed on the lab report (same unit as the value); "
                          "without it the default range for age and sex is used and named.")
        grid.addWidget(note, 1, 0, 1, len(heads))
        for i, analyte in enumerate(LAB_UNITS):
            r = 2 + 3 * i
            row = LabRow(analyte, self)
            bind(self.doc, f"labs.{analyte}", row)
            for w in row.widgets():
                w.setProperty("case_path", f"labs.{analyte}")  # "jump to field" lands on the value
            self.rows[analyte] = row
            name = QLabel(labels.field_label(f"labs.{analyte}"))
            # "Alkaline phosphatase" may take two lines: on one it pushed the Date column out of
            # the tab at 1024×700 (issue 23).
            name.setWordWrap(True)
            grid.addWidget(name, r, 0)
            value, unit, low, high, date = row.widgets()
            self.flags[analyte] = QLabel()
            self.flags[analyte].setAccessibleName(f"{labels.field_label(f'labs.{analyte}')} flag")
            for col, w in enumerate((value, unit, self.flags[analyte], low, high, date), start=1):
                grid.addWidget(w, r, col)
            self.ranges[analyte] = hint_label()
            self.ranges[analyte].setStyleSheet(HINT_STYLE + " font-size: small;")
            grid.addWidget(self.ranges[analyte], r + 1, 1, 1, len(heads) - 1)
            grid.addWidget(row.message, r + 2, 1, 1, len(heads) - 1)
        # The spare width goes after the last column: at 1920 px a stretching Flag column pushed the
        # lab report's range 700 px away from its value (issue 17 item 15).
        grid.setColumnStretch(len(heads), 1)
        return box

    def _other_box(self) -> QGroupBox:
        box = QGroupBox("Culture and blood film")
        form = QFormLayout(box)
        # A choice keeps its own width: stretched, these two ran 1100 px across a 1920 px window.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.blood_culture = ChoiceCombo(labels.choices("culture"))
        self.blood_culture.setAccessibleName("Blood culture")
        bind(self.doc, "labs.blood_culture", self.blood_culture)
        self.blasts = TriStateCombo()
        self.blasts.setAccessibleName("Blasts on the blood film")
        bind(self.doc, "labs.peripheral_smear_blasts", self.blasts)
        form.addRow(labels.field_label("labs.blood_culture"), self.blood_culture)
        form.addRow(labels.field_label("labs.peripheral_smear_blasts"), self.blasts)
        return box

    def _refresh_flags(self, path: str) -> None:
        # Default ranges depend on age and sex, so patient and encounter edits re-flag too.
        if path and not path.startswith(("labs", "patient", "encounter")):
            return
        for analyte in LAB_UNITS:
            reading = lab_reading(self.doc.case, analyte)
            lab = getattr(self.doc.case.labs, analyte)
            flag, used = reading_texts(reading, lab.unit if lab else None)
            self.flags[analyte].setText(flag)
            self.flags[analyte].setStyleSheet(FLAG_STYLE[reading.status] if flag else "")
            self.ranges[analyte].setText(used)


def range_in_unit(reading: LabReading, unit: Optional[str]) -> str:
    """The limits used, in the unit the user chose ("≥ 11.5 g/dL"); "" when that is the canonical
    unit's number anyway (nothing to convert)."""
    if not unit or units.factor(reading.analyte, unit) == 1 or (reading.low is None and reading.high is None):
        return ""
    low, high = (None if x is None else units.from_canonical(reading.analyte, x, unit)
                 for x in (reading.low, reading.high))
    u = labels.unit_label(unit)
    if low is not None and high is not None:
        return f"{units.fmt_number(low)}–{units.fmt_number(high)} {u}"
    return f"≥ {units.fmt_number(low)} {u}" if low is not None else f"≤ {units.fmt_number(high)} {u}"


def reading_texts(reading: LabReading, unit: Optional[str] = None) -> tuple[str, str]:
    """(flag, range used or why normality is unknown); no flag for an analyte not recorded.
    The range is given in `unit` (the one the value was entered in) first, then as the rule has it."""
    if reading.value is None:
        return "", ""
    converted = range_in_unit(reading, unit)
    if reading.range_text:
        used = f"Range used: {converted} ({reading.range_text})" if converted else f"Range used: {reading.range_text}"
    else:
        used = reading.reason
        alert = alert_limit_text(reading.analyte)
        if alert and reading.status == "unknown":
            used = f"{used}. {alert}"
    return labels.value_label("lab_status", reading.status), used


def alert_limit_text(analyte: str) -> str:
    """The fixed limit the follow-up alerts use for calcium and vitamin D when the lab report gives
    none (read from course/meaning.py, never retyped), so the row does not look unjudged."""
    if analyte == "calcium":
        low = float(CALCIUM_DEFAULT_LOW)
        mg_dl = units.from_canonical("calcium", low, "mg/dL")
        return (f"On a bisphosphonate, the follow-up alerts flag calcium below {units.fmt_number(low)} "
                f"mmol/L ({mg_dl:.1f} mg/dL) unless the lab report's lower limit is entered.")
    if analyte == "vitamin_d_25oh":
        low = float(VITAMIN_D_LOW)
        ng_ml = units.from_canonical("vitamin_d_25oh", low, "ng/mL")
        return (f"On a bisphosphonate, the follow-up alerts flag 25-OH vitamin D below {units.fmt_number(low)} "
                f"{labels.unit_label('nmol/L')} ({ng_ml:.1f} {labels.unit_label('ng/mL')}).")
    return ""
