"""Plain text and Markdown files (``.txt``, ``.md``, ``.markdown``): date header, front matter, code, title.

(Decoding the bytes is :mod:`retrieval.formats.encoding`'s.) ``finish`` is shared by every format: it finds
the title and the code blocks of any extracted text.

The document's text is the file's whole decoded text; what may be quoted starts at ``body_start``:

* a leading date line (``date 2022-09-02``, ``Date: 2 September 2022``; see :mod:`retrieval.dates`) is
  metadata, never quoted, even when it cannot be read (then a warning names the file and quotes the value);
* YAML front matter (a ``---`` line, ``key: value`` lines, a ``---`` line) is read in Markdown files for
  ``title:`` and ``date:``. Front matter that is not closed, is not valid YAML, is a YAML list, or sits in a
  ``.txt`` file is hidden with a warning, so front-matter syntax is never a title nor a quote. A file that
  merely starts with a horizontal rule (``---`` then prose) keeps all its text;
* code blocks (fenced with ```` ``` ```` or ``~~~``, or indented, found by markdown-it-py's CommonMark parser) are recorded in
  :attr:`~retrieval.document.Document.code`: never quoted.

Titles: front-matter ``title``, else the first Markdown heading, else the first sentence (about 80 characters).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..dates import DateReading, how_to_write, read_date, read_date_header
from ..document import Document, warn

__all__ = ["parse_text", "finish", "code_blocks", "date_warning", "shorten", "MARKDOWN_SUFFIXES"]

MARKDOWN_SUFFIXES = (".md", ".markdown")

_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
#: A chat message pasted from a log: a time stamp, then the speaker ("[14:15] lena.k: ...", "14:15 <lena> ...",
#: "[2025-03-01 14:15] yuki (maintainer): ..."). It names no document: a log that opens with one has no title.
_CHAT_LINE = re.compile(r"\[?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?\]?[ \t]*"
                        r"(?:<[^<>\s]{1,32}>|[^\s:\[\]<>]{1,32}(?: \([^()\n]{1,30}\))?:)(?:\s|$)")
_RULE_LINE = re.compile(r"-{3,}[ \t]*(?:\r?\n|\Z)")
_KEY_LINE = re.compile(r"[ \t]*[\w][\w \t.-]*:(?:[ \t]|$)")
_TITLE_CHARS = 80


def date_warning(reading: DateReading, name: str, where: str, value: str, warnings: list[str]) -> None:
    """Warn (naming the file and quoting the whole ``value``) when ``reading`` is a problem; else nothing."""
    if reading.problem == "impossible":
        warn(warnings, "%s: the %s %r is not a real date; the document is treated as undated.", name, where, value)
    elif reading.problem == "ambiguous":
        warn(warnings, "%s: the %s %r could be day/month or month/day; the document is treated as undated: %s.",
             name, where, value, how_to_write(value))
    elif reading.problem == "unreadable":
        warn(warnings, "%s: the %s %r is not a date it can read; the document is treated as undated: %s.",
             name, where, value, how_to_write(value))


def _first_sentence(text: str, start: int, end: int) -> str:
    from ..sentences import split_sentences  # local import: sentences imports nothing from here

    # A title is at most ~80 characters: splitting the first few hundred is enough (and halves load time).
    for s, e in split_sentences(text, start, min(end, start + 4 * _TITLE_CHARS)):
        sentence = " ".join(text[s:e].split())
        if any(ch.isalnum() for ch in sentence):  # not a horizontal rule or a line of symbols
            return sentence
    return ""


def shorten(title: str, limit: int = _TITLE_CHARS) -> str:
    """``title`` with white space collapsed, cut at a word before ``limit`` characters (``…`` added)."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return (cut or title[:limit]) + "…"


class _StringYAMLHandler(YAMLHandler):
    """YAML front matter with every scalar kept as a string (``yaml.BaseLoader``).

    PyYAML's default loader turns ``date: 2023-13-45`` into an exception that would discard the whole
    block, title included; as strings, the date is checked on its own (with a warning naming the file) and
    the title survives.
    """

    def load(self, fm: str, **kwargs: object) -> Any:  # a mapping, list or string: checked by the caller
        return yaml.load(fm, Loader=yaml.BaseLoader)


