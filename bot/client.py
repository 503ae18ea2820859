"""The Discord client: a :class:`commands.Bot` that answers from a :class:`retrieval.Retriever`.

The bot takes the retriever (or a loader for it) in its constructor, so tests inject one built from a
fixture folder and start-up can build the index in a worker thread while the gateway connects. It never
pings anyone: ``allowed_mentions`` is :meth:`discord.AllowedMentions.none` for every message it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import discord
from discord.ext import commands

from retrieval import Answer, Retriever
from retrieval.errors import CorpusError
from retrieval.retriever import DEFAULT_TOP_K

from .cogs import COGS

__all__ = ["MESSAGE_CONTENT_HELP", "RetrieverSource", "SeedBot", "default_intents", "invite_url"]

log = logging.getLogger(__name__)

#: A retriever, or a loader for one: a plain function (run in a worker thread, so it may block) or a
#: coroutine function (awaited on the event loop, so it must not block).
RetrieverSource = Retriever | Callable[[], Retriever] | Callable[[], Awaitable[Retriever]]

#: Permissions the invite link asks for: View Channels, Send Messages (also in threads), Read Message History
#: (replies reference the question) and Use Application Commands. Value 277025459200.
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    use_application_commands=True,
)

MESSAGE_CONTENT_HELP = (
    "The Message Content intent is not enabled for this bot, so it cannot read messages that do not mention "
    "it. /ask and @mentions still work; questions in answer channels (ANSWER_CHANNEL_IDS) without a mention "
    "will be ignored. To enable it: Discord Developer Portal -> your application -> Bot -> Privileged "
    "Gateway Intents -> turn on 'Message Content Intent', save, and restart the bot."
)


def default_intents() -> discord.Intents:
    """The gateway intents the bot asks for: guilds, guild and DM messages, and message content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = True
    return intents


def invite_url(application_id: int) -> str:
    """The OAuth2 URL that adds the bot to a server with the ``bot`` and ``applications.commands`` scopes."""
    return discord.utils.oauth_url(
        application_id, permissions=BOT_PERMISSIONS, scopes=("bot", "applications.commands")
    )


