"""Shared fixtures.

* ``discord_bot``: a real bot connected to a local fake Discord (see ``tests/fake_discord.py``), answering
  from :data:`fake_discord.SAMPLE_DOCUMENTS`. For other documents or options, use
  ``async with running_bot(tmp_path, documents, ...) as harness:`` directly.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # so `pytest` (not only `python -m pytest`) finds bot/ and retrieval/
    sys.path.insert(0, str(ROOT))

from fake_discord import BotHarness, running_bot


@pytest_asyncio.fixture
async def discord_bot(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A running bot on a fake Discord, with the sample documents and an answer channel configured."""
    async with running_bot(tmp_path) as harness:
        yield harness


@pytest.fixture(autouse=True)
def _question_log_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bot a test starts logs questions under its own ``tmp_path``, never in the working folder."""
    monkeypatch.setenv("QUESTIONS_DB", str(tmp_path / "index" / "questions.sqlite3"))


@pytest.fixture(autouse=True)
def _index_dir_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test keeps its saved index (INDEX_DIR) in a temporary folder of its own, never in the repository,
    and beside ``tmp_path``, not in it: tests use ``tmp_path`` as the documents folder, and an index inside
    that is moved out with a warning."""
    monkeypatch.setenv("INDEX_DIR", str(tmp_path.with_name(f"{tmp_path.name}-saved-index")))
