"""The clickable skeleton: every lesion of the case marked on a front-view figure.

Drawn with QPainter from `desktop_app/case/skeleton_layout.py` (the PDF draws the same table).
Hovering names the bone; clicking a marker selects its lesion; clicking a bone elsewhere adds a
lesion there (bone, side, and the level on the spine ladder) through `doc.set`, so it is undoable.

Markers: symptomatic = filled red, silent = white with a blue ring, not recorded = grey; the
selected lesion has a dark halo. Lesions that cannot be placed go to the "Other / unplaced" tray.
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop_app.case import labels
from desktop_app.case import skeleton_layout as layout
from desktop_app.case.models import MAX_LESIONS, TOO_MANY_LESIONS, Lesion
from desktop_app.report.palette import LESION_LEGEND, LESION_MARKER, LESION_SILENT, LESION_UNKNOWN
from desktop_app.ui.document import CaseDocument
from desktop_app.case.lesion_ids import lesion_display_id, next_lesion_id

BONE_FILL = QColor("#f4eedf")
BONE_LINE = QColor("#7a6a55")
AFFECTED_FILL = QColor("#f6c9bf")
SYMPTOMATIC = QColor(LESION_MARKER)
SILENT = QColor(LESION_SILENT)
UNKNOWN = QColor(LESION_UNKNOWN)
HALO = QColor("#111111")
MARKER_RADIUS = 5.5  # pixels


def marker_style(symptomatic: Optional[bool]) -> tuple[QColor, QColor]:
    """(fill, outline) of a lesion marker by symptomatic status."""
    if symptomatic is True:
        return SYMPTOMATIC, SYMPTOMATIC.darker(140)
    if symptomatic is False:
        return QColor("white"), SILENT
    return UNKNOWN, UNKNOWN.darker(140)


def _keyboard_order() -> tuple[layout.Key, ...]:
    """Every bone a lesion can be added to, as the arrow keys visit them: the body head to toe
    (patient's right before left on one line), then the spine ladder C1–L5, then "other"."""
    body = [r for r in layout.REGIONS if r.primary and r.bone not in ("vertebra", "other")]
    body.sort(key=lambda r: (round(r.anchor[1], 2), r.anchor[0]))
    ladder = [r for r in layout.REGIONS if r.primary and r.bone == "vertebra"]
    return tuple(r.key for r in body + ladder) + (layout.TRAY.key,)


KEYBOARD_ORDER = _keyboard_order()


class SkeletonMap(QWidget):
    lesionSelected = Signal(int)  # index into imaging.lesions
    lesionAdded = Signal(int)
    refused = Signal(str)  # why a click or Enter added nothing, in words
    keyBoneChanged = Signal(str)  # the bone the arrow keys point at, in words

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.selected = -1
        self.setMouseTracking(True)
        self.setMinimumSize(260, 420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Not "imaging.lesions" itself: a jump to the lesions must land on the table, not here.
        self.setProperty("case_path", "imaging.lesions.map")
        self.setAccessibleName("Skeleton map: arrow keys pick a bone, Enter adds a lesion there")
        # Reachable with Tab: arrow keys walk the bones head to toe, Enter or Space adds a lesion.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.key_index = 0  # the bone the keyboard points at (index into KEYBOARD_ORDER)
        self._clicked = False  # the last act was a click on the map (Enter then adds nothing)
        doc.changed.connect(self._doc_changed)

    def sizeHint(self) -> QSize:
        return QSize(340, 700)

    # --- geometry ------------------------------------------------------------------------------
    def figure_rect(self) -> QRectF:
        """The largest box of the layout's aspect ratio, centred in the widget."""
        w, h = self.width() - 8, self.height() - 8
        if w / max(h, 1) > layout.ASPECT:
            w = h * layout.ASPECT
        else:
            h = w / layout.ASPECT
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def to_widget(self, x: float, y: float) -> QPointF:
        r = self.figure_rect()
        return QPointF(r.left() + x * r.width(), r.top() + y * r.height())

    def to_layout(self, point: QPointF) -> tuple[float, float]:
        r = self.figure_rect()
        return ((point.x() - r.left()) / r.width(), (point.y() - r.top()) / r.height())

    def lesion_at(self, point: QPointF) -> int:
        """Index of the lesion whose marker is under `point`, else -1 (topmost wins)."""
        lesions = self.doc.case.imaging.lesions
        for i, (x, y) in reversed(list(enumerate(layout.marker_positions(lesions)))):
            centre = self.to_widget(x, y)
            if (centre - point).manhattanLength() <= MARKER_RADIUS * 1.6:
                return i
        return -1

    # --- interaction ---------------------------------------------------------------------------
    def set_selected(self, index: int) -> None:
        if index != self.selected:
            self.selected = index
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        text = self.tooltip_at(point)
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def tooltip_at(self, point: QPointF) -> str:
        index = self.lesion_at(point)
        if index >= 0:
            les = self.doc.case.imaging.lesions[index]
            return f"{lesion_display_id(les.id)} · {labels.lesion_label(les.bone, les.side, les.level)} (click to select)"
        key = layout.bone_at(*self.to_layout(point))
        if key is None:
            return ""
        if key[0] == "other":
            return "Other bone or unplaced lesion (click to add a lesion of another bone)"
        return f"{labels.lesion_label(*key)} (click to add a lesion)"

    def key_bone(self) -> layout.Key:
        return KEYBOARD_ORDER[self.key_index]

    def key_bone_text(self) -> str:
        bone, side, level = self.key_bone()
        return "Other bone" if bone == "other" else labels.lesion_label(bone, side, level)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._clicked = False  # the cursor moves on: Enter adds where it points
        step = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}.get(key)
        if step is not None:
            self.key_index = (self.key_index + step) % len(KEYBOARD_ORDER)
        elif key == Qt.Key.Key_Home:
            self.key_index = 0
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.key_index = self._next_bone(1 if key == Qt.Key.Key_PageDown else -1)
        elif event.text().isalpha() and len(event.text()) == 1 and self._letter_index(event.text()) is not None:
            self.key_index = self._letter_index(event.text())
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._clicked:
                # The click just added (or selected) the lesion on this bone: Enter, invited by the
                # status line, must not add a duplicate (issue 23). A second Enter adds another.
                self._clicked = False
                self.refused.emit(f"{self.key_bone_text()}: the click already added or selected this lesion; "
                                  "press Enter again to add another.")
                return
            self.add_lesion(*self.key_bone())
            return
        else:
            return super().keyPressEvent(event)
        # Said by a screen reader and shown as the tooltip-equivalent under the map.
        self.setAccessibleDescription(f"{self.key_bone_text()}: press Enter to add a lesion")
        self.keyBoneChanged.emit(self.key_bone_text())
        self.update()

    def _next_bone(self, step: int) -> int:
        """PageDown/PageUp: the first entry of the next (previous) bone, skipping its sides and
        levels, so the keyboard crosses the body in a few presses instead of dozens."""
        bone = KEYBOARD_ORDER[self.key_index][0]
        i = self.key_index
        for _ in range(len(KEYBOARD_ORDER)):
            i = (i + step) % len(KEYBOARD_ORDER)
            if KEYBOARD_ORDER[i][0] != bone:
                if step < 0:  # land on the first entry of that bone, as PageDown does
                    while KEYBOARD_ORDER[(i - 1) % len(KEYBOARD_ORDER)][0] == KEYBOARD_ORDER[i][0] and i > 0:
                        i -= 1
                return i
        return self.key_index

    def _letter_index(self, letter: str) -> Optional[int]:
        """A letter: the next bone whose name starts with it ("t": right tibia, then left tibia)."""
        letter = letter.lower()
        n = len(KEYBOARD_ORDER)
        for offset in range(1, n + 1):
            i = (self.key_index + offset) % n
            bone, side, level = KEYBOARD_ORDER[i]
            name = "other" if bone == "other" else labels.lesion_label(bone, None, level)
            if name.lower().startswith(letter) or bone.lower().startswith(letter):
                return i
        return None

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.keyBoneChanged.emit(self.key_bone_text())
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.update()
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.click(event.position())

    def _follow(self, key: Optional[layout.Key]) -> None:
        """The keyboard cursor moves to the bone clicked: Enter after a click acts there, not
        on the bone the arrow keys last pointed at (issue 17: a click then Enter added a skull)."""
        if key in KEYBOARD_ORDER:
            self.key_index = KEYBOARD_ORDER.index(key)
            self.setAccessibleDescription(f"{self.key_bone_text()}: press Enter to add a lesion")
            self.keyBoneChanged.emit(self.key_bone_text())
            self.update()

    def click(self, point: QPointF) -> None:
        """Select the lesion under `point`, or add one on the bone there."""
        self._clicked = True
        index = self.lesion_at(point)
        if index >= 0:
            lesion = self.doc.case.imaging.lesions[index]
            self._follow((lesion.bone, lesion.side, lesion.level))
            self.set_selected(index)
            self.lesionSelected.emit(index)
            return
        key = layout.bone_at(*self.to_layout(point))
        self._follow(key)
        if key is not None:
            # The segment under the click (distal femur → metaphysis), so the marker lands there.
            self.add_lesion(*key, segment=layout.segment_at(key[0], key[1], *self.to_layout(point)))

    def add_lesion(self, bone: str, side: Optional[str], level: Optional[str],
                   segment: Optional[str] = None) -> int:
        lesions = list(self.doc.case.imaging.lesions)
        if len(lesions) >= MAX_LESIONS:
            self.refused.emit(f"Lesion not added: {TOO_MANY_LESIONS}.")
            return self.selected
        lesions.append(Lesion(id=next_lesion_id(lesions), bone=bone, side=side, level=level, segment=segment))
        label = f"Add lesion: {labels.lesion_label(bone, side, level)}"
        self.doc.set("imaging.lesions", lesions, label)
        self.selected = len(lesions) - 1
        self.lesionAdded.emit(self.selected)
        self.update()
        return self.selected

    def _doc_changed(self, path: str) -> None:
        if not path or path.startswith("imaging"):
            if self.selected >= len(self.doc.case.imaging.lesions):
                self.selected = len(self.doc.case.imaging.lesions) - 1
            self.update()

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        lesions = self.doc.case.imaging.lesions
        affected = {layout.normalise_key(les.bone, les.side, les.level) for les in lesions}
        line = QPen(BONE_LINE, 1.0)
        line.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for region in layout.REGIONS:
            if region.bone == "other":
                continue
            path = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
            for part in region.parts:
                path.addPolygon(self._polygon(part))
                path.closeSubpath()
            p.setPen(line)
            p.setBrush(AFFECTED_FILL if region.key in affected else BONE_FILL)
            p.drawPath(path.simplified())  # one outline per bone, even where its parts overlap
            if region.label:
                self._text(p, region, region.label)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for poly in layout.DECOR:
            p.drawPolygon(self._polygon(poly))
        self._draw_chrome(p)
        if self.hasFocus():  # the keyboard's bone: a dashed outline (the focus indicator)
            region = layout.region_for(*self.key_bone()) if self.key_bone()[0] != "other" else layout.TRAY
            if region is not None:
                p.setPen(QPen(HALO, 2.0, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                for part in region.parts:
                    p.drawPolygon(self._polygon(part))
        self._draw_markers(p, lesions)
        p.end()

    def _polygon(self, points) -> QPolygonF:
        return QPolygonF([self.to_widget(x, y) for x, y in points])

    def _text(self, p: QPainter, region: layout.Region, text: str) -> None:
        xs = [x for x, _ in region.parts[0]]
        ys = [y for _, y in region.parts[0]]
        box = QRectF(self.to_widget(min(xs), min(ys)), self.to_widget(max(xs), max(ys)))
        font = QFont(self.font())
        font.setPixelSize(max(7, int(box.height() * 0.62)))
        p.setFont(font)
        p.setPen(QColor("#4a4032"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _draw_chrome(self, p: QPainter) -> None:
        """The ladder's title, the tray, the R/L orientation marks and the legend."""
        r = self.figure_rect()
        font = QFont(self.font())
        font.setPixelSize(max(8, int(r.height() * 0.016)))
        p.setFont(font)
        p.setPen(QColor("#333"))
        x, y = layout.LADDER_TITLE_AT
        p.drawText(QRectF(self.to_widget(x - 0.1, y - 0.02), self.to_widget(x + 0.1, y + 0.01)),
                   Qt.AlignmentFlag.AlignCenter, "Spine")
        tray = layout.TRAY
        p.setPen(QPen(BONE_LINE, 1.0, Qt.PenStyle.DashLine))
        p.setBrush(QColor("#fbfaf6"))
        p.drawPolygon(self._polygon(tray.parts[0]))
        xs = [x for x, _ in tray.parts[0]]
        ys = [y for _, y in tray.parts[0]]
        p.setPen(QColor("#333"))
        p.drawText(QRectF(self.to_widget(min(xs), min(ys) + 0.002), self.to_widget(max(xs), min(ys) + 0.04)),
                   Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, "Other / unplaced")
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.drawText(QRectF(self.to_widget(0.0, 0.0), self.to_widget(0.12, 0.04)), Qt.AlignmentFlag.AlignCenter, "R")
        p.drawText(QRectF(self.to_widget(0.68, 0.0), self.to_widget(0.8, 0.04)), Qt.AlignmentFlag.AlignCenter, "L")
        p.setFont(font)
        for i, (value, text) in enumerate(LESION_LEGEND):
            centre = self.to_widget(0.03, 0.06 + 0.025 * i)
            self._marker(p, centre, value, False)
            p.setPen(QColor("#333"))
            p.drawText(QRectF(centre.x() + 9, centre.y() - 8, 120, 16),
                       Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    def _marker(self, p: QPainter, centre: QPointF, symptomatic: Optional[bool], selected: bool) -> None:
        fill, outline = marker_style(symptomatic)
        if selected:
            p.setPen(QPen(HALO, 2.5))
            p.setBrush(QColor(255, 215, 0, 160))
            p.drawEllipse(centre, MARKER_RADIUS + 4.5, MARKER_RADIUS + 4.5)
        p.setPen(QPen(outline, 2.2))
        p.setBrush(fill)
        p.drawEllipse(centre, MARKER_RADIUS, MARKER_RADIUS)

    def _draw_markers(self, p: QPainter, lesions: list[Lesion]) -> None:
        font = QFont(self.font())
        font.setPixelSize(10)
        font.setBold(True)
        for i, (les, (x, y)) in enumerate(zip(lesions, layout.marker_positions(lesions))):
            centre = self.to_widget(x, y)
            self._marker(p, centre, les.symptomatic, i == self.selected)
            p.setFont(font)
            p.setPen(QColor("#222"))
            p.drawText(QPointF(centre.x() + MARKER_RADIUS + 2, centre.y() - MARKER_RADIUS),
                       lesion_display_id(les.id))