class SeedBot(commands.Bot):
    """The document-answering bot.

    Parameters
    ----------
    retriever:
        The retriever, or a loader that builds it (see :data:`RetrieverSource`). A loader starts in
        :meth:`setup_hook`, before the gateway connects, and runs concurrently with it; commands that need
        the retriever wait for it (:meth:`get_retriever`). If loading fails, the error is logged, kept in
        :attr:`load_error` and the bot closes.
    answer_channel_ids:
        Channels where every message from a person that reads as a question is answered, mention or not.
    guild_id:
        When set, slash commands are synced to this guild at start-up (they appear at once); otherwise
        they are synced globally (Discord may take up to an hour to show them).
    intents:
        Gateway intents; :func:`default_intents` when omitted.
    extensions:
        Extensions (cogs) loaded in :meth:`setup_hook`; :data:`bot.cogs.COGS` when omitted.
    sync_commands:
        Sync slash commands at start-up (default ``True``).
    watch:
        Started once the retriever is loaded, as a task that runs until the bot closes: it follows the
        documents folder and calls :meth:`swap_retriever` with each new snapshot (see :mod:`bot.watch`).
    **options:
        Passed to :class:`discord.ext.commands.Bot` (e.g. ``guild_ready_timeout``).
    """

    def __init__(
        self,
        retriever: RetrieverSource,
        *,
        answer_channel_ids: Iterable[int] = (),
        guild_id: int | None = None,
        intents: discord.Intents | None = None,
        extensions: Sequence[str] = COGS,
        sync_commands: bool = True,
        watch: Callable[[SeedBot], Awaitable[None]] | None = None,
        **options: Any,
    ) -> None:
        options.pop("allowed_mentions", None)  # never configurable: the bot pings no one
        # The bot never joins voice: don't warn at start-up that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; see on_message
            help_command=None,
            intents=intents or default_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.answer_channel_ids: frozenset[int] = frozenset(answer_channel_ids)
        self.guild_id = guild_id
        self.load_error: BaseException | None = None
        self.reads_message_content = self.intents.message_content
        self._source = retriever
        self._extensions_to_load = tuple(extensions)
        self._sync_commands = sync_commands
        self._retriever_task: asyncio.Task[Retriever | None] | None = None
        self._current: Retriever | None = None
        self._watch = watch
        self._watch_task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None

    # -- start-up ---------------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        """Start loading the retriever, load the cogs, check intents and sync slash commands.

        Runs after login and before the gateway connects.
        """
        self._retriever_task = asyncio.create_task(self._load_retriever(), name="seedbot-load-retriever")
        for extension in self._extensions_to_load:
            await self.load_extension(extension)
        self._check_message_content()
        if self._sync_commands:
            await self._sync()

    async def _load_retriever(self) -> Retriever | None:
        """Build the retriever.

        On failure: log why, keep the error in :attr:`load_error`, close the bot and return None.
        """
        source = self._source
        try:
            if isinstance(source, Retriever):
                retriever = source
            elif inspect.iscoroutinefunction(source):
                retriever = await source()
            else:
                retriever = await asyncio.to_thread(source)  # type: ignore[arg-type]
            if not isinstance(retriever, Retriever):
                raise TypeError(f"the retriever loader returned {type(retriever).__name__}, not a Retriever")
        except Exception as error:
            self.load_error = error
            if isinstance(error, CorpusError):
                log.error("Cannot answer questions: %s", error)
            else:
                log.exception("Loading the documents failed")
            self._closing = asyncio.get_running_loop().create_task(self.close())
            return None
        for warning in retriever.warnings:
            log.warning("%s", warning)
        log.info("Ready to answer from %d documents.", len(retriever.documents))
        self._current = retriever
        if self._watch is not None:
            self._watch_task = asyncio.create_task(self._watch(self), name="seedbot-watch-documents")
        return retriever

    def swap_retriever(self, retriever: Retriever) -> None:
        """Answer from ``retriever`` from now on; an answer in flight finishes on the one it started with."""
        self._current = retriever

    async def close(self) -> None:
        """Stop following the documents folder, then close the connection to Discord."""
        if self._watch_task is not None and not self._watch_task.done():
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watch_task
        await super().close()

    def _check_message_content(self) -> None:
        """Drop the Message Content intent when the application may not use it, and say so."""
        if not self.intents.message_content:
            self.reads_message_content = False
            log.warning(MESSAGE_CONTENT_HELP)
            return
        flags = self.application.flags if self.application is not None else None
        if flags is None or flags.gateway_message_content or flags.gateway_message_content_limited:
            return
        # Asking for a privileged intent the portal has not enabled makes Discord close the gateway with
        # 4014. discord.py reads the intents at IDENTIFY time from the connection state; there is no public
        # setter after construction, so the flag is cleared there.
        self._connection._intents.message_content = False
        self.reads_message_content = False
        log.warning(MESSAGE_CONTENT_HELP)

    async def _sync(self) -> None:
        try:
            if self.guild_id is not None:
                guild = discord.Object(id=self.guild_id)
                self.tree.copy_global_to(guild=guild)
                commands_ = await self.tree.sync(guild=guild)
                log.info("Synced %d slash command(s) to guild %s.", len(commands_), self.guild_id)
            else:
                commands_ = await self.tree.sync()
                log.info(
                    "Synced %d slash command(s) globally; Discord may take up to an hour to show them. "
                    "Set GUILD_ID to see them at once in one server.",
                    len(commands_),
                )
        except discord.Forbidden:
            log.error(
                "Discord refused to register the slash commands in guild %s. Invite the bot with the "
                "'applications.commands' scope: %s",
                self.guild_id,
                self._invite(),
            )
        except discord.HTTPException as error:
            log.error(
                "Could not sync slash commands (HTTP %s): %s. Mentions still work.",
                error.status,
                error.text or error,
            )

    def _invite(self) -> str:
        return invite_url(self.application_id) if self.application_id else "(application id unknown)"

    async def on_ready(self) -> None:
        """Log who the bot is and where it can be invited from."""
        log.info(
            "Connected as %s (id %s) to %d server(s). Invite link: %s",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
            self._invite(),
        )

    async def on_message(self, message: discord.Message, /) -> None:
        """No text commands: messages are handled by the cogs' listeners only."""

    # -- answering --------------------------------------------------------------------------------------

    @property
    def retriever_ready(self) -> bool:
        """True when the retriever is loaded and answers can start at once."""
        task = self._retriever_task
        return task is not None and task.done() and not task.cancelled() and task.result() is not None

    async def get_retriever(self) -> Retriever:
        """The retriever, waiting for it to finish loading if needed.

        Raises
        ------
        RuntimeError
            Called before :meth:`setup_hook`, or loading failed (the cause is chained, already logged, and
            the bot is closing).
        """
        if self._current is not None:
            return self._current
        if self._retriever_task is None:
            raise RuntimeError("the bot has not been set up yet")
        retriever = await asyncio.shield(self._retriever_task)
        if retriever is None:
            raise RuntimeError("the documents could not be loaded") from self.load_error
        return retriever

    async def answer(self, question: str, top_k: int = DEFAULT_TOP_K) -> Answer:
        """Answer ``question`` with :meth:`retrieval.Retriever.ask`, in a worker thread.

        Raises
        ------
        retrieval.errors.QuestionError
            The question is empty, too long or has nothing searchable.
        """
        retriever = await self.get_retriever()
        return await asyncio.to_thread(retriever.ask, question, top_k)

    def is_answer_channel(self, channel: object) -> bool:
        """True for a channel listed in ``answer_channel_ids``, or a thread inside one."""
        ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}
        return bool(ids & self.answer_channel_ids)
