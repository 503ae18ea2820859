"""Indexing progress for people: a tqdm bar on a terminal, log lines with counts and rate in the bot.

Both are :data:`retrieval.indexing.Progress` callbacks (``progress(files_done, files_total, passages)``).
The bar appears only on a terminal and only when indexing lasts more than about a second (tqdm's
``delay``); ``--quiet`` and output that is not a terminal get nothing.
"""

from __future__ import annotations

import logging
import time
from typing import TextIO

__all__ = ["LogProgress", "TerminalProgress"]

log = logging.getLogger(__name__)

#: Seconds before a bar or a first log line appears: quick indexing shows nothing.
DELAY_S = 1.0
#: Seconds between two log lines.
LOG_EVERY_S = 5.0


class TerminalProgress:
    """A tqdm bar with files and passages on ``stream``, when it is a terminal and not ``quiet``.

    Call :meth:`close` when indexing is over (also when it failed).
    """

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.enabled = not quiet and bool(getattr(stream, "isatty", lambda: False)())
        self.stream = stream
        self._bar: object | None = None

    def __call__(self, done: int, total: int, passages: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self._bar
        if bar is None:
            bar = self._bar = tqdm(total=total, unit="file", desc="Indexing", file=self.stream, delay=DELAY_S,
                                   leave=False, dynamic_ncols=True)
        assert isinstance(bar, tqdm)
        bar.set_postfix_str(f"{passages:,} passages", refresh=False)
        bar.update(done - bar.n)
        if done == total:
            bar.refresh()

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()  # type: ignore[attr-defined]
            self._bar = None


class LogProgress:
    """Log lines with counts and rate, every :data:`LOG_EVERY_S` seconds and at the end (when indexing took
    more than :data:`DELAY_S`)."""

    def __init__(self, clock: object = time.monotonic) -> None:
        self._clock = clock
        self._started: float | None = None
        self._last = 0.0

    def __call__(self, done: int, total: int, passages: int) -> None:
        now = self._clock()  # type: ignore[operator]
        if self._started is None or done == 1:
            self._started, self._last = now, now
        elapsed = now - self._started
        if (now - self._last >= LOG_EVERY_S) or (done == total and elapsed >= DELAY_S):
            self._last = now
            rate = done / elapsed if elapsed > 0 else 0.0
            log.info("Indexing: %d/%d files, %d passages, %.0f files/s", done, total, passages, rate)
