"""A read-only block of rich text that lays its HTML out once per text and width.

Why not QLabel: a word-wrapped rich-text QLabel lays its document out again on every size query
(it sets the query's width, measures, then restores the old width: two layouts), and once more for
each of the text option, the frame margin and the width when it next paints. In the assessment
pane that was ~25 ms of every edit (20 lesions), for five cards. Here one QTextDocument is parsed
once per text change, laid out once per width, and painted for the exposed rectangle only.

What QLabel's `TextBrowserInteraction` gave, kept: links open on click (`linkActivated(href)`),
Tab/Shift+Tab step through the links and Enter/Space activates the focused one, text can be
selected with the mouse and copied (Ctrl+C, context menu), the tooltip, and the plain text as the
accessible description.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (QAbstractTextDocumentLayout, QGuiApplication, QKeySequence, QPainter,
                           QPalette, QTextCharFormat, QTextCursor, QTextDocument, QTextOption)
from PySide6.QtWidgets import QFrame, QMenu, QSizePolicy, QWidget


class RichText(QFrame):
    """Word-wrapped, read-only HTML with clickable links; height follows width (heightForWidth)."""

    linkActivated = Signal(str)
    FALLBACK_WIDTH = 400  # size hint width before the first layout gives the real one

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._html = ""
        self._doc = self._new_document("")
        self._heights: dict[int, int] = {}  # width → height, for the current text and font
        self._hint_width = -1  # the width of the last sizeHint
        self._links_cache: list[tuple[int, int, str]] | None = []  # see `_links`
        self._cursor = QTextCursor(self._doc)  # the selection, or the keyboard-focused link
        self._press: int | None = None  # document position of a left-button press
        self._press_link = ""
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # links are reachable with Tab
        self.setMouseTracking(True)  # pointing hand over links
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)

    # --- text ---------------------------------------------------------------------------------
    def text(self) -> str:
        return self._html

    def setText(self, html: str) -> None:  # noqa: N802 (Qt naming)
        if html == self._html:
            return  # nothing to parse, lay out or repaint
        self._html = html
        self._doc = self._new_document(html)
        self._cursor = QTextCursor(self._doc)
        self._links_cache = None
        self._heights.clear()
        self.setAccessibleDescription(self._doc.toPlainText())
        self.updateGeometry()
        self.update()

    def _new_document(self, html: str) -> QTextDocument:
        # A fresh document: setHtml on one that has been laid out lays the new text out at once
        # (the first 1000 characters), and again when it is next measured.
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(0)  # as QLabel: the frame and contents margins are the margins
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        doc.setDefaultTextOption(option)
        doc.setDefaultFont(self.font())
        doc.setHtml(html)
        return doc

    def selectedText(self) -> str:  # noqa: N802 (Qt naming)
        return self._cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n")

    # --- size ---------------------------------------------------------------------------------
    def _margins(self) -> tuple[int, int]:
        """Horizontal and vertical space around the text (QFrame counts its frame in these)."""
        m = self.contentsMargins()
        return m.left() + m.right(), m.top() + m.bottom()

    def _lay_out(self, text_width: int) -> None:
        # setTextWidth relays the document out even for the same width: only call it on a change.
        if self._doc.textWidth() != text_width:
            self._doc.setTextWidth(text_width)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt naming)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt naming)
        height = self._heights.get(width)
        if height is None:
            h_margin, v_margin = self._margins()
            self._lay_out(max(width - h_margin, 1))
            height = self._heights[width] = math.ceil(self._doc.size().height()) + v_margin
        return height

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        # The width this block is given (the pane's): no search for an "ideal" width.
        width = self.width() if self.testAttribute(Qt.WidgetAttribute.WA_Resized) else self.FALLBACK_WIDTH
        self._hint_width = width
        return QSize(width, self.heightForWidth(width))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        # A hint given at another width (the fallback, before the first layout) would stay cached in
        # the parent layout, and a scroll area then asks every section for that width as well: a
        # second layout of each changed section on every edit. Re-hint once the width is known.
        if event.size().width() != self._hint_width:
            self.updateGeometry()
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        return QSize(0, 0)  # wraps to any width; the height comes from heightForWidth

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt naming)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._doc.setDefaultFont(self.font())
            self._heights.clear()
            self.updateGeometry()
        super().changeEvent(event)

    # --- painting -----------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)  # the frame, when there is one
        area = self.contentsRect()
        self._lay_out(max(area.width(), 1))
        painter = QPainter(self)
        painter.setClipRect(area)
        painter.translate(area.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Text, palette.color(self.foregroundRole()))  # as QLabel
        context.palette = palette
        context.clip = QRectF(event.rect().translated(-area.topLeft()))
        if self._cursor.hasSelection():
            selection = QAbstractTextDocumentLayout.Selection()
            selection.cursor = self._cursor
            fmt = QTextCharFormat()
            fmt.setBackground(palette.brush(QPalette.ColorRole.Highlight))
            fmt.setForeground(palette.brush(QPalette.ColorRole.HighlightedText))
            selection.format = fmt
            context.selections = [selection]
        self._doc.documentLayout().draw(painter, context)
        painter.end()

    # --- mouse ----------------------------------------------------------------------------------
    def _doc_point(self, pos) -> QPointF:
        return QPointF(pos) - QPointF(self.contentsRect().topLeft())

    def _anchor_at(self, pos) -> str:
        return self._doc.documentLayout().anchorAt(self._doc_point(pos))

    def _position_at(self, pos) -> int:
        hit = self._doc.documentLayout().hitTest(self._doc_point(pos), Qt.HitTestAccuracy.FuzzyHit)
        return max(hit, 0)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = self._position_at(event.position().toPoint())
            self._press_link = self._anchor_at(event.position().toPoint())
            self._select(self._press, self._press)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        pos = event.position().toPoint()
        link = self._anchor_at(pos)
        self.setCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor)
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._select(self._press, self._position_at(pos))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            link = self._anchor_at(event.position().toPoint())
            dragged = self._cursor.hasSelection()
            self._press = None
            if link and link == self._press_link and not dragged:
                self.linkActivated.emit(link)
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.unsetCursor()
        super().leaveEvent(event)

    def _select(self, anchor: int, position: int) -> None:
        cursor = QTextCursor(self._doc)
        cursor.setPosition(anchor)
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectionStart() != self._cursor.selectionStart() or \
                cursor.selectionEnd() != self._cursor.selectionEnd():
            self._cursor = cursor
            self.update()

    # --- keyboard ---------------------------------------------------------------------------------
    @property
    def _links(self) -> list[tuple[int, int, str]]:
        """(start, end, href) of each link, in document order; found when the keyboard needs them."""
        if self._links_cache is None:
            self._links_cache = _find_links(self._doc)
        return self._links_cache

    def _focused_link(self) -> str:
        start, end = self._cursor.selectionStart(), self._cursor.selectionEnd()
        return next((href for s, e, href in self._links if (s, e) == (start, end)), "")

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt naming)
        """Tab moves to the next link in this block; past the last one, to the next widget."""
        here = self._cursor.selectionStart() if self._cursor.hasSelection() else (-1 if forward else 1 << 30)
        links = self._links if forward else list(reversed(self._links))
        for start, end, _href in links:
            if (start > here) if forward else (start < here):
                self._select(start, end)
                return True
        self._select(0, 0)
        return super().focusNextPrevChild(forward)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        reason = event.reason()
        if self._links and reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            start, end, _ = self._links[0] if reason == Qt.FocusReason.TabFocusReason else self._links[-1]
            self._select(start, end)
        super().focusInEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._focused_link():
            self.linkActivated.emit(self._focused_link())
        else:
            super().keyPressEvent(event)

    def copy(self) -> None:
        if self._cursor.hasSelection():
            QGuiApplication.clipboard().setText(self.selectedText())

    def select_all(self) -> None:
        end = QTextCursor(self._doc)
        end.movePosition(QTextCursor.MoveOperation.End)
        self._select(0, end.position())

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        menu = QMenu(self)
        copy = menu.addAction("&Copy", self.copy)
        copy.setEnabled(self._cursor.hasSelection())
        menu.addAction("Select &All", self.select_all)
        menu.exec(event.globalPos())


def _find_links(doc: QTextDocument) -> list[tuple[int, int, str]]:
    """Every link of the document as (start, end, href), adjacent fragments of one link merged."""
    links: list[tuple[int, int, str]] = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                start, end = fragment.position(), fragment.position() + fragment.length()
                if links and links[-1][2] == fmt.anchorHref() and links[-1][1] == start:
                    links[-1] = (links[-1][0], end, fmt.anchorHref())
                else:
                    links.append((start, end, fmt.anchorHref()))
            it += 1
        block = block.next()
    return links
