"""Sentence splitting with exact character offsets, by sentencex (Wikimedia's rule-based segmenter).

sentencex returns each sentence's start and end offsets into the input, so quoting ``text[start:end]``
reproduces the sentence exactly as written. It handles abbreviations (U.S., Sec., Dr.) and URLs, and keeps
a paragraph break (a blank line) as a boundary. Double quotes are blanked out before it splits (see
:func:`split_sentences`), so that sentences inside a quotation are sentences, as a reader (and syntok)
takes them. It replaced syntok, which spent about 80% of the
build time: on 1,500 Reuters articles (1.3 M characters) sentencex takes 0.05 s against syntok's 4.3 s,
and on the cases that matter it splits as well or better ("in Sec. 4 of" stays one sentence, "the U.S. He
moved" becomes two; see tests/test_sentences.py and ``python -m benchmarks.splitters``).

Rules on top of sentencex keep every sentence quotable (both on by default, each can be turned off):

* a Markdown heading line (``# Title``) is a sentence of its own, never glued to the text below it, and so
  is a plain title line (short, no closing punctuation, alone on its line, the text going on below it);
* each row of a Markdown table is a sentence of its own (the ``|---|`` line under the header is none);
* a "sentence" longer than :data:`MAX_SENTENCE_CHARS` (a table, a list without punctuation, a file with no
  full stops) is cut at line breaks, and a line still too long is cut at the last space before the limit, so
  an excerpt can never be a whole file. Only a single "word" longer than the limit (no space in it at all)
  is cut inside.
"""

from __future__ import annotations

import re

import sentencex

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

#: Longest sentence kept whole, in characters. Real prose sentences are far shorter (SQuAD's longest
#: are about 700); longer runs are cut as described above, so that one excerpt stays a readable size.
MAX_SENTENCE_CHARS = 3000

_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S.*$", re.MULTILINE)
#: A title line written without Markdown: short, no closing punctuation, alone on its line at the start of a
#: sentence, with the text going on in a new line that starts like a sentence ("2. Berlin meetup recap" over
#: "The meetup on 8 June had ..."). Hard-wrapped prose rarely fits: its first line is long, or ends mid-phrase
#: before a lower-case word.
_TITLE_LINE = re.compile(
    r"(?:\d{1,2}[.)] [^\n]{1,60}?|[^\n]{1,60}?(?=[ \t]*\r?\n[ \t]*[\"'(\[A-Z0-9*_`-]))(?<![.!?:;,\-])[ \t]*\r?\n"
)
_DOUBLE_QUOTES = frozenset('"“”')
_BLANK_QUOTES = str.maketrans({q: " " for q in _DOUBLE_QUOTES})
#: Longest first line (before trailing blanks) that :data:`_TITLE_LINE` can match: "12) " and 60 characters.
_TITLE_LINE_CHARS = 64
#: What the line after a title line (not numbered) starts with, after blanks: :data:`_TITLE_LINE`'s lookahead.
_TITLE_NEXT = frozenset("\"'([ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*_`-")
#: Closing emphasis, quotes or brackets at the start of a piece, when a sentence ended just inside them.
_CLOSING = re.compile(r"[*_`\"'”’)\]]+(?=\s|$)")
_CLOSING_CHARS = frozenset("*_`\"'”’)]")
#: A list or section number standing alone ("2."), as sentencex cuts it off a numbered heading.
_LIST_NUMBER = re.compile(r"\d{1,3}[.)]")
_LIST_NUMBER_CHARS = 4
#: Most words in a title line.
_TITLE_WORDS = 10


