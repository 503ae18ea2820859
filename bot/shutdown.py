"""A clean stop on SIGTERM and SIGINT: finish the answers in flight, then close the gateway normally.

systemd, Docker and most hosts stop a process with SIGTERM; Ctrl+C sends SIGINT. On either,
:func:`install_stop_signals` calls :meth:`bot.client.SeedBot.stop_gracefully`, which stops taking new
questions, waits up to :data:`DRAIN_SECONDS` for the ones being answered (:func:`drain`), then closes the
gateway with code 1000. A second signal while stopping closes at once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable

__all__ = ["DRAIN_SECONDS", "IN_FLIGHT_TASKS", "drain", "in_flight", "install_stop_signals"]

log = logging.getLogger(__name__)

#: Longest wait for answers in flight when stopping, in seconds.
DRAIN_SECONDS = 10.0

#: Name prefixes of the tasks discord.py runs handlers in: event listeners (``on_message``), app commands
#: (slash and context-menu commands, autocomplete) and component clicks (buttons). A task whose name starts
#: with one of these is a question (or click) being handled.
IN_FLIGHT_TASKS = ("discord.py: on_message", "CommandTree-invoker", "discord-ui-view-dispatch")


def in_flight() -> set[asyncio.Task[object]]:
    """The handler tasks of the running loop that are not done yet (see :data:`IN_FLIGHT_TASKS`)."""
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(IN_FLIGHT_TASKS)
    }


async def drain(timeout: float = DRAIN_SECONDS) -> int:
    """Wait up to ``timeout`` seconds for the handler tasks running now to finish.

    Returns
    -------
    int
        How many were still running when the time ran out (they are left to be cancelled by the close).
    """
    pending = in_flight()
    if not pending:
        return 0
    log.info("Finishing %d answer(s) in flight (at most %.0f s)...", len(pending), timeout)
    started = time.monotonic()
    _, still = await asyncio.wait(pending, timeout=timeout)
    if still:
        log.warning("Stopping with %d answer(s) unfinished after %.0f s.", len(still), timeout)
    else:
        log.info("All answers sent in %.1f s.", time.monotonic() - started)
    return len(still)


def install_stop_signals(loop: asyncio.AbstractEventLoop, stop: Callable[[str], None]) -> Callable[[], None]:
    """Call ``stop(signal name)`` on SIGTERM and SIGINT; return a function that removes the handlers.

    Where the loop cannot handle signals (Windows' event loops), nothing is installed and Ctrl+C keeps
    Python's default (KeyboardInterrupt).
    """
    installed: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, stop, signum.name)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(signum)

    def remove() -> None:
        for signum in installed:
            try:
                loop.remove_signal_handler(signum)
            except (NotImplementedError, RuntimeError, ValueError):
                pass

    return remove
