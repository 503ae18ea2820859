"""The buttons under every answer: **More**, **Context**, **Helpful** and **Not helpful** (persistent views).

Each button is a :class:`discord.ui.DynamicItem`: everything a click needs is in its ``custom_id`` (at most 100
characters), so a click on an answer sent before a restart works as well as a fresh one:

* ``sb:more:<shown>:<question id>`` - the next excerpts after the first ``shown``;
* ``sb:ctx:<start>:<count>:<question id>`` - the passage around excerpts ``start .. start+count-1``;
* ``sb:yes:<question id>`` / ``sb:no:<question id>`` - feedback.

The question id (:func:`bot.feedback.question_id`) names the question and its conversation; the question text
itself comes from the bot's memory or, after a restart, from the answer message (see
:mod:`bot.conversation`). The classes are registered once with :meth:`discord.Client.add_dynamic_items` (by
:mod:`bot.cogs.conversation`, during ``setup_hook``). What a click does lives in that cog; errors go to the
one error handler (:mod:`bot.cogs.errors`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any

import discord

from retrieval.retriever import MAX_TOP_K

from .feedback import QUESTION_ID_CHARS

if TYPE_CHECKING:
    from .cogs.conversation import Conversation

__all__ = [
    "BUTTONS",
    "CONVERSATION_COG",
    "ContextButton",
    "FeedbackButton",
    "MoreButton",
    "answer_view",
    "question_id_of",
]

#: Name of the cog that handles clicks (:class:`bot.cogs.conversation.Conversation`).
CONVERSATION_COG = "Conversation"
_KEY = rf"(?P<key>[a-z2-7]{{{QUESTION_ID_CHARS}}})"
_ANY_BUTTON = re.compile(rf"sb:(?:more:\d{{1,2}}|ctx:\d{{1,2}}:\d{{1,2}}|yes|no):{_KEY}")


def _cog(interaction: discord.Interaction) -> Conversation:
    cog = interaction.client.get_cog(CONVERSATION_COG)  # type: ignore[attr-defined]
    if cog is None:
        raise RuntimeError("the conversation cog is not loaded")
    return cog  # type: ignore[no-any-return]


class _Click:
    """What a click on any answer button does: hand it to the conversation cog (:meth:`work`); an error goes
    to the bot's one error handler (for dynamic items discord.py would only log it)."""

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Any:
        """Rebuild the button from a click: the template's groups are its constructor's arguments (digits
        as numbers; see the module docstring for the ``custom_id``s)."""
        return cls(**{k: int(v) if v.isdigit() else v for k, v in match.groupdict().items()})

    def work(self, cog: Conversation, interaction: discord.Interaction) -> Awaitable[None]:
        """The cog's handler for this button, called with the click."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        """Handle a click."""
        try:
            await self.work(_cog(interaction), interaction)
        except Exception as error:  # noqa: BLE001 - handed to the error handler, which logs or explains it
            from .cogs.errors import report_interaction_error

            await report_interaction_error(interaction, error)


class MoreButton(
    _Click, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"sb:more:(?P<shown>\d{{1,2}}):{_KEY}"
):
    """**More**: the next excerpts, as a new message."""

    def __init__(self, shown: int, key: str) -> None:
        super().__init__(
            discord.ui.Button(label="More", emoji="➕", style=discord.ButtonStyle.secondary,
                              custom_id=f"sb:more:{shown}:{key}")
        )
        self.shown = shown
        self.key = key

    def work(self, cog: Conversation, interaction: discord.Interaction) -> Awaitable[None]:
        """Send the next excerpts."""
        return cog.more(interaction, self.key, self.shown)


class ContextButton(
    _Click,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"sb:ctx:(?P<start>\d{{1,2}}):(?P<count>\d{{1,2}}):{_KEY}",
):
    """**Context**: the passage around each quote of the message, visible only to the person who clicks."""

    def __init__(self, start: int, count: int, key: str) -> None:
        super().__init__(
            discord.ui.Button(label="Context", emoji="📄", style=discord.ButtonStyle.secondary,
                              custom_id=f"sb:ctx:{start}:{count}:{key}")
        )
        self.start = start
        self.count = count
        self.key = key

    def work(self, cog: Conversation, interaction: discord.Interaction) -> Awaitable[None]:
        """Show the context, privately."""
        return cog.context(interaction, self.key, self.start, self.count)


class FeedbackButton(
    _Click, discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"sb:(?P<helpful>yes|no):{_KEY}"
):
    """**Helpful** / **Not helpful**: recorded through the bot's :class:`bot.feedback.FeedbackSink`."""

    def __init__(self, helpful: bool | str, key: str) -> None:
        helpful = helpful in (True, "yes")  # "yes" / "no" when rebuilt from a custom_id
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary,
                custom_id=f"sb:{'yes' if helpful else 'no'}:{key}",
            )
        )
        self.helpful = helpful
        self.key = key

    def work(self, cog: Conversation, interaction: discord.Interaction) -> Awaitable[None]:
        """Thank the person and record the verdict."""
        return cog.feedback(interaction, self.key, self.helpful)


#: The button classes, for :meth:`discord.Client.add_dynamic_items`.
BUTTONS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (MoreButton, ContextButton, FeedbackButton)


def answer_view(key: str, start: int, shown: int, more: bool) -> discord.ui.View | None:
    """The buttons for one answer message.

    Parameters
    ----------
    key:
        The question id.
    start:
        How many excerpts earlier messages of this answer showed (0 for the first message).
    shown:
        How many excerpts this message shows (0: the question was not answered, no buttons).
    more:
        Whether to offer **More** (there may be further excerpts, and fewer than
        :data:`retrieval.retriever.MAX_TOP_K` were shown).

    Returns
    -------
    discord.ui.View or None
        A view without timeout (its items are persistent), or ``None`` when there is nothing to show.
    """
    if shown <= 0:
        return None
    view = discord.ui.View(timeout=None)
    if more and start + shown < MAX_TOP_K:
        view.add_item(MoreButton(start + shown, key))
    view.add_item(ContextButton(start, shown, key))
    view.add_item(FeedbackButton(True, key))
    view.add_item(FeedbackButton(False, key))
    return view


def question_id_of(components: Iterable[Any]) -> str | None:
    """The question id carried by an answer message's buttons (``message.components``), or ``None``."""
    for row in components:
        for child in getattr(row, "children", (row,)):
            match = _ANY_BUTTON.fullmatch(getattr(child, "custom_id", None) or "")
            if match is not None:
                return match["key"]
    return None
