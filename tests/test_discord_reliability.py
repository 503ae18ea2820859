"""Faults while running, through the real client on the fake Discord: an expired interaction, a token
revoked mid-run, and the Message Content intent turned off mid-run."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from fake_discord import SAMPLE_DOCUMENTS, BotHarness, FakeDiscord, patched_discord, write_documents

from bot.app import serve
from bot.client import SeedBot
from bot.settings import Settings

pytestmark = pytest.mark.asyncio

CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}


async def test_expired_interaction_is_one_warning_without_traceback_or_second_try(
    discord_bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    fake = discord_bot.fake
    fake.fail_next(CALLBACK, status=404, body=UNKNOWN_INTERACTION)
    with caplog.at_level(logging.DEBUG):
        interaction = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
        await fake.wait_for_requests(lambda r: r.route == CALLBACK, timeout=5)
        await asyncio.sleep(0.4)
    callbacks = [r for r in fake.requests_to(CALLBACK) if r.params["token"] == interaction.token]
    assert [r.status for r in callbacks] == [404]  # no second callback that would fail the same way
    assert not [r for r in fake.requests if r.route.startswith("POST /webhooks/")]
    ours = [r for r in caplog.records if r.name.startswith("bot")]
    assert [r.levelno for r in ours if r.levelno >= logging.WARNING] == [logging.WARNING]
    [warning] = [r for r in ours if r.levelno == logging.WARNING]
    assert "/ask" in warning.getMessage() and "expired" in warning.getMessage()
    assert not [r for r in caplog.records if r.exc_info]


@pytest.fixture
def quick_reidentify(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py waits 5 s before each IDENTIFY after the first (``before_identify_hook``); skip that."""

    async def no_wait(self: SeedBot, shard_id: int | None, *, initial: bool = False) -> None:
        return None

    monkeypatch.setattr(SeedBot, "before_identify_hook", no_wait)


async def run_until_ready(tmp_path: Path, fake: FakeDiscord) -> tuple[asyncio.Task[int], io.StringIO]:
    seeds = write_documents(tmp_path / "seeds", SAMPLE_DOCUMENTS)
    err = io.StringIO()
    settings = Settings(_env_file=None, discord_token=fake.token, seeds_dir=seeds, guild_id=fake.guild_id)
    task = asyncio.create_task(serve(settings, err=err, guild_ready_timeout=0.05))
    await fake.wait_until(lambda: fake.connected, timeout=10, what="the bot to connect")
    interaction = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
    await fake.wait_for_messages(interaction=interaction, timeout=10)  # fully running: it answered
    return task, err


@pytest.mark.usefixtures("quick_reidentify")
async def test_token_revoked_while_running_says_discord_rejected_it(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        token = fake.token
        with patched_discord(fake):
            task, err = await run_until_ready(tmp_path, fake)
            await fake.revoke_token()
            code = await asyncio.wait_for(task, 20)
    assert code == 1
    message = err.getvalue()
    assert "Discord rejected the bot token while the bot was running" in message
    assert "Reset Token" in message and "network" not in message and token not in message


@pytest.mark.usefixtures("quick_reidentify")
async def test_message_content_intent_turned_off_mid_run_says_the_bot_stopped_and_what_to_do(
    tmp_path: Path,
) -> None:
    async with FakeDiscord() as fake:
        with patched_discord(fake):
            task, err = await run_until_ready(tmp_path, fake)
            await fake.refuse_message_content()
            code = await asyncio.wait_for(task, 20)
    assert code == 1
    message = err.getvalue()
    assert "may no longer use the Message Content intent" in message and "has stopped" in message
    assert "Privileged Gateway Intents" in message and "start it again" in message
    assert "still work" not in message
