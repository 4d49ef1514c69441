"""Collects every source the note cites, so the reference list is complete by construction.

Sections pass each source string they print through `Citations.cite()`; the reference list then
prints the matching entries of `case/sources.py` (full citation and caveat) in order of first
use, plus any source text that matches no entry, verbatim.
"""
from __future__ import annotations

from desktop_app.case.sources import SOURCES, Source


def _matches(text: str) -> list[Source]:
    found = []
    for src in SOURCES.values():
        if src.short in text or src.citation in text or (len(text) > 12 and text in src.citation):
            found.append(src)
    # A short name that is part of a longer matched one ("EULAR/ACR 2025" in a Zhao citation) is
    # still its own source, so keep all matches; de-duplication happens in Citations.
    return found


class Citations:
    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}
        self._unmatched: list[str] = []

    def cite(self, text: str) -> str:
        """Record the sources named in `text` and return it unchanged (for inline use)."""
        text = (text or "").strip()
        if not text or text in ("—", "-"):
            return text
        matched = _matches(text)
        for src in matched:
            self._sources.setdefault(src.key, src)
        if not matched and text not in self._unmatched:
            self._unmatched.append(text)
        return text

    def cite_key(self, key: str) -> Source:
        src = SOURCES[key]
        self._sources.setdefault(key, src)
        return src

    @property
    def sources(self) -> list[Source]:
        return list(self._sources.values())

    @property
    def unmatched(self) -> list[str]:
        return list(self._unmatched)