def _unclosed_block_end(text: str, start: int) -> int | None:
    """End of the ``key: value`` lines right after an opening ``---`` line that is never closed.

    The block starts with a ``key: value`` line and runs to a blank line or to the first line that is
    neither ``key: value`` nor an indented or ``- `` continuation; ``None`` when the first line is not
    ``key: value`` (a horizontal rule followed by prose).
    """
    cursor = start
    while cursor < len(text):
        line_end = text.find("\n", cursor)
        line_end = len(text) if line_end < 0 else line_end + 1
        line = text[cursor:line_end]
        if not line.strip():
            break
        if not _KEY_LINE.match(line) and (cursor == start or not line.startswith((" ", "\t", "- "))):
            break
        cursor = line_end
    return cursor if cursor > start else None


def _front_matter(text: str, body_start: int, name: str, markdown: bool,
                  warnings: list[str]) -> tuple[dict[str, object], int]:
    """Parse YAML front matter at ``body_start``; returns (metadata, new body_start).

    The block runs from a first line of ``---`` to the next ``---`` line (python-frontmatter's boundary
    pattern). A block whose YAML is a mapping is front matter (read in Markdown; hidden with a warning in a
    ``.txt`` file); a list, invalid YAML or an unclosed block of ``key: value`` lines is hidden with a
    warning; anything else (prose between horizontal rules) is text.
    """
    opening = _RULE_LINE.match(text, body_start)
    if opening is None:
        return {}, body_start
    handler = _StringYAMLHandler()
    closing = next(handler.FM_BOUNDARY.finditer(text, opening.end()), None)
    if closing is None:
        end = _unclosed_block_end(text, opening.end())
        if end is None:
            return {}, body_start
        warn(warnings, "%s: its front matter has no closing '---' line, so it is not read (and never quoted); "
             "end it with a line of three dashes.", name)
        return {}, end
    block = text[opening.end() : closing.start()]
    try:
        metadata = handler.load(block)
    except yaml.YAMLError as error:
        if not _KEY_LINE.match(block):
            return {}, body_start
        warn(warnings, "%s: its front matter is not valid YAML (%s), so it is not read (and never quoted).",
             name, str(error).splitlines()[0])
        return {}, closing.end()
    if isinstance(metadata, list):
        warn(warnings, "%s: its front matter is a YAML list, not 'key: value' lines (such as 'title: ...'), so "
             "it is not read (and never quoted).", name)
        return {}, closing.end()
    if not isinstance(metadata, dict):
        return {}, body_start
    if not markdown:
        warn(warnings, "%s: front matter is read only in Markdown files; it is not read (and never quoted). "
             "Rename the file to .md to use it.", name)
        return {}, closing.end()
    return metadata, closing.end()


