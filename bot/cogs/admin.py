"""Commands for server admins: ``/unanswered`` and ``/status``.

Both are registered with ``default_permissions(manage_guild=True)``, so Discord shows them only to members
with the Manage Server permission (a server can change that under Server Settings -> Integrations), and
each also checks the permission itself before answering. Replies are ephemeral: only the admin sees them.
The data comes from the bot's question log and retriever in a worker thread; the text from the pure
formatters in :mod:`bot.admin_format`.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import time
from pathlib import Path
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from retrieval.documents import document_files

from ..admin_format import Status, render_status, render_unanswered
from ._respond import send_contents

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["DEFAULT_DAYS", "MAX_DAYS", "Admin", "newest_change", "setup", "version"]

#: Period of ``/unanswered`` when no ``days`` is given.
DEFAULT_DAYS = 30
#: Longest period ``/unanswered`` accepts.
MAX_DAYS = 3650


def version() -> str:
    """``"seedbot 0.1.0 · discord.py 2.7.1"`` (``unknown`` when the package is not installed)."""
    try:
        ours = importlib.metadata.version("seedbot")
    except importlib.metadata.PackageNotFoundError:
        ours = "unknown"
    return f"seedbot {ours} · discord.py {discord.__version__}"


def newest_change(folder: Path | None) -> float | None:
    """Unix seconds of the newest modification among the document files in ``folder`` (blocking I/O), or
    ``None`` when there is no folder or no file."""
    if folder is None or not Path(folder).is_dir():
        return None
    stamps = []
    for path, _ in document_files(Path(folder)):
        try:
            stamps.append(path.stat().st_mtime)
        except OSError:
            continue
    return max(stamps, default=None)


class Admin(commands.Cog):
    """Server-admin commands (Manage Server)."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot

    @app_commands.command(name="unanswered")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def unanswered(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, MAX_DAYS] = DEFAULT_DAYS
    ) -> None:
        """Questions the documents could not answer, and answers marked not helpful (Manage Server).

        Parameters
        ----------
        days
            How many days back to look (default 30)
        """
        store = self.bot.question_log
        report = await asyncio.to_thread(store.report, days) if store is not None else None
        await send_contents(interaction, render_unanswered(report), ephemeral=True)

    @app_commands.command(name="status")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction) -> None:
        """Documents, passages, index age, uptime and version of the bot (Manage Server)."""
        status = await asyncio.to_thread(self._status)
        await send_contents(interaction, [render_status(status, time.time())], ephemeral=True)

    def _status(self) -> Status:
        """Gather what ``/status`` shows (blocking: run in a worker thread)."""
        bot = self.bot
        retriever = bot.loaded_retriever
        store = bot.question_log
        questions = answered = None
        if store is not None:
            report = store.report(7, limit=0)
            questions, answered = report.questions, report.answered
        return Status(
            documents=len(retriever.documents) if retriever is not None else None,
            passages=len(retriever.passages) if retriever is not None else None,
            index_updated_at=bot.index_updated_at if retriever is not None else None,
            newest_document_at=newest_change(bot.seeds_dir),
            started_at=bot.started_at,
            version=version(),
            questions=questions,
            answered=answered,
            days=7,
        )


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`Admin` cog."""
    await bot.add_cog(Admin(bot))
