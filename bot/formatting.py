"""Turning answers into Discord message contents. Pure: no network, no client, testable without Discord.

An answer becomes one or more message contents, each at most :data:`MAX_MESSAGE_CHARS` long. Each excerpt is
a block quote followed by its source line (title, date, file); best excerpt first. Text taken from documents
or questions is escaped so Discord shows it literally: Markdown (``**``, ``__``, code fences, ``>``, ``#``
headings, ``||`` spoilers, masked links) and mention-like tags (``<@123>``, ``<#1>``, ``<t:0>``,
``@everyone``) cannot change how the reply looks. Escaping is cosmetic; what guarantees that no reply pings
anyone is the bot-wide ``allowed_mentions`` (see :mod:`bot.client`), and links never unfurl because every
reply is sent with the "suppress embeds" flag (:data:`SEND_OPTIONS`).

A long answer is split into several messages at line boundaries; a long quote is broken into several quote
lines at sentence boundaries, and a sentence longer than a quote line at word boundaries with an ellipsis at
the break. Words, quote lines, escapes and code spans are never cut in two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from retrieval import Answer, Document, split_sentences

__all__ = [
    "GENERIC_ERROR",
    "MAX_MESSAGE_CHARS",
    "MAX_QUOTE_LINE",
    "NOT_FOUND",
    "SEND_OPTIONS",
    "clip",
    "discord_length",
    "escape",
    "pack_messages",
    "quote_lines",
    "render_answer",
    "render_mistake",
    "render_not_found",
    "page_label",
    "source_line",
]

#: Discord's limit on a message's content, in characters (counted here in UTF-16 code units, which is never
#: fewer than Discord's count, so an emoji-heavy quote cannot slip over the limit).
MAX_MESSAGE_CHARS = 2000
#: Longest quote line. Shorter than a message so that a quote line and its source line share a message.
MAX_QUOTE_LINE = 1000
#: Longest question echoed above an answer to ``/ask``.
MAX_ECHOED_QUESTION = 300
#: Longest title or file name shown on a source line.
MAX_SOURCE_PART = 200
#: Keyword arguments for every message the bot sends: links in quotes do not unfurl into embeds.
SEND_OPTIONS: dict[str, Any] = {"suppress_embeds": True}
#: What a person sees when something unexpected breaks.
GENERIC_ERROR = "Sorry, an unexpected error occurred."
#: The reply when no passage answers a question (Discord and the terminal alike).
NOT_FOUND = "I couldn't find that in the documents."

ELLIPSIS = "…"
QUOTE_PREFIX = "> "

# URLs are left as written: escaping inside them would break the link. Same shape as discord.py's.
_URL = r"(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s]"
# Characters that are Markdown (or start a mention, channel, emoji or timestamp tag) anywhere in a line.
_INLINE = r"[\\*_~`|<\[\]]"
# Markdown that only counts at the start of a line: quotes, headings, subtext, lists.
_LINE_START = r"^[ \t]*(?:>|#|-|\+|\d+[.)])"
_ESCAPE = re.compile(
    rf"(?P<url>{_URL})|(?P<start>{_LINE_START})|(?P<mention>@(?=everyone|here))|(?P<char>{_INLINE})",
    re.MULTILINE,
)


def discord_length(text: str) -> int:
    """Length of ``text`` as a JavaScript client counts it (UTF-16 code units); never below ``len(text)``."""
    return len(text.encode("utf-16-le")) // 2


def _escape_match(match: re.Match[str]) -> str:
    if match.group("url") is not None:
        return match.group("url")
    if match.group("start") is not None:
        token = match.group("start")
        stripped = token.lstrip(" \t")
        indent = token[: len(token) - len(stripped)]
        if stripped[0].isdigit():  # "1." or "1)": escape the punctuation that makes it a list item
            return indent + stripped[:-1] + "\\" + stripped[-1]
        return indent + "\\" + stripped
    return "\\" + match.group(0)


def escape(text: str) -> str:
    """Escape ``text`` so Discord shows it literally.

    Backslash-escapes Markdown characters (``\\ * _ ~ ` | [ ]``), ``<`` (so ``<@123>``, ``<#1>``,
    ``<t:0>`` show as typed), ``@`` before ``everyone``/``here``, and ``>``, ``#``, ``-``, ``+`` and
    ``1.`` at the start of a line. URLs are left untouched so they stay clickable. Every escape is a
    backslash directly before the character it protects, so escaped text never gains or loses a space.
    """
    return _ESCAPE.sub(_escape_match, text)


def clip(text: str, limit: int) -> str:
    """Collapse white space and shorten ``text`` to at most ``limit`` characters at a word boundary.

    Parameters
    ----------
    text : str
        Any text; runs of white space become one space, and the ends are stripped.
    limit : int
        Most characters in the result (at least 1).

    Returns
    -------
    str
        ``text`` as it is when it fits; otherwise as many whole words as fit before a closing ``…``. A
        first word longer than ``limit`` is cut inside it, so the result is never a lone ``…`` (unless
        ``limit`` is 1).
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:  # the cut falls inside a word: drop that word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + ELLIPSIS


def page_label(pages: Iterable[int | None]) -> str:
    """``"p. 3"`` or ``"pp. 2, 5"`` for the PDF pages quoted; ``""`` when no quote has a page.

    Parameters
    ----------
    pages : iterable of int or None
        The page of each quote (``None`` for documents without pages); repeats are shown once, in order.
    """
    numbers = sorted({p for p in pages if p is not None})
    if not numbers:
        return ""
    return ("p. " if len(numbers) == 1 else "pp. ") + ", ".join(str(n) for n in numbers)


def source_line(document: Document, pages: Iterable[int | None] = ()) -> str:
    """The line under a quote: ``— **Title** · YYYY-MM-DD (or undated) · `file` ``, all escaped.

    Parameters
    ----------
    document : retrieval.Document
        The quoted document.
    pages : iterable of int or None
        The PDF page of each quote above the line (see :func:`page_label`); shown after the file as
        ``· p. 12``.

    Returns
    -------
    str
        The title (bold, at most :data:`MAX_SOURCE_PART` characters; left out when it is only the file
        name), the date or ``undated``, the file,
        shown as a code span unless its name holds a backtick (then as escaped text), and the page(s).
    """
    titled = f"**{escape(clip(document.title, MAX_SOURCE_PART))}** · " if document.title != document.id else ""
    line = f"— {titled}{document.date_label} · " + _file(document.id)  # an untitled file is named once
    label = page_label(pages)
    return f"{line} · {label}" if label else line


def _file(doc_id: str) -> str:
    name = clip(doc_id, MAX_SOURCE_PART)
    return f"`{name}`" if "`" not in name else escape(name)


def _split_long(words: list[str], limit: int) -> list[str]:
    """Pack escaped ``words`` into pieces of at most ``limit`` units, marking breaks with an ellipsis."""
    pieces: list[str] = []
    current = ""
    for word in words:
        for chunk in _split_word(word, limit - 2 * discord_length(ELLIPSIS)):
            candidate = f"{current} {chunk}" if current else chunk
            # Room for the trailing "…" of this piece and the leading "…" of a continuation.
            if discord_length(candidate) + 2 * discord_length(ELLIPSIS) <= limit or not current:
                current = candidate
            else:
                pieces.append(current)
                current = chunk
    if current:
        pieces.append(current)
    return [
        ("" if i == 0 else ELLIPSIS) + p + ("" if i == len(pieces) - 1 else ELLIPSIS)
        for i, p in enumerate(pieces)
    ]


def _split_word(word: str, limit: int) -> list[str]:
    """A single token longer than a quote line (a pasted blob, not a word) is cut, never inside an escape."""
    if discord_length(word) <= limit:
        return [word]
    parts: list[str] = []
    while discord_length(word) > limit:
        cut = limit
        while discord_length(word[:cut]) > limit:
            cut -= 1
        if word[cut - 1] == "\\":  # keep a backslash with the character it escapes
            cut -= 1
        parts.append(word[:cut])
        word = word[cut:]
    return parts + ([word] if word else [])


#: A fenced code block: its opening fence line, its lines and its closing fence line.
_FENCED = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?^[ \t]{0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)


def code_segments(text: str) -> list[tuple[bool, str]]:
    """``text`` cut into ``(is_code, part)`` pieces, in order: the fenced code blocks (fences included) and
    the text between them (stripped; empty parts left out). A quote shows a block's lines as they are, so a
    command can be copied; the text around it is prose."""
    parts: list[tuple[bool, str]] = []
    at = 0
    for match in _FENCED.finditer(text):
        before = text[at:match.start()].strip()
        if before:
            parts.append((False, before))
        parts.append((True, match.group(0).strip("\n")))
        at = match.end()
    rest = text[at:].strip()
    if rest:
        parts.append((False, rest))
    return parts


def quote_lines(text: str, limit: int = MAX_QUOTE_LINE) -> list[str]:
    """Quote ``text`` as block-quote lines (``"> ..."``), each at most ``limit`` units.

    White space runs are collapsed (as in the terminal); every word is kept, in order. A quote that fits
    is one line; a longer one breaks at sentence boundaries, and a sentence longer than a line breaks at
    word boundaries with ``…`` at the end of one piece and the start of the next. A fenced code block keeps
    its lines and fences as written (a line too long for ``limit`` makes it prose like the rest).
    """
    budget = limit - discord_length(QUOTE_PREFIX)
    if "```" in text or "~~~" in text:
        lines: list[str] = []
        for is_code, part in code_segments(text):
            rows = part.split("\n")
            if is_code and all(discord_length(row) <= budget for row in rows):
                lines.extend(QUOTE_PREFIX + row for row in rows)
            else:
                lines.extend(_prose_lines(part, budget))
        return lines
    return _prose_lines(text, budget)


def _prose_lines(text: str, budget: int) -> list[str]:
    """:func:`quote_lines` of text without code blocks, each line at most ``budget`` units after the prefix."""
    spans = split_sentences(text, headings=False, max_chars=None) or [(0, len(text))]
    sentences = [escape(" ".join(text[s:e].split())) for s, e in spans]
    sentences = [s for s in sentences if s]
    lines: list[str] = []
    current = ""
    for sentence in sentences:
        candidate = f"{current} {sentence}" if current else sentence
        if discord_length(candidate) <= budget:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        if discord_length(sentence) <= budget:
            current = sentence
        else:
            lines.extend(_split_long(sentence.split(" "), budget))
    if current:
        lines.append(current)
    return [QUOTE_PREFIX + line for line in lines]


def pack_messages(blocks: Iterable[Sequence[str]], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Pack blocks of lines into as few messages as possible, each at most ``limit`` units.

    Blocks are separated by a blank line. A block that does not fit in what is left of a message starts a
    new one; a block longer than a whole message is split between lines, and its last line (the source
    line) never starts a message alone when the line before it can move along.

    Raises
    ------
    ValueError
        A single line is longer than ``limit`` (callers build lines shorter than that).
    """
    messages: list[list[str]] = []
    current: list[str] = []  # lines of the message being filled; "" marks a blank separator line

    def size(lines: Sequence[str]) -> int:
        return discord_length("\n".join(lines))

    for block in blocks:
        block = [line for line in block if line]
        if not block:
            continue
        for line in block:
            if discord_length(line) > limit:
                raise ValueError(f"a line of {discord_length(line)} units cannot fit in a message of {limit}")
        separator = [""] if current else []
        if size(current + separator + block) <= limit:
            current += separator + block
            continue
        if size(block) <= limit:
            messages.append(current)
            current = list(block)
            continue
        # The block is longer than a message: fill line by line.
        start = len(current) + len(separator)
        current += separator
        for index, line in enumerate(block):
            if size(current + [line]) <= limit:
                current.append(line)
                continue
            carried: list[str] = []
            is_last = index == len(block) - 1
            if is_last and len(current) - start >= 2 and size([current[-1], line]) <= limit:
                carried = [current.pop()]  # keep the source line with the end of its quote
            while current and current[-1] == "":
                current.pop()
            messages.append(current)
            current = carried + [line]
            start = 0
    if current:
        messages.append(current)
    return ["\n".join(lines) for lines in messages if any(lines)]


def _echo(question: str) -> str:
    return f"**Q:** {escape(clip(question, MAX_ECHOED_QUESTION))}"


def render_not_found(answer: Answer, *, echo_question: bool = False) -> str:
    """The short "not found" reply, naming the closest document when there is one."""
    lines = [_echo(answer.question)] if echo_question else []
    lines.append(NOT_FOUND)
    closest = answer.closest
    if closest is not None:
        lines.append(
            f"The closest document is **{escape(clip(closest.title, MAX_SOURCE_PART))}** "
            f"({closest.date_label}, {_file(closest.id)})."
        )
    return "\n".join(lines)


def render_answer(
    answer: Answer, *, echo_question: bool = False, limit: int = MAX_MESSAGE_CHARS
) -> list[str]:
    """Render ``answer`` as message contents, each at most ``limit`` units (UTF-16 code units).

    Parameters
    ----------
    answer:
        The retriever's answer; its excerpts are shown best first.
    echo_question:
        Start with a ``Q:`` line repeating the question (for ``/ask``, where the question is not visible
        above the reply as it is for a replied-to message).
    limit:
        Longest message, 2,000 for Discord.

    Returns
    -------
    list[str]
        One content per message to send, in order; never empty. Not-found answers are one message.
    """
    if not answer.answered:
        return [render_not_found(answer, echo_question=echo_question)]
    line_limit = min(MAX_QUOTE_LINE, limit // 2)
    blocks: list[list[str]] = [[_echo(answer.question)]] if echo_question else []
    for excerpt in answer.excerpts:
        blocks.append(quote_lines(excerpt.text, line_limit) + [source_line(excerpt.document, [excerpt.page])])
    return pack_messages(blocks, limit)


def render_mistake(message: str, *, in_channel: bool = False) -> str:
    """The short reply to a user mistake (``str(QuestionError)``); ``in_channel`` adds how to ask."""
    text = escape(clip(message, 500))
    if in_channel:
        text += "\nMention me with your question, e.g. `@bot how long is the report?`, or use `/ask`."
    return text
