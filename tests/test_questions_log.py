"""The question log (bot/questions_log.py) on its own: grouping, retention, feedback, the file on disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.questions_log import SCHEMA_VERSION, QuestionLog, QuestionLogError, anonymise, group_key

DAY = 86400.0


def sql(path: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    """Run one statement on the database file with a connection of its own (closed after)."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            return connection.execute(query, args).fetchall()
    finally:
        connection.close()


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[QuestionLog]:
    log = QuestionLog(tmp_path / "index" / "questions.sqlite3", clock=clock)
    yield log
    log.close()


def test_group_key_ignores_case_punctuation_and_spacing() -> None:
    assert group_key("How long is the UN report?") == group_key("  how LONG is the “UN” report…")
    assert group_key("Ｗhat's new?") == group_key("what s new")  # NFKC folds full-width letters
    assert group_key("report 2022") != group_key("report 2023")


def test_anonymise_drops_user_role_and_channel_ids() -> None:
    assert anonymise("ask <@123> and <@!456> in <#789> for <@&42>  now") == "ask @user and @user in #channel for @role now"


def test_unanswered_questions_are_grouped_and_counted(store: QuestionLog, clock: Clock) -> None:
    store.record_question("Where is the ferry?", answered=False, document="travel.md")
    clock.now += 10
    store.record_question("where is the ferry", answered=False, document="travel.md", via="mention")
    clock.now += 10
    store.record_question("WHERE is the ferry!!", answered=False, document=None)
    store.record_question("Who wrote it?", answered=False)
    store.record_question("How long is the report?", answered=True, document="report.txt")
    report = store.report(days=7)
    assert (report.questions, report.answered) == (5, 1)
    first, second = report.unanswered
    assert (first.count, first.document) == (3, "travel.md")
    assert first.question == "WHERE is the ferry!!"  # one each: the latest wording stands for the group
    assert (second.question, second.count, second.document) == ("Who wrote it?", 1, None)
    assert report.not_helpful == []


def test_most_frequent_wording_represents_its_group(store: QuestionLog, clock: Clock) -> None:
    for wording in ("When is it open?", "when is it open", "when is it open", "When is it open?!"):
        store.record_question(wording, answered=False)
        clock.now += 1
    [group] = store.report(7).unanswered
    assert (group.question, group.count) == ("when is it open", 4)


def test_not_helpful_feedback_is_listed_with_its_document(store: QuestionLog) -> None:
    helped = store.record_question("How long is the report?", answered=True, document="report.txt")
    unhelpful = store.record_question("What does basil need?", answered=True, document="garden.md")
    again = store.record_question("what does basil need", answered=True, document="garden.md")
    assert store.record_feedback(helped, True)
    for question_id, helpful in ((unhelpful, False), (unhelpful, False), (again, False), (again, True)):
        assert store.record_feedback(question_id, helpful)
    assert not store.record_feedback(9999, False)
    [group] = store.report(7).not_helpful
    assert (group.not_helpful, group.helpful, group.document) == (3, 1, "garden.md")
    assert group_key(group.question) == "what does basil need"


def test_retention_deletes_old_questions_and_their_feedback(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "questions.sqlite3"
    store = QuestionLog(path, retention_days=30, clock=clock)
    old = store.record_question("an old question?", answered=True, document="a.md")
    store.record_feedback(old, False)
    clock.now += 20 * DAY
    store.record_question("a newer question?", answered=False)
    clock.now += 11 * DAY  # the first is now 31 days old, the second 11
    assert store.prune() == 1
    report = store.report(days=365)
    assert report.questions == 1 and report.not_helpful == []
    assert not store.record_feedback(old, True)
    store.close()
    assert sql(path, "SELECT COUNT(*) FROM feedback WHERE question_id = ?", old) == [(0,)]
    reopened = QuestionLog(path, retention_days=5, clock=clock)  # opening prunes too
    assert reopened.report(days=365).questions == 0
    reopened.close()


def test_report_only_counts_the_period(store: QuestionLog, clock: Clock) -> None:
    store.record_question("last month?", answered=False)
    clock.now += 10 * DAY
    store.record_question("this week?", answered=False)
    assert [g.question for g in store.report(days=7).unanswered] == ["this week?"]
    assert store.report(days=30).questions == 2


def test_database_is_wal_with_a_schema_version(store: QuestionLog) -> None:
    store.record_question("anything?", answered=False)
    assert sql(store.path, "PRAGMA journal_mode") == [("wal",)]
    assert sql(store.path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_each_thread_writes_with_its_own_connection(store: QuestionLog) -> None:
    def write(thread: int) -> list[int]:
        return [store.record_question(f"question {thread}.{n}?", answered=n % 2 == 0) for n in range(20)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = [i for batch in pool.map(write, range(4)) for i in batch]  # re-raises a thread's error
    assert len(set(ids)) == 80
    assert store.report(7).questions == 80


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "questions.sqlite3"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(QuestionLogError, match="questions.sqlite3"):
        QuestionLog(path)


def test_a_log_from_a_newer_version_is_refused_not_changed(tmp_path: Path) -> None:
    path = tmp_path / "questions.sqlite3"
    sql(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(QuestionLogError, match="newer version"):
        QuestionLog(path)
    assert sql(path, "SELECT name FROM sqlite_master") == []
