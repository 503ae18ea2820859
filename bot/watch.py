"""Following the documents folder: the running bot applies additions, edits and deletions within seconds.

:class:`FolderWatch` waits for changes under ``SEEDS_DIR`` with ``watchfiles`` (inotify and its kin, or
polling where events are not available: network drives, some containers, ``WATCHFILES_FORCE_POLLING``),
lets a burst settle (an editor's save, a ``git pull`` of 500 files: one batch), then brings the index up
to date in a worker thread (only the changed files are read again, see :mod:`retrieval.store`) and swaps
the new snapshot into the bot. An answer in flight finishes on the snapshot it started with.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import watchfiles

from retrieval import Retriever

if TYPE_CHECKING:
    from .client import SeedBot

__all__ = ["FolderWatch"]

log = logging.getLogger(__name__)

#: Milliseconds without a further change before a batch is applied; and the longest a batch may gather.
SETTLE_MS = 300
MAX_BATCH_MS = 2000
#: Milliseconds between two looks at the folder when polling.
POLL_MS = 500


def _visible(change: watchfiles.Change, path: str, root: Path) -> bool:
    """Changes to hidden files and folders (editor swap files, ``.git``) are not documents."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return True
    return not any(part.startswith(".") for part in parts)


class FolderWatch:
    """Follow ``folder`` and swap a fresh retriever into the bot after each batch of changes.

    Parameters
    ----------
    folder:
        The documents folder.
    reload:
        Builds the up-to-date retriever (blocking; run in a worker thread), e.g. ``Retriever.from_folder``
        with the saved index.
    force_polling:
        ``True`` to poll instead of waiting for file system events; ``None`` lets watchfiles decide.
    """

    def __init__(self, folder: str | Path, reload: Callable[[], Retriever], *, force_polling: bool | None = None,
                 settle_ms: int = SETTLE_MS) -> None:
        self.folder = Path(folder).resolve()
        self.reload = reload
        self.force_polling = force_polling
        self.settle_ms = settle_ms
        #: Batches applied so far (for tests and /status).
        self.applied = 0

    async def __call__(self, bot: SeedBot) -> None:
        """Run until cancelled (the bot closing)."""
        polling = self.force_polling
        while True:
            try:
                await self._follow(bot, polling)
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if polling:
                    log.exception("Following %s failed; changes are applied at the next start", self.folder)
                    return
                log.warning("Cannot watch %s for changes (%s); polling it every %.1f s instead.", self.folder,
                            error, POLL_MS / 1000)
                polling = True

    async def _follow(self, bot: SeedBot, polling: bool | None) -> None:
        root = self.folder
        caught_up = False
        async for changes in watchfiles.awatch(
            root, watch_filter=lambda change, path: _visible(change, path, root), debounce=MAX_BATCH_MS,
            step=self.settle_ms, force_polling=polling, poll_delay_ms=POLL_MS, recursive=True,
            ignore_permission_denied=True, rust_timeout=1000, yield_on_timeout=True,
        ):
            if not changes:
                if caught_up:
                    continue
                # The watcher is running: catch up once with what changed between the load and now.
                caught_up = True
            started = time.perf_counter()
            try:
                retriever = await asyncio.to_thread(self.reload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Updating the index after %d change(s) in %s failed; still answering from the "
                              "previous index", len(changes), root)
                continue
            bot.swap_retriever(retriever)
            self.applied += 1
            if not changes:
                continue
            log.info("Applied %d change(s) in %s in %.2f s: %d documents, %d passages.", len(changes), root,
                     time.perf_counter() - started, len(retriever.documents), len(retriever.passages))
