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

from .client import RetrieverSource, SeedBot
from .questions_log import QuestionLog
from .settings import Settings
from .shutdown import install_stop_signals

__all__ = [
    "BAD_TOKEN_HELP",
    "INTENT_REFUSED_HELP",
    "INTENT_REVOKED_HELP",
    "TOKEN_REVOKED_HELP",
    "build_bot",
    "run_bot",
    "serve",
]

log = logging.getLogger(__name__)

BAD_TOKEN_HELP = (
    "Discord rejected the bot token in DISCORD_TOKEN. Copy a new one from the Discord Developer Portal "
    "(your application -> Bot -> Reset Token), put it in .env as DISCORD_TOKEN=..., and start again. "
    "See README.md, 'Run it in Discord'."
)

#: Gateway close code 4004: authentication failed (the token was reset or revoked while the bot ran).
TOKEN_INVALID_CLOSE_CODE = 4004

TOKEN_REVOKED_HELP = (
    "Discord rejected the bot token while the bot was running: it was reset or revoked (in the Developer "
    "Portal, or by Discord after the token leaked). The bot has stopped. Copy a new token from the Discord "
    "Developer Portal (your application -> Bot -> Reset Token), put it in .env as DISCORD_TOKEN=..., and "
    "start again."
)

_INTENT_STEPS = (
    "To read questions in answer channels, turn it back on: Discord Developer Portal -> your application -> "
    "Bot -> Privileged Gateway Intents -> 'Message Content Intent', save, and start the bot again. Or just "
    "start it again without: it then connects without that intent, and /ask and @mentions work while "
    "questions without a mention in ANSWER_CHANNEL_IDS are ignored."
)

INTENT_REVOKED_HELP = (
    "Discord closed the connection because the bot may no longer use the Message Content intent (it was "
    "turned off in the Developer Portal while the bot ran). The bot has stopped and answers nothing until "
    "it is started again. " + _INTENT_STEPS
)

INTENT_REFUSED_HELP = (
    "Discord refused to connect: the bot asked for the Message Content intent, which is not enabled for "
    "it. The bot has stopped. " + _INTENT_STEPS
)


def build_bot(settings: Settings, retriever: RetrieverSource | None = None, **options: Any) -> SeedBot:
    """Build the bot from ``settings``.

    Parameters
    ----------
    settings:
        ``seeds_dir``, ``guild_id``, ``answer_channel_ids``, ``allowed_channel_ids``, ``question_cooldown``,
        ``questions_db`` and ``questions_retention_days`` are used; the token is not (see :func:`serve`).
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
    if settings.questions_db is not None and "question_log" not in options:
        problem = _log_path_problem(settings)
        if problem is not None:
            log.warning("Not logging questions: %s", problem)
        else:
            options["question_log"] = functools.partial(
                QuestionLog, settings.questions_db, retention_days=settings.questions_retention_days)
    options.setdefault("cooldown", settings.question_cooldown)
    options.setdefault("allowed_channel_ids", settings.allowed_channel_ids)
    options.setdefault("seeds_dir", settings.seeds_dir)
    if settings.as_of is not None:
        as_of = settings.as_of
        options.setdefault("today", lambda: as_of)
    return SeedBot(
        retriever, answer_channel_ids=settings.answer_channel_ids, guild_id=settings.guild_id, **options
    )


def _log_path_problem(settings: Settings) -> str | None:
    """Why ``QUESTIONS_DB`` cannot be used: it is inside ``SEEDS_DIR`` but not in a hidden folder there
    (files in hidden folders are never read as documents)."""
    assert settings.questions_db is not None
    path, seeds = settings.questions_db.resolve(), settings.seeds_dir.resolve()
    if not path.is_relative_to(seeds):
        return None
    if any(part.startswith(".") for part in path.relative_to(seeds).parent.parts):
        return None
    return (f"QUESTIONS_DB ({str(settings.questions_db)!r}) is inside the documents folder SEEDS_DIR; put it "
            "outside, or in a hidden folder such as .seedbot-index/")


def _token(settings: Settings) -> str:
    if settings.discord_token is None:
        raise ValueError("DISCORD_TOKEN is not set")
    token = settings.discord_token.get_secret_value().strip()
    if token.lower().startswith("bot "):  # pasted with the header prefix; discord.py adds it itself
        token = token[4:].strip()
    return token


async def serve(settings: Settings, *, err: TextIO | None = None, **options: Any) -> int:
    """Run the bot until it is closed; return the exit code.

    SIGTERM and SIGINT stop it cleanly (:meth:`~bot.client.SeedBot.stop_gracefully`): no new questions,
    the answers in flight are finished (at most 10 s), the gateway is closed with code 1000, "Stopped." is
    logged and the exit code is 0.

    Returns
    -------
    int
        0 after a normal shutdown; 1 when the token is missing or rejected (at start-up or later), the
        documents cannot be loaded, Discord refuses the requested intents, or Discord cannot be reached. The
        reason is printed on ``err`` (standard error) without the token.
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
    remove_signals = install_stop_signals(asyncio.get_running_loop(), bot.stop_gracefully)
    try:
        async with bot:
            bot.runner = asyncio.ensure_future(bot.start(_token(settings)))
            try:
                await bot.runner
            except asyncio.CancelledError:
                if not (bot.stopping and bot.runner.cancelled()):
                    raise
    except discord.LoginFailure:
        failure = BAD_TOKEN_HELP
    except discord.PrivilegedIntentsRequired:
        failure = INTENT_REVOKED_HELP if bot.was_ready else INTENT_REFUSED_HELP
    except discord.ConnectionClosed as error:
        if error.code != TOKEN_INVALID_CLOSE_CODE:
            failure = _network_failure(error)
        else:
            failure = TOKEN_REVOKED_HELP if bot.was_ready else BAD_TOKEN_HELP
    except (
        discord.HTTPException,
        discord.GatewayNotFound,
        aiohttp.ClientError,
        OSError,
    ) as error:
        failure = _network_failure(error)
    finally:
        remove_signals()
    if bot.load_error is not None:  # closing the bot early can make start() fail too; this is the cause
        failure = f"could not load the documents: {bot.load_error}"
    if failure is not None:
        print(f"error: {failure}", file=err)
        return 1
    log.info("Stopped.")
    return 0


def _network_failure(error: BaseException) -> str:
    return (
        f"could not connect to Discord ({type(error).__name__}: {error}). Check the network "
        "connection and https://discordstatus.com, then try again."
    )


def run_bot(settings: Settings, **options: Any) -> int:
    """Start the Discord bot with ``settings`` and block until it stops (SIGTERM, Ctrl+C); return the exit
    code. ``options`` go to :func:`serve`."""
    try:
        return asyncio.run(serve(settings, **options))
    except KeyboardInterrupt:
        log.info("Stopped.")
        return 0
