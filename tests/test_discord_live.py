"""The running bot follows the documents folder: through the real discord.py client and the fake Discord."""

from __future__ import annotations

import asyncio
import functools
import time
from pathlib import Path

import pytest
from fake_discord import BotHarness, running_bot

from bot.watch import FolderWatch
from retrieval import Retriever

pytestmark = pytest.mark.asyncio

DOCUMENTS = {
    "un-report.txt": "date 2022-09-02\nThe UN report is 46 pages long. It was published on August 31.\n",
    "garden.md": "# Garden\n\nThe community garden grows tomatoes and beans every summer.\n",
}


async def ask_text(harness: BotHarness, question: str) -> str:
    _, messages = await harness.ask(question)
    return "\n".join(m.content or "" for m in messages)


async def eventually(check, timeout: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``await check()`` is true; fails after ``timeout`` seconds."""
    started = time.monotonic()
    while True:
        if await check():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{getattr(check, '__name__', check)}: not within {timeout} s")
        await asyncio.sleep(0.2)


async def test_added_edited_and_deleted_files_are_followed_within_seconds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    loader = functools.partial(Retriever.from_folder, seeds, index_dir=tmp_path / "index")
    watch = FolderWatch(seeds, loader)
    async with running_bot(tmp_path, DOCUMENTS, retriever=loader, watch=watch, cooldown=0) as harness:
        assert "46 pages" in await ask_text(harness, "How long is the UN report?")
        (seeds / "moon.txt").write_text("The moon base opened in 2031 with three white domes.\n", encoding="utf-8")

        async def moon_answered() -> bool:
            return "three white domes" in await ask_text(harness, "When did the moon base open?")

        await eventually(moon_answered)
        (seeds / "un-report.txt").write_text("date 2022-09-02\nThe UN report is 52 pages long now.\n",
                                             encoding="utf-8")

        async def new_length_quoted() -> bool:
            text = await ask_text(harness, "How long is the UN report?")
            return "52 pages" in text and "46 pages" not in text

        await eventually(new_length_quoted)
        (seeds / "garden.md").unlink()

        async def garden_gone() -> bool:
            interaction = await harness.fake.send_interaction("sources")
            messages = await harness.fake.wait_for_messages(interaction=interaction)
            listing = "\n".join(m.content or "" for m in messages)
            return "garden.md" not in listing and "index updated" in listing

        await eventually(garden_gone)
        assert "tomatoes" not in await ask_text(harness, "What does the community garden grow?")


async def test_polling_finds_a_new_file_where_events_are_not_available(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    loader = functools.partial(Retriever.from_folder, seeds, index_dir=tmp_path / "index")
    watch = FolderWatch(seeds, loader, force_polling=True)
    async with running_bot(tmp_path, DOCUMENTS, retriever=loader, watch=watch, cooldown=0) as harness:
        (seeds / "moon.txt").write_text("The moon base opened in 2031 with three white domes.\n", encoding="utf-8")
        await eventually(lambda: _answers(harness, "When did the moon base open?", "three white domes"))
        assert watch.applied >= 1


async def _answers(harness: BotHarness, question: str, quote: str) -> bool:
    return quote in await ask_text(harness, question)


async def test_an_answer_in_flight_finishes_on_the_snapshot_it_started_with(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    loader = functools.partial(Retriever.from_folder, seeds, index_dir=tmp_path / "index")
    async with running_bot(tmp_path, DOCUMENTS, retriever=loader) as harness:
        old = await harness.bot.get_retriever()
        (seeds / "un-report.txt").unlink()
        new = loader()
        started = asyncio.Event()
        real_ask = old.ask

        def slow_ask(question: str, top_k: int = 3):  # type: ignore[no-untyped-def]
            started.set()
            time.sleep(0.5)
            return real_ask(question, top_k)

        old.ask = slow_ask  # type: ignore[method-assign]
        answering = asyncio.create_task(harness.bot.answer("How long is the UN report?"))
        await started.wait()
        harness.bot.swap_retriever(new)  # the swap lands while the answer is being computed
        answer = await answering
        assert answer.answered and "46 pages" in answer.excerpts[0].text
        after = await harness.bot.answer("How long is the UN report?")
        assert not after.answered or all(e.document.id != "un-report.txt" for e in after.excerpts)
