"""HTML pages (``.html``, ``.htm``): the main text, read by trafilatura, without menus, scripts or footers.

trafilatura finds the page's main content (its own rules, with readability and jusText as fallbacks) and
its metadata. Its structured output is written out here as the document's text: headings as Markdown
headings (``## Winter service``, so they are titles, never quoted alone), paragraphs separated by blank
lines, list items as ``- item``, table rows as cells joined by ``" | "``, code blocks as fenced blocks
(never quoted). The title is the page's (``og:title``, ``<title>`` or the first heading, as trafilatura
reads it); the date is the publication date from the page's markup only (``article:published_time``,
JSON-LD ``datePublished``, ``<time>``…; htmldate with ``extensive_search`` off), never a date guessed from
the text.
"""

from __future__ import annotations

import datetime as dt
import logging

from ..document import Document, warn
from .text import finish

__all__ = ["read_html"]

log = logging.getLogger(__name__)

_BLOCK_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _words(element: object) -> str:
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def _render(body: object) -> list[str]:
    """The blocks of trafilatura's body element as text, in order."""
    blocks: list[str] = []
    for child in body:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == "head":
            level = _BLOCK_LEVEL.get(str(child.get("rend", "h2")).lower(), 2)
            words = _words(child)
            if words:
                blocks.append("#" * level + " " + words)
        elif tag == "list":
            items = [_words(item) for item in child.iter("item")]
            items = [f"- {item}" for item in items if item]
            if items:
                blocks.append("\n".join(items))
        elif tag == "table":
            rows = [" | ".join(c for c in (_words(cell) for cell in row.iter("cell")) if c)
                    for row in child.iter("row")]
            rows = [row for row in rows if row]
            if rows:
                blocks.append("\n".join(rows))
        elif tag == "code":
            code = "".join(child.itertext()).strip("\n")
            if code.strip():
                blocks.append(f"```\n{code}\n```")
        elif tag in {"graphic", "ref"} and not _words(child):
            continue
        else:  # p, quote, div and anything else: its words as one paragraph
            words = _words(child)
            if words:
                blocks.append(words)
    return blocks


def read_html(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    """Read an HTML page's main text into a :class:`Document`.

    Parameters
    ----------
    raw:
        The file's bytes (trafilatura detects the encoding from the page and the bytes).
    doc_id:
        Its id, for warnings and the document.
    warnings:
        Receives one line when the page is skipped (no main text found).

    Returns
    -------
    Document or None
        ``date`` from the page's metadata, else a ``YYYY-MM-DD`` in the file name, else undated.
    """
    import trafilatura  # imported on first use: only folders with web pages pay for it

    try:
        extracted = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
            include_links=False, date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # noqa: BLE001 - trafilatura raises many kinds on broken markup
        warn(warnings, "Skipped %s: the page could not be read (%s).", doc_id, error)
        return None
    body = getattr(extracted, "body", None) if extracted is not None else None
    blocks = _render(body) if body is not None else []
    if not blocks:
        warn(warnings, "Skipped %s: no main text was found in the page.", doc_id)
        return None
    date: dt.date | None = None
    value = getattr(extracted, "date", None)
    if value:
        try:
            date = dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            log.debug("%s: page date %r not understood", doc_id, value)
    title = getattr(extracted, "title", None)
    return finish(doc_id, "\n\n".join(blocks), 0, warnings, title=title or None, date=date, encoding="html")
