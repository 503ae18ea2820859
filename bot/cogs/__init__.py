"""The bot's cogs, loaded as extensions by :class:`bot.client.SeedBot` in ``setup_hook``.

To add a command: write a module here with a :class:`discord.ext.commands.Cog` and an
``async def setup(bot)`` that adds it, then add the module's name to :data:`COGS`. Cogs stay thin: parse
options, call the retriever through the bot (``await bot.get_retriever()`` or ``await bot.answer(...)``),
render with :mod:`bot.formatting`, send. Errors propagate to the one handler in :mod:`bot.cogs.errors`.
"""

from __future__ import annotations

__all__ = ["COGS"]

#: Extensions loaded at start-up, in order. The error handler comes first so it is in place before any
#: command can run.
COGS: tuple[str, ...] = (
    "bot.cogs.errors",
    "bot.cogs.ask",
    "bot.cogs.summary",
    "bot.cogs.sources",
    "bot.cogs.admin",
    "bot.cogs.conversation",
)
