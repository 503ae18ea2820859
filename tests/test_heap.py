"""The garbage collector around a loaded index (retrieval.heap): frozen after loading, old cycles collected
at the next swap, young collections less often."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from retrieval import Retriever
from retrieval.documents import Document
from retrieval.heap import YOUNG_THRESHOLD, settle


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Node:
    """An object in a reference cycle (only the cyclic collector frees it)."""

    def __init__(self) -> None:
        self.me = self


def test_settle_freezes_what_is_loaded_and_raises_the_young_threshold() -> None:
    library = Document(id="a.txt", text="The library opens at nine on Saturdays.", title="a", date=None)
    retriever = Retriever.from_documents([library])
    gc.set_threshold(700, 10, 10)
    assert any(o is retriever for o in gc.get_objects())  # walked by every full collection
    settle()
    assert not any(o is retriever for o in gc.get_objects())  # frozen: passed over
    assert gc.get_threshold() == (YOUNG_THRESHOLD, 10, 10)
    assert retriever.ask("When does the library open?").excerpts


def test_a_higher_threshold_set_by_the_process_is_kept() -> None:
    gc.set_threshold(YOUNG_THRESHOLD * 2, 5, 5)
    settle()
    assert gc.get_threshold() == (YOUNG_THRESHOLD * 2, 5, 5)


def test_a_cycle_frozen_with_an_old_index_is_collected_at_the_next_settle() -> None:
    old = Node()
    gone = weakref.ref(old)
    settle()  # the old index is frozen while it serves
    del old  # swapped out: only its cycle keeps it
    gc.collect()
    assert gone() is not None  # frozen objects are passed over by collections
    settle()
    assert gone() is None


def test_a_young_threshold_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        settle(0)
