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
import threading
from collections import OrderedDict
from typing import Protocol, runtime_checkable

from retrieval import FollowUp

__all__ = ["QUESTION_ID_CHARS", "FeedbackSink", "LoggedFeedback", "QuestionLogFeedback", "question_id"]

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


class QuestionLogFeedback:
    """Feedback clicks into the question log (:class:`bot.questions_log.QuestionLog`).

    The buttons carry a :func:`question_id`; the log knows questions by row id. The bot tells this sink
    which row each answered question got (:meth:`remember`, a bounded in-memory map), and a click on an
    answer whose row is known is stored against it. A click on an answer from before a restart has no known
    row: it is logged at debug level and not stored.
    """

    #: Most question ids remembered.
    LIMIT = 4096

    def __init__(self, store: QuestionLogLike) -> None:
        self.store = store
        self._rows: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, key: str, row: int) -> None:
        """Note that the question with id ``key`` was logged as ``row``."""
        with self._lock:
            self._rows[key] = row
            self._rows.move_to_end(key)
            while len(self._rows) > self.LIMIT:
                self._rows.popitem(last=False)

    def record_feedback(self, question_id: str, helpful: bool) -> None:
        """Store a click (runs in a worker thread); an unknown question id is logged and dropped."""
        with self._lock:
            row = self._rows.get(question_id)
        if row is None:
            log.debug("Feedback on question %s, asked before this start: not stored", question_id)
            return
        try:
            self.store.record_feedback(row, helpful)
        except Exception as error:  # noqa: BLE001 - a lost click must not break the reply
            log.warning("Could not store feedback on question %s: %s", question_id, error)


class QuestionLogLike(Protocol):
    """What :class:`QuestionLogFeedback` needs of the question log."""

    def record_feedback(self, question_id: int, helpful: bool) -> bool:
        """Store one click; return whether the question was found."""
