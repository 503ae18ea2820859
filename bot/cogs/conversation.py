"""Conversation: the answer buttons (**More**, **Context**, **Helpful** / **Not helpful**) and the
"Ask about this message" context-menu command.

Follow-ups and help-forum posts arrive as messages and are answered by :mod:`bot.cogs.ask`; the state both
need (which question an answer answered) is :attr:`bot.client.SeedBot.conversations`.

Every click is acknowledged within Discord's 3 seconds: **More** at once (a silent "deferred update"), then the
next excerpts follow as a new message replying to the answer; **Context** within :data:`ACK_AFTER` (privately
"thinking…" if the passage takes longer); feedback at once with a private thank-you, recorded afterwards in a
worker thread through :attr:`bot.client.SeedBot.feedback`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from retrieval import Answer, Excerpt, context_of, shown_excerpts
from retrieval.retriever import DEFAULT_TOP_K, MAX_TOP_K

from ..conversation import AnswerRecord
from ..formatting import SEND_OPTIONS
from ..views import BUTTONS, CONVERSATION_COG, answer_view
from ..views_format import (
    ASKED_IN_REPLY,
    CANNOT_CONTINUE,
    NO_MORE,
    THANKS_HELPFUL,
    THANKS_NOT_HELPFUL,
    render_context,
    render_more,
)
from ._answers import record_of, reply_with_answer, reply_with_contents, respond_with_answer
from ._respond import ACK_AFTER, result_or_defer, send_contents
from .ask import strip_mentions

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["ACK_AFTER", "ASK_ABOUT_MESSAGE", "Conversation", "setup"]

log = logging.getLogger(__name__)

#: The context-menu command's name, as shown under "Apps" when right-clicking a message.
ASK_ABOUT_MESSAGE = "Ask about this message"


class Conversation(commands.Cog, name=CONVERSATION_COG):
    """Handles clicks on the answer buttons and the "Ask about this message" command."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot
        # discord.py cannot declare a context menu inside a cog class; it is built here and added in cog_load.
        self.menu = app_commands.ContextMenu(name=ASK_ABOUT_MESSAGE, callback=self.ask_about_message)

    async def cog_load(self) -> None:
        """Register the persistent buttons and the context-menu command."""
        self.bot.add_dynamic_items(*BUTTONS)
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        """Remove what :meth:`cog_load` added."""
        self.bot.remove_dynamic_items(*BUTTONS)
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # -- "Ask about this message" ----------------------------------------------------------------------

    async def ask_about_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Answer the text of ``message`` as a question, in a reply to it."""
        me = self.bot.user
        question = strip_mentions(message.content, me.id) if me is not None else message.content
        answer = await result_or_defer(
            interaction, self.bot.answer(question), ready=self.bot.retriever_ready, ephemeral=True
        )
        record = record_of(question, None, answer)
        try:
            await reply_with_answer(self.bot, message, answer, record)
        except discord.Forbidden:  # may not post in that channel: answer the person who asked instead
            await respond_with_answer(self.bot, interaction, answer, record)
            return
        await send_contents(interaction, [ASKED_IN_REPLY], ephemeral=True)

    # -- buttons -----------------------------------------------------------------------------------------

    async def _shown(self, record: AnswerRecord) -> list[Excerpt]:
        """Every excerpt of ``record``'s answer in the order they are shown (asked again: answers are
        deterministic, so these are the excerpts the messages show)."""
        retriever = await self.bot.get_retriever()

        def ask() -> list[Excerpt]:
            first = retriever.ask(record.question, follow_up=record.follow_up)
            full = retriever.ask(record.question, MAX_TOP_K, follow_up=record.follow_up)
            return shown_excerpts(first, full)

        return await asyncio.to_thread(ask)

    async def more(self, interaction: discord.Interaction, key: str, shown: int) -> None:
        """**More**: reply to the answer with the excerpts after the first ``shown``."""
        await interaction.response.defer()  # acknowledged at once; the excerpts follow as a new message
        record = await self.bot.conversations.record_for_click(interaction.message, key)
        if record is None:
            await interaction.followup.send(CANNOT_CONTINUE, ephemeral=True, **SEND_OPTIONS)
            return
        excerpts = await self._shown(record)
        page = excerpts[shown : shown + DEFAULT_TOP_K]
        if not page or interaction.message is None:
            await interaction.followup.send(NO_MORE, ephemeral=True, **SEND_OPTIONS)
            return
        contents = render_more(Answer(record.question, page), 0)
        view = answer_view(key, shown, len(page), more=len(excerpts) > shown + len(page))
        try:
            sent = await reply_with_contents(interaction.message, contents, view)
        except discord.Forbidden:  # may not post in that channel: send it through the interaction
            await send_contents(interaction, contents, first={"view": view} if view else None)
            return
        self.bot.conversations.memory.remember(record, [m.id for m in sent])

    async def context(self, interaction: discord.Interaction, key: str, start: int, count: int) -> None:
        """**Context**: the passage around excerpts ``start .. start+count-1``, privately."""
        contents = await result_or_defer(
            interaction, self._contexts(interaction.message, key, start, count),
            ready=self.bot.retriever_ready, ephemeral=True,
        )
        await send_contents(interaction, contents, ephemeral=True)

    async def _contexts(self, message: discord.Message | None, key: str, start: int, count: int) -> list[str]:
        record = await self.bot.conversations.record_for_click(message, key)
        if record is None:
            return [CANNOT_CONTINUE]
        excerpts = (await self._shown(record))[start : start + count]
        retriever = await self.bot.get_retriever()
        positions = {document.id: d for d, document in enumerate(retriever.documents)}
        return render_context(
            [context_of(e, retriever.sentences[positions[e.document.id]].spans) for e in excerpts]
        )

    async def feedback(self, interaction: discord.Interaction, key: str, helpful: bool) -> None:
        """**Helpful** / **Not helpful**: thank the person, then record the verdict off the event loop."""
        await interaction.response.send_message(
            THANKS_HELPFUL if helpful else THANKS_NOT_HELPFUL, ephemeral=True, **SEND_OPTIONS
        )
        await asyncio.to_thread(self.bot.feedback.record_feedback, key, helpful)


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`Conversation` cog."""
    await bot.add_cog(Conversation(bot))
