"""Admin commands in Discord: /unanswered and /status, for members with Manage Server only, through the real
client on the fake Discord; and the question log behind them (what an answer writes, feedback clicks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import BotHarness, running_bot

from bot.questions_log import QuestionLog

pytestmark = pytest.mark.asyncio

MANAGE_GUILD = 1 << 5
#: What the fake gives a member by default: everything usual, without Manage Server.
MEMBER = 2248473465835073
ADMIN = MEMBER | MANAGE_GUILD
GUILD_SYNC = "PUT /applications/{application_id}/guilds/{guild_id}/commands"


def synced(harness: BotHarness, name: str) -> dict:
    [sync] = harness.fake.requests_to(GUILD_SYNC)
    [command] = [c for c in sync.json if c["name"] == name]
    return command


async def test_admin_commands_are_shown_only_to_members_with_manage_server(discord_bot: BotHarness) -> None:
    for name in ("unanswered", "status"):
        command = synced(discord_bot, name)
        assert int(command["default_member_permissions"]) == MANAGE_GUILD  # Discord hides it from others
        assert command["contexts"] == [0]  # servers only, not direct messages
    assert synced(discord_bot, "ask")["default_member_permissions"] is None


async def test_unanswered_lists_grouped_questions_only_for_manage_server(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    for question in ("What is the capital of Mongolia?", "what is the capital of mongolia", "How long is the UN report?"):
        await discord_bot.ask(question)
    await discord_bot.mention("What is the CAPITAL of Mongolia!")

    refused = await fake.send_interaction_with_permissions("unanswered", {"days": 7}, permissions=MEMBER)
    [refusal] = await fake.wait_for_messages(interaction=refused)
    assert refusal.ephemeral and "Manage Server" in refusal.content and "Mongolia" not in refusal.content

    allowed = await fake.send_interaction_with_permissions("unanswered", {"days": 7}, permissions=ADMIN)
    [report] = await fake.wait_for_messages(interaction=allowed)
    assert report.ephemeral
    assert "4 questions, 3 unanswered" in report.content
    [line] = [line for line in report.content.splitlines() if "capital" in line.lower()]
    assert line.startswith("1. 3×")  # three wordings, one group
    assert "UN report" not in report.content  # answered, and nobody said it did not help


async def test_not_helpful_clicks_show_in_unanswered(discord_bot: BotHarness) -> None:
    answer, question_id = await discord_bot.bot.answer_with_id("How long is the UN report?")
    assert answer.answered and question_id is not None
    assert await discord_bot.bot.record_feedback(question_id, False)
    assert await discord_bot.bot.record_feedback(question_id, True)
    assert not await discord_bot.bot.record_feedback(question_id + 1000, False)  # no such question
    interaction = await discord_bot.fake.send_interaction_with_permissions("unanswered", permissions=ADMIN)
    [report] = await discord_bot.fake.wait_for_messages(interaction=interaction)
    assert "**Answers marked not helpful**" in report.content
    assert "👎 1 · 👍 1 — How long is the UN report? · quoted `un-report.txt`" in report.content


async def test_questions_are_logged_without_user_ids(tmp_path: Path) -> None:
    database = tmp_path / "log" / "questions.sqlite3"
    async with running_bot(tmp_path, question_log=QuestionLog(database)) as harness:
        await harness.mention(f"ask <@{harness.fake.user_id}> about the capital of Mongolia?")
        await harness.ask("How long is the UN report?")
    store = QuestionLog(database)
    try:
        report = store.report(1)
    finally:
        store.close()
    assert (report.questions, report.answered) == (2, 1)
    [group] = report.unanswered
    assert group.question == "ask @user about the capital of Mongolia?"
    raw = database.read_bytes() + (database.with_name(database.name + "-wal").read_bytes()
                                   if database.with_name(database.name + "-wal").exists() else b"")
    assert str(harness.fake.user_id).encode() not in raw and b"alice" not in raw.lower()


async def test_status_shows_documents_passages_index_uptime_and_version(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    refused = await fake.send_interaction_with_permissions("status", permissions=MEMBER)
    [refusal] = await fake.wait_for_messages(interaction=refused)
    assert refusal.ephemeral and "Manage Server" in refusal.content
    allowed = await fake.send_interaction_with_permissions("status", permissions=ADMIN)
    [status] = await fake.wait_for_messages(interaction=allowed)
    assert status.ephemeral
    retriever = discord_bot.bot.loaded_retriever
    assert f"Documents: {len(retriever.documents)} · passages: {len(retriever.passages)}" in status.content
    for expected in ("Index: built ", "Last document change: ", "Uptime: ", "Version: seedbot "):
        assert expected in status.content
