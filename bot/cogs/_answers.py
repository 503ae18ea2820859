"""Sending an answer with its buttons, and remembering which question it answered.

Shared by ``/ask``, mentions and answer channels (:mod:`bot.cogs.ask`), follow-ups, help forums and
"Ask about this message" (:mod:`bot.cogs.conversation`). Rendering is :func:`bot.formatting.render_answer`;
the buttons (:func:`bot.views.answer_view`) go under the first message of an answer, the one that names its
question (it replies to it, or echoes it), so they can be recovered after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from retrieval import Answer, FollowUp
from retrieval.retriever import DEFAULT_TOP_K

from ..conversation import AnswerRecord
from ..formatting import SEND_OPTIONS, render_answer
from ..views import answer_view
from ._respond import send_contents

if TYPE_CHECKING:
    from ..client import SeedBot

__all__ = ["record_of", "reply_with_answer", "reply_with_contents", "respond_with_answer"]


def _view(record: AnswerRecord, answer: Answer) -> discord.ui.View | None:
    """Buttons for a first answer (asked with the default top-k): More when it filled all its places."""
    return answer_view(record.key, 0, len(answer.excerpts), more=len(answer.excerpts) >= DEFAULT_TOP_K)


def record_of(question: str, follow_up: FollowUp | None, answer: Answer) -> AnswerRecord:
    """The record of ``answer`` to ``question`` asked in ``follow_up``'s conversation."""
    document = answer.excerpts[0].document.id if answer.excerpts else None
    return AnswerRecord(question, follow_up, document)


async def reply_with_contents(
    message: discord.Message, contents: Sequence[str], view: discord.ui.View | None
) -> list[discord.Message]:
    """Send ``contents`` to ``message``'s channel, the first as a reply to it carrying ``view``."""
    reference = message.to_reference(fail_if_not_exists=False)
    sent: list[discord.Message] = []
    for index, content in enumerate(contents):
        if index == 0 and view is not None:
            sent.append(await message.channel.send(
                content, reference=reference, mention_author=False, view=view, **SEND_OPTIONS))
        elif index == 0:
            sent.append(await message.channel.send(
                content, reference=reference, mention_author=False, **SEND_OPTIONS))
        else:
            sent.append(await message.channel.send(content, **SEND_OPTIONS))
    return sent


async def reply_with_answer(
    bot: SeedBot, message: discord.Message, answer: Answer, record: AnswerRecord, *,
    thread_id: int | None = None,
) -> list[discord.Message]:
    """Reply to ``message`` with ``answer`` and its buttons; remember ``record`` (and ``thread_id``'s post)."""
    view = _view(record, answer)
    sent = await reply_with_contents(message, render_answer(answer), view)
    bot.conversations.memory.remember(record, [m.id for m in sent], thread_id)
    return sent


async def respond_with_answer(
    bot: SeedBot, interaction: discord.Interaction, answer: Answer, record: AnswerRecord, *,
    echo_question: bool = True,
) -> None:
    """Answer ``interaction`` (``/ask``) with ``answer`` and its buttons; remember ``record``."""
    view = _view(record, answer)
    contents = render_answer(answer, echo_question=echo_question)
    ids = await send_contents(interaction, contents, first={"view": view} if view is not None else None)
    bot.conversations.memory.remember(record, ids)
