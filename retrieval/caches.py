"""Per-retriever caches: computed once per :class:`~retrieval.retriever.Retriever`, kept while it lives.

Summaries and the catalog (document names) build helper structures on first use. They are keyed by the
retriever object (not stored on it, so the retriever keeps its shape) and dropped when the retriever is
garbage-collected. Safe from several threads at once: the bot calls summaries and autocomplete from worker
threads.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["per_retriever"]

T = TypeVar("T")

_CACHES: dict[tuple[str, int], tuple[weakref.ref[Any], Any]] = {}
_LOCK = threading.Lock()


def per_retriever(retriever: object, kind: str, factory: Callable[[], T]) -> T:
    """The ``kind`` cache of ``retriever``: built by ``factory()`` on first use, then the same object.

    Parameters
    ----------
    retriever:
        The object the cache belongs to (must support weak references).
    kind:
        A name per cache type, so several modules keep separate caches for one retriever.
    factory:
        Builds an empty cache; called at most once per retriever and ``kind`` (under a lock, so keep it
        cheap: fill the cache lazily).

    Returns
    -------
    T
        One object per ``(retriever, kind)``, even when asked from several threads at once; forgotten when
        the retriever is garbage-collected.
    """
    key = (kind, id(retriever))
    with _LOCK:
        cached = _CACHES.get(key)
        if cached is not None and cached[0]() is retriever:
            return cached[1]  # type: ignore[no-any-return]
        cache = factory()
        # The callback runs while the retriever is freed (before its id can be reused); no lock there, as
        # garbage collection may run it in a thread that already holds the lock.
        def forget(_ref: weakref.ref[Any], key: tuple[str, int] = key) -> None:
            _CACHES.pop(key, None)

        _CACHES[key] = (weakref.ref(retriever, forget), cache)
        return cache
