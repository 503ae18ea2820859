"""Dynamic pruning (MaxScore over blocks of postings) returns exactly the top-k of scoring every posting:
the same passages, the same float scores, ties broken the same way, over random corpora split into segments
with deletions; and it skips most postings of a common term when a rare one settles the answer."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import compiled, pruning
from retrieval.index import BLOCK, BM25Index, Postings


def exhaustive_top_k(index: BM25Index, query: list[str], k: int) -> list[tuple[int, float]]:
    """Every passage scored, then sorted: best first, ties by lower passage number."""
    scores = index.scores(query)
    hits = np.flatnonzero(scores > 0)
    best = hits[np.lexsort((hits, -scores[hits]))][:k]
    return [(int(i), float(scores[i])) for i in best]


def random_index(seed: int, n_parts: int, deletions: bool, shuffled: bool) -> tuple[BM25Index, int]:
    """An index over ``n_parts`` segments of Zipf-distributed words (so common words fill many blocks),
    some passages deleted, the index's numbering interleaving the segments when ``shuffled``."""
    rng = np.random.default_rng(seed)
    vocabulary = int(rng.integers(3, 60))
    weights = 1.0 / np.arange(1, vocabulary + 1)
    weights /= weights.sum()
    parts, lengths, n = [], [], 0
    for _ in range(n_parts):
        size = int(rng.integers(1, 800))
        # Lengths in a narrow range half the time: block bounds are then tight, so a wrong one shows.
        sizes = rng.integers(0, 30, size=size) if seed % 2 else rng.integers(18, 22, size=size)
        words = [f"w{t}" for t in rng.choice(vocabulary, size=int(sizes.sum()), p=weights).tolist()]
        ends = np.cumsum(sizes).tolist()
        corpus = [words[end - m:end] for end, m in zip(ends, sizes.tolist())]
        alive = np.flatnonzero(rng.random(size) >= (0.3 if deletions else 0.0))
        mapping = np.full(size, -1, dtype=np.int64)
        mapping[alive] = np.arange(n, n + len(alive))
        n += len(alive)
        lengths.extend(len(corpus[i]) for i in alive)
        parts.append((Postings.from_corpus(corpus), mapping))
    if n == 0:
        return random_index(seed + 1, n_parts, deletions, shuffled)
    lengths_ = np.asarray(lengths, dtype=np.float64)
    if shuffled:
        order = rng.permutation(n)
        for _, mapping in parts:
            mapping[mapping >= 0] = order[mapping[mapping >= 0]]
        shuffled_lengths = np.empty(n)
        shuffled_lengths[order] = lengths_
        lengths_ = shuffled_lengths
    return BM25Index.from_parts(parts, lengths_), vocabulary


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_parts=st.integers(1, 4), deletions=st.booleans(), shuffled=st.booleans(),
       queries=st.lists(st.tuples(st.lists(st.integers(0, 70), min_size=1, max_size=9), st.integers(1, 30)),
                        min_size=4, max_size=8))
def test_pruned_top_k_equals_exhaustive_top_k(seed: int, n_parts: int, deletions: bool, shuffled: bool,
                                              queries: list[tuple[list[int], int]]) -> None:
    index, vocabulary = random_index(seed, n_parts, deletions, shuffled)
    for words, k in queries:
        query = [f"w{w % (vocabulary + 2)}" for w in words]  # some repeated, a few unknown
        assert index.top_k(query, k) == exhaustive_top_k(index, query, k)


