"""Reference panel: the §11 background and every citation (with caveats), searchable, offline."""
from __future__ import annotations

from desktop_app.case.sources import SOURCES
from desktop_app.plan.background import BACKGROUND
from desktop_app.ui.reference_panel import ReferencePanel


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_lists_every_source_and_the_background(qtbot):
    panel = ReferencePanel()
    qtbot.addWidget(panel)
    assert panel.title == "Reference"
    shown = _plain(panel.browser.toPlainText())
    for s in SOURCES.values():
        assert _plain(s.citation) in shown, s.key
        if s.caveat:
            assert _plain(s.caveat) in shown, s.key
    for heading, text in BACKGROUND:
        assert _plain(text) in shown
    assert "1 in 250,000" in shown
    assert panel.count.text() == f"{len(SOURCES)} of {len(SOURCES)} references shown"


def test_search_filters_references(qtbot):
    panel = ReferencePanel()
    qtbot.addWidget(panel)
    qtbot.keyClicks(panel.search, "miettunen")
    shown = panel.browser.toPlainText()
    assert "Miettunen PM et al. Pediatr Rheumatol 2009;7:2." in shown
    assert "Jansson" not in shown and "250,000" not in shown
    assert panel.count.text() == f"1 of {len(SOURCES)} references shown"
    panel.search.setText("pamidronate")  # a background hit
    assert "NSAIDs, corticosteroids, pamidronate." in panel.browser.toPlainText()
    panel.search.setText("zzzz")
    assert "No reference matches." in panel.browser.toPlainText()
