"""Limits on who gets an answer where: a per-member cooldown, allowed channels, and the Send Messages check.

* :class:`Cooldown` (pure, clock injected): at most ``rate`` questions per member per minute. Over the limit,
  a slash command gets a short ephemeral "please wait" (:class:`CoolingDown`, answered by the one error
  handler), and a mention gets the same words once per minute in a direct message.
* :class:`QuestionTree`, the bot's app-command tree: its ``interaction_check`` refuses new slash commands
  while the bot is stopping (:class:`Stopping`) and applies the cooldown to the commands that ask something
  (:func:`counts_as_question`).
* :class:`MessageGate` (with :func:`can_send` and :func:`channel_allowed`): whether a mention or a question
  in an answer channel is answered at all. The bot stays silent where it lacks Send Messages (no 403
  loops), when ``ALLOWED_CHANNEL_IDS`` is set outside those channels, and over the cooldown.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from .client import SeedBot

__all__ = [
    "QUESTION_COMMANDS",
    "STOPPING_TEXT",
    "Cooldown",
    "CoolingDown",
    "MessageGate",
    "QuestionTree",
    "Stopping",
    "can_send",
    "channel_allowed",
    "cooldown_text",
    "counts_as_question",
]

log = logging.getLogger(__name__)

#: Slash commands that count towards the cooldown (message context-menu commands count too).
QUESTION_COMMANDS = frozenset({"ask", "summary"})
#: What a slash command used while the bot is stopping gets (ephemeral).
STOPPING_TEXT = "I'm restarting right now; please ask again in a minute."


def cooldown_text(seconds: float) -> str:
    """The short "please wait" message: ``seconds`` rounded up to a whole number (at least 1)."""
    wait = max(1, math.ceil(seconds))
    return f"You're asking faster than I can keep up with; please wait {wait} second{'s' if wait != 1 else ''} " \
           "and ask again."


class CoolingDown(app_commands.CheckFailure):
    """A member asked more than the cooldown allows; ``str()`` is the message for them."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(cooldown_text(retry_after))
        self.retry_after = retry_after


class Stopping(app_commands.CheckFailure):
    """The bot is stopping and takes no new questions."""

    def __init__(self) -> None:
        super().__init__(STOPPING_TEXT)


class Cooldown:
    """At most ``rate`` questions per member in any ``per`` seconds (a sliding window).

    Parameters
    ----------
    rate:
        Questions allowed per window; 0 means no limit.
    per:
        Window length in seconds (default 60).
    clock:
        Monotonic seconds (default :func:`time.monotonic`); tests pass their own.
    """

    def __init__(self, rate: int, per: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self.clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._told: dict[int, float] = {}

    def hit(self, member_id: int) -> float | None:
        """Count one question from ``member_id``.

        Returns
        -------
        float or None
            ``None`` when the question may be answered (it is counted); otherwise the seconds until the
            member may ask again (the refused question is not counted).
        """
        if self.rate <= 0:
            return None
        now = self.clock()
        self._forget_before(now - self.per)
        asked = self._asked.setdefault(member_id, deque())
        if len(asked) >= self.rate:
            return asked[0] + self.per - now
        asked.append(now)
        return None

    def should_tell(self, member_id: int) -> bool:
        """True at most once per window per member: whether to send the "please wait" message again."""
        now = self.clock()
        last = self._told.get(member_id)
        if last is not None and now - last < self.per:
            return False
        self._told[member_id] = now
        return True

    def _forget_before(self, cutoff: float) -> None:
        for member_id in list(self._asked):
            asked = self._asked[member_id]
            while asked and asked[0] <= cutoff:
                asked.popleft()
            if not asked:
                del self._asked[member_id]
        for member_id in [m for m, at in self._told.items() if at <= cutoff]:
            del self._told[member_id]


def counts_as_question(interaction: discord.Interaction) -> bool:
    """True for ``/ask``, ``/summary`` and message context-menu commands (not admin commands, not
    autocomplete)."""
    if interaction.type is not discord.InteractionType.application_command:
        return False
    data: Any = interaction.data or {}
    if data.get("type") == discord.AppCommandType.message.value:
        return True
    return data.get("name") in QUESTION_COMMANDS


def channel_allowed(channel: Any, allowed: Collection[int]) -> bool:
    """True when ``allowed`` is empty, ``channel`` is a direct message, or it (or its parent, for a thread
    or forum post) is listed in ``allowed``."""
    if not allowed or getattr(channel, "guild", None) is None:
        return True
    return getattr(channel, "id", None) in allowed or getattr(channel, "parent_id", None) in allowed


def can_send(channel: Any) -> bool:
    """True when the bot may post in ``channel``: View Channel and Send Messages (Send Messages in Threads
    inside a thread). Direct messages are always allowed."""
    guild = getattr(channel, "guild", None)
    if guild is None or guild.me is None:
        return True
    permissions = channel.permissions_for(guild.me)
    if isinstance(channel, discord.Thread):
        return permissions.view_channel and permissions.send_messages_in_threads
    return permissions.view_channel and permissions.send_messages


class MessageGate:
    """Decides whether a message asking the bot something is answered at all.

    Parameters
    ----------
    cooldown:
        The per-member cooldown (shared with slash commands).
    allowed_channel_ids:
        ``ALLOWED_CHANNEL_IDS``; empty means every channel.
    answer_channel_ids:
        ``ANSWER_CHANNEL_IDS``, always allowed.
    """

    def __init__(self, cooldown: Cooldown, allowed_channel_ids: Collection[int] = (),
                 answer_channel_ids: Collection[int] = ()) -> None:
        self.cooldown = cooldown
        self.allowed = frozenset(allowed_channel_ids) | frozenset(answer_channel_ids) if allowed_channel_ids \
            else frozenset()
        self._warned: set[int] = set()

    async def admit(self, message: discord.Message) -> bool:
        """False outside the allowed channels, where the bot may not send messages (one warning per
        channel), and over the member's cooldown (then the member is told in a direct message, at most once
        a minute); otherwise True, and the question counts towards the cooldown."""
        channel = message.channel
        if not channel_allowed(channel, self.allowed):
            return False
        if not can_send(channel):
            if channel.id not in self._warned:
                self._warned.add(channel.id)
                log.warning("Not answering in channel %s (%s): the bot lacks the Send Messages permission "
                            "there.", getattr(channel, "name", "?"), channel.id)
            return False
        wait = self.cooldown.hit(message.author.id)
        if wait is None:
            return True
        if self.cooldown.should_tell(message.author.id):
            try:
                await message.author.send(cooldown_text(wait), allowed_mentions=discord.AllowedMentions.none())
            except discord.HTTPException as failure:  # direct messages closed: nothing more to do
                log.info("Could not tell a member about the cooldown: HTTP %s %s", failure.status, failure.text)
        return False


class QuestionTree(app_commands.CommandTree["SeedBot"]):
    """The bot's command tree: no new commands while stopping, and the cooldown on questions."""

    async def interaction_check(self, interaction: discord.Interaction[SeedBot], /) -> bool:
        """Raise :class:`Stopping` or :class:`CoolingDown` (answered ephemerally by the error handler)."""
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        bot = self.client
        if bot.stopping:
            raise Stopping()
        if counts_as_question(interaction):
            wait = bot.cooldown.hit(interaction.user.id)
            if wait is not None:
                raise CoolingDown(wait)
        return True
