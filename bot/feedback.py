"""Where Helpful / Not helpful clicks go: a :class:`FeedbackSink` the bot is given.

The answer buttons carry a *question id* (:func:`question_id`): a short hash of the question and the
conversation it was asked in, the same in every process, so a click on an answer sent before a restart still
names its question. A sink records the click; the default, :class:`LoggedFeedback`, only logs it at DEBUG
level. A store that keeps questions (for example an SQLite question log) implements ``record_feedback`` and
computes the same id with :func:`question_id` for the questions it logs, so clicks and questions meet.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from typing import Protocol, runtime_checkable

from retrieval import FollowUp

__all__ = ["QUESTION_ID_CHARS", "FeedbackSink", "LoggedFeedback", "question_id"]

log = logging.getLogger(__name__)

#: Length of a question id: 13 base-32 characters (64 bits of BLAKE2b).
QUESTION_ID_CHARS = 13


def question_id(question: str, follow_up: FollowUp | None = None) -> str:
    """A short id for ``question`` asked after ``follow_up`` (``None``: asked on its own).

    Parameters
    ----------
    question:
        The question as asked; white space runs and letter case do not change the id.
    follow_up:
        The conversation before it, if any: the same words asked after another answer get another id.

    Returns
    -------
    str
        :data:`QUESTION_ID_CHARS` characters from ``a-z`` and ``2-7`` (lower-case base 32 of a 64-bit BLAKE2b
        digest), e.g. ``"k5vqxw3jf2mda"``; equal for equal inputs in every process.
    """
    parts = [question]
    if follow_up is not None:
        parts += [follow_up.previous_question, follow_up.previous_document or ""]
    text = "\x1f".join(" ".join(part.split()).casefold() for part in parts)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


@runtime_checkable
class FeedbackSink(Protocol):
    """Receives Helpful / Not helpful clicks.

    ``record_feedback`` is called in a worker thread (never on the event loop), once per click, after the click
    was acknowledged; it may block (disk writes). An exception it raises is logged by the bot's error handler
    and the person who clicked is told that something went wrong.
    """

    def record_feedback(self, question_id: str, helpful: bool) -> None:
        """Record that the answer to ``question_id`` (see :func:`question_id`) was ``helpful`` or not."""


class LoggedFeedback:
    """The default sink: logs each click at DEBUG level and keeps nothing."""

    def record_feedback(self, question_id: str, helpful: bool) -> None:
        """Log the click."""
        log.debug("Feedback on question %s: %s", question_id, "helpful" if helpful else "not helpful")
