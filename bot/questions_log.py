"""The question log: every question the bot was asked, whether it was answered, and the feedback clicks.

It lives in a local SQLite database (the standard library's :mod:`sqlite3`) so an admin can learn which
questions the documents could not answer, and which answers people marked as not helpful
(:meth:`QuestionLog.report`, shown by ``/unanswered`` and ``python -m bot unanswered``).

What is stored, and what is not:

* per question: when it was asked (Unix seconds, UTC), the question text with user, role and channel
  mentions replaced by ``@user`` / ``@role`` / ``#channel``, its grouping key (:func:`group_key`), whether it
  was answered, the best document (the quoted one; when unanswered, the closest one, if any) and where it
  was asked (``"ask"``, ``"mention"``, ...);
* per feedback click: the question's row id, when, and helpful or not.

No user ids, names or channel ids are stored. Rows older than the retention period are deleted when the
log opens and about once an hour after that (:meth:`QuestionLog.prune`).

The database is in WAL mode (readers such as ``python -m bot unanswered`` never block the bot's writes)
and carries its schema version in ``PRAGMA user_version``. Each thread gets its own connection, so the bot
writes from worker threads (``asyncio.to_thread``) without sharing one connection across threads.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .questions_report import (
    FeedbackGroup,
    QuestionGroup,
    Report,
    feedback_groups,
    group_key,
    unanswered_groups,
)

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "SCHEMA_VERSION",
    "FeedbackGroup",
    "QuestionGroup",
    "QuestionLog",
    "QuestionLogError",
    "Report",
    "anonymise",
    "group_key",
]

#: Version of the tables below, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 1
#: Days a question is kept before :meth:`QuestionLog.prune` deletes it.
DEFAULT_RETENTION_DAYS = 90
#: Seconds between automatic prunes while the log is open.
PRUNE_EVERY = 3600.0
#: Longest question text stored, in characters (longer ones are cut).
MAX_STORED_CHARS = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id        INTEGER PRIMARY KEY,
    asked_at  REAL    NOT NULL,
    question  TEXT    NOT NULL,
    key       TEXT    NOT NULL,
    answered  INTEGER NOT NULL,
    document  TEXT,
    via       TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    at          REAL    NOT NULL,
    helpful     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_question ON feedback (question_id);
"""

_MENTIONS = (
    (re.compile(r"<@!?\d+>"), "@user"),
    (re.compile(r"<@&\d+>"), "@role"),
    (re.compile(r"<#\d+>"), "#channel"),
)


class QuestionLogError(Exception):
    """The log file cannot be opened or used (not a database, made by a newer version, unwritable)."""


def anonymise(question: str) -> str:
    """``question`` with Discord user, role and channel mentions replaced by ``@user``, ``@role``,
    ``#channel``, white space collapsed, cut to :data:`MAX_STORED_CHARS` characters."""
    for pattern, replacement in _MENTIONS:
        question = pattern.sub(replacement, question)
    return " ".join(question.split())[:MAX_STORED_CHARS]


