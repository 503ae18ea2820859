"""The bot's one error handler.

Slash commands (the app-command tree's ``on_error``), event listeners (the client's ``on_error``, e.g. an
exception in the ``on_message`` listener) and button clicks (:func:`report_interaction_error`, called by the
answer buttons of :mod:`bot.views`) all end here:

* a user mistake (:class:`retrieval.errors.QuestionError`, :class:`retrieval.errors.SummaryError`, or an
  option Discord's checks refuse) gets a short reply with the core's message, ephemeral for slash commands;
* an interaction that expired before the bot acknowledged it (Discord's 404 with code 10062, "Unknown
  interaction", or 10015 for a follow-up after the 15-minute token) gets one warning, no traceback and no
  second try (that one would fail the same way);
* a 403 in a channel (the bot may not post there) gets one warning, no traceback and no reply;
* anything else is logged with its traceback (``log.exception``) and the person gets
  :data:`bot.formatting.GENERIC_ERROR`.

Cogs do not catch errors themselves; they let them propagate here.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from retrieval.errors import QuestionError, SummaryError, UnknownDocumentError

from ..formatting import GENERIC_ERROR, SEND_OPTIONS, render_mistake

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["ANSWER_SENT", "EXPIRED_CODES", "ErrorHandler", "is_expired", "report_interaction_error", "setup"]

log = logging.getLogger(__name__)

#: Errors whose message is written for the person who made the mistake.
USER_MISTAKES = (QuestionError, SummaryError)

#: Key a cog sets in ``interaction.extras`` once part of the answer is visible, so an error after that
#: does not delete the "thinking…" message that now holds the answer.
ANSWER_SENT = "answer_sent"

#: Discord error codes meaning the interaction can no longer be answered: 10062 "Unknown interaction" (not
#: acknowledged within 3 seconds) and 10015 "Unknown Webhook" (a follow-up after the 15-minute token).
EXPIRED_CODES = frozenset({10062, 10015})


def is_expired(error: BaseException) -> bool:
    """True when ``error`` is Discord's 404 for an expired interaction (see :data:`EXPIRED_CODES`)."""
    return isinstance(error, discord.NotFound) and error.code in EXPIRED_CODES


class ErrorHandler(commands.Cog):
    """Installs itself as the app-command tree's error handler and the client's event error handler."""

    def __init__(self, bot: SeedBot) -> None:
        self.bot = bot
        self._previous_tree_handler: Any = None
        self._previous_event_handler: Any = None

    async def cog_load(self) -> None:
        """Install both handlers (restored by :meth:`cog_unload`)."""
        self._previous_tree_handler = self.bot.tree.on_error
        self.bot.tree.error(self.on_app_command_error)
        self._previous_event_handler = self.bot.on_error
        # Assigning the event on the instance is how discord.py documents overriding a client event.
        self.bot.on_error = self.on_event_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        """Put back the handlers that were there before."""
        self.bot.tree.on_error = self._previous_tree_handler  # type: ignore[method-assign]
        self.bot.on_error = self._previous_event_handler  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        """Handle an error raised by a slash command (or its autocomplete or checks)."""
        original: BaseException = (
            error.original if isinstance(error, app_commands.CommandInvokeError) else error
        )
        if is_expired(original):
            name = interaction.command.qualified_name if interaction.command else "an interaction"
            log.warning(
                "Could not answer /%s: Discord says the interaction expired (HTTP 404, code %s) before the "
                "bot acknowledged it; the person sees 'The application did not respond'.",
                name, getattr(original, "code", "?"),
            )
            return
        if isinstance(original, USER_MISTAKES):
            hint = " Use /sources to see them all." if isinstance(original, UnknownDocumentError) else ""
            await self._tell(interaction, render_mistake(f"{original}{hint}"))
            return
        if isinstance(original, (app_commands.CheckFailure, app_commands.TransformerError)):
            await self._tell(interaction, render_mistake(str(original)))
            return
        if isinstance(original, app_commands.CommandNotFound):  # Discord still lists a command we dropped
            log.warning("Received unknown command /%s; Discord's command list is out of date.", original.name)
            await self._tell(
                interaction,
                "That command is not available any more. Discord will update the list of commands shortly.",
            )
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        log.exception("Unexpected error in /%s", command, exc_info=original)
        await self._tell(interaction, GENERIC_ERROR)

    async def on_component_error(self, interaction: discord.Interaction, error: BaseException, /) -> None:
        """Handle an error raised while handling a button click (a component interaction)."""
        if isinstance(error, USER_MISTAKES):
            await self._tell(interaction, render_mistake(str(error)))
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = data.get("custom_id", "?")
        log.exception("Unexpected error in a click on %s", custom_id, exc_info=error)
        await self._tell(interaction, GENERIC_ERROR)

    async def on_event_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Handle an error raised by an event listener (discord.py calls it inside the ``except`` block)."""
        error = sys.exc_info()[1]
        message = args[0] if args and isinstance(args[0], discord.Message) else None
        if isinstance(error, USER_MISTAKES) and message is not None:
            await self._reply(message, render_mistake(str(error), in_channel=True))
            return
        if isinstance(error, discord.Forbidden):  # replying would be refused too: no 403 loop
            where = f"channel {message.channel.id}" if message is not None else event_method
            log.warning("Discord refused the bot in %s (HTTP 403, code %s: %s); check its permissions there.",
                        where, error.code, error.text)
            return
        log.exception("Unexpected error in %s", event_method)
        if message is not None:
            await self._reply(message, GENERIC_ERROR)

    async def _tell(self, interaction: discord.Interaction, text: str) -> None:
        """Say ``text`` to the person who used the command, visible to them only."""
        response = interaction.response
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                if not response.is_done():
                    await response.autocomplete([])
                return
            if not response.is_done():
                await response.send_message(text, ephemeral=True, **SEND_OPTIONS)
                return
            if (
                response.type is discord.InteractionResponseType.deferred_channel_message
                and not interaction.extras.get(ANSWER_SENT)
            ):
                # The public "thinking…" message would otherwise hold the mistake; remove it so the
                # ephemeral follow-up below is the only trace.
                await interaction.delete_original_response()
            await interaction.followup.send(text, ephemeral=True, **SEND_OPTIONS)
        except discord.HTTPException as failure:
            log.warning(
                "Could not tell %s about an error: HTTP %s %s", interaction.user, failure.status, failure.text
            )

    async def _reply(self, message: discord.Message, text: str) -> None:
        try:
            await message.channel.send(
                text,
                reference=message.to_reference(fail_if_not_exists=False),
                mention_author=False,
                **SEND_OPTIONS,
            )
        except discord.HTTPException as failure:
            log.warning(
                "Could not reply in channel %s: HTTP %s %s", message.channel.id, failure.status, failure.text
            )


async def report_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Hand an error raised by a button click to the bot's :class:`ErrorHandler` (logged if it is not loaded)."""
    handler = interaction.client.get_cog("ErrorHandler")  # type: ignore[attr-defined]
    if isinstance(handler, ErrorHandler):
        await handler.on_component_error(interaction, error)
    else:
        log.error("Unexpected error in a click", exc_info=error)


async def setup(bot: SeedBot) -> None:
    """Extension entry point: add the :class:`ErrorHandler` cog."""
    await bot.add_cog(ErrorHandler(bot))
