"""Running the Discord bot: ``python -m bot`` with ``DISCORD_TOKEN`` set ends up in :func:`run_bot`.

The index is built in a worker thread while the gateway connects, so the heartbeat never stalls. The token
is only ever handed to discord.py; it is never logged or printed, also not in error messages.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from typing import Any, TextIO

import aiohttp
import discord

from retrieval import Retriever

from .client import MESSAGE_CONTENT_HELP, RetrieverSource, SeedBot
from .settings import Settings

__all__ = ["BAD_TOKEN_HELP", "build_bot", "run_bot", "serve"]

log = logging.getLogger(__name__)

BAD_TOKEN_HELP = (
    "Discord rejected the bot token in DISCORD_TOKEN. Copy a new one from the Discord Developer Portal "
    "(your application -> Bot -> Reset Token), put it in .env as DISCORD_TOKEN=..., and start again. "
    "See README.md, 'Run it in Discord'."
)


def build_bot(settings: Settings, retriever: RetrieverSource | None = None, **options: Any) -> SeedBot:
    """Build the bot from ``settings``.

    Parameters
    ----------
    settings:
        ``seeds_dir``, ``guild_id`` and ``answer_channel_ids`` are used; the token is not (see :func:`serve`).
    retriever:
        A retriever or loader (see :data:`bot.client.RetrieverSource`); default: open the saved index of
        ``settings.seeds_dir`` in ``settings.index_dir`` (brought up to date, with progress log lines) in a
        worker thread at start-up, and follow the folder (:class:`bot.watch.FolderWatch`) once loaded.
    **options:
        Passed to :class:`~bot.client.SeedBot`.
    """
    if retriever is None:
        from .progress import LogProgress
        from .watch import FolderWatch

        retriever = functools.partial(Retriever.from_folder, settings.seeds_dir, index_dir=settings.index_dir,
                                      progress=LogProgress())
        options.setdefault("watch", FolderWatch(settings.seeds_dir, retriever))
    return SeedBot(
        retriever, answer_channel_ids=settings.answer_channel_ids, guild_id=settings.guild_id, **options
    )


def _token(settings: Settings) -> str:
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    token = settings.discord_token.get_secret_value().strip()
    if token.lower().startswith("bot "):  # pasted with the header prefix; discord.py adds it itself
        token = token[4:].strip()
    return token


async def serve(settings: Settings, *, err: TextIO | None = None, **options: Any) -> int:
    """Run the bot until it is closed; return the exit code.

    Returns
    -------
    int
        0 after a normal shutdown; 1 when the token is missing or rejected, the documents cannot be loaded,
        Discord refuses the requested intents, or Discord cannot be reached. The reason is printed on
        ``err`` (standard error) without the token.
    """
    err = err or sys.stderr
    if settings.discord_token is None:
        print("error: DISCORD_TOKEN is not set.", file=err)
        return 1
    if not settings.seeds_dir.is_dir():
        print(
            f"error: the documents folder {str(settings.seeds_dir)!r} does not exist. Set SEEDS_DIR to a "
            "folder of .txt or .md files.",
            file=err,
        )
        return 1
    bot = build_bot(settings, **options)
    failure: str | None = None
    try:
        async with bot:
            await bot.start(_token(settings))
    except discord.LoginFailure:
        failure = BAD_TOKEN_HELP
    except discord.PrivilegedIntentsRequired:
        failure = "Discord refused to connect: the bot asked for an intent that is not enabled. "
        failure += MESSAGE_CONTENT_HELP
    except (
        discord.HTTPException,
        discord.GatewayNotFound,
        discord.ConnectionClosed,
        aiohttp.ClientError,
        OSError,
    ) as error:
        failure = (
            f"could not connect to Discord ({type(error).__name__}: {error}). Check the network "
            "connection and https://discordstatus.com, then try again."
        )
    if bot.load_error is not None:  # closing the bot early can make start() fail too; this is the cause
        failure = f"could not load the documents: {bot.load_error}"
    if failure is not None:
        print(f"error: {failure}", file=err)
        return 1
    return 0


def run_bot(settings: Settings) -> int:
    """Start the Discord bot with ``settings`` and block until it stops (Ctrl+C); return the exit code."""
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:
        log.info("Stopped.")
        return 0
