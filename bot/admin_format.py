"""Pure formatters for the admin commands: ``/unanswered`` and ``/status`` in Discord, ``python -m bot
unanswered`` in a terminal.

Nothing here talks to Discord or the database: each function takes the data (a
:class:`bot.questions_log.Report`, a :class:`Status`) and returns text. Discord replies are escaped (a logged
question is shown as typed, never as Markdown or a mention) and packed into messages of at most 2,000
characters (:func:`bot.formatting.pack_messages`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from .formatting import MAX_MESSAGE_CHARS, escape, pack_messages
from .formatting import clip as clip_text
from .questions_report import FeedbackGroup, QuestionGroup, Report

__all__ = [
    "MAX_LISTED_QUESTION",
    "NO_LOG",
    "Status",
    "format_duration",
    "format_unanswered_text",
    "render_status",
    "render_unanswered",
]

#: Longest question shown in a list, in characters.
MAX_LISTED_QUESTION = 200
#: What the admin commands say when no question log is kept.
NO_LOG = ("The question log is off (QUESTIONS_DB is empty or could not be opened), so there is nothing "
          "to list. Set QUESTIONS_DB to a file path and restart the bot.")


def format_duration(seconds: float) -> str:
    """A rough, readable length of time: ``"45 s"``, ``"12 min"``, ``"3 h 5 min"``, ``"2 days 4 h"``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} day{'s' if days != 1 else ''} {hours} h" if hours else f"{days} day{'s' if days != 1 else ''}"


def _day(stamp: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(stamp))


def _minute(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(stamp))


def _times(count: int) -> str:
    return f"{count}×"


def _period(report: Report) -> str:
    return f"the last {report.days} day{'s' if report.days != 1 else ''}"


def _summary_line(report: Report) -> str:
    unanswered = report.questions - report.answered
    return f"{report.questions:,} question{'s' if report.questions != 1 else ''}, {unanswered:,} unanswered."


# -- Discord ------------------------------------------------------------------------------------------------


def _discord_question(group: QuestionGroup | FeedbackGroup) -> str:
    return escape(clip_text(group.question, MAX_LISTED_QUESTION))


def _discord_document(document: str | None, label: str) -> str:
    if document is None:
        return ""
    return f" · {label} `{clip_text(document, 100).replace('`', 'ˋ')}`"


def render_unanswered(report: Report | None, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """The ``/unanswered`` reply: the most frequent unanswered questions, then the answers marked not
    helpful, each with its count, closest (or quoted) document and the day it was last asked.

    Parameters
    ----------
    report:
        From :meth:`bot.questions_log.QuestionLog.report`; ``None`` when no log is kept.
    limit:
        Longest message, in UTF-16 code units (2,000 for Discord).

    Returns
    -------
    list[str]
        Message contents, in order; never empty.
    """
    if report is None:
        return [NO_LOG]
    blocks: list[list[str]] = [[f"**What went unanswered in {_period(report)}** — {_summary_line(report)}"]]
    if report.unanswered:
        lines = ["**Most asked without an answer**"]
        for number, group in enumerate(report.unanswered, 1):
            lines.append(f"{number}. {_times(group.count)} {_discord_question(group)}"
                         f"{_discord_document(group.document, 'closest')} · last {_day(group.last_asked)}")
        blocks.append(lines)
    else:
        blocks.append(["Every question in this period was answered."])
    if report.not_helpful:
        lines = ["**Answers marked not helpful**"]
        for number, feedback in enumerate(report.not_helpful, 1):
            lines.append(f"{number}. 👎 {feedback.not_helpful} · 👍 {feedback.helpful} — "
                         f"{_discord_question(feedback)}{_discord_document(feedback.document, 'quoted')}"
                         f" · last {_day(feedback.last_asked)}")
        blocks.append(lines)
    if report.unanswered or report.not_helpful:
        blocks.append(["A document that answers these would help most."])
    return pack_messages(blocks, limit)


@dataclass(frozen=True)
class Status:
    """What ``/status`` shows.

    Attributes
    ----------
    documents, passages:
        Counts in the index; ``None`` while the index is still loading.
    index_updated_at:
        Unix seconds when the index was last built or updated; ``None`` while loading.
    newest_document_at:
        Unix seconds of the newest document file's modification, or ``None`` if unknown.
    started_at:
        Unix seconds when the bot started.
    version:
        The bot's version (``seedbot x.y.z``) and discord.py's.
    questions, answered:
        Questions logged in the last :attr:`days` days and how many were answered; ``None`` without a log.
    days:
        The period of :attr:`questions`.
    """

    documents: int | None
    passages: int | None
    index_updated_at: float | None
    newest_document_at: float | None
    started_at: float
    version: str
    questions: int | None = None
    answered: int | None = None
    days: int = 7


def render_status(status: Status, now: float) -> str:
    """The ``/status`` reply (one message, well under 2,000 characters); ``now`` in Unix seconds."""
    lines = ["**Status**"]
    if status.documents is None or status.index_updated_at is None:
        lines.append("Index: still loading the documents.")
    else:
        lines.append(f"Documents: {status.documents:,} · passages: {status.passages or 0:,}")
        lines.append(f"Index: built {format_duration(now - status.index_updated_at)} ago "
                     f"({_minute(status.index_updated_at)})")
    if status.newest_document_at is not None:
        lines.append(f"Last document change: {_minute(status.newest_document_at)} "
                     f"({format_duration(now - status.newest_document_at)} ago)")
    lines.append(f"Uptime: {format_duration(now - status.started_at)} (since {_minute(status.started_at)})")
    lines.append(f"Version: {status.version}")
    if status.questions is None:
        lines.append("Question log: off")
    else:
        lines.append(f"Questions in the last {status.days} days: {status.questions:,}, "
                     f"{status.answered or 0:,} answered")
    return "\n".join(lines)


# -- terminal -----------------------------------------------------------------------------------------------


def _plain_document(document: str | None, label: str) -> str:
    return f"  ({label}: {document})" if document is not None else ""


def format_unanswered_text(report: Report) -> str:
    """``python -m bot unanswered`` without ``--json``: the same lists as :func:`render_unanswered`, as
    plain text (no Markdown)."""
    lines = [f"What went unanswered in {_period(report)}: {_summary_line(report)}"]
    sections: Sequence[tuple[str, Sequence[QuestionGroup | FeedbackGroup]]] = (
        ("Most asked without an answer:", report.unanswered),
        ("Answers marked not helpful:", report.not_helpful),
    )
    for heading, groups in sections:
        lines.append("")
        lines.append(heading)
        if not groups:
            lines.append("  (none)")
        for group in groups:
            if isinstance(group, QuestionGroup):
                count = f"{group.count:>4}×"
                where = _plain_document(group.document, "closest")
            else:
                count = f"{group.not_helpful:>4}× not helpful ({group.helpful} helpful):"
                where = _plain_document(group.document, "quoted")
            lines.append(f"{count}  {' '.join(group.question.split())}{where}  last {_day(group.last_asked)}")
    return "\n".join(lines)