def _cut_long(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` characters, at line breaks, then spaces."""
    pieces: list[tuple[int, int]] = []
    line_start = start
    for line in text[start:end].splitlines(keepends=True):
        s, e = line_start, line_start + len(line)
        line_start = e
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        while e - s > limit:
            cut = text.rfind(" ", s, s + limit + 1)
            if cut <= s:  # one enormous "word": cut at the limit rather than quote it whole
                cut = s + limit
            piece_end = cut
            while piece_end > s and text[piece_end - 1].isspace():
                piece_end -= 1
            pieces.append((s, piece_end))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            pieces.append((s, e))
    return _merge_short(pieces, limit)


def _merge_short(pieces: list[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """Join consecutive pieces while they fit in ``limit`` (hard-wrapped lines of one sentence)."""
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and e - merged[-1][0] <= limit:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _split_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` before and after each Markdown heading line it contains."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _HEADING_LINE.finditer(text, start, end):
        hs, he = match.start(), min(match.end(), end)
        spans.append((cursor, hs))
        spans.append((hs, he))
        cursor = he
    spans.append((cursor, end))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def split_sentences(
    text: str, start: int = 0, end: int | None = None, *, headings: bool = True,
    max_chars: int | None = MAX_SENTENCE_CHARS,
) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences.

    Parameters
    ----------
    text:
        The full document text.
    start, end:
        The region to split, as offsets into ``text`` (``end`` defaults to ``len(text)``).
    headings:
        Make each Markdown heading line a sentence of its own.
    max_chars:
        Cut longer sentences at line breaks, then spaces (``None``: never cut).

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` offsets into ``text`` of each sentence, in order, without surrounding white space.
        Empty when the region holds no token.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    pieces: list[tuple[int, int]] = []
    # sentencex pairs double quotes and never splits between a pair, so one unclosed quote (a quotation
    # that runs on into the next paragraph, as news articles write them) glues every sentence after it
    # together, and an opening quote ends the sentence before it. It splits the text with its double
    # quotes blanked out (same offsets); each quote then goes back to the sentence it touches.
    plain = region.translate(_BLANK_QUOTES) if '"' in region or "“" in region or "”" in region else region
    for found in sentencex.get_sentence_boundaries("en", plain):
        s, e = found["start_index"], found["end_index"]
        while s < e and plain[s].isspace():
            s += 1
        while e > s and plain[e - 1].isspace():
            e -= 1
        if s == e:
            continue  # a paragraph break
        if plain is not region:
            while s > 0 and region[s - 1] in _DOUBLE_QUOTES and (not pieces or pieces[-1][1] < s - 1):
                s -= 1  # the opening quote
            while e < len(region) and region[e] in _DOUBLE_QUOTES:
                e += 1  # the closing quote
            if pieces and region[s].islower() and region[pieces[-1][1] - 1] in _DOUBLE_QUOTES \
                    and "\n\n" not in region[pieces[-1][1]:s]:
                s = pieces.pop()[0]  # '"Is it over?" she asked.': the speaker goes with the quote
        if pieces and pieces[-1][1] == s and not any(ch.isalnum() for ch in region[pieces[-1][0]:s]):
            # Only punctuation, glued to what follows: the "!" of a Markdown image "![alt](src)".
            s = pieces.pop()[0]
        # (The length and first-character tests only skip regular expressions that could not match.)
        if pieces and pieces[-1][1] - pieces[-1][0] <= _LIST_NUMBER_CHARS and _LIST_NUMBER.fullmatch(
                region, *pieces[-1]) and "\n" not in region[pieces[-1][1]:s]:
            # "2. Berlin meetup recap": a numbered heading's number is not a sentence of its own.
            s = pieces.pop()[0]
        if pieces and pieces[-1][1] == s and region[s] in _CLOSING_CHARS:
            closing = _CLOSING.match(region, s, e)
            if closing:
                # Closing markup or quotes that belong to the sentence before: "**Sharing.**", "“Go.”"
                pieces[-1] = (pieces[-1][0], closing.end())
                s = closing.end()
                while s < e and region[s].isspace():
                    s += 1
                if s == e:
                    continue
        pieces.append((s, e))
    spans: list[tuple[int, int]] = []
    hashes = headings and text.find("#", start, end) >= 0
    for s, e in pieces:
        s, e = start + s, start + e
        # Pieces are trimmed already: only one with a "#" can hold a heading line, only one with a line
        # break after a short first line a title line.
        for hs, he in _split_headings(text, s, e) if hashes and text.find("#", s, e) >= 0 else ((s, e),):
            line_end = text.find("\n", hs, he) if headings else -1
            if 0 <= line_end < he - 1 and _may_be_title(text, hs, line_end, he) and (
                    line_end - hs <= _TITLE_LINE_CHARS or len(text[hs:line_end].rstrip(" \t\r")) <= _TITLE_LINE_CHARS):
                # A title line's match ends just past the first line break (no part of the pattern crosses
                # one), so the line is known before matching; the pattern runs only when the tests it makes
                # of the line's ends (_may_be_title) and the rules below can all pass.
                line = text[hs:line_end + 1].rstrip().rstrip("*_`'\")]")
                if line and line[-1] not in ".!?:;," and len(line.split()) <= _TITLE_WORDS \
                        and _TITLE_LINE.match(text, hs, he):
                    cut = hs + len(text[hs:line_end + 1].rstrip())
                    spans.append((hs, cut))
                    hs = line_end + 1
                    while hs < he and text[hs].isspace():
                        hs += 1
            if max_chars is not None and he - hs > max_chars:
                spans.extend(_cut_long(text, hs, he, max_chars))
            else:
                spans.append((hs, he))
    if "|" in region:
        spans = _table_rows(text, spans)
    return _join_heading_pieces(text, spans) if hashes else spans


#: A Markdown table's row: a line that starts with "|" (after blanks).
_TABLE_ROW = re.compile(r"[ \t]*\|[^\n]*")
#: The line under a table's header row: only bars, dashes, colons and blanks ("|---|:--:|").
_TABLE_RULE = re.compile(r"[ \t]*\|[-:| \t]*")


def _table_rows(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each row of a Markdown table a sentence of its own ("| Demo server | 6.80 euros |"
    answers "How much does the demo server cost?"; the whole table does not), the rule line under the
    header left out. The text between rows stays one piece."""
    cut: list[tuple[int, int]] = []
    for s, e in spans:
        if "|" not in text[s:e] or "\n" not in text[s:e] and not text.startswith("|", s):
            cut.append((s, e))
            continue
        piece = s
        line = s
        while line < e:
            stop = text.find("\n", line, e)
            stop = e if stop < 0 else stop
            row = _TABLE_ROW.fullmatch(text, line, stop)
            if row is not None:
                if piece < line:
                    cut.extend(_trimmed(text, piece, line))
                if _TABLE_RULE.fullmatch(text, line, stop) is None:
                    cut.extend(_trimmed(text, line, stop))
                piece = stop + 1
            line = stop + 1
        if piece < e:
            cut.extend(_trimmed(text, piece, e))
    return cut


def _trimmed(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """``[(s, e)]`` without the white space at its ends; empty when nothing is left."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return [(s, e)] if s < e else []


def _may_be_title(text: str, start: int, line_end: int, end: int) -> bool:
    """Whether :data:`_TITLE_LINE` can match at ``start``, its first line ending at ``line_end``: it wants a
    digit first, or a next line (before ``end``) whose first character after blanks is one of
    :data:`_TITLE_NEXT`."""
    j = line_end + 1
    while j < end and text[j] in " \t":
        j += 1
    return j < end and text[j] in _TITLE_NEXT or text[start].isdigit()


def _join_heading_pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the pieces of a heading line that the sentence splitter cut ("## 2." and "Release rhythm")."""
    joined: list[tuple[int, int]] = []
    for s, e in spans:
        if joined:
            ps, pe = joined[-1]
            if text.startswith("#", ps) and _HEADING_LINE.match(text, ps) and "\n" not in text[ps:e]:
                joined[-1] = (ps, e)
                continue
        joined.append((s, e))
    return joined


def is_markdown_heading(text: str) -> bool:
    """Whether ``text`` starts with a Markdown ATX heading line.

    That is up to three spaces, one to six ``#``, a space or tab, then some text: ``# Title`` and
    ``## 2. Scope`` are headings; ``#1 priority is…``, ``#hashtag`` and ``####### seven`` are not.

    Parameters
    ----------
    text : str
        A sentence or line; only its first line is looked at.

    Returns
    -------
    bool
        True for a heading line, as :func:`split_sentences` separates them (``headings=True``).
    """
    return _HEADING_LINE.match(text) is not None