class QuestionLog:
    """The SQLite question log.

    Parameters
    ----------
    path:
        The database file; its folder is created. Never put it inside the documents folder.
    retention_days:
        Rows older than this many days are deleted (at least 1).
    clock:
        Returns the current time in Unix seconds (default :func:`time.time`); tests pass their own.

    Raises
    ------
    QuestionLogError
        The file is not an SQLite database, was written by a newer version of the bot, or cannot be
        created or written (the message names the file).

    Notes
    -----
    Thread-safe: each thread uses its own connection (:meth:`close` closes them all). The methods block on
    disk I/O; call them from a worker thread in async code.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if retention_days < 1:
            raise ValueError(f"retention_days must be at least 1, got {retention_days}")
        self.path = Path(path)
        self.retention_days = retention_days
        self.clock = clock
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._last_prune = 0.0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise QuestionLogError(f"cannot create the folder for the question log {str(self.path)!r}: "
                                   f"{error.strerror or error}") from error
        try:
            with self._errors():
                self._migrate(self._connection())
            self.prune()
        except BaseException:
            self.close()
            raise

    # -- connections -------------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            with self._errors():
                # One connection per thread; check_same_thread=False only lets close() close them all.
                connection = sqlite3.connect(
                    self.path, timeout=5.0, isolation_level=None, check_same_thread=False
                )
                try:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute("PRAGMA synchronous=NORMAL")
                    connection.execute("PRAGMA foreign_keys=ON")
                except sqlite3.Error:
                    connection.close()
                    raise
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _errors(self) -> _Errors:
        return _Errors(self.path)

    def _migrate(self, connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise QuestionLogError(
                f"the question log {str(self.path)!r} was written by a newer version of the bot (schema "
                f"{version}, this one knows {SCHEMA_VERSION}); point QUESTIONS_DB at another file"
            )
        if version < SCHEMA_VERSION:
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")

    def close(self) -> None:
        """Close every thread's connection. The log must not be used afterwards."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()

    # -- writing -----------------------------------------------------------------------------------------

    def record_question(
        self, question: str, *, answered: bool, document: str | None = None, via: str = "ask"
    ) -> int:
        """Log one question; return its row id (for :meth:`record_feedback`).

        Parameters
        ----------
        question:
            As asked; mentions are anonymised (:func:`anonymise`) before storing.
        answered:
            Whether the bot quoted an answer.
        document:
            The id of the best document: the one quoted first, or when unanswered the closest one.
        via:
            Where it was asked, e.g. ``"ask"``, ``"mention"``, ``"channel"``, ``"menu"``.

        Raises
        ------
        QuestionLogError
            The database cannot be written.
        """
        text = anonymise(question)
        now = self.clock()
        with self._errors():
            connection = self._connection()
            cursor = connection.execute(
                "INSERT INTO questions (asked_at, question, key, answered, document, via) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (now, text, group_key(text), int(answered), document, via),
            )
        if now - self._last_prune >= PRUNE_EVERY:
            self.prune()
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def record_feedback(self, question_id: int, helpful: bool) -> bool:
        """Log one Helpful / Not helpful click on the answer to question ``question_id``.

        Returns
        -------
        bool
            False when that question is not in the log (deleted by retention, or unknown); nothing is
            written then.

        Raises
        ------
        QuestionLogError
            The database cannot be written.
        """
        with self._errors():
            connection = self._connection()
            cursor = connection.execute(
                "INSERT INTO feedback (question_id, at, helpful) "
                "SELECT id, ?, ? FROM questions WHERE id = ?",
                (self.clock(), int(helpful), question_id),
            )
        return cursor.rowcount == 1

    def prune(self) -> int:
        """Delete questions (and their feedback) older than the retention period; return how many.

        Raises
        ------
        QuestionLogError
            The database cannot be written.
        """
        now = self.clock()
        cutoff = now - self.retention_days * 86400.0
        with self._errors():
            connection = self._connection()
            with _transaction(connection):
                connection.execute(
                    "DELETE FROM feedback WHERE question_id IN (SELECT id FROM questions WHERE asked_at < ?)",
                    (cutoff,),
                )
                deleted = connection.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
        self._last_prune = now
        return deleted

    # -- reading -----------------------------------------------------------------------------------------

    def report(self, days: int = 30, limit: int = 10) -> Report:
        """The most frequent unanswered questions and the answers marked not helpful in the last ``days``.

        Parameters
        ----------
        days:
            Length of the period, in days, ending now (at least 1).
        limit:
            Most groups in each list.

        Returns
        -------
        Report
            Groups ordered by count (descending), then latest first, then by key: the same log always
            gives the same report.

        Raises
        ------
        QuestionLogError
            The database cannot be read.
        """
        since = self.clock() - days * 86400.0
        with self._errors():
            connection = self._connection()
            total, answered = connection.execute(
                "SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM questions WHERE asked_at >= ?", (since,)
            ).fetchone()
            missing = connection.execute(
                "SELECT key, question, document, COUNT(*), MAX(asked_at) FROM questions "
                "WHERE asked_at >= ? AND answered = 0 GROUP BY key, question, document",
                (since,),
            ).fetchall()
            clicks = connection.execute(
                "SELECT q.key, q.question, q.document, q.id, q.asked_at, "
                "SUM(f.helpful = 0), SUM(f.helpful = 1) FROM questions q JOIN feedback f ON f.question_id = q.id "
                "WHERE q.asked_at >= ? AND q.answered = 1 GROUP BY q.id",
                (since,),
            ).fetchall()
        return Report(days, int(total), int(answered), unanswered_groups(missing, limit),
                      feedback_groups(clicks, limit))


class _Errors:
    """Turns :class:`sqlite3.Error` into :class:`QuestionLogError` naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> bool:
        if isinstance(error, sqlite3.Error):
            raise QuestionLogError(f"the question log {str(self.path)!r} cannot be used: {error}") from error
        return False


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: object) -> bool:
        self.connection.execute("ROLLBACK" if error is not None else "COMMIT")
        return False
