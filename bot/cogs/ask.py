"""Asking: the ``/ask`` slash command, @mentions, answer channels and direct messages.

All paths call :meth:`bot.client.SeedBot.answer` (the retriever's one answer code path), render with
:func:`bot.formatting.render_answer` and send the answer with its buttons (:mod:`bot.cogs._answers`). A reply
to one of the bot's answers, or a question in a thread started from one, is a follow-up: asked with the
conversation before it (:mod:`bot.conversation`). The first message of a post in a help forum listed in
``ANSWER_CHANNEL_IDS`` is answered once, its title and text being the question. When an answer is not ready at
once (the index is still loading, or the question takes a while), ``/ask`` defers ("thinking…") within
Discord's 3-second window and follows up (:mod:`bot.cogs._respond`, shared with ``/summary`` and
``/sources``), and a mention shows the typing indicator.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import MAX_QUESTION_CHARS
from retrieval.errors import QuestionError

from ..views_format import forum_question
from ._answers import record_of, reply_with_answer, respond_with_answer
from ._respond import ACK_AFTER, discard, ready_within, result_or_defer

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["ACK_AFTER", "TYPING_AFTER", "Ask", "reads_as_question", "setup", "strip_mentions"]

#: Seconds a mention waits for an answer before showing the typing indicator.
TYPING_AFTER = 0.3

_QUESTION_WORDS_TEXT = (
    "who whom whose what when where why how which is are was were do does did can could should would will "
    "shall may might has have had am isn't aren't wasn't weren't don't doesn't didn't can't couldn't "
    "shouldn't wouldn't won't hasn't haven't explain tell list describe define summarize summarise show find"
)
#: First words that make a message read as a question.
_QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())


def strip_mentions(content: str, user_id: int, role_ids: frozenset[int] = frozenset()) -> str:
    """Remove mentions of the bot (``<@id>``, ``<@!id>``, and its managed role ``<@&id>``) from ``content``.

    Returns the rest with white space collapsed, e.g. ``"<@1> how long is it?"`` -> ``"how long is it?"``.
    """
    pattern = rf"<@!?{user_id}>"
    if role_ids:
        pattern += "|" + "|".join(rf"<@&{role_id}>" for role_id in sorted(role_ids))
    return " ".join(re.sub(pattern, " ", content).split())


def reads_as_question(text: str) -> bool:
    """True when ``text`` looks like a question: it ends with ``?`` or starts with a question word.

    Used in answer channels, where messages are answered without a mention; chatter such as "thanks!" or
    "lol" is left alone.
    """
    text = text.strip()
    if not text:
        return False
    if text.rstrip(" )\"'”’*_~").endswith(("?", "？")):
        return True
    first = re.split(r"[\s,:;!.]+", text.lower(), maxsplit=1)[0].replace("’", "'")
    return first in _QUESTION_WORDS and len(text.split()) >= 3


class Ask(commands.Cog):
    """Answers questions with quoted excerpts."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]
    ) -> None:
        """Answer a question with quotes from the documents, each with its title and date.

        Parameters
        ----------
        question
            Your question about the documents, e.g. "How long is the UN report?"
        """
        answer = await result_or_defer(interaction, self.bot.answer(question), ready=self.bot.retriever_ready)
        await respond_with_answer(self.bot, interaction, answer, record_of(question, None, answer))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer a message that mentions the bot, is a direct message, or is a question in an answer channel.

        Messages from bots (this one included), webhooks and system messages are never answered.
        """
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None or message.author == me:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        role_ids = frozenset(
            role.id for role in message.role_mentions if role.tags is not None and role.tags.bot_id == me.id
        )
        addressed = me in message.mentions or bool(role_ids) or message.guild is None  # mention or DM
        question = strip_mentions(message.content, me.id, role_ids)
        conversations = self.bot.conversations
        forum_post = conversations.is_forum_post(message)
        if forum_post and not conversations.claim_forum_post(message):
            return  # a help-forum post is answered once
        if forum_post:
            question = forum_question(getattr(message.channel, "name", ""), question)
        elif not addressed and not reads_as_question(question):
            return
        previous = None if forum_post else await conversations.follow_up_for(message)
        if not (addressed or forum_post or previous is not None or self.bot.is_answer_channel(message.channel)):
            return
        if not await self.bot.admit_message(message):  # stopping, channel not allowed, no Send, cooldown
            return
        follow_up = previous.next_follow_up() if previous is not None else None
        via = "forum" if forum_post else "follow-up" if follow_up else "mention" if addressed else "channel"
        pending = asyncio.ensure_future(self.bot.answer(question, follow_up=follow_up, via=via))
        try:
            if not await ready_within(pending, TYPING_AFTER if self.bot.retriever_ready else 0):
                async with message.channel.typing():
                    answer = await pending
            else:
                answer = pending.result()
        except QuestionError:
            if not addressed:
                return  # nobody asked the bot directly: stay quiet rather than correct them
            raise
        finally:
            discard(pending)
        await reply_with_answer(self.bot, message, answer, record_of(question, follow_up, answer),
                                thread_id=message.channel.id if forum_post else None)


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`Ask` cog."""
    await bot.add_cog(Ask(bot))
