"""Slow start-up, a dropped gateway and rate limits: the bot still answers, exactly once, in time."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from fake_discord import SAMPLE_DOCUMENTS, BotHarness, running_bot, write_documents

from retrieval import Retriever

pytestmark = pytest.mark.asyncio

UN_QUOTE = "The UN report is 46 pages long"
MESSAGES_ROUTE = "POST /channels/{channel_id}/messages"


async def test_slow_index_load_is_acknowledged_in_time_and_heartbeats_continue(tmp_path: Path) -> None:
    released = threading.Event()
    folder = write_documents(tmp_path / "docs", SAMPLE_DOCUMENTS)

    def slow_loader() -> Retriever:  # blocks like a big index build would; the bot runs it in a thread
        released.wait(timeout=20)
        return Retriever.from_folder(folder)

    try:
        async with running_bot(tmp_path, retriever=slow_loader) as harness:
            fake = harness.fake
            assert not harness.bot.retriever_ready  # the gateway connected while the index was loading
            interaction = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
            [ack] = await fake.wait_for_requests(
                lambda r: r.route.endswith("/callback") and r.params["token"] == interaction.token, timeout=3
            )
            assert ack.ok and ack.json["type"] == 5  # deferred: "SeedBot is thinking…"
            assert ack.at - interaction.sent_at < 3.0
            message = await fake.send_message(
                f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id]
            )
            await fake.wait_for_requests(lambda r: r.route == "POST /channels/{channel_id}/typing", timeout=3)
            # The event loop stays free while the index loads: heartbeats keep their rhythm.
            beats = len(fake.heartbeats)
            await fake.wait_until(lambda: len(fake.heartbeats) >= beats + 2, timeout=3, what="two heartbeats")
            gaps = [b - a for a, b in zip(fake.heartbeats, fake.heartbeats[1:])]
            assert max(gaps) < 3 * fake.heartbeat_interval
            released.set()
            [followup] = await fake.wait_for_messages(interaction=interaction, timeout=10)
            assert followup.route == "POST /webhooks/{application_id}/{token}"
            assert UN_QUOTE in followup.content
            [reply] = await fake.wait_for_messages(reply_to=message, timeout=10)
            assert UN_QUOTE in reply.content
    finally:
        released.set()


async def test_mistake_while_loading_stays_ephemeral(tmp_path: Path) -> None:
    released = threading.Event()
    folder = write_documents(tmp_path / "docs", SAMPLE_DOCUMENTS)

    def slow_loader() -> Retriever:
        released.wait(timeout=20)
        return Retriever.from_folder(folder)

    try:
        async with running_bot(tmp_path, retriever=slow_loader) as harness:
            fake = harness.fake
            interaction = await fake.send_interaction("ask", {"question": " "})
            await fake.wait_for_requests(lambda r: r.route.endswith("/callback"), timeout=3)
            released.set()
            await fake.wait_for_requests(lambda r: r.route.startswith("DELETE /webhooks/"), timeout=10)
            [message] = await fake.wait_for_messages(interaction=interaction, timeout=10)
            assert message.ephemeral and message.content.startswith("Please ask a question")
            routes = [r.route for r in interaction.responses]
            assert routes == [
                "POST /interactions/{interaction_id}/{token}/callback",
                "DELETE /webhooks/{application_id}/{token}/messages/{message_id}",
                "POST /webhooks/{application_id}/{token}",
            ]
    finally:
        released.set()


async def test_dropped_gateway_resumes_and_next_question_is_answered_once(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    await fake.drop_connection()
    # Sent while the bot is reconnecting: Discord replays it after RESUME; it must be answered once.
    message = await fake.send_message(f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id])
    [reply] = await fake.wait_for_messages(reply_to=message, timeout=10, settle=0.5)
    assert UN_QUOTE in reply.content
    assert fake.resume_count == 1 and fake.identify_count == 1
    interaction = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
    [answer] = await fake.wait_for_messages(interaction=interaction, settle=0.5)
    assert UN_QUOTE in answer.content


async def test_rate_limited_reply_arrives_exactly_once(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    fake.fail_next(MESSAGES_ROUTE, status=429, retry_after=0.2)
    started = time.monotonic()
    _, replies = await discord_bot.mention("how long is the UN report?", settle=0.5)
    [reply] = replies
    assert UN_QUOTE in reply.content
    attempts = fake.requests_to(MESSAGES_ROUTE)
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.2  # waited as told by retry_after
    assert time.monotonic() - started < 5


async def test_rate_limited_interaction_callback_still_answers(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    fake.fail_next("POST /interactions/{interaction_id}/{token}/callback", status=429, retry_after=0.1)
    _, messages = await discord_bot.ask("How long is the UN report?", settle=0.5)
    [answer] = messages
    assert UN_QUOTE in answer.content
    assert [r.status for r in fake.requests_to("POST /interactions/{interaction_id}/{token}/callback")] == [
        429,
        200,
    ]


async def test_concurrent_questions_are_each_answered_once(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    questions = [
        "how long is the UN report?",
        "how much sun do tomatoes need?",
        "when does the deploy window open?",
    ]
    messages = await asyncio.gather(
        *(fake.send_message(f"<@{fake.bot_id}> {q}", mentions=[fake.bot_id]) for q in questions)
    )
    for message, expected in zip(messages, ["46 pages", "six hours of sun", "deploy window"]):
        [reply] = await fake.wait_for_messages(reply_to=message)
        assert expected in reply.content
