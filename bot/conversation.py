"""Which question each answer answered: what follow-ups and the answer buttons need to know.

:class:`ConversationMemory` keeps, in memory and bounded (least recently used first out), each answer's
:class:`AnswerRecord` by question id (:func:`bot.feedback.question_id`), by the ids of its messages, and the
threads it knows about. That is lost on a restart, so :class:`Conversations` also recovers a record from Discord
itself:

* an answer that replies to a question (mentions, answer channels, help forums, "Ask about this message") - the
  question is the message it replies to (fetched when Discord did not include it), and if that question was
  itself a reply to an answer, the conversation before it (up to :data:`RECOVER_DEPTH` answers back);
* an ``/ask`` answer - the question is on its ``**Q:**`` line;
* a **More** message - it replies to the answer it continues.

A recovered question is used only when its question id equals the one on the answer's buttons, so a changed or
clipped message never makes the bot answer a different question.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from retrieval import FollowUp
from retrieval.errors import QuestionError

from .feedback import question_id
from .views import question_id_of
from .views_format import echoed_question, forum_question

if TYPE_CHECKING:
    from .client import SeedBot

__all__ = ["MEMORY_SIZE", "RECOVER_DEPTH", "AnswerRecord", "ConversationMemory", "Conversations"]

log = logging.getLogger(__name__)

#: Answers remembered (each with its message ids); older ones are recovered from Discord when needed.
MEMORY_SIZE = 4096
#: Answers back a conversation is recovered from Discord after a restart.
RECOVER_DEPTH = 3


@dataclass(frozen=True)
class AnswerRecord:
    """What an answer answered.

    Attributes
    ----------
    question:
        The question as asked.
    follow_up:
        The conversation it was asked in, or ``None``.
    document:
        The id of the document the answer quoted first, or ``None`` (not found).
    """

    question: str
    follow_up: FollowUp | None
    document: str | None

    @property
    def key(self) -> str:
        """The question id (:func:`bot.feedback.question_id`)."""
        return question_id(self.question, self.follow_up)

    def next_follow_up(self) -> FollowUp:
        """The context a follow-up to this answer is asked with."""
        if self.follow_up is None:
            return FollowUp(self.question, self.document)
        return self.follow_up.then(self.question, self.document)


class _LRU(OrderedDict):  # type: ignore[type-arg]
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def put(self, key: object, value: object) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)

    def find(self, key: object) -> object:
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]


class ConversationMemory:
    """Bounded in-memory maps: question id -> record, message id -> question id, thread id -> question id.

    Parameters
    ----------
    capacity:
        Most entries in each map (:data:`MEMORY_SIZE`).
    """

    def __init__(self, capacity: int = MEMORY_SIZE) -> None:
        self._records = _LRU(capacity)
        self._messages = _LRU(capacity * 2)
        self._threads = _LRU(capacity)

    def remember(self, record: AnswerRecord, message_ids: Iterable[int] = (), thread_id: int | None = None) -> None:
        """Keep ``record``, and which messages (and help-forum thread) hold its answer."""
        key = record.key
        self._records.put(key, record)
        for message_id in message_ids:
            self._messages.put(message_id, key)
        if thread_id is not None:
            self._threads.put(thread_id, key)

    def record(self, key: str) -> AnswerRecord | None:
        """The record of question id ``key``, or ``None``."""
        found = self._records.find(key)
        return found if isinstance(found, AnswerRecord) else None

    def record_for_message(self, message_id: int) -> AnswerRecord | None:
        """The record of the answer that ``message_id`` is part of, or ``None``."""
        key = self._messages.find(message_id)
        return self.record(key) if isinstance(key, str) else None

    def thread(self, thread_id: int) -> tuple[bool, AnswerRecord | None]:
        """``(known, record)``: whether the thread was seen, and the answer its conversation follows."""
        if thread_id not in self._threads:
            return False, None
        key = self._threads.find(thread_id)
        return True, self.record(key) if isinstance(key, str) else None

    def mark_thread(self, thread_id: int, key: str | None) -> None:
        """Note what thread ``thread_id`` follows: question id ``key``, or ``None`` (no answer of ours)."""
        self._threads.put(thread_id, key)


def _is_forum_thread(channel: object) -> bool:
    return isinstance(channel, discord.Thread) and isinstance(channel.parent, discord.ForumChannel)


class Conversations:
    """Finds the answer a message follows up, and the question an answer (or a click on it) is about.

    Parameters
    ----------
    bot:
        The bot: its user, its retriever (asked again, quietly, to recover which document an answer quoted).
    memory:
        Where records are kept (default: a new :class:`ConversationMemory`).
    """

    def __init__(self, bot: SeedBot, memory: ConversationMemory | None = None) -> None:
        self.bot = bot
        self.memory = memory or ConversationMemory()

    def _is_mine(self, message: object) -> bool:
        me = self.bot.user
        author = getattr(message, "author", None)
        return me is not None and author is not None and author.id == me.id

    def is_forum_post(self, message: discord.Message) -> bool:
        """True when ``message`` opens a post (it is the first message of a thread) in a help forum the bot
        answers in (listed in ``ANSWER_CHANNEL_IDS``)."""
        channel = message.channel
        return _is_forum_thread(channel) and message.id == channel.id and self.bot.is_answer_channel(channel)

    def claim_forum_post(self, message: discord.Message) -> bool:
        """True the first time it is called for a forum post's first message (see :meth:`is_forum_post`), so
        each post is answered once even when Discord delivers its message again."""
        if not self.is_forum_post(message):
            return False
        known, _ = self.memory.thread(message.channel.id)
        if known:
            return False
        self.memory.mark_thread(message.channel.id, None)
        return True

    async def follow_up_for(self, message: discord.Message, depth: int = RECOVER_DEPTH) -> AnswerRecord | None:
        """The answer ``message`` follows up: the bot's answer it replies to, or whose thread it is in.

        A thread counts when it was started from one of the bot's answers, or it is a help-forum post the
        bot answered. Returns ``None`` for anything else (and when the answer cannot be recovered).
        """
        reference = message.reference
        if reference is not None and reference.message_id is not None:
            replied = await self._referenced(message)
            if replied is not None and self._is_mine(replied):
                return await self.record_of_answer(replied, depth)
        channel = message.channel
        if isinstance(channel, discord.Thread):
            return await self._thread_record(channel, depth)
        return None

    async def record_of_answer(self, message: discord.Message, depth: int = RECOVER_DEPTH) -> AnswerRecord | None:
        """The record of the bot's answer ``message``: remembered, or recovered from Discord (see module)."""
        record = self.memory.record_for_message(message.id)
        if record is not None:
            return record
        key = question_id_of(message.components)
        if key is None:
            return None
        record = self.memory.record(key)
        if record is not None:
            return record
        if depth <= 0:
            return None
        return await self._recover(message, key, depth)

    async def record_for_click(self, message: discord.Message | None, key: str) -> AnswerRecord | None:
        """The record for a click on the buttons (question id ``key``) of ``message``."""
        record = self.memory.record(key)
        if record is not None or message is None:
            return record
        return await self._recover(message, key, RECOVER_DEPTH)

    async def _recover(self, message: discord.Message, key: str, depth: int) -> AnswerRecord | None:
        found = await self._question_of(message, depth)
        if found is None:
            return None
        if isinstance(found, AnswerRecord):  # a More message continues the answer it replies to
            return found if found.key == key else None
        question, follow_up = found
        if question_id(question, follow_up) != key:
            log.info("Could not recover the question of answer %s (its message changed or is too old).", message.id)
            return None
        document = await self._first_document(question, follow_up)
        record = AnswerRecord(question, follow_up, document)
        self.memory.remember(record, [message.id])
        return record

    async def _question_of(
        self, message: discord.Message, depth: int
    ) -> tuple[str, FollowUp | None] | AnswerRecord | None:
        if message.reference is not None and message.reference.message_id is not None:
            asked = await self._referenced(message)
            if asked is None:
                return None
            if self._is_mine(asked):
                return await self.record_of_answer(asked, depth - 1)
            channel = asked.channel
            if _is_forum_thread(channel) and asked.id == channel.id:
                return forum_question(getattr(channel, "name", "") or "", asked.content), None
            previous = await self.follow_up_for(asked, depth - 1)
            return self._question_text(asked), previous.next_follow_up() if previous else None
        echoed = echoed_question(message.content)
        return (echoed, None) if echoed is not None else None

    def _question_text(self, message: discord.Message) -> str:
        from .cogs.ask import strip_mentions

        me = self.bot.user
        return strip_mentions(message.content, me.id) if me is not None else message.content

    async def _thread_record(self, thread: discord.Thread, depth: int) -> AnswerRecord | None:
        known, record = self.memory.thread(thread.id)
        if known:
            return record
        record = self.memory.record_for_message(thread.id)  # a thread started from an answer shares its id
        if record is None and depth > 0:
            starter = await self._thread_starter(thread)
            if starter is not None and self._is_mine(starter):
                record = await self.record_of_answer(starter, depth)
            elif starter is not None and _is_forum_thread(thread) and self.bot.is_answer_channel(thread):
                question = forum_question(thread.name, starter.content)
                record = AnswerRecord(question, None, await self._first_document(question, None))
                self.memory.remember(record)
        self.memory.mark_thread(thread.id, record.key if record else None)
        return record

    async def _thread_starter(self, thread: discord.Thread) -> discord.Message | None:
        """The message a thread was started from (in its parent), or a forum post's first message."""
        if thread.starter_message is not None:
            return thread.starter_message
        source = thread if _is_forum_thread(thread) else thread.parent
        if source is None:
            return None
        try:
            return await source.fetch_message(thread.id)  # type: ignore[union-attr]
        except discord.HTTPException:
            return None

    async def _referenced(self, message: discord.Message) -> discord.Message | None:
        reference = message.reference
        if reference is None or reference.message_id is None:
            return None
        if isinstance(reference.resolved, discord.Message):
            return reference.resolved
        if isinstance(reference.resolved, discord.DeletedReferencedMessage):
            return None
        cached = reference.cached_message
        if cached is not None:
            return cached
        channel = message.channel
        if reference.channel_id != channel.id:
            channel = self.bot.get_channel(reference.channel_id) or channel  # type: ignore[assignment]
        try:
            return await channel.fetch_message(reference.message_id)
        except (discord.HTTPException, AttributeError):
            return None

    async def _first_document(self, question: str, follow_up: FollowUp | None) -> str | None:
        """Which document the answer to ``question`` quotes first (asked again: answers are deterministic)."""
        retriever = await self.bot.get_retriever()
        try:
            answer = await asyncio.to_thread(retriever.ask, question, follow_up=follow_up)
        except QuestionError:  # a question that cannot be asked has no document to prefer
            return None
        return answer.excerpts[0].document.id if answer.excerpts else None
