"""The ``/sources`` slash command: every document with its title, date, file and size, newest first.

A list that fits in one message is sent as it is. A longer one is split into pages
(:func:`bot.summary_format.render_source_pages`) and sent with Previous / Next buttons
(:class:`SourcesView`). Only the person who used ``/sources`` can turn the pages (anyone else who clicks is
told so, privately); after :data:`PAGE_TIMEOUT` seconds without a click the buttons are disabled. As with
``/ask``, when the list is not ready at once the command defers ("thinking…") and follows up.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from retrieval.catalog import sources

from ..formatting import SEND_OPTIONS
from ..summary_format import render_source_pages
from ._respond import result_or_defer, send_contents

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["NOT_YOURS", "PAGE_TIMEOUT", "Sources", "SourcesView", "setup"]

log = logging.getLogger(__name__)

#: Seconds the page buttons stay active after the last click.
PAGE_TIMEOUT = 300.0
#: What someone else who clicks a page button is told (privately).
NOT_YOURS = "Only the person who used /sources can turn these pages. Use /sources to get your own list."


class SourcesView(discord.ui.View):
    """Previous / Next buttons over the pages of a ``/sources`` reply.

    Parameters
    ----------
    pages:
        The message contents, one per page (at least two).
    owner_id:
        The id of the person who used ``/sources``: the only one whose clicks turn pages.
    origin:
        The ``/sources`` interaction, used to disable the buttons on timeout.
    timeout:
        Seconds without a click before the buttons are disabled (default :data:`PAGE_TIMEOUT`).
    """

    def __init__(self, pages: list[str], owner_id: int, origin: discord.Interaction,
                 timeout: float | None = None) -> None:
        super().__init__(timeout=PAGE_TIMEOUT if timeout is None else timeout)
        self.pages = pages
        self.owner_id = owner_id
        self.origin = origin
        self.page = 0
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.previous_page.disabled = self.page == 0
        self.next_page.disabled = self.page >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only the person who used ``/sources`` may turn pages; tell anyone else, privately."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True, **SEND_OPTIONS)
        return False

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(page, len(self.pages) - 1))
        self._update_buttons()
        await interaction.response.edit_message(content=self.pages[self.page], view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button[SourcesView]) -> None:
        """Show the page before this one."""
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button[SourcesView]) -> None:
        """Show the page after this one."""
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        """Disable both buttons, so nobody clicks a list that no longer turns."""
        self.previous_page.disabled = self.next_page.disabled = True
        try:
            await self.origin.edit_original_response(view=self)
        except discord.HTTPException as failure:  # message deleted, or the token expired
            log.info("Could not disable the /sources buttons: HTTP %s %s", failure.status, failure.text)


class Sources(commands.Cog):
    """Lists the documents the bot answers from."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot
        #: Seconds the page buttons of a reply stay active after the last click.
        self.page_timeout = PAGE_TIMEOUT

    @app_commands.command(name="sources")
    async def sources(self, interaction: discord.Interaction) -> None:
        """List every document I quote from: title, date, file and size, newest first."""
        pages = await result_or_defer(interaction, self._pages(), ready=self.bot.retriever_ready)
        if len(pages) == 1:
            await send_contents(interaction, pages)
        else:
            view = SourcesView(pages, interaction.user.id, interaction, timeout=self.page_timeout)
            await send_contents(interaction, pages[:1], view=view)

    async def _pages(self) -> list[str]:
        retriever = await self.bot.get_retriever()
        return await asyncio.to_thread(lambda: render_source_pages(sources(retriever),
                                                                   updated_at=retriever.updated_at))


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`Sources` cog."""
    await bot.add_cog(Sources(bot))
