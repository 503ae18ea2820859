"""Answering a slash command within Discord's 3-second window: shared by ``/ask``, ``/summary``, ``/sources``.

Discord drops an interaction that is not acknowledged within 3 seconds. :func:`result_or_defer` waits a
moment (:data:`ACK_AFTER`) for the reply to be ready and only defers ("thinking…") when it is not, so a
quick reply is one plain response; :func:`send_contents` then sends the reply's contents as the response (or
as follow-ups once the interaction has one) and marks the interaction as answered for the error handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypeVar

import discord

from ..formatting import SEND_OPTIONS
from .errors import ANSWER_SENT

__all__ = ["ACK_AFTER", "discard", "ready_within", "result_or_defer", "send_contents"]

T = TypeVar("T")

#: Seconds a slash command waits for its reply before deferring. Discord drops an interaction that is not
#: acknowledged within 3 seconds; this leaves room for network latency.
ACK_AFTER = 1.0


def discard(task: asyncio.Future[Any]) -> None:
    """Stop waiting for ``task``: cancel it, or mark its exception as seen so asyncio does not log it."""
    if not task.done():
        task.cancel()
    elif not task.cancelled():
        task.exception()


async def ready_within(task: asyncio.Future[Any], seconds: float) -> bool:
    """Wait up to ``seconds`` for ``task``.

    Parameters
    ----------
    task : asyncio.Future
        The pending work; it is neither awaited for its result nor cancelled here.
    seconds : float
        Longest wait; 0 (or less) only checks whether it is already done.

    Returns
    -------
    bool
        True when ``task`` is done.
    """
    if not task.done() and seconds > 0:
        await asyncio.wait({task}, timeout=seconds)
    return task.done()


async def result_or_defer(
    interaction: discord.Interaction, awaitable: Awaitable[T], *, ready: bool, ephemeral: bool = False
) -> T:
    """The result of ``awaitable``, deferring ``interaction`` ("thinking…") when it takes a while.

    Parameters
    ----------
    interaction : discord.Interaction
        The slash command to acknowledge.
    awaitable : Awaitable
        The work that produces the reply (started here).
    ready : bool
        Whether the documents are loaded: then the work may take up to :data:`ACK_AFTER` seconds before the
        interaction is deferred; otherwise it is deferred at once unless the work is already done.
    ephemeral : bool
        Defer privately (the reply will be visible only to the person who used the command or clicked).

    Returns
    -------
    T
        What ``awaitable`` returns.

    Raises
    ------
    Exception
        Whatever ``awaitable`` raises (the interaction may have been deferred by then). The work is cancelled
        when this coroutine is.
    """
    pending = asyncio.ensure_future(awaitable)
    try:
        if not await ready_within(pending, ACK_AFTER if ready else 0):
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        return await pending
    finally:
        discard(pending)


async def send_contents(
    interaction: discord.Interaction, contents: Sequence[str], *, first: Mapping[str, Any] | None = None,
    **options: Any,
) -> list[int]:
    """Send ``contents`` in order: the first as the interaction's response, the rest as follow-ups.

    Once the interaction has a response (deferred, or the first content), every content is a follow-up.
    Each message is sent with :data:`bot.formatting.SEND_OPTIONS` and ``options`` (e.g. ``view=...``), and
    ``interaction.extras[ANSWER_SENT]`` is set once a content is visible, so a later error does not delete it.

    Parameters
    ----------
    interaction : discord.Interaction
        The slash command being answered.
    contents : Sequence[str]
        Message contents, in order.
    first : Mapping, optional
        More keyword arguments for the first message only (e.g. ``{"view": ...}``: buttons under an answer).
    **options : Any
        More keyword arguments for every ``send_message`` / ``followup.send``.

    Returns
    -------
    list[int]
        The ids of the messages sent, where Discord said them (a response replacing "thinking…" may not).
    """
    ids: list[int] = []
    for index, content in enumerate(contents):
        extra = dict(first or {}) if index == 0 else {}
        if interaction.response.is_done():
            sent: Any = await interaction.followup.send(content, **SEND_OPTIONS, **options, **extra)
            message_id = getattr(sent, "id", None)
        else:
            callback = await interaction.response.send_message(content, **SEND_OPTIONS, **options, **extra)
            message_id = getattr(callback, "message_id", None)
        if message_id is not None:
            ids.append(message_id)
        interaction.extras[ANSWER_SENT] = True
    return ids
