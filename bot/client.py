"""The Discord client: a :class:`commands.Bot` that answers from a :class:`retrieval.Retriever`.

The bot takes the retriever (or a loader for it) in its constructor, so tests inject one built from a
fixture folder and start-up can build the index in a worker thread while the gateway connects. It never
pings anyone: ``allowed_mentions`` is :meth:`discord.AllowedMentions.none` for every message it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import discord
from discord.ext import commands

from retrieval import Answer, FollowUp, Retriever
from retrieval.errors import CorpusError, QuestionError
from retrieval.heap import settle as settle_heap
from retrieval.retriever import DEFAULT_TOP_K

from .cogs import COGS
from .conversation import Conversations
from .feedback import FeedbackSink, LoggedFeedback, QuestionLogFeedback, question_id
from .limits import Cooldown, MessageGate, QuestionTree
from .questions_log import QuestionLog, QuestionLogError
from .shutdown import DRAIN_SECONDS, drain

__all__ = [
    "MESSAGE_CONTENT_HELP",
    "WARM_UP_QUESTIONS",
    "QuestionLogSource",
    "RetrieverSource",
    "SeedBot",
    "default_intents",
    "invite_url",
    "warm_up",
]

log = logging.getLogger(__name__)

#: A retriever, or a loader for one: a plain function (run in a worker thread, so it may block) or a
#: coroutine function (awaited on the event loop, so it must not block).
RetrieverSource = Retriever | Callable[[], Retriever] | Callable[[], Awaitable[Retriever]]

#: The question log, or a function that opens it (run in a worker thread at start-up), or None for no log.
QuestionLogSource = QuestionLog | Callable[[], QuestionLog] | None

#: Asked once, straight to the retriever (not logged), before the bot counts as ready: the first real
#: answers then find the word-frequency table, the stemmer and the scoring code loaded. The made-up word
#: makes the retriever look up an unknown word's English frequency, which loads wordfreq's table.
WARM_UP_QUESTIONS = ("How long is the report about the seedbot zqxjwarm check?",)

#: Longest wait, in seconds, for the documents before connecting to the gateway (see ``SeedBot.startup_wait``).
STARTUP_WAIT = 1.0


def warm_up(retriever: Retriever) -> None:
    """Answer :data:`WARM_UP_QUESTIONS` and discard the answers (blocking: run it in a worker thread)."""
    for question in WARM_UP_QUESTIONS:
        try:
            retriever.ask(question)
        except QuestionError:
            pass


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
    question_log:
        Where questions and feedback clicks are logged (see :data:`QuestionLogSource`); a function is run
        in a worker thread in :meth:`setup_hook`, and if it fails the bot runs without a log (one warning).
    cooldown:
        Questions per member per minute (0: no limit), or a :class:`~bot.limits.Cooldown`.
    allowed_channel_ids:
        When not empty, mentions are answered only in these channels (or threads in them) and in the
        answer channels; elsewhere the bot stays silent. Direct messages and slash commands are unaffected.
    seeds_dir:
        The documents folder, for ``/status`` (newest file change); optional.
    feedback:
        Where Helpful / Not helpful clicks go (:class:`bot.feedback.FeedbackSink`); default
        :class:`bot.feedback.LoggedFeedback`, which only logs them.
        When not given and a question log is open, clicks go to the log.
    today:
        The clock questions are asked by ("latest", "next", "this week"); default the retriever's own
        (today's date). Set from the ``AS_OF`` setting to reproduce answers.
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
        question_log: QuestionLogSource = None,
        cooldown: int | Cooldown = 0,
        allowed_channel_ids: Iterable[int] = (),
        seeds_dir: Any = None,
        feedback: FeedbackSink | None = None,
        watch: Callable[[SeedBot], Awaitable[None]] | None = None,
        today: Callable[[], dt.date] | None = None,
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
            tree_cls=QuestionTree,
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
        #: Seconds :meth:`setup_hook` waits for the retriever (loaded and warmed up) before the gateway
        #: connects, so that on a small folder the first questions find everything ready.
        self.startup_wait = STARTUP_WAIT
        self._current: Retriever | None = None
        self.today = today
        self._watch = watch
        self._watch_task: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self.allowed_channel_ids: frozenset[int] = frozenset(allowed_channel_ids)
        self.cooldown = cooldown if isinstance(cooldown, Cooldown) else Cooldown(cooldown)
        #: Where and how often mentions are answered (see :meth:`admit_message`).
        self.gate = MessageGate(self.cooldown, self.allowed_channel_ids, self.answer_channel_ids)
        self.seeds_dir = seeds_dir
        #: The question log once opened (``None``: no log).
        self.question_log: QuestionLog | None = None
        self._question_log_source = question_log
        #: True once a stop was asked for: no new questions are taken.
        self.stopping = False
        #: Seconds :meth:`stop_gracefully` waits for answers in flight.
        self.drain_seconds = DRAIN_SECONDS
        #: ``time.time()`` when the bot was created, and when the index was last (re)built.
        self.started_at = time.time()
        self.index_updated_at: float | None = None
        #: True once the gateway was ready at least once (so a later refusal happened mid-run).
        self.was_ready = False
        self._stop_task: asyncio.Task[None] | None = None
        #: The task running :meth:`start`, when the caller sets it (:func:`bot.app.serve` does): a stop
        #: cancels it so the gateway closes with 1000.
        self.runner: asyncio.Future[None] | None = None
        self._log_failed = False
        #: Which question each answer answered (follow-ups, answer buttons).
        self.conversations = Conversations(self)
        #: Where feedback clicks are recorded.
        self.feedback: FeedbackSink = feedback or LoggedFeedback()
        self._feedback_given = feedback is not None

    # -- start-up ---------------------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        """Start loading the retriever, load the cogs, check intents, sync slash commands, and give the
        retriever up to :attr:`startup_wait` seconds to be ready.

        Runs after login and before the gateway connects.
        """
        await self._open_question_log()
        self._retriever_task = asyncio.create_task(self._load_retriever(), name="seedbot-load-retriever")
        for extension in self._extensions_to_load:
            await self.load_extension(extension)
        self._check_message_content()
        if self._sync_commands:
            await self._sync()
        # The gateway is not connected yet, so waiting here stalls no heartbeat. A larger folder keeps
        # loading after this; questions meanwhile are acknowledged at once ("thinking…") and answered after.
        await asyncio.wait({self._retriever_task}, timeout=self.startup_wait)

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
        try:
            await asyncio.to_thread(warm_up, retriever)
        except Exception as error:  # noqa: BLE001 - must not stop the bot; a real question shows it in full
            log.warning("Warming up the retriever failed: %s: %s", type(error).__name__, error)
        self.index_updated_at = time.time()
        log.info("Ready to answer from %d documents.", len(retriever.documents))
        self._use(retriever)
        if self._watch is not None:
            self._watch_task = asyncio.create_task(self._watch(self), name="seedbot-watch-documents")
        return retriever

    async def _open_question_log(self) -> None:
        source = self._question_log_source
        if source is None or isinstance(source, QuestionLog):
            self.question_log = source
        else:
            try:
                self.question_log = await asyncio.to_thread(source)
            except QuestionLogError as error:
                log.warning("Not logging questions: %s", error)
        if self.question_log is not None and not self._feedback_given:
            self.feedback = QuestionLogFeedback(self.question_log)

    def swap_retriever(self, retriever: Retriever) -> None:
        """Answer from ``retriever`` from now on; an answer in flight finishes on the one it started with."""
        self._use(retriever)

    def _use(self, retriever: Retriever) -> None:
        if self.today is not None:
            retriever.clock = self.today
        self._current = retriever
        settle_heap()  # the new index's objects out of the collector's way, the old one's cycles collected

    async def close(self) -> None:
        """Stop following the documents folder, close the gateway (code 1000) and the HTTP session, then the question log."""
        if self._watch_task is not None and not self._watch_task.done():
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._watch_task
        await super().close()
        store = self.question_log
        if store is not None:
            self.question_log = None
            store.close()

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
        self.was_ready = True
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
        """True when the retriever is loaded (and warmed up) and answers can start at once."""
        task = self._retriever_task
        return task is not None and task.done() and not task.cancelled() and task.result() is not None

    @property
    def loaded_retriever(self) -> Retriever | None:
        """The retriever if it is ready (:attr:`retriever_ready`), else ``None`` (never waits)."""
        return self._retriever_task.result() if self.retriever_ready and self._retriever_task else None

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

    async def answer(
        self, question: str, top_k: int = DEFAULT_TOP_K, *, follow_up: FollowUp | None = None, via: str = "ask",
        record: bool = True,
    ) -> Answer:
        """Answer ``question`` with :meth:`retrieval.Retriever.ask`, in a worker thread, and log it.

        ``via`` says where it was asked (``"ask"``, ``"mention"``, ...) for the question log; ``record=False``
        answers without logging (e.g. "More" on an answer already logged).

        ``follow_up`` is the conversation before a follow-up question (see :mod:`retrieval.followup`).

        Raises
        ------
        retrieval.errors.QuestionError
            The question is empty, too long or has nothing searchable.
        """
        answer, _ = await self.answer_with_id(question, top_k, follow_up=follow_up, via=via, record=record)
        return answer

    async def answer_with_id(
        self, question: str, top_k: int = DEFAULT_TOP_K, *, follow_up: FollowUp | None = None, via: str = "ask",
        record: bool = True,
    ) -> tuple[Answer, int | None]:
        """:meth:`answer`, also returning the question's row id in the question log.

        Returns
        -------
        tuple[Answer, int | None]
            The answer, and the id to pass to :meth:`record_feedback` (``None`` when not logged).
        """
        retriever = await self.get_retriever()
        if follow_up is None:
            answer = await asyncio.to_thread(retriever.ask, question, top_k)
        else:
            answer = await asyncio.to_thread(retriever.ask, question, top_k, follow_up=follow_up)
        row = await self.record_question(answer, via=via) if record else None
        if row is not None and isinstance(self.feedback, QuestionLogFeedback):
            self.feedback.remember(question_id(question, follow_up), row)
        return answer, row

    async def record_question(self, answer: Answer, *, via: str = "ask") -> int | None:
        """Log ``answer``'s question, whether it was answered and its best document, off the event loop.

        Returns the row id, or ``None`` without a log or when writing failed (logged once, not raised).
        """
        store = self.question_log
        if store is None:
            return None
        if answer.answered:
            document: str | None = answer.excerpts[0].document.id
        else:
            document = answer.closest.id if answer.closest is not None else None
        try:
            return await asyncio.to_thread(
                store.record_question, answer.question, answered=answer.answered, document=document, via=via
            )
        except QuestionLogError as error:
            self._log_failure(error)
            return None

    async def record_feedback(self, question_id: int, helpful: bool) -> bool:
        """Log a Helpful (``True``) / Not helpful (``False``) click on the answer to ``question_id``.

        Returns False without a log, for a question no longer in it, or when writing failed (logged once).
        """
        store = self.question_log
        if store is None:
            return False
        try:
            return await asyncio.to_thread(store.record_feedback, question_id, helpful)
        except QuestionLogError as error:
            self._log_failure(error)
            return False

    def _log_failure(self, error: QuestionLogError) -> None:
        if not self._log_failed:
            self._log_failed = True
            log.warning("Could not write to the question log (further failures are not logged): %s", error)

    # -- limits and stopping ----------------------------------------------------------------------------

    async def admit_message(self, message: discord.Message) -> bool:
        """Whether to answer ``message`` (a question addressed to the bot or in an answer channel).

        False while stopping, and as :meth:`bot.limits.MessageGate.admit` says (channel not allowed, no Send
        Messages there, over the member's cooldown).
        """
        return not self.stopping and await self.gate.admit(message)

    def stop_gracefully(self, reason: str = "a stop request") -> None:
        """Stop taking new questions, finish those in flight (at most :attr:`drain_seconds`), then close.

        A second call while stopping closes at once. Must be called on the bot's event loop (signal
        handlers installed with :func:`bot.shutdown.install_stop_signals` are).
        """
        loop = asyncio.get_running_loop()
        if self._stop_task is not None:
            log.warning("Received %s again: stopping now.", reason)
            self._close_now()
            return
        self.stopping = True
        log.info("Received %s: stopping; finishing the answers in flight.", reason)
        self._stop_task = loop.create_task(self._drain_and_close(), name="seedbot-stop")

    async def _drain_and_close(self) -> None:
        await drain(self.drain_seconds)
        self._close_now()

    def _close_now(self) -> None:
        runner = self.runner
        if runner is not None and not runner.done():
            # Cancel the gateway loop rather than calling close() beside it: while it waits to read,
            # close() wakes it and it closes the socket with 4000 first (Rapptz/discord.py#6134), so Discord
            # keeps the session and shows the bot online. ``async with bot`` then closes with 1000.
            runner.cancel()
        else:
            self._closing = asyncio.get_running_loop().create_task(self.close())

    def is_answer_channel(self, channel: object) -> bool:
        """True for a channel listed in ``answer_channel_ids``, or a thread inside one."""
        ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}
        return bool(ids & self.answer_channel_ids)
