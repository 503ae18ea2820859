"""bot/shutdown.py: which tasks count as answers in flight, and the bounded wait for them."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.shutdown import drain, in_flight

pytestmark = pytest.mark.asyncio


async def test_drain_waits_for_handlers_but_not_longer_than_its_limit() -> None:
    quick = asyncio.create_task(asyncio.sleep(0.1), name="CommandTree-invoker")
    slow = asyncio.create_task(asyncio.sleep(5), name="discord.py: on_message")
    other = asyncio.create_task(asyncio.sleep(5), name="discord.py: on_ready")  # not a question
    try:
        assert in_flight() == {quick, slow}
        started = time.monotonic()
        assert await drain(0.5) == 1  # the slow one is left for the close to cancel
        assert 0.4 < time.monotonic() - started < 2 and quick.done() and not slow.done()
        assert await drain(0.5) == 1
    finally:
        slow.cancel()
        other.cancel()
    await asyncio.gather(slow, other, return_exceptions=True)
    assert await drain(5) == 0  # nothing in flight: returns at once
