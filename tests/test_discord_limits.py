"""Limits in Discord: the per-member cooldown, ALLOWED_CHANNEL_IDS and channels where the bot may not post,
through the real client on the fake Discord."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, running_bot

pytestmark = pytest.mark.asyncio

UN_QUOTE = "The UN report is 46 pages long"
QUESTION = "How long is the UN report?"
SEND_MESSAGES = 1 << 11
QUIET = 0.4


async def test_cooldown_answers_slash_commands_over_the_limit_privately(tmp_path: Path) -> None:
    async with running_bot(tmp_path, cooldown=2) as harness:
        for _ in range(2):
            _, [answer] = await harness.ask(QUESTION, settle=0)
            assert UN_QUOTE in answer.content
        _, [refusal] = await harness.ask(QUESTION)
        assert refusal.ephemeral and "please wait" in refusal.content and UN_QUOTE not in refusal.content
        # Admin commands do not count, and are not refused.
        status = await harness.fake.send_interaction("sources")
        [listing] = await harness.fake.wait_for_messages(interaction=status)
        assert "un-report.txt" in listing.content


async def test_cooldown_on_mentions_is_told_once_in_a_direct_message(tmp_path: Path) -> None:
    async with running_bot(tmp_path, cooldown=1) as harness:
        fake = harness.fake
        _, [reply] = await harness.mention("how long is the UN report?")
        assert UN_QUOTE in reply.content
        for _ in range(2):
            await fake.send_message(f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id])
        await fake.wait_until(lambda: len(fake.dm_messages()) >= 1, what="a direct message")
        await asyncio.sleep(QUIET)
        [dm] = fake.dm_messages()
        assert "please wait" in dm.content
        assert len(fake.sent_messages(channel_id=fake.channel_id)) == 1  # only the first was answered


async def test_allowed_channels_limit_where_mentions_are_answered(tmp_path: Path) -> None:
    fake = FakeDiscord()
    async with running_bot(tmp_path, fake=fake, allowed_channel_ids=[fake.answer_channel_id]) as harness:
        since = len(fake.requests)
        await fake.send_message(f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id])
        await asyncio.sleep(QUIET)
        assert fake.requests[since:] == []  # not an allowed channel: not even typing
        message = await fake.send_message(
            f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id],
            channel_id=fake.answer_channel_id,
        )
        [reply] = await fake.wait_for_messages(reply_to=message)
        assert UN_QUOTE in reply.content
        _, [answer] = await harness.ask(QUESTION)  # slash commands work everywhere
        assert UN_QUOTE in answer.content


async def test_no_reply_where_the_bot_may_not_send_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeDiscord()
    muted = fake.add_text_channel("announcements", bot_denied=SEND_MESSAGES)
    with caplog.at_level(logging.WARNING):
        async with running_bot(tmp_path, fake=fake) as harness:
            since = len(fake.requests)
            for _ in range(2):
                await fake.send_message(
                    f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id], channel_id=muted
                )
            await asyncio.sleep(QUIET)
            assert fake.requests[since:] == []  # no typing, no message, no 403
            _, [reply] = await harness.mention("how long is the UN report?")  # elsewhere it still answers
            assert UN_QUOTE in reply.content
    warnings = [r for r in caplog.records if "lacks the Send Messages permission" in r.getMessage()]
    assert len(warnings) == 1 and str(muted) in warnings[0].getMessage()
