"""Summaries: the ``/summary`` slash command and its ``document`` autocomplete.

The summary comes from :func:`retrieval.summary.summarise` (run in a worker thread) and is rendered by
:func:`bot.summary_format.render_summary`. As with ``/ask``, when the summary is not ready at once (the index
is still loading, or a large collection takes a moment) the command defers ("thinking…") within Discord's
3-second window and follows up.

Replies:

* a summary: public, like an answer;
* a fine request that finds nothing (a date range with no document, a topic nothing mentions): public, the
  core's message, like ``/ask``'s "not found";
* a mistake (an impossible date, ``since`` after ``until``, an unknown document with the closest names, a
  topic of stop words): a :class:`~retrieval.errors.SummaryError` that propagates to the bot's one error
  handler (:mod:`bot.cogs.errors`), which answers it ephemerally with the core's message.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from retrieval.catalog import document_choices
from retrieval.errors import NothingToSummariseError
from retrieval.summary import MAX_SENTENCES, MAX_TOPIC_CHARS, MIN_SENTENCES, Summary, summarise

from ..summary_format import MAX_CHOICE_NAME, choice_name, render_nothing_found, render_summary
from ._respond import result_or_defer, send_contents

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["MAX_CHOICES", "Summaries", "send_contents", "setup"]

#: Discord shows at most 25 autocomplete choices.
MAX_CHOICES = 25


class Summaries(commands.Cog):
    """Summarises the documents, one document or a topic with quoted sentences."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot

    async def _summarise(self, **options: Any) -> Summary:
        retriever = await self.bot.get_retriever()
        return await asyncio.to_thread(functools.partial(summarise, retriever, **options))

    @app_commands.command(name="summary")
    async def summary(
        self,
        interaction: discord.Interaction,
        document: app_commands.Range[str, 1, 200] | None = None,
        topic: app_commands.Range[str, 1, MAX_TOPIC_CHARS] | None = None,
        since: app_commands.Range[str, 1, 40] | None = None,
        until: app_commands.Range[str, 1, 40] | None = None,
        sentences: app_commands.Range[int, MIN_SENTENCES, MAX_SENTENCES] | None = None,
    ) -> None:
        """Summarise the documents in quoted sentences, each with its title and date.

        Parameters
        ----------
        document
            One document to summarise: start typing its title or file name
        topic
            Summarise what the documents say about this, e.g. "ferry tickets"
        since
            Only documents dated on or after this day, as YYYY-MM-DD
        until
            Only documents dated on or before this day, as YYYY-MM-DD
        sentences
            How many sentences, 1 to 20 (default: one per recent document, or 3 to 5 from one)
        """
        try:
            result = await result_or_defer(interaction, self._summarise(
                document=document, topic=topic, since=since, until=until, sentences=sentences),
                ready=self.bot.retriever_ready)
        except NothingToSummariseError as error:  # an answer, not a mistake: everyone sees it
            await send_contents(interaction, [render_nothing_found(str(error))])
            return
        await send_contents(interaction, render_summary(result))

    @summary.autocomplete("document")
    async def document_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Up to 25 documents whose title or file name matches what has been typed (newest first when empty).

        Offers nothing while the documents are still loading: Discord waits at most 3 seconds for choices.
        """
        if not self.bot.retriever_ready:
            return []
        retriever = await self.bot.get_retriever()
        found = await asyncio.to_thread(document_choices, retriever, current, MAX_CHOICES)
        # A value must be at most 100 characters; a longer id still finds its document by its unique start.
        return [app_commands.Choice(name=choice_name(d), value=d.id[:MAX_CHOICE_NAME]) for d in found]


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`Summaries` cog."""
    await bot.add_cog(Summaries(bot))
