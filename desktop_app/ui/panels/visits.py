"""The "Visits" tab (issue 18, clinical-rules.md §13): the course chart, the list of the first
consultation and every visit, *Add visit* / *Delete visit*, and the selected visit's editor.

The list is `course(case)` (the pure follow-up core) in words: its points in the order of §13.1, each
with its activity, pain, physician global, CRP and MRI-active lesions. The tab is built the first time
it is shown (lazy_tabs.py), so a case without visits starts exactly as before.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop_app.case import labels
from desktop_app.case.models import Visit
from desktop_app.case.visits import delete_visit, next_visit_id, ordered_visits, visit_by_id, visit_name
from desktop_app.course.chart_input import FIRST_CONSULTATION, chart_input
from desktop_app.course.types import Course, Point
from desktop_app.course.words import activity_words, value_words
from desktop_app.ui.course_chart import CourseChartWidget
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.visit_document import VisitDocument
from desktop_app.ui.visit_editor import VisitEditor
from desktop_app.ui.widgets import ERROR_COLOUR, EditTracker, FieldMessage, hint_label, refusal_lines, scroll_page

# Two-line headers keep the list narrow enough to sit beside the chart at 1280 px.
COLUMNS = ("Date", "Activity", "Pain", "Phys.\nglobal", "CRP\n(mg/L)", "MRI\nactive")
# The headers in full, for the tooltip and screen readers.
COLUMN_NAMES = ("Date and point of the course", "Activity", "Pain (0–10)", "Physician's global assessment (0–10)",
                "CRP (mg/L)", "MRI-active lesions")
NO_DATE = "date not recorded"
ACTIVITY_WIDTH = 110
CHART_MIN_WIDTH = 300  # below this the chart's legend wraps too much to read
CHART_MIN_HEIGHT = 250  # the chart's panels shrink to fit; at 1024×700 the editor keeps ~300 px
EDITOR_SHARE = 0.5  # of the tab's height, at least, for the selected visit's editor
DATE_CHECK = "check the date"  # under a listed date that has an entry check (its words in the tooltip)
NO_MRI = "no MRI"
NOT_RECORDED_CELL = "—"  # MRI-active lesions are counted only where an MRI was done (§13.3)


def point_name(point: Point) -> str:
    return FIRST_CONSULTATION if point.visit is None else f"Visit {point.visit}"


def point_cells(point: Point) -> tuple[str, ...]:
    """The list's words for one point of the course: its date and name (the visit id as typed), the
    activity's words (the reason in full in the tooltip), pain, physician global, CRP and MRI-active
    lesions."""
    return (
        f"{point.date.isoformat() if point.date else NO_DATE}\n{point_name(point)}",
        labels.value_label("activity", point.activity),
        cell_words(point.measures.get("pain")),
        cell_words(point.measures.get("physician_global")),
        cell_words(point.crp_mg_l),
        NO_MRI if point.mri_active_lesions is None else value_words(point.mri_active_lesions),
    )


def cell_words(x: Optional[float]) -> str:
    """A number, or a dash for "not recorded" (said in the cell's tooltip): two words wrapped in a
    narrow column made every row three lines tall and squeezed the chart (issue 23)."""
    return NOT_RECORDED_CELL if x is None else value_words(x)


class VisitsPanel(QWidget):
    title = "Visits"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.vdoc = VisitDocument(doc, self)
        self._points: list[Point] = []
        self._course: Optional[Course] = None

        self.chart = CourseChartWidget()
        self.chart_note = hint_label()
        chart_side = QWidget()
        chart_column = QVBoxLayout(chart_side)
        chart_column.setContentsMargins(0, 0, 0, 0)
        # In a scroll area: short of room (1024×700) the chart keeps its least height and scrolls, rather
        # than cut its last treatment row off (issue 23).
        self.chart.setMinimumSize(0, 0)  # its own 420×360 px would widen the window past 1024 px
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_scroll.setMinimumSize(CHART_MIN_WIDTH, CHART_MIN_HEIGHT)
        self.chart_scroll.setWidget(self.chart)
        chart_column.addWidget(self.chart_scroll, 1)
        chart_column.addWidget(self.chart_note)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setMinimumWidth(200)
        self._list_width = 420
        for c, (head, full) in enumerate(zip(COLUMNS, COLUMN_NAMES)):
            item = QTableWidgetItem(head)
            item.setToolTip(full)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, full)
            self.table.setHorizontalHeaderItem(c, item)
        self.table.setAccessibleName("Visits list: the first consultation and every visit")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move between rows
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        # Sized once per refill (resizeColumnsToContents), not per cell: ResizeToContents re-measured
        # the whole column at every setItem (170 ms for 40 visits).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The activity's words wrap in a fixed width ("No sign of active disease recorded").
        header.setSectionResizeMode(COLUMNS.index("Activity"), QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COLUMNS.index("Activity"), ACTIVITY_WIDTH)
        header.setStretchLastSection(True)
        self.table.setProperty("case_path", "visits")
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton("&Add visit")
        self.add_button.setAccessibleName("Add visit (dated today)")
        self.add_button.clicked.connect(self.add_visit)
        self.delete_button = QPushButton("Delete visit…")
        self.delete_button.setAccessibleName("Delete the selected visit")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        list_side = QWidget()
        list_column = QVBoxLayout(list_side)
        list_column.setContentsMargins(0, 0, 0, 0)
        list_column.addWidget(self.table, 1)
        list_column.addLayout(buttons)

        self.editor = VisitEditor(self.vdoc)
        self.editor.setMaximumWidth(980)  # at 1920 px a lab's range and date stay near its value
        self.editor_title = QLabel()
        self.editor_title.setStyleSheet("font-weight: bold;")
        self.editor_title.setWordWrap(True)
        self.editor_title.setAccessibleName("Selected point of the course")
        self.no_visit = hint_label()
        editor_page = QWidget()
        editor_column = QVBoxLayout(editor_page)
        editor_column.setContentsMargins(0, 0, 0, 0)
        editor_column.addWidget(self.editor_title)
        self.switch_message = FieldMessage(editor_page)
        self.switch_message.setAccessibleName("Visits list: message")
        editor_column.addWidget(self.switch_message)
        editor_column.addWidget(self.no_visit)
        editor_column.addWidget(self.editor)
        self.editor_area = scroll_page(editor_page)
        self.editor_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        top = self.top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(list_side)
        top.addWidget(chart_side)
        top.setStretchFactor(0, 0)  # the list keeps the width of its columns; the chart takes the rest
        top.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.editor_area)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.splitter)

        chain = [self.table, self.add_button, self.delete_button, *self.editor.tab_chain()]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        # A change while the tab is hidden is caught up when it is shown: None (nothing pending), "edit",
        # or "" (another case: show its latest visit).
        self._stale: Optional[str] = None
        doc.changed.connect(self._case_changed)
        self._known_ids: set[str] = set()
        self._told: set[tuple[int, str]] = set()  # refusals that already stopped a switch to another row  # the visits of the case as last listed (undo selects a restored one)
        self._refresh("")

    # --- the list ------------------------------------------------------------------------------------
    def selected_visit_id(self) -> Optional[str]:
        return self.vdoc.visit_id

    def _case_changed(self, path: str) -> None:
        if path.startswith("plan_edits") or path in ("impression", "plan_notes"):
            return
        if not self.isVisible():
            # Hidden (another tab is in front): recompute when shown again, as the Plan tab does, so an
            # edit elsewhere does not pay for the course, the list and the chart (issue 18 speed budget).
            self._stale = "" if not path or self._stale == "" else "edit"
            return
        self._refresh(path)

    def _refresh_if_stale(self) -> None:
        if self._stale is not None:
            self._refresh(self._stale)

    def _refresh(self, path: str) -> None:
        self._stale = None
        self._course = self.doc.results.course(self.doc.case)  # shared with the pane's follow-up summary
        # By date, the first consultation in its place (a visit dated before it is listed above it,
        # with its check); stable, so the first consultation leads a shared date.
        self._points = sorted(self._course.points, key=lambda p: p.date or dt.date.min)
        keep = self.vdoc.visit_id
        ids = {v.id for v in self.doc.case.visits}
        if not path:  # another case (open, new, recovery): its latest visit, if any
            keep = ordered_visits(self.doc.case)[-1].id if self.doc.case.visits else None
        elif len(ids - self._known_ids) == 1:  # one visit back (undo of a delete, redo of an add): show it
            keep = next(iter(ids - self._known_ids))
        self._known_ids = ids
        self._fill_table(keep)  # shows the editor and the chart for the selected point

    def _fill_table(self, visit_id: Optional[str]) -> None:
        self.table.blockSignals(True)
        changed = self.table.rowCount() != len(self._points)
        self.table.setRowCount(len(self._points))
        index = {v.id: i for i, v in enumerate(self.doc.case.visits)}
        for r, point in enumerate(self._points):
            checks = self.doc.checks(f"visits[{index[point.visit]}].date") if point.visit in index else []
            for c, text in enumerate(point_cells(point)):
                if c == 0 and checks:
                    text += "\n" + DATE_CHECK
                tip = (" ".join(check.message for check in checks) if c == 0 and checks
                       else activity_words(point) if COLUMNS[c] == "Activity"
                       else value_words(None) if text == NOT_RECORDED_CELL else text.replace("\n", " "))
                old = self.table.item(r, c)
                if old is not None and old.text() == text and old.toolTip() == tip:
                    continue  # most edits change a cell or two: the rest keep their items and sizes
                cell = QTableWidgetItem(text)
                cell.setToolTip(tip)
                if c == 0 and checks:
                    cell.setForeground(QColor(ERROR_COLOUR))
                self.table.setItem(r, c, cell)
                changed = True
        if changed:
            activity = COLUMNS.index("Activity")
            for c in range(len(COLUMNS)):
                if c != activity:
                    self.table.resizeColumnToContents(c)
            self.table.resizeRowsToContents()
            self._fit_list_width()
        self.table.clearSelection()
        row = next((r for r, p in enumerate(self._points) if p.visit is not None and p.visit == visit_id), 0)
        self.table.selectRow(row)
        self.table.blockSignals(False)
        self._show_editor_for(row)

    def _fit_list_width(self) -> None:
        """The list as wide as its columns (the chart takes the rest), at most half the tab."""
        header = self.table.horizontalHeader()
        width = sum(ACTIVITY_WIDTH if c == COLUMNS.index("Activity")
                    else max(header.sectionSizeHint(c), self.table.sizeHintForColumn(c))
                    for c in range(len(COLUMNS)))
        width += 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width() + 4
        self._list_width = min(width, 560)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self._refresh_if_stale()
        if not getattr(self, "_sized", False) and self.top.width() > 0:
            # Once, at the first real width: the list as wide as its columns when that leaves the
            # chart its room; the user's splitter positions stay after that. No minimum widths
            # here, so the window still fits 1024 px (the list then scrolls sideways).
            self._sized = True
            total = sum(self.top.sizes()) or self.top.width()
            list_width = min(self._list_width, max(total - CHART_MIN_WIDTH, total // 2))
            self.top.setSizes([list_width, total - list_width])
            height = sum(self.splitter.sizes()) or self.splitter.height()
            # The chart as tall as it needs, but the editor keeps at least EDITOR_SHARE of the tab: at
            # 1024×700 it was a ~190 px strip (issue 23); the chart's panels shrink to fit instead.
            room = int(height * (1 - EDITOR_SHARE))
            top = max(CHART_MIN_HEIGHT, min(max(self._chart_needs(total - list_width), int(height * 0.4)), room))
            self.splitter.setSizes([top, height - top])

    def _chart_needs(self, width: int) -> int:
        """The least height at which the chart's panels and legends fit `width` (narrow = taller)."""
        from desktop_app.course.chart import chart_geometry
        from desktop_app.ui.course_chart import MARGIN_PX, TEXT_PX

        data = self.chart.chart_input()
        if data is None:
            return CHART_MIN_HEIGHT
        return int(chart_geometry(data, width, CHART_MIN_HEIGHT, TEXT_PX, MARGIN_PX).height) + 6

    def select_visit(self, visit_id: Optional[str]) -> None:
        """Select the visit's row (None: the first consultation's) and show it in the editor."""
        self._refresh_if_stale()  # a jump from another tab: select in the case as it is now
        row = next((r for r, p in enumerate(self._points) if p.visit == visit_id), 0)
        self._select_row_quietly(visit_id)
        self._show_editor_for(row)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        target = self._points[rows[0].row()].visit if rows[0].row() < len(self._points) else None
        if self.vdoc.visit() is not None and target != self.vdoc.visit_id:
            # The tabs' rule (EditTracker): an entry refused or waiting for its unit blocks the switch,
            # and says why, rather than being dropped with the visit it was typed in.
            # A click on the list takes the focus first, so the editor may have refused the entry as it
            # lost it: a refusal still shown that has not yet stopped a switch stops this one. A second
            # click goes ahead with what the message says is kept (no trap).
            tracker = EditTracker.of(self.vdoc)
            refused = tracker.finish()
            refused += [(item, text) for item, text in tracker.standing()
                        if (id(item), text) not in self._told and (item, text) not in refused]
            self._told |= {(id(item), text) for item, text in refused}
            if refused:
                self._select_row_quietly(self.vdoc.visit_id)
                text = (f"Visit not changed: {refusal_lines(refused[:1])} Correct it, or choose the row "
                        "again to leave it as kept.")
                self.switch_message.show_message(text)
                status = getattr(self.window(), "statusBar", None)
                if status is not None:
                    status().showMessage(text)
                widget = refused[0][0]
                if isinstance(widget, QWidget):
                    self.editor_area.ensureWidgetVisible(widget)
                    widget.setFocus()
                return
        self.switch_message.show_message("")
        self._told = set()
        self.select_visit(target)  # finishing may have changed the case and refilled the list

    def _select_row_quietly(self, visit_id: Optional[str]) -> None:
        row = next((r for r, p in enumerate(self._points) if p.visit == visit_id), 0)
        self.table.blockSignals(True)
        self.table.selectRow(row)
        self.table.blockSignals(False)

    def _show_editor_for(self, row: int) -> None:
        point = self._points[row] if 0 <= row < len(self._points) else None
        visit_id = point.visit if point is not None else None
        self.vdoc.show_visit(visit_id)
        visit = self.vdoc.visit()
        self.editor.setVisible(visit is not None)
        self.delete_button.setEnabled(visit is not None)
        if visit is not None:
            self.editor_title.setText(f"Visit {visit.id} of {visit.date.isoformat()} — {activity_words(point)}")
            self.no_visit.setText("")
        else:
            self.editor_title.setText(FIRST_CONSULTATION + (f" — {activity_words(point)}" if point else ""))
            self.no_visit.setText(
                "The first consultation is recorded in the other tabs (its measures under Symptoms & exam). "
                + ("Select a visit above to edit it." if self.doc.case.visits
                   else "No follow-up visit yet: Add visit records one, dated today."))
        self.no_visit.setVisible(visit is None)
        self._show_chart(self._course)  # "this visit" follows the selection

    def _show_chart(self, result: Optional[Course]) -> None:
        if result is None:
            return
        data = chart_input(self.doc.case, result, self._highlight())
        self.chart.set_input(data)
        self.chart_note.setText("" if data is not None else
                                "The chart needs dates: record the encounter date (Patient & encounter).")
        self.chart_note.setVisible(data is None)

    def _highlight(self) -> Optional[dt.date]:
        visit = self.vdoc.visit()
        return visit.date if visit is not None else None

    # --- adding and deleting --------------------------------------------------------------------------
    def add_visit(self) -> None:
        """A visit dated today, with the last clinician; the focus goes to its first measure. The last
        weight is offered beside the weight, not copied (see VisitEditor._show_last_weight)."""
        case = self.doc.case
        earlier = ordered_visits(case)
        clinician = next((v.clinician for v in reversed(earlier) if v.clinician), case.encounter.clinician)
        visit = Visit(id=next_visit_id(case), date=dt.date.today(), clinician=clinician)
        self.vdoc.show_visit(None)  # finishes what is being typed in the visit shown
        self.doc.set("visits", list(case.visits) + [visit], f"Add visit {visit.date.isoformat()}")
        self.select_visit(visit.id)
        self.editor.first_input().setFocus()
        self.editor_area.ensureWidgetVisible(self.editor.first_input())

    def delete_selected(self) -> None:
        visit = visit_by_id(self.doc.case, self.vdoc.visit_id or "")
        if visit is None:
            return
        first_seen = sorted(k for k, s in visit.lesion_status.items() if s == "new")
        also = (" The lesions first seen there stay in the case, as if seen at the first consultation: "
                "remove them in the Imaging tab if they should go too.") if first_seen else ""
        if not self._prompter().confirm_delete(
                "Delete visit", f"Delete {visit_name(visit)}, with its measures, labs, lesion statuses and "
                f"notes?{also} Edit › Undo brings it back."):
            return
        self.vdoc.show_visit(None)
        self.doc.set("visits", delete_visit(self.doc.case, visit.id).visits, f"Delete visit {visit.date.isoformat()}")
        self.table.setFocus()

    def _prompter(self):
        prompter = getattr(self.window(), "prompter", None)
        if prompter is None:
            from desktop_app.ui.prompter import Prompter

            prompter = Prompter(self)
        return prompter