def _metadata_date(value: object, name: str, warnings: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        reading = read_date(value)
        date_warning(reading, name, "front-matter date", value.strip(), warnings)
        return reading.date
    if value is not None:
        warn(warnings, "%s: front-matter date %r is not a date; ignored.", name, value)
    return None


#: A line indented as code after a blank line: maybe an indented code block (the parser decides).
_INDENTED = re.compile(r"(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)(?: {4}|\t)[ \t]*\S")


def code_blocks(text: str, start: int = 0) -> tuple[tuple[int, int], ...]:
    """Offsets of the code blocks in ``text[start:]``: fenced ones, fence lines included, and indented ones
    (four spaces or a tab after a blank line), as markdown-it-py's CommonMark parser finds them.

    Returns
    -------
    tuple[tuple[int, int], ...]
        ``(start, end)`` offsets into ``text``, in order. An unclosed fence runs to the end, as CommonMark says.
    """
    if "```" not in text[start:] and "~~~" not in text[start:] and not _INDENTED.search(text, start):
        return ()
    from markdown_it import MarkdownIt  # only for files with a fence

    body = text[start:]
    # Line starts as CommonMark counts lines (\n, \r\n or \r), then the end of the text.
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", body)]
    if line_starts[-1] != len(body):
        line_starts.append(len(body))
    blocks = []
    for token in MarkdownIt("commonmark").parse(body):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            blocks.append((start + line_starts[first], start + line_starts[min(last, len(line_starts) - 1)]))
    return tuple(blocks)


def finish(doc_id: str, text: str, body_start: int, warnings: list[str], *, title: str | None = None,
           date: dt.date | None = None, encoding: str = "utf-8", pages: tuple[int, ...] = (),
           markdown: bool = True, name_date: bool = True) -> Document:
    """Build the :class:`Document`: skip white space, find code blocks, the title and a file-name date.

    Parameters
    ----------
    doc_id:
        The document's id.
    text:
        Its text.
    body_start:
        Where the body starts (after metadata).
    warnings:
        Receives a line per problem.
    title:
        A title from the document's metadata, if any (else the first heading, else the first sentence).
    date:
        A date from the document itself; else a ``YYYY-MM-DD`` date in the file name when ``name_date``.
    encoding, pages:
        Recorded on the document.
    markdown:
        Look for Markdown headings and code fences.
    """
    if date is None and name_date:
        match = _NAME_DATE.search(doc_id.rsplit("/", 1)[-1])
        if match:
            try:
                date = dt.date.fromisoformat(match.group(1))
            except ValueError:
                warn(warnings, "%s: the date in the file name %r is not a real date; the document is treated "
                     "as undated.", doc_id, match.group(1))
    while body_start < len(text) and text[body_start].isspace():
        body_start += 1
    code = code_blocks(text, body_start) if markdown else ()
    document = Document(id=doc_id, text=text, title="", date=date, body_start=body_start, encoding=encoding,
                        pages=pages, code=code)
    regions = document.quotable_regions()
    if title is None or not title.strip():
        heading = None
        if markdown:
            heading = next((m for s, e in regions for m in [_HEADING.search(text, s, e)] if m), None)
        if heading is not None:
            title = heading.group(1)
        else:
            title = next((t for s, e in regions for t in [_first_sentence(text, s, e)] if t), "")
            if _CHAT_LINE.match(title):
                title = ""  # a chat log's first message is not its title: the file name is
    return Document(id=doc_id, text=text, title=shorten(title) or doc_id, date=date, body_start=body_start,
                    encoding=encoding, pages=pages, code=code)


def parse_text(doc_id: str, text: str, warnings: list[str] | None = None, encoding: str = "utf-8") -> Document:
    """Build a :class:`Document` from a text file's decoded text: its date, title and quotable body.

    Parameters
    ----------
    doc_id:
        The document's id (path relative to the seeds folder, ``/`` separators). Markdown rules apply when
        it ends with ``.md`` or ``.markdown``.
    text:
        Decoded text, BOM already removed.
    warnings:
        List that receives a line per problem found (an unreadable date, bad front matter). Also logged.
    encoding:
        Recorded on the document.

    Returns
    -------
    Document
    """
    warnings = [] if warnings is None else warnings
    markdown = doc_id.lower().endswith(MARKDOWN_SUFFIXES)
    date: dt.date | None = None
    body_start = 0
    header = read_date_header(text)
    if header is not None:
        body_start = header.end
        date = header.reading.date
        date_warning(header.reading, doc_id, "date header", header.value, warnings)
    metadata, body_start = _front_matter(text, body_start, doc_id, markdown, warnings)
    if date is None and "date" in metadata:
        date = _metadata_date(metadata["date"], doc_id, warnings)
    title_value = metadata.get("title")
    title = str(title_value) if isinstance(title_value, (str, int, float)) and str(title_value).strip() else None
    return finish(doc_id, text, body_start, warnings, title=title, date=date, encoding=encoding,
                  markdown=markdown, name_date=header is None)
