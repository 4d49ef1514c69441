"""The editor of one follow-up visit (case-format.md `visits`; clinical-rules.md §13).

Every input is bound with the shared binding (`widgets.bind`) to a `VisitDocument`, so a visit's
fields behave as the first consultation's do: undoable, refused in place with words, finished before
Save/Export/a tab switch, wheel-guarded. The labs are the Labs tab's own rows (`LabRow`: units, a
value typed before its unit, the range rule), flagged at the patient's age on the value's date.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Optional

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from desktop_app.case import labels
from desktop_app.case.lesion_ids import next_lesion_id
from desktop_app.case.models import LAB_UNITS, MAX_LESIONS, TOO_MANY_LESIONS, Lesion, LesionFindings, Mimics, Visit
from desktop_app.case.reference_ranges import age_at, reading_of
from desktop_app.case.visits import first_seen_at_visit, mimics_as_of, ordered_visits
from desktop_app.course.timeline import case_as_of, latest_weight
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.lesion_editor import lesion_title
from desktop_app.ui.measures import measures_box
from desktop_app.ui.panels.labs import FLAG_STYLE, LabRow, reading_texts
from desktop_app.ui.panels.mimics import NOT_ASSESSED as MIMIC_NOT_ASSESSED
from desktop_app.ui.panels.symptoms import parse_temperature
from desktop_app.ui.plan_panel import NotesEdit
from desktop_app.ui.visit_document import VisitDocument
from desktop_app.ui.widgets import (HINT_STYLE, ChoiceCombo, FieldMessage, GuardedDateEdit, NumberEdit,
                                    Messages, OptionalDateEdit, TextLine, TriStateCombo, bind, field_bounds, hint_label,
                                    route_undo_keys, with_message, with_unit)

NOT_ASSESSED = "Not assessed"
CHOOSE_BONE = "Choose the bone…"
FINDINGS = tuple(LesionFindings.model_fields)


class VisitDateEdit(Messages, GuardedDateEdit):
    """A visit's date: required (a visit without a date is refused on load), typed or picked in the
    calendar; written when typing ends or a day is clicked."""

    valueEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.message = FieldMessage()
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setKeyboardTracking(False)  # one edit when typing ends, not one per digit
        self.dateChanged.connect(lambda _d: self.valueEdited.emit(self.value()))

    def value(self) -> dt.date:
        return self.date().toPython()

    def setValue(self, value: Optional[dt.date]) -> None:
        self.setDate(QDate(value) if value is not None else QDate.currentDate())

    def shown_text(self) -> str:
        return self.value().isoformat()

    def commit_edit(self) -> None:
        self.interpretText()  # a half-typed date is read now


class StatusCombo(ChoiceCombo):
    """A lesion's status at this visit; its refusals are said under the lesion table."""

    def __init__(self, message: FieldMessage, offer_new: bool = True, parent: QWidget | None = None):
        # "New" only for a lesion added at this visit (issue 23): for a lesion of the first
        # consultation it would rewrite that consultation's count and diagnosis inputs.
        choices = [(v, t) for v, t in labels.choices("lesion_status") if offer_new or v != "new"]
        super().__init__(choices, NOT_ASSESSED, parent)
        self.offer_new = offer_new
        self.message_box = message
        self._error = ""

    def set_error(self, text: str) -> None:
        self._error = text
        self.message_box.show_message(text)

    def error(self) -> str:
        return self._error


