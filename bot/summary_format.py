"""Summaries and the document list as Discord message contents. Pure: no network, no client.

Built on :mod:`bot.formatting`, so quotes, escaping and splitting behave exactly as in ``/ask`` replies:
every quoted sentence is a block-quote line (long ones break at word boundaries), each document's sentences
are followed by its source line (title, date, file), text from documents is escaped (Markdown and
mention-like tags show literally), and every content is at most :data:`bot.formatting.MAX_MESSAGE_CHARS`
(2,000) UTF-16 units.

* :func:`render_summary`: a heading, then each document's sentences; a digest (several documents) puts a
  date line above each new date, oldest first; a note says how many undated documents a range left out.
* :func:`render_source_pages`: ``/sources`` as pages of at most :data:`SOURCES_PER_PAGE` documents, each page
  within the message limit, with a "page i/n" heading.
* :func:`choice_name`: a document's label in the ``document`` autocomplete (at most 100 characters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from retrieval import Document
from retrieval.catalog import Source
from retrieval.summary import Summary

from .formatting import (
    MAX_MESSAGE_CHARS,
    MAX_QUOTE_LINE,
    clip,
    discord_length,
    escape,
    pack_messages,
    quote_lines,
    source_line,
)

__all__ = [
    "MAX_CHOICE_NAME",
    "SOURCES_PER_PAGE",
    "choice_name",
    "render_nothing_found",
    "render_source_pages",
    "render_summary",
]

#: Discord's limit on an autocomplete choice's name (and value), in characters.
MAX_CHOICE_NAME = 100
#: Most documents on one ``/sources`` page.
SOURCES_PER_PAGE = 10
#: Longest topic echoed in a summary's heading, in characters.
MAX_ECHOED_TOPIC = 200
#: Room kept on each ``/sources`` page for its heading line.
_PAGE_HEADING_ROOM = 80


def _heading(summary: Summary) -> str:
    count = len(summary.sentences)
    size = f"{count} sentence{'s' if count != 1 else ''}"
    digest = summary.digest_heading()
    if summary.topic is not None:
        title = f"**What the documents say about “{escape(clip(summary.topic, MAX_ECHOED_TOPIC))}”**"
    elif digest is not None:
        title = f"**{digest}**, oldest first"
    else:
        title = "**Summary**"
    details = " · ".join(p for p in (size, summary.range_text()) if p)
    return f"{title} · {details}"


def render_summary(summary: Summary, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Render a summary as message contents, each at most ``limit`` UTF-16 units.

    Parameters
    ----------
    summary:
        From :func:`retrieval.summary.summarise`; its sentences are already in reading order.
    limit:
        Longest message (Discord: 2,000).

    Returns
    -------
    list[str]
        One content per message, in order; never empty. Each document's quoted sentences (one quote line
        or more per sentence, never merged) are followed by its source line; in a digest, a bold date line
        opens each new date.
    """
    line_limit = min(MAX_QUOTE_LINE, limit // 2)
    blocks: list[list[str]] = [[_heading(summary)]]
    digest = summary.is_digest
    previous_date: object = object()
    for document, quoted in summary.groups():
        lines: list[str] = []
        if digest and document.date != previous_date:
            lines.append(f"**{document.date_label}**")
            previous_date = document.date
        for sentence in quoted:
            lines += quote_lines(sentence.text, line_limit)
        lines.append(source_line(document, [sentence.page for sentence in quoted]))
        blocks.append(lines)
    note = summary.left_out_note()
    if note is not None:
        blocks.append([f"*{escape(note)}*"])
    return pack_messages(blocks, limit)


def render_nothing_found(message: str) -> str:
    """The reply when a fine request matches nothing (a date range or topic): the core's message, escaped."""
    return escape(clip(message, 1500))


def _entry(source: Source) -> str:
    passages = source.passages
    size = f"{passages:,} passage{'s' if passages != 1 else ''}"
    return f"{source_line(source.document).removeprefix('— ')} · {size}"


def render_source_pages(listed: Sequence[Source], per_page: int = SOURCES_PER_PAGE,
                        limit: int = MAX_MESSAGE_CHARS, updated_at: dt.datetime | None = None) -> list[str]:
    """Render the document list as pages, newest first.

    Parameters
    ----------
    listed:
        From :func:`retrieval.catalog.sources`.
    per_page:
        Most documents on a page (at least 1).
    limit:
        Longest page, in UTF-16 units (Discord: 2,000).
    updated_at:
        When the index was last updated (UTC): the heading says so.

    Returns
    -------
    list[str]
        One content per page (a single page when everything fits), each starting with a heading line
        ``**N documents**, newest first`` (plus ``· page i/n`` when there are several). A page ends early
        when the next entry would not fit, so long titles never push a page over ``limit``.
    """
    entries = [_entry(s) for s in listed]
    budget = limit - _PAGE_HEADING_ROOM - (40 if updated_at is not None else 0)
    pages: list[list[str]] = []
    current: list[str] = []
    for entry in entries:
        size = discord_length("\n".join(current + [entry]))
        if current and (len(current) >= max(1, per_page) or size > budget):
            pages.append(current)
            current = []
        current.append(entry)
    if current or not pages:
        pages.append(current)
    noun = f"**{len(listed):,} document{'s' if len(listed) != 1 else ''}**, newest first"
    if updated_at is not None:
        noun += f" · index updated {updated_at.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    if len(pages) == 1:
        return ["\n".join([noun, *pages[0]])]
    return ["\n".join([f"{noun} · page {i}/{len(pages)}", *page]) for i, page in enumerate(pages, 1)]


def choice_name(document: Document) -> str:
    """A document's label in autocomplete: ``Title · YYYY-MM-DD`` (or ``undated``), at most 100 characters.

    Choice names are plain text in Discord (no Markdown), so nothing is escaped.
    """
    suffix = f" · {document.date_label}"
    return clip(document.title, MAX_CHOICE_NAME - len(suffix)) + suffix
