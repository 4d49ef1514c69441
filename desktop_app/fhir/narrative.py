"""Narrative XHTML for the Composition's sections and the resources' text.

Free text is escaped as the note escapes it (report.styles.esc: & < >), control characters are
written as visible escapes (as the CLI does; XML cannot hold most of them), and newlines become
<br/>: the div is always well-formed XHTML.
"""
from __future__ import annotations

from typing import Iterable

from desktop_app.report.styles import esc
from desktop_app.storage.errors import escape_controls

XHTML = "http://www.w3.org/1999/xhtml"


def text(value: object) -> str:
    """Plain text made safe inside XHTML."""
    lines = ("" if value is None else str(value)).split("\n")
    return "<br/>".join(escape_controls(esc(line)) for line in lines)


def div(*parts: str) -> str:
    """The Narrative div around parts already made safe (with text(), p(), ul())."""
    return f'<div xmlns="{XHTML}">{"".join(parts)}</div>'


def p(value: object, bold_lead: str = "") -> str:
    lead = f"<b>{text(bold_lead)}</b>" + (" " if value else "") if bold_lead else ""
    return f"<p>{lead}{text(value)}</p>"


def heading(words: str) -> str:
    """A bold line above a list."""
    return p("", words)


def ul(items: Iterable[object]) -> str:
    items = [f"<li>{text(i)}</li>" for i in items]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def table(head: list[str], rows: list[list[object]]) -> str:
    cells = lambda row, tag: "".join(f"<{tag}>{text(c)}</{tag}>" for c in row)  # noqa: E731
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    return f"<table><thead><tr>{cells(head, 'th')}</tr></thead><tbody>{body}</tbody></table>"


def narrative(*parts: str) -> dict:
    """A Narrative (status generated: the app wrote it from the data) as a dict for the R4B model."""
    return {"status": "generated", "div": div(*parts)}