class VisitEditor(QWidget):
    """The selected visit's inputs, top to bottom in the order of a follow-up appointment."""

    def __init__(self, vdoc: VisitDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.vdoc = vdoc
        self.doc: CaseDocument = vdoc.main
        self.fields: dict[str, QWidget] = {}  # path inside the visit -> input (tests, focus)
        self.lab_rows: dict[str, LabRow] = {}
        self.flags: dict[str, QLabel] = {}
        self.ranges: dict[str, QLabel] = {}
        self.status_combos: dict[str, StatusCombo] = {}
        self.first_seen: dict[str, QLabel] = {}  # lesion id -> "first seen: …"
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.findings_combos: dict[str, TriStateCombo] = {}
        for box in (self._visit_box(), measures_box(vdoc, "this visit", self.fields), self._labs_box(),
                    self._mimics_box(), self._mri_box(), self._notes_box()):
            column.addWidget(box)
        column.addStretch(1)
        for path, widget in self.fields.items():  # "jump to field" must not land here for a case path
            widget.setProperty("case_path", f"visits.selected.{path}")
        vdoc.changed.connect(self._visit_changed)
        self.doc.changed.connect(self._case_changed)
        self._visit_changed("")

    # --- sections ----------------------------------------------------------------------------------
    def _visit_box(self) -> QGroupBox:
        box = QGroupBox("Visit")
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        date = VisitDateEdit()
        self._bind("date", date, "Visit date")
        date.setMaximumWidth(160)
        form.addRow(labels.field_label("visits[0].date"), with_message(date, date))
        clinician = TextLine("who saw the patient")
        self._bind("clinician", clinician, "Clinician at this visit")
        form.addRow(labels.field_label("visits[0].clinician"), clinician)

        low, high = field_bounds(Visit, "weight_kg")
        self.weight = NumberEdit(f"{low:g}–{high:g} kg")
        self._bind("weight_kg", self.weight, "Weight at this visit in kg")
        self.weight.setMaximumWidth(140)
        self.copy_weight = QPushButton()
        self.copy_weight.setAccessibleName("Use the last recorded weight for this visit")
        self.copy_weight.clicked.connect(self._use_last_weight)
        self.last_weight = hint_label(wrap=False)
        weight_row = QWidget()
        row = QHBoxLayout(weight_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.weight)
        row.addWidget(QLabel("kg"))
        row.addWidget(self.copy_weight)
        row.addWidget(self.last_weight, 1)
        weight_row.setFocusProxy(self.weight)
        form.addRow(labels.field_label("visits[0].weight_kg"), with_message(weight_row, self.weight))

        low, high = field_bounds(Visit, "height_cm")
        height = NumberEdit(f"{low:g}–{high:g} cm")
        self._bind("height_cm", height, "Height at this visit in cm")
        height.setMaximumWidth(140)
        form.addRow(labels.field_label("visits[0].height_cm"), with_unit(height, "cm"))
        low, high = field_bounds(Visit, "max_temperature_c")
        temp = NumberEdit(f"{low:g}–{high:g} °C", parse=parse_temperature)
        self._bind("max_temperature_c", temp, "Highest temperature since the last visit in °C")
        temp.setMaximumWidth(140)
        form.addRow("Highest temperature", with_unit(temp, "°C", "since the last visit; or type °F, e.g. 101.3 F"))
        temp_date = OptionalDateEdit()
        self._bind("max_temperature_date", temp_date, "Date of the highest temperature")
        form.addRow("Temperature measured on", with_message(temp_date, temp_date))
        return box

    def _mimics_box(self) -> QGroupBox:
        """§13.1 v4 dated exclusions: what was re-assessed at this visit (e.g. a bone marrow after a new
        cytopenia). Empty = not re-assessed here; the status before it still holds and is shown."""
        box = QGroupBox("Re-assessed at this visit (mimics)")
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(hint_label("Record an exclusion here, at the visit where it was made: a finding first "
                               "recorded at a visit is addressed only by an exclusion recorded at that visit "
                               "or a later one. Not assessed = not re-assessed at this visit."))
        self.mimic_before: dict[str, QLabel] = {}
        for name in Mimics.model_fields:
            combo = TriStateCombo(yes="Confirmed", no="Excluded", none_label=MIMIC_NOT_ASSESSED)
            text = labels.field_label(f"mimics.{name}")
            self._bind(f"mimics.{name}", combo, f"{text} at this visit")
            combo.setMaximumWidth(200)
            before = hint_label(wrap=False)
            self.mimic_before[name] = before
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(combo, 1)
            line.addWidget(before, 1)
            row.setFocusProxy(combo)
            form.addRow(text, row)
        return box

    def _labs_box(self) -> QGroupBox:
        box = QGroupBox("Labs at this visit")
        grid = QGridLayout(box)
        heads = ("Analyte", "Value", "Unit", "Flag", "Ref low", "Ref high", "Date")
        for col, head in enumerate(heads):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        grid.addWidget(hint_label("As in the Labs tab: the lab report's range when entered, else the default "
                                  "for age (on the value's date) and sex, named. A value's date defaults to "
                                  "the visit's."), 1, 0, 1, len(heads))
        for i, analyte in enumerate(LAB_UNITS):
            r = 2 + 3 * i
            row = LabRow(analyte, self)
            bind(self.vdoc, f"labs.{analyte}", row)
            for w in row.widgets():
                w.setProperty("case_path", f"visits.selected.labs.{analyte}")
            self.lab_rows[analyte] = row
            name = labels.field_label(f"labs.{analyte}")
            for w, text in ((row.value_edit, "value"), (row.unit, "unit"), (row.date, "date")):
                w.setAccessibleName(f"{name} {text} at this visit")
            analyte_name = QLabel(name)
            analyte_name.setWordWrap(True)  # as in the Labs tab: the Date column stays in view at 1024×700
            grid.addWidget(analyte_name, r, 0)
            value, unit, low, high, date = row.widgets()
            flag = QLabel()
            flag.setAccessibleName(f"{name} flag at this visit")
            self.flags[analyte] = flag
            for col, w in enumerate((value, unit, flag, low, high, date), start=1):
                grid.addWidget(w, r, col)
            used = hint_label()
            used.setStyleSheet(HINT_STYLE + " font-size: small;")
            self.ranges[analyte] = used
            grid.addWidget(used, r + 1, 1, 1, len(heads) - 1)
            grid.addWidget(row.message, r + 2, 1, 1, len(heads) - 1)
        grid.setColumnStretch(3, 1)
        r = 2 + 3 * len(LAB_UNITS)
        culture = ChoiceCombo(labels.choices("culture"))
        self._bind("labs.blood_culture", culture, "Blood culture at this visit")
        blasts = TriStateCombo()
        self._bind("labs.peripheral_smear_blasts", blasts, "Blasts on the blood film at this visit")
        grid.addWidget(QLabel(labels.field_label("labs.blood_culture")), r, 0, 1, 2)
        grid.addWidget(culture, r, 2, 1, 2)
        grid.addWidget(QLabel(labels.field_label("labs.peripheral_smear_blasts")), r + 1, 0, 1, 2)
        grid.addWidget(blasts, r + 1, 2, 1, 2)
        return box

    def _mri_box(self) -> QGroupBox:
        box = QGroupBox("MRI at this visit")
        column = QVBoxLayout(box)
        form = QFormLayout()
        mri = OptionalDateEdit()
        self._bind("mri_date", mri, "MRI date at this visit")
        form.addRow(labels.field_label("visits[0].mri_date"), with_message(mri, mri))
        whole = TriStateCombo()
        self._bind("whole_body_mri", whole, "Whole-body MRI at this visit")
        form.addRow(labels.field_label("visits[0].whole_body_mri"), whole)
        column.addLayout(form)
        column.addWidget(hint_label("Each lesion as this MRI shows it (resolved: no bone oedema left). "
                                    "A lesion first seen at this visit: add it below, it is marked new here."))
        self.status_box = QWidget()
        self.status_grid = QGridLayout(self.status_box)
        self.status_grid.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status_box)
        self.status_message = FieldMessage()
        self.status_message.setAccessibleName("Lesion status: message")
        column.addWidget(self.status_message)

        column.addWidget(self._findings_box())
        # No default bone (issue 23): one click on the button must not add a skull lesion.
        self.new_bone = ChoiceCombo(labels.choices("bone"), CHOOSE_BONE)
        self.new_bone.setAccessibleName("Bone of the new lesion")
        self.new_bone.currentIndexChanged.connect(lambda _i: self._offer_add())
        self.new_side = ChoiceCombo(labels.choices("side"))
        self.new_side.setAccessibleName("Side of the new lesion (patient's)")
        self.add_lesion = QPushButton("Add a new lesion")
        self.add_lesion.setAccessibleName("Add a new lesion, first seen at this visit")
        self.add_lesion.clicked.connect(self._add_new_lesion)
        self.add_lesion.setEnabled(False)
        for w in (self.new_bone, self.new_side):
            route_undo_keys(self.doc, w)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("New lesion:"))
        add_row.addWidget(self.new_bone)
        add_row.addWidget(self.new_side)
        add_row.addWidget(self.add_lesion)
        add_row.addStretch(1)
        column.addLayout(add_row)
        column.addWidget(hint_label("Its imaging features are recorded in the Imaging tab, where it also "
                                    "appears on the skeleton map."))
        return box

    def _findings_box(self) -> QWidget:
        """v5 `lesion_findings`: a known lesion that collapses or turns aggressive at this MRI (§13.7)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 6, 0, 0)
        column.addWidget(QLabel("<b>A known lesion that changed on this MRI</b>"))
        pick = QHBoxLayout()
        self.findings_lesion = ChoiceCombo([], "Choose the lesion…")
        self.findings_lesion.setAccessibleName("Lesion whose findings at this visit are shown")
        self.findings_lesion.currentIndexChanged.connect(lambda _i: self._rebuild_findings())
        pick.addWidget(QLabel("Lesion:"))
        pick.addWidget(self.findings_lesion, 1)
        pick.addStretch(1)
        column.addLayout(pick)
        self.findings_form = QWidget()
        form = QFormLayout(self.findings_form)
        form.setContentsMargins(12, 0, 0, 0)
        self.findings_message = FieldMessage(box)
        for name in FINDINGS:  # built once; they show the chosen lesion's findings (see _findings_writer)
            combo = TriStateCombo(yes="Yes", no="No", none_label=NOT_ASSESSED)
            text = labels.field_label(f"lesion.{name}")
            combo.setAccessibleName(f"{text} of the chosen lesion at this visit")
            combo.setMaximumWidth(160)
            combo.set_error = self.findings_message.show_message  # a refusal is said under the findings
            bind(self.vdoc, "lesion_findings", combo, to_case=self._findings_writer(name),
                 from_case=lambda found, n=name: getattr((found or {}).get(self.findings_lesion.value()), n, None))
            self.findings_combos[name] = combo
            form.addRow(text, combo)
        column.addWidget(self.findings_form)
        self.findings_summary = hint_label()
        self.findings_summary.setAccessibleName("Lesion findings recorded at this visit")
        column.addWidget(self.findings_summary)
        column.addWidget(self.findings_message)
        return box

    def _notes_box(self) -> QGroupBox:
        box = QGroupBox("Adverse events, notes and next review")
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name, what in (("adverse_events", "side effects since the last visit"),
                           ("notes", "interval history and examination")):
            edit = NotesEdit()
            edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
            edit.setPlaceholderText(what)
            edit.setFixedHeight(70)
            self._bind(name, edit, f"{labels.field_label(f'visits[0].{name}')} at this visit")
            form.addRow(labels.field_label(f"visits[0].{name}"), edit)
        review = OptionalDateEdit()
        self._bind("next_review_date", review, "Next review date after this visit")
        form.addRow(labels.field_label("visits[0].next_review_date"), with_message(review, review))
        return box

    # --- helpers -----------------------------------------------------------------------------------
    def _bind(self, path: str, widget: QWidget, name: str) -> None:
        widget.setAccessibleName(name)
        bind(self.vdoc, path, widget)
        self.fields[path] = widget

    def first_input(self) -> QWidget:
        """Where the focus goes on a new visit: the first measure."""
        return self.fields["measures.pain"]

    def tab_chain(self) -> list[QWidget]:
        """The editor's inputs in reading order (the panel chains them after its own buttons)."""
        chain: list[QWidget] = []
        f = self.fields
        chain += [f["date"], f["clinician"], self.weight, self.copy_weight, f["height_cm"], f["max_temperature_c"],
                  f["max_temperature_date"].check, f["max_temperature_date"].edit]
        chain += [f[f"measures.{m}"] for m in ("pain", "patient_global", "physician_global", "chaq",
                                               "clinically_active_lesions")]
        for row in self.lab_rows.values():
            value, unit, low, high, date = row.widgets()
            chain += [value, unit, low, high, date.check, date.edit]
        chain += [f["labs.blood_culture"], f["labs.peripheral_smear_blasts"]]
        chain += [f[f"mimics.{name}"] for name in Mimics.model_fields]
        chain += [f["mri_date"].check, f["mri_date"].edit, f["whole_body_mri"]]
        chain += list(self.status_combos.values())
        chain += [self.findings_lesion, *self.findings_combos.values()]
        chain += [self.new_bone, self.new_side, self.add_lesion, f["adverse_events"], f["notes"],
                  f["next_review_date"].check, f["next_review_date"].edit]
        return chain

    # --- refreshing ----------------------------------------------------------------------------------
    def _visit_changed(self, path: str) -> None:
        if not path or (path == "lesion_status" and self._new_here_changed()):
            # another visit, or a lesion added or removed here: otherwise a status edit only refreshes
            # its combo (keeps the focus there)
            self._rebuild_statuses()
            self._fill_findings_lesions()
        if not path or path in ("lesion_findings", "lesion_status"):
            self._show_findings_summary()
        if not path or path in ("mimics", "date"):
            self._show_mimics_before()
        if not path or path == "weight_kg":
            self._show_last_weight()
        if not path or path.startswith("labs") or path == "date":
            self._refresh_flags()

    def _case_changed(self, path: str) -> None:
        if not path or path.startswith("imaging"):
            self._rebuild_statuses()
            self._fill_findings_lesions()
        if not path or path.startswith(("mimics", "visits")):
            self._show_mimics_before()
        if path.startswith("visits"):
            self._show_first_seen()
        if not path or path.startswith(("patient", "encounter", "visits")):
            self._refresh_flags()
            self._show_last_weight()

    def _show_last_weight(self) -> None:
        visit = self.vdoc.visit()
        size = latest_weight(case_as_of(self.doc.case, visit.id)) if visit is not None else None
        offer = size is not None and size.weight_kg is not None and visit.weight_kg is None
        self.copy_weight.setVisible(offer)
        self.last_weight.setVisible(offer)
        if offer:
            when = size.weight_date.isoformat() if size.weight_date else "an earlier date"
            self.copy_weight.setText(f"Use {size.weight_kg:g} kg")
            self.last_weight.setText(f"last recorded on {when}; weigh the child if you can")
            self.weight.setPlaceholderText(f"last {size.weight_kg:g} kg ({when})")
        else:
            low, high = field_bounds(Visit, "weight_kg")
            self.weight.setPlaceholderText(f"{low:g}–{high:g} kg")

    def _use_last_weight(self) -> None:
        visit = self.vdoc.visit()
        if visit is None:
            return
        size = latest_weight(case_as_of(self.doc.case, visit.id))
        if size.weight_kg is not None:
            self.vdoc.set("weight_kg", size.weight_kg, f"weight at visit {visit.date.isoformat()} "
                                                       "(the last recorded)")
            self.weight.setFocus()

    def _refresh_flags(self) -> None:
        visit = self.vdoc.visit()
        case = self.doc.case
        for analyte in LAB_UNITS:
            lab = getattr(visit.labs, analyte) if visit is not None else None
            when = (lab.date or visit.date) if lab is not None else None
            reading = reading_of(analyte, lab, age_at(case, when), case.patient.sex)
            flag, used = reading_texts(reading, lab.unit if lab else None)
            self.flags[analyte].setText(flag)
            self.flags[analyte].setStyleSheet(FLAG_STYLE[reading.status] if flag else "")
            self.ranges[analyte].setText(used)
            self.ranges[analyte].setVisible(bool(used))  # an empty line would space the rows apart

    def _rebuild_statuses(self) -> None:
        """One row per lesion of the case: its name, where it was first seen, its status here."""
        grid = self.status_grid
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # now, not when the event loop gets to the deletion
                item.widget().deleteLater()
        self.status_combos = {}
        lesions = self.doc.case.imaging.lesions
        visit = self.vdoc.visit()
        if not lesions:
            grid.addWidget(hint_label("No lesion recorded yet."), 0, 0)
            return
        grid.addWidget(QLabel("<b>Lesion</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Status at this visit</b>"), 0, 1)
        self.first_seen = {}
        seen_at = first_seen_at_visit(self.doc.case)
        for r, lesion in enumerate(lesions, start=1):
            name = lesion_title(lesion)
            grid.addWidget(QLabel(name), r, 0)
            self.first_seen[lesion.id] = hint_label(wrap=False)
            grid.addWidget(self.first_seen[lesion.id], r, 2)
            added_here = visit is not None and seen_at.get(lesion.id) is not None \
                and seen_at[lesion.id].id == visit.id
            combo = StatusCombo(self.status_message, offer_new=added_here)
            combo.setAccessibleName(f"Status of lesion {name} at this visit")
            combo.setEnabled(visit is not None and bool(lesion.id))
            if lesion.id:
                bind(self.vdoc, "lesion_status", combo, to_case=self._status_writer(lesion.id),
                     from_case=lambda statuses, lid=lesion.id: (statuses or {}).get(lid))
                combo.setProperty("case_path", f"visits.selected.lesion_status.{lesion.id}")
                self.status_combos[lesion.id] = combo
            grid.addWidget(combo, r, 1)
        grid.setColumnStretch(3, 1)
        for i in range(grid.count()):  # now, not when the event loop gets to it: Tab must reach them at once
            widget = grid.itemAt(i).widget()
            if widget is not None and self.status_box.isVisible():
                widget.show()
        self._show_first_seen()
        self._chain_statuses()

    def _show_first_seen(self) -> None:
        """Beside each lesion, where it was first seen (a status before that visit is refused)."""
        seen_at = first_seen_at_visit(self.doc.case)
        for lesion_id, label in self.first_seen.items():
            seen = seen_at.get(lesion_id)
            where = "first consultation" if seen is None else f"visit of {seen.date.isoformat()}"
            label.setText(f"first seen: {where}")

    def _status_writer(self, lesion_id: str) -> Callable[[Any], dict[str, str]]:
        def to_case(status: Optional[str]) -> dict[str, str]:
            statuses = dict(self.vdoc.get("lesion_status"))
            if status is None:
                statuses.pop(lesion_id, None)
            else:
                statuses[lesion_id] = status
            return statuses
        return to_case

    def _chain_statuses(self) -> None:
        """The MRI section's Tab order, rebuilt whole whenever its status or findings rows are."""
        chain = [self.fields["whole_body_mri"], *self.status_combos.values(), self.findings_lesion]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    def _add_new_lesion(self) -> None:
        """A lesion first seen at this visit: added to the case's lesions (and so to the skeleton map)
        and marked `new` here, in one undoable step."""
        visit = self.vdoc.visit()
        if visit is None:
            return
        lesions = list(self.doc.case.imaging.lesions)
        if len(lesions) >= MAX_LESIONS:
            self.status_message.show_message(f"New lesion not added: {TOO_MANY_LESIONS}.")
            return
        side, bone = self.new_side.value(), self.new_bone.value()
        if bone is None:
            self.status_message.show_message("New lesion not added: choose its bone first.")
            return
        lesion = Lesion(id=next_lesion_id(lesions), bone=bone, side=side)
        stack = self.doc.undo_stack
        stack.beginMacro(f"Add a new lesion at visit {visit.date.isoformat()}")
        try:
            self.doc.set("imaging.lesions", lesions + [lesion])
            self.vdoc.set("lesion_status", {**visit.lesion_status, lesion.id: "new"})
        except ValueError as exc:  # pydantic's ValidationError too (the lesion cap)
            self.status_message.show_message(f"New lesion not added: {exc}")
        finally:
            stack.endMacro()
        self.new_bone.setValue(None)  # the next new lesion needs its own bone
        self.new_side.setValue(None)
        combo = self.status_combos.get(lesion.id)
        if combo is not None:
            combo.setFocus()

    def _new_here_changed(self) -> bool:
        """Whether the lesions first seen at this visit differ from those whose combo offers "New"."""
        visit = self.vdoc.visit()
        new_here = {k for k, status in (visit.lesion_status.items() if visit else ()) if status == "new"}
        return new_here != {k for k, combo in self.status_combos.items() if combo.offer_new}

    def _offer_add(self) -> None:
        self.add_lesion.setEnabled(self.vdoc.visit() is not None and self.new_bone.value() is not None)

    # --- mimics re-assessed at this visit ----------------------------------------------------------
    def _show_mimics_before(self) -> None:
        """Beside each mimic, its status before this visit (§13.1: the latest recorded on or before a
        date), so the clinician sees what this visit's entry changes."""
        visit = self.vdoc.visit()
        if visit is None:
            return
        case = self.doc.case
        earlier = case.model_copy(update={"visits": [v for v in ordered_visits(case) if v.date < visit.date]})
        before = mimics_as_of(earlier, visit.date)
        for name, label in self.mimic_before.items():
            value = getattr(before, name)
            words = {True: "confirmed", False: "excluded", None: "not assessed"}[value]
            label.setText(f"before this visit: {words}")

    # --- findings of a known lesion ------------------------------------------------------------------
    def _seen_by_this_visit(self) -> list[Lesion]:
        """The lesions known at this visit: the first consultation's and those first seen by it."""
        visit = self.vdoc.visit()
        if visit is None:
            return []
        seen_at = first_seen_at_visit(self.doc.case)
        order = [v.id for v in ordered_visits(self.doc.case)]
        here = order.index(visit.id) if visit.id in order else -1
        return [les for les in self.doc.case.imaging.lesions if les.id and (
            les.id not in seen_at or seen_at[les.id].id in order[:here + 1])]

    def _fill_findings_lesions(self) -> None:
        keep = self.findings_lesion.value()
        visit = self.vdoc.visit()
        lesions = self._seen_by_this_visit()
        recorded = set(visit.lesion_findings) if visit is not None else set()
        if keep is None or keep not in {les.id for les in lesions}:  # the first with findings, if any
            keep = next((les.id for les in lesions if les.id in recorded), None)
        self.findings_lesion.blockSignals(True)
        while self.findings_lesion.count() > 1:
            self.findings_lesion.removeItem(1)
        for lesion in lesions:
            self.findings_lesion.addItem(lesion_title(lesion), lesion.id)
        self.findings_lesion.setValue(keep)
        self.findings_lesion.blockSignals(False)
        self.findings_lesion.setEnabled(bool(lesions))
        self._rebuild_findings()

    def _rebuild_findings(self) -> None:
        """Show the chosen lesion's findings at this visit (none chosen: the inputs are hidden)."""
        lesion_id = self.findings_lesion.value()
        visit = self.vdoc.visit()
        self.findings_form.setVisible(lesion_id is not None and visit is not None)
        found = visit.lesion_findings.get(lesion_id) if visit is not None and lesion_id else None
        for name, combo in self.findings_combos.items():
            combo.blockSignals(True)
            combo.setValue(getattr(found, name) if found is not None else None)
            combo.blockSignals(False)
        self._show_findings_summary()

    def _findings_writer(self, name: str) -> Callable[[Any], dict[str, LesionFindings]]:
        def to_case(value: Optional[bool]) -> dict[str, LesionFindings]:
            found = dict(self.vdoc.get("lesion_findings") or {})
            lesion_id = self.findings_lesion.value()
            if lesion_id is None:
                return found
            updated = (found.get(lesion_id) or LesionFindings()).model_copy(update={name: value})
            if updated == LesionFindings():
                found.pop(lesion_id, None)  # nothing left recorded for it
            else:
                found[lesion_id] = updated
            return found
        return to_case

    def _show_findings_summary(self) -> None:
        visit = self.vdoc.visit()
        titles = {les.id: lesion_title(les) for les in self.doc.case.imaging.lesions}
        lines = []
        for lesion_id, found in (visit.lesion_findings.items() if visit is not None else ()):
            yes = [labels.field_label(f"lesion.{n}").split(" (")[0].lower() for n in FINDINGS if getattr(found, n)]
            no = [labels.field_label(f"lesion.{n}").split(" (")[0].lower() for n in FINDINGS
                  if getattr(found, n) is False]
            words = "; ".join(filter(None, [", ".join(yes), f"no {', '.join(no)}" if no else ""]))
            lines.append(f"{titles.get(lesion_id, lesion_id)}: {words}")
        self.findings_summary.setText("Recorded at this visit — " + " · ".join(lines) if lines else
                                      "No change of a known lesion recorded at this visit.")
