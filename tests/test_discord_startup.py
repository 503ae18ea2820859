"""Start-up: intents, command sync, the token and clear failures, through the real client on the fake."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from fake_discord import (
    DEFAULT_TOKEN,
    SAMPLE_DOCUMENTS,
    BotHarness,
    FakeDiscord,
    patched_discord,
    running_bot,
    write_documents,
)

from bot.app import serve
from bot.settings import Settings

pytestmark = pytest.mark.asyncio

MESSAGE_CONTENT_INTENT = 1 << 15


def identify_intents(fake: FakeDiscord) -> int:
    [identify] = [p for p in fake.gateway_received if p["op"] == 2]
    return int(identify["d"]["intents"])


async def test_without_message_content_intent_mentions_still_work_and_startup_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot"):
        async with running_bot(tmp_path, fake=FakeDiscord(app_flags=0)) as harness:
            assert (
                not identify_intents(harness.fake) & MESSAGE_CONTENT_INTENT
            )  # else Discord closes with 4014
            _, [reply] = await harness.mention("how long is the UN report?")
            assert "The UN report is 46 pages long" in reply.content
            _, [answer] = await harness.ask("How long is the UN report?")
            assert "46 pages" in answer.content
    warning = "\n".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "Message Content intent is not enabled" in warning
    assert "Privileged Gateway Intents" in warning and "ANSWER_CHANNEL_IDS" in warning


async def test_message_content_intent_requested_when_enabled(discord_bot: BotHarness) -> None:
    assert identify_intents(discord_bot.fake) & MESSAGE_CONTENT_INTENT


async def test_without_guild_id_commands_are_synced_globally(tmp_path: Path) -> None:
    async with running_bot(tmp_path, guild=False) as harness:
        fake = harness.fake
        assert [r.route for r in fake.requests if r.method == "PUT"] == [
            "PUT /applications/{application_id}/commands"
        ]
        _, [answer] = await harness.ask("How long is the UN report?")
        assert "46 pages" in answer.content


async def test_token_is_never_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with running_bot(tmp_path) as harness:
            await harness.ask("How long is the UN report?")
            await harness.fake.drop_connection()  # RESUME sends the token again
            await harness.mention("how long is the UN report?", timeout=10)
    assert any(p["op"] == 6 and p["d"]["token"] == DEFAULT_TOKEN for p in harness.fake.gateway_received)
    captured = capsys.readouterr()
    assert DEFAULT_TOKEN not in caplog.text + captured.out + captured.err
    assert len(caplog.records) > 20  # debug logging really was on


async def test_bad_token_exits_non_zero_with_a_clear_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "WRONG-TOKEN.abcdef.0123456789"
    seeds = write_documents(tmp_path / "seeds", SAMPLE_DOCUMENTS)
    err = io.StringIO()
    async with FakeDiscord() as fake:
        with patched_discord(fake), caplog.at_level(logging.DEBUG):
            code = await serve(Settings(_env_file=None, discord_token=wrong, seeds_dir=seeds), err=err)
    assert code == 1
    assert "Discord rejected the bot token in DISCORD_TOKEN" in err.getvalue()
    assert wrong not in err.getvalue() + caplog.text


async def test_missing_documents_folder_exits_non_zero(tmp_path: Path) -> None:
    err = io.StringIO()
    code = await serve(Settings(_env_file=None, discord_token="x", seeds_dir=tmp_path / "nope"), err=err)
    assert code == 1 and "does not exist" in err.getvalue() and "SEEDS_DIR" in err.getvalue()


async def test_folder_without_documents_stops_the_bot_with_a_clear_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    err = io.StringIO()
    async with FakeDiscord() as fake:
        with patched_discord(fake):
            code = await serve(
                Settings(_env_file=None, discord_token=DEFAULT_TOKEN, seeds_dir=empty),
                err=err,
                guild_ready_timeout=0.05,
            )
    assert code == 1
    assert "No documents to answer from" in err.getvalue()


async def test_serve_loads_the_folder_in_the_background_and_answers(tmp_path: Path) -> None:
    seeds = write_documents(tmp_path / "seeds", SAMPLE_DOCUMENTS)
    async with FakeDiscord() as fake:
        with patched_discord(fake):
            settings = Settings(
                _env_file=None, discord_token=DEFAULT_TOKEN, seeds_dir=seeds, guild_id=fake.guild_id
            )
            task = asyncio.create_task(serve(settings, guild_ready_timeout=0.05))
            await fake.wait_until(lambda: fake.connected, timeout=10, what="the bot to connect")
            interaction = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
            [answer] = await fake.wait_for_messages(interaction=interaction, timeout=10)
            assert "46 pages" in answer.content
            task.cancel()  # Ctrl+C
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)