def test_a_bound_below_a_true_weight_loses_a_true_hit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The check above has teeth: with every block bound cut by a third, pruning drops true top-k hits."""
    original = pruning._Term._bounds

    def too_low(self, index, part, blk):  # type: ignore[no-untyped-def]
        return original(self, index, part, blk) * 0.67

    monkeypatch.setattr(pruning._Term, "_bounds", too_low)
    assert differing_top_k() > 0


def differing_top_k() -> int:
    """Of 75 random queries over 15 random indexes, how many get another top 10 than exhaustive scoring."""
    differ = 0
    for seed in range(15):
        index, vocabulary = random_index(seed, 2, seed % 2 == 0, seed % 3 == 0)
        rng = np.random.default_rng(seed)
        for _ in range(5):
            query = [f"w{w}" for w in rng.integers(0, vocabulary, size=int(rng.integers(2, 7)))]
            differ += index.top_k(query, 10) != exhaustive_top_k(index, query, 10)
    return differ


def test_a_rare_term_lets_the_index_skip_most_of_a_common_one(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corpus = [["common", "filler"] * (1 + i % 3) for i in range(20_000)]
    for i in range(0, 20_000, 2_000):
        corpus[i] = ["rare", "common"]
    index = BM25Index(corpus)
    read: list[int] = []
    original = pruning._Term.read

    def counting(self, threshold):  # type: ignore[no-untyped-def]
        found = original(self, threshold)
        read.append(len(found[0]))
        return found

    monkeypatch.setattr(pruning._Term, "read", counting)
    query = ["rare", "common"]
    assert index.top_k(query, 5) == exhaustive_top_k(index, query, 5)
    assert sum(read) < 20_000 // 4  # of 20,010 postings: the rare term's 10 and a few blocks of the other
    assert BLOCK == 64


needs_numba = pytest.mark.skipif(not compiled.installed(), reason="numba is not installed")


@contextmanager
def compiled_at_every_size(seed_blocks: int) -> Iterator[None]:
    """The compiled path (retrieval.compiled) for indexes of any size, not only large ones, with this many
    seed blocks (0: no seeded threshold)."""
    saved = compiled.MIN_PASSAGES, compiled.SEED_BLOCKS
    compiled.MIN_PASSAGES, compiled.SEED_BLOCKS = 0, seed_blocks
    try:
        yield
    finally:
        compiled.MIN_PASSAGES, compiled.SEED_BLOCKS = saved


@needs_numba
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_parts=st.integers(1, 4), deletions=st.booleans(), shuffled=st.booleans(),
       queries=st.lists(st.tuples(st.lists(st.integers(0, 70), min_size=1, max_size=9), st.integers(1, 30)),
                        min_size=4, max_size=8),
       seed_blocks=st.sampled_from([0, 1, 4]))
def test_compiled_top_k_equals_exhaustive_top_k(seed: int, n_parts: int, deletions: bool, shuffled: bool,
                                                queries: list[tuple[list[int], int]], seed_blocks: int) -> None:
    index, vocabulary = random_index(seed, n_parts, deletions, shuffled)
    with compiled_at_every_size(seed_blocks):
        assert compiled.available(index, 10)
        for words, k in queries:
            query = [f"w{w % (vocabulary + 2)}" for w in words]
            assert index.top_k(query, k) == exhaustive_top_k(index, query, k)


def test_a_small_index_answers_without_the_compiled_path() -> None:
    """Below MIN_PASSAGES a process never imports numba for a query (start-up stays short)."""
    index, _ = random_index(3, 2, True, False)
    assert index.size < compiled.MIN_PASSAGES
    assert not compiled.available(index, 10)


@needs_numba
def test_a_compiled_bound_below_a_true_weight_loses_a_true_hit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The compiled check has teeth too: with every block bound cut by a third, it drops true top-k hits."""
    from retrieval.index import Part

    original = Part.bound_factors

    def too_low(self, k1, b, avgdl):  # type: ignore[no-untyped-def]
        low = [x * 0.67 for x in original(self, k1, b, avgdl)]
        for x in low:
            x.flags.writeable = False  # as the real ones (the kernel's compiled signature)
        return tuple(low)

    monkeypatch.setattr(Part, "bound_factors", too_low)
    with compiled_at_every_size(4):
        assert differing_top_k() > 0


@needs_numba
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_parts=st.integers(1, 4), deletions=st.booleans(),
       queries=st.lists(st.tuples(st.lists(st.integers(0, 70), min_size=1, max_size=9), st.integers(1, 30)),
                        min_size=2, max_size=5),
       window=st.sampled_from([1, 3, 16]))
def test_compiled_top_k_over_many_windows_equals_exhaustive_top_k(seed: int, n_parts: int, deletions: bool,
                                                                  queries: list[tuple[list[int], int]],
                                                                  window: int) -> None:
    """The compiled kernel reads the postings a window of passage numbers at a time: with windows of a few
    passages (many windows, every window path taken) the top k is still the exhaustive one."""
    index, vocabulary = random_index(seed, n_parts, deletions, False)
    saved = compiled.WINDOW
    compiled.WINDOW = window
    compiled._scratch.__dict__.clear()
    try:
        with compiled_at_every_size(4):
            for words, k in queries:
                query = [f"w{w % (vocabulary + 2)}" for w in words]
                assert index.top_k(query, k) == exhaustive_top_k(index, query, k)
    finally:
        compiled.WINDOW = saved
        compiled._scratch.__dict__.clear()


@needs_numba
def test_compiled_document_scores_equal_the_numpy_ones() -> None:
    """Whole-document BM25 through the compiled run counts is the very float of the numpy lookups."""
    from retrieval import ranking

    rng = random.Random(5)
    for n_parts in (1, 3):
        index, vocabulary = random_index(11 + n_parts, n_parts, True, False)
        docs = np.repeat(np.arange(index.size // 3 + 1), 3)[:index.size]
        stats = ranking.DocumentLengths(docs, index.bm25.doc_len)
        for _ in range(20):
            terms = list(dict.fromkeys(f"w{rng.randint(0, vocabulary + 1)}" for _ in range(rng.randint(1, 8))))
            cands = [rng.randrange(int(docs[-1]) + 1) for _ in range(rng.randint(1, 30))]
            plain = ranking.document_scores(index, stats, terms, cands)
            with compiled_at_every_size(4):
                assert ranking.document_scores(index, stats, terms, cands) == plain
