"""The bot in its own process: a clean stop on SIGTERM with an answer in flight, and a burst of /ask right
after a cold start. The process is ``tests/bot_process.py`` (the real ``run_bot``) on a local fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from fake_discord import EPHEMERAL, SAMPLE_DOCUMENTS, FakeDiscord, Interaction, write_documents

from bot.limits import STOPPING_TEXT

pytestmark = [pytest.mark.asyncio, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]

LAUNCHER = Path(__file__).resolve().parent / "bot_process.py"
UN_QUOTE = "The UN report is 46 pages long"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"


async def start_bot_process(tmp_path: Path, fake: FakeDiscord, **env: str) -> asyncio.subprocess.Process:
    """Start the bot process on ``fake`` and wait until it is connected with its commands synced."""
    seeds = write_documents(tmp_path / "seeds", SAMPLE_DOCUMENTS)
    environment = {
        **os.environ,
        "DISCORD_TOKEN": fake.token,
        "SEEDS_DIR": str(seeds),
        "GUILD_ID": str(fake.guild_id),
        "ANSWER_CHANNEL_IDS": "",
        "QUESTION_COOLDOWN": "0",
        "FAKE_DISCORD_API": fake.base_url,
        "FAKE_DISCORD_GATEWAY": fake.gateway_url,
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(LAUNCHER), env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_until(
            lambda: fake.connected and (fake.guild_id, "ask") in fake.commands or process.returncode is not None,
            timeout=30, what="the bot process to connect",
        )
    except BaseException:
        process.kill()
        raise
    assert process.returncode is None, "the bot process exited early"
    return process


async def callback(fake: FakeDiscord, interaction: Interaction, timeout: float = 5.0) -> float:
    """Seconds from sending ``interaction`` to the bot's first accepted callback."""
    [first, *_] = await fake.wait_for_requests(
        lambda r: r.route == CALLBACK and r.params["token"] == interaction.token and r.ok, timeout=timeout
    )
    return first.at - interaction.sent_at


async def test_sigterm_finishes_the_answer_in_flight_then_exits_cleanly(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        process = await start_bot_process(
            tmp_path, fake, SLOW_QUESTION_WORD="[slow]", SLOW_QUESTION_SECONDS="2"
        )
        try:
            in_flight = await fake.send_interaction("ask", {"question": "[slow] How long is the UN report?"})
            await callback(fake, in_flight)  # deferred: "SeedBot is thinking…"
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.2)
            late = await fake.send_interaction("ask", {"question": "How long is the UN report?"})
            [refusal] = await fake.wait_for_messages(interaction=late)
            assert refusal.content == STOPPING_TEXT and refusal.flags & EPHEMERAL
            [answer] = await fake.wait_for_messages(interaction=in_flight, timeout=10)
            assert UN_QUOTE in answer.content
            _, stderr = await asyncio.wait_for(process.communicate(), 15)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        log = stderr.decode()
        assert process.returncode == 0, log
        assert "Stopped." in log
        assert " ERROR " not in log and "Unexpected error" not in log
        assert 1000 in fake.close_codes, log  # the gateway was closed normally, not dropped (1006)


async def test_burst_of_ask_right_after_a_cold_start_is_acknowledged_within_a_second(tmp_path: Path) -> None:
    async with FakeDiscord() as fake:
        process = await start_bot_process(tmp_path, fake)
        try:
            questions = ["How long is the UN report?", "How much sun do tomatoes need?",
                         "When does the deploy window open?", "What grows well next to tomatoes?"] * 4
            burst = await asyncio.gather(*(fake.send_interaction("ask", {"question": q}) for q in questions))
            delays = await asyncio.gather(*(callback(fake, interaction) for interaction in burst))
            assert max(delays) < 1.0, sorted(delays)
            for interaction in burst:
                [answer] = await fake.wait_for_messages(interaction=interaction, settle=0)
                assert answer.content and not answer.flags & EPHEMERAL
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.communicate(), 15)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0
