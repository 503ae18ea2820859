"""The cyclic garbage collector in a process that keeps an index open and answers many questions.

An answer makes tens of thousands of short-lived objects (a candidate document's spans, term sets, bit
masks, windows) that reference counting frees as soon as the answer is built; a loaded index keeps its
objects for as long as it serves. With CPython's default threshold (a young collection every 700 net
allocations, see :func:`gc.set_threshold`) a question at a million passages runs dozens of young
collections and now and then a full one over every object the index holds, a fifth to a quarter of the
answer's time (``benchmarks/README.md``, issue 9). :func:`settle` is what a long-running process calls once
an index is loaded and after each swap to a newer one: it collects what loading left behind, moves every
object alive into the permanent generation (:func:`gc.freeze`, which full collections then pass over) and
raises the young threshold (:data:`YOUNG_THRESHOLD`). Cycles made while answering are still collected,
only less often.
"""

from __future__ import annotations

import gc

__all__ = ["YOUNG_THRESHOLD", "settle"]

#: Net allocations between young collections after :func:`settle` (CPython's default is 700). Time spent
#: collecting per question at 1M passages (200 questions, ``gc.callbacks``, one run each): 1.25 ms with
#: CPython's defaults, 0.63 ms frozen, 0.43 ms frozen with 10,000 and 0.23 ms frozen with 50,000.
YOUNG_THRESHOLD = 50_000


def settle(young: int = YOUNG_THRESHOLD) -> None:
    """Collect every generation (the objects a previous :func:`settle` froze included), then freeze the
    survivors and set the young threshold to at least ``young`` (the older generations' thresholds stay).

    Takes one full collection: tens of milliseconds for a large index. Call it from one thread at a time,
    after the index is loaded and after each swap to a new one (the old one's cycles are then collected).

    Raises
    ------
    ValueError
        ``young`` is below 1.
    """
    if young < 1:
        raise ValueError(f"young must be at least 1, got {young}")
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    if threshold[0] < young:
        gc.set_threshold(young, *threshold[1:])
