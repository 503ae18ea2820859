"""Pure pieces of the admin features: the /unanswered and /status formatters, the cooldown, and
``python -m bot unanswered``."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from bot.admin_format import (
    NO_LOG,
    Status,
    format_duration,
    format_unanswered_text,
    render_status,
    render_unanswered,
)
from bot.app import build_bot
from bot.cli import run_cli
from bot.formatting import discord_length
from bot.limits import Cooldown, cooldown_text
from bot.questions_log import FeedbackGroup, QuestionGroup, QuestionLog, Report
from bot.settings import Settings

NOW = 1_700_000_000.0


def report(unanswered: list[QuestionGroup], not_helpful: list[FeedbackGroup] | None = None) -> Report:
    return Report(30, 50, 50 - sum(g.count for g in unanswered), unanswered, not_helpful or [])


def test_unanswered_reply_escapes_questions_and_names_the_closest_document() -> None:
    groups = [QuestionGroup("what does **@everyone** mean? <@123>", 4, NOW, "notes/guide.md"),
              QuestionGroup("who is on call", 1, NOW - 86400, None)]
    [content] = render_unanswered(report(groups, [FeedbackGroup("when is the deploy?", 2, 0, NOW, "deploy.md")]))
    lines = content.splitlines()
    assert lines[0].startswith("**What went unanswered in the last 30 days** — 50 questions, 5 unanswered.")
    assert r"1. 4× what does \*\*\@everyone\*\* mean? \<@123> · closest `notes/guide.md` · last 2023-11-14" in lines
    assert "2. 1× who is on call · last 2023-11-13" in lines
    assert "1. 👎 2 · 👍 0 — when is the deploy? · quoted `deploy.md` · last 2023-11-14" in lines


def test_unanswered_reply_stays_within_discord_limits() -> None:
    groups = [QuestionGroup(f"question {n} " + "word " * 80, 100 - n, NOW, f"doc-{n}.md") for n in range(60)]
    contents = render_unanswered(report(groups))
    assert len(contents) > 1 and all(discord_length(c) <= 2000 for c in contents)
    assert sum(c.count("×") for c in contents) == 60


def test_unanswered_reply_without_a_log_or_without_gaps() -> None:
    assert render_unanswered(None) == [NO_LOG]
    [content] = render_unanswered(Report(7, 3, 3, [], []))
    assert "Every question in this period was answered." in content


def test_status_reply() -> None:
    status = Status(documents=12, passages=340, index_updated_at=NOW - 300, newest_document_at=NOW - 2 * 86400,
                    started_at=NOW - 3 * 3600 - 120, version="seedbot 1.2.3 · discord.py 2.7.1",
                    questions=40, answered=31)
    text = render_status(status, NOW)
    assert "Documents: 12 · passages: 340" in text
    assert "Index: built 5 min ago" in text and "Last document change: 2023-11-12" in text
    assert "Uptime: 3 h 2 min" in text and "Version: seedbot 1.2.3" in text
    assert "Questions in the last 7 days: 40, 31 answered" in text
    loading = render_status(Status(None, None, None, None, NOW, "seedbot 1.2.3"), NOW)
    assert "still loading" in loading and "Question log: off" in loading


def test_format_duration() -> None:
    assert [format_duration(s) for s in (5, 125, 3600, 3 * 3600 + 60, 86400, 2 * 86400 + 7200)] == [
        "5 s", "2 min", "1 h", "3 h 1 min", "1 day", "2 days 2 h"]


def test_cooldown_allows_rate_per_minute_per_member() -> None:
    now = [0.0]
    cooldown = Cooldown(3, clock=lambda: now[0])
    assert [cooldown.hit(1) for _ in range(3)] == [None, None, None]
    assert cooldown.hit(1) == 60.0 and cooldown.hit(2) is None  # another member is not affected
    now[0] = 30.0
    assert cooldown.hit(1) == 30.0  # the refused question did not count
    now[0] = 60.0
    assert cooldown.hit(1) is None
    assert cooldown.should_tell(1) and not cooldown.should_tell(1)
    now[0] = 121.0
    assert cooldown.should_tell(1)
    assert Cooldown(0).hit(1) is None  # 0: no limit
    assert cooldown_text(0.2) == cooldown_text(1) and "1 second " in cooldown_text(1)


def test_cli_unanswered_text_and_json(tmp_path: Path) -> None:
    path = tmp_path / "questions.sqlite3"
    store = QuestionLog(path)
    for question in ("Where is the ferry?", "where is the ferry", "Who is on call?"):
        store.record_question(question, answered=False, document="travel.md")
    store.record_question("How long is it?", answered=True, document="report.txt")
    store.close()
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(["unanswered", "--db", str(path), "--days", "3"], out, err) == 0
    text = out.getvalue()
    assert "4 questions, 3 unanswered" in text
    assert "   2×  where is the ferry  (closest: travel.md)" in text
    out = io.StringIO()
    assert run_cli(["unanswered", "--db", str(path), "--json"], out, err) == 0
    data = json.loads(out.getvalue())
    assert data["days"] == 30 and [g["count"] for g in data["unanswered"]] == [2, 1]
    assert format_unanswered_text(Report(30, 0, 0, [], [])).count("(none)") == 2


def test_cli_unanswered_without_a_log_file_says_so(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(["unanswered", "--db", str(tmp_path / "missing.sqlite3"), "--json"], out, err) == 0
    assert json.loads(out.getvalue())["questions"] == 0
    assert "no questions logged yet" in err.getvalue()
    assert not (tmp_path / "missing.sqlite3").exists()  # reading never creates it
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database " * 100)
    assert run_cli(["unanswered", "--db", str(bad)], io.StringIO(), err) == 2
    assert "bad.sqlite3" in err.getvalue()


def test_admin_settings_parse_and_a_log_inside_the_documents_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(_env_file=None, allowed_channel_ids="12, 34", questions_db="off")
    assert settings.allowed_channel_ids == frozenset({12, 34}) and settings.questions_db is None
    assert Settings(_env_file=None).question_cooldown == 5 and Settings(_env_file=None).questions_retention_days == 90
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with caplog.at_level(logging.WARNING):
        inside = build_bot(Settings(_env_file=None, seeds_dir=seeds, questions_db=seeds / "q.sqlite3"), retriever=None)
    assert inside._question_log_source is None
    assert "inside the documents folder SEEDS_DIR" in caplog.text
    hidden = build_bot(Settings(_env_file=None, seeds_dir=seeds, questions_db=seeds / ".seedbot-index" / "q.sqlite3"))
    assert hidden._question_log_source is not None  # hidden folders are never read as documents
