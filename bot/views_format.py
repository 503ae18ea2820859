"""Texts of the answer buttons and what their clicks show. Pure: no network, no client, testable without Discord.

* :func:`render_context` - the passage around each quote (the **Context** button), quoted sentences in bold;
* :func:`render_more` - the next excerpts (the **More** button);
* :func:`echoed_question` - the question back from the ``**Q:**`` line of an ``/ask`` answer (the inverse of
  :func:`bot.formatting.render_answer` with ``echo_question=True``), so buttons work after a restart;
* :func:`forum_question` - the question a help-forum post asks (its title and first message);
* the short replies to clicks (:data:`NO_MORE`, :data:`THANKS_HELPFUL`, ...).

Everything is escaped and packed like answers (:mod:`bot.formatting`): within Discord's limits, pinging no one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval import MAX_QUESTION_CHARS, Answer, QuoteContext

from .formatting import (
    ELLIPSIS,
    MAX_MESSAGE_CHARS,
    QUOTE_PREFIX,
    clip,
    discord_length,
    escape,
    pack_messages,
    render_answer,
    source_line,
)

__all__ = [
    "ASKED_IN_REPLY",
    "CANNOT_CONTINUE",
    "ECHO_PREFIX",
    "MAX_CONTEXT_SENTENCE",
    "NO_MORE",
    "THANKS_HELPFUL",
    "THANKS_NOT_HELPFUL",
    "echoed_question",
    "forum_question",
    "render_context",
    "render_more",
    "unescape",
]

#: How an ``/ask`` answer starts: the question, escaped (see :func:`bot.formatting.render_answer`).
ECHO_PREFIX = "**Q:** "
#: Longest sentence shown in a context view, in characters (longer ones are cut at a word with ``…``).
MAX_CONTEXT_SENTENCE = 400

NO_MORE = "There are no more excerpts that answer this question."
THANKS_HELPFUL = "Thanks! Noted that this answer helped."
THANKS_NOT_HELPFUL = "Thanks! Noted that this answer did not help; it helps decide which documents to write."
CANNOT_CONTINUE = (
    "I can no longer tell which question this answer was for (it is too old, or the message changed). "
    "Please ask again."
)
ASKED_IN_REPLY = "Answered in a reply to that message."

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


def unescape(text: str) -> str:
    """Undo :func:`bot.formatting.escape`: drop the backslash before each escaped character."""
    return _ESCAPED.sub(r"\1", text)


def echoed_question(content: str) -> str | None:
    """The question repeated on the first line of an ``/ask`` answer (``**Q:** ...``), or ``None``.

    The echo is the question with white space collapsed and at most 300 characters (longer questions end in
    ``…``), so callers must check it is the question they expect (the bot compares question ids).
    """
    first = content.split("\n", 1)[0]
    if not first.startswith(ECHO_PREFIX):
        return None
    return unescape(first[len(ECHO_PREFIX) :]).strip() or None


def forum_question(title: str, content: str) -> str:
    """The question a help-forum post asks: its title, then its first message, within the question limit.

    Returns
    -------
    str
        ``"title\\ncontent"`` (either may be empty), white space trimmed, cut at a word to at most
        :data:`retrieval.MAX_QUESTION_CHARS` characters so a long post is still answered.
    """
    text = "\n".join(part.strip() for part in (title, content) if part and part.strip())
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    return clip(text, MAX_QUESTION_CHARS - 1).removesuffix(ELLIPSIS)


def render_more(answer: Answer, start: int, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """The excerpts of ``answer`` from index ``start`` on, rendered like an answer; :data:`NO_MORE` if none."""
    rest = answer.excerpts[start:]
    if not rest:
        return [NO_MORE]
    return render_answer(Answer(answer.question, list(rest)), limit=limit)


def _context_lines(context: QuoteContext, budget: int) -> list[str]:
    pieces: list[str] = []
    if not context.starts_document:
        pieces.append(ELLIPSIS)
    text = context.document.text
    for start, end, quoted in context.sentences:
        piece = escape(clip(text[start:end], MAX_CONTEXT_SENTENCE))
        if piece:
            pieces.append(f"**{piece}**" if quoted else piece)
    if not context.ends_document:
        pieces.append(ELLIPSIS)
    lines: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if current and discord_length(candidate) > budget:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    return [QUOTE_PREFIX + line for line in lines]


def render_context(contexts: Sequence[QuoteContext], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """The passage around each quote, quoted sentences in bold, each followed by its source line.

    Parameters
    ----------
    contexts:
        One per excerpt of the answer, best first (:func:`retrieval.context_of`).
    limit:
        Longest message (2,000 for Discord).

    Returns
    -------
    list[str]
        Message contents, each at most ``limit`` units; ``…`` marks text of the document before or after
        what is shown. Never empty.
    """
    if not contexts:
        return [NO_MORE]
    budget = min(1000, limit // 2) - discord_length(QUOTE_PREFIX)
    blocks = [_context_lines(c, budget) + [source_line(c.document)] for c in contexts]
    return pack_messages([["**Context** (quoted sentences in bold)"]] + blocks, limit)
