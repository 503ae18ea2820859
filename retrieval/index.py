"""BM25 over passages, with rank-bm25, made safe for tiny corpora and fast for large ones.

rank-bm25's ``BM25Okapi`` (Trotman et al. 2014 variant) has three known failure modes that this module
fixes:

* idf is ``log((N - n + 0.5) / (n + 0.5))``, which is 0 for a term in exactly half of the passages and
  negative above that; the "epsilon" floor is a fraction of the *average* idf, itself 0 or negative on a
  one- or two-passage corpus, so every passage can score 0 or below 0.
  We use Lucene's idf instead, ``log(1 + (N - n + 0.5) / (n + 0.5))`` (Lucene ``BM25Similarity``;
  Robertson & Zaragoza 2009, eq. 3.3 plus one inside the log), which is always above 0. So a passage holding
  a query term always scores above one that holds none, for any corpus size.
* ``BM25Okapi([])`` divides by zero: :class:`BM25Index` raises ``ValueError`` instead.
* ``get_scores`` loops over every passage in Python for each query term (about 0.2 s a query at 100k
  passages). :class:`BM25Index` reads the postings of the query's terms only (numpy over
  :mod:`retrieval.segments` arrays, memory-mapped when saved) and computes each weight at query time from
  the current statistics (passage count, average length, document frequencies over the live passages),
  as Lucene does; so adding passages or deleting some never rewrites stored weights. The scores are the
  numbers ``get_scores`` gives over the live passages built fresh (tested, also after random changes).
* :meth:`BM25Index.top_k` does not score every posting: it prunes dynamically (MaxScore over blocks of
  postings, :mod:`retrieval.pruning`; with numba on a large index, document at a time in compiled code,
  :mod:`retrieval.compiled`), with per-block bounds (largest tf, shortest passage) stored beside the
  postings, and returns exactly the passages and scores of an exhaustive pass (tested).

Term weight (Robertson et al. 1994, Okapi BM25)::

    w(t, p) = idf(t) * tf(t, p) * (k1 + 1) / (tf(t, p) + k1 * (1 - b + b * |p| / avgdl))
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from . import compiled, pruning
from .pruning import BLOCK

__all__ = ["BLOCK", "DEFAULT_B", "DEFAULT_K1", "BM25Index", "LuceneIdfBM25", "Postings", "block_bounds"]

#: BM25 parameters. k1 = 1.5 is rank-bm25's default; b = 0.9 (length normalisation a little
#: stronger than the usual 0.75) was the best of a 4 x 5 grid on BEIR SciFact (nDCG@10 69.35 against 68.53
#: at Lucene's k1 = 1.2, b = 0.75; ``python -m benchmarks --only retrieval``). That grid used SciFact's test
#: queries, the only judged queries we have; on SQuAD (``benchmarks/squad.py``) every setting in the grid
#: gives the same answer quality, so the choice costs nothing there.
DEFAULT_K1 = 1.5
DEFAULT_B = 0.9
#: From this many passages, opening an index maps every page of its postings (one read per page) instead of
#: leaving each query to fault in the pages it touches: a query at 1M passages touches thousands of pages
#: of the memory-mapped postings, and faulting them one by one doubled its median latency (1.57 against
#: 0.89 ms). Costs about 0.12 s of the opening at 1M; the pages are the file system cache's (shared,
#: reclaimable), counted in the resident set size.
PREFAULT_PASSAGES = 100_000


def block_bounds(off: npt.NDArray[np.int64], pid: npt.NDArray[np.int32], tf: npt.NDArray[np.int32],
                 lengths: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Per block of :data:`BLOCK` postings (term by term, a term's last block possibly shorter): the largest
    raw term frequency and the shortest passage length in it.

    Parameters
    ----------
    off, pid, tf:
        Postings (see :class:`Postings`): term ``t``'s are ``pid/tf[off[t]:off[t + 1]]``.
    lengths:
        Terms per passage, indexed by ``pid``.

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray]
        ``(max tf, min length)``, int32, one entry per block; term ``t``'s blocks are
        ``blk[blk_off[t]:blk_off[t + 1]]`` with ``blk_off`` from :func:`block_offsets`.
    """
    starts = _block_starts(np.asarray(off, dtype=np.int64))
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    tf = np.asarray(tf)
    lens = np.asarray(lengths)[np.asarray(pid)]
    return (np.maximum.reduceat(tf, starts).astype(np.int32),
            np.minimum.reduceat(lens, starts).astype(np.int32))


def block_offsets(off: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``blk_off``: term ``t``'s blocks are numbers ``blk_off[t]:blk_off[t + 1]``, shape ``(V + 1,)``."""
    counts = (np.diff(np.asarray(off, dtype=np.int64)) + BLOCK - 1) // BLOCK
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def _block_starts(off: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Posting number where each block starts."""
    blk_off = block_offsets(off)
    n = int(blk_off[-1])
    term = np.repeat(np.arange(len(off) - 1, dtype=np.int64), np.diff(blk_off))
    within = np.arange(n, dtype=np.int64) - blk_off[term]
    return off[term] + within * BLOCK


#: Up to this many runs of deleted passages in a segment, its live document frequencies are found by binary
#: searches of each run's ends in every term's postings; above, by one pass over all its postings.
SEARCHED_RUNS = 32


def _live_counts(off: npt.NDArray[np.int64], pid: npt.NDArray[np.int32],
                 mapping: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Per term, its postings in live passages (``mapping >= 0``), shape ``(V,)``.

    A few edited or deleted documents are a few runs of deleted passages: each run's postings per term are
    counted by a binary search of its two ends in every term's (sorted) postings, all terms at once, which
    reads a few numbers per term instead of every posting (at 1M passages, 90M postings, ms against s).
    """
    dead = mapping < 0
    edges = np.flatnonzero(np.diff(np.concatenate(([False], dead, [False])).view(np.int8)))
    starts, ends = edges[0::2], edges[1::2]  # runs of deleted passages: [starts[r], ends[r])
    counts = np.diff(off).astype(np.int64)
    if len(starts) > SEARCHED_RUNS:
        alive = (~dead).view(np.uint8)[pid]
        sums = np.zeros(len(alive) + 1, dtype=np.int64)
        np.cumsum(alive, out=sums[1:])
        return sums[off[1:]] - sums[off[:-1]]
    first, last = off[:-1].astype(np.int64), off[1:].astype(np.int64)
    for a, b in zip(starts.tolist(), ends.tolist()):
        counts -= _lower_bound(pid, first, last, b) - _lower_bound(pid, first, last, a)
    return counts


def _lower_bound(pid: npt.NDArray[np.int32], first: npt.NDArray[np.int64], last: npt.NDArray[np.int64],
                 x: int) -> npt.NDArray[np.int64]:
    """Per term ``t``, the first position in ``pid[first[t]:last[t]]`` (increasing) holding ``x`` or more."""
    lo, hi = first.copy(), last.copy()
    todo = np.flatnonzero(lo < hi)
    while len(todo):
        mid = (lo[todo] + hi[todo]) // 2
        less = pid[mid] < x
        lo[todo[less]] = mid[less] + 1
        hi[todo[~less]] = mid[~less]
        todo = todo[lo[todo] < hi[todo]]
    return lo


class LuceneIdfBM25(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's ``BM25Okapi`` with Lucene's always-positive idf (see the module docstring)."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        for word, freq in nd.items():
            self.idf[word] = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5))
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


@dataclass
class Postings:
    """One segment's postings: for term number ``t`` of ``vocab`` (sorted), the passages
    ``pid[off[t]:off[t + 1]]`` (segment-local, increasing) hold it ``tf[...]`` times. ``blk_tf`` and
    ``blk_len``: :func:`block_bounds` of them (``None``: computed when the index opens)."""

    vocab: list[str]
    off: npt.NDArray[np.int64]
    pid: npt.NDArray[np.int32]
    tf: npt.NDArray[np.int32]
    blk_tf: npt.NDArray[np.int32] | None = None
    blk_len: npt.NDArray[np.int32] | None = None

    def __post_init__(self) -> None:
        self._terms: dict[str, int] | None = None

    @property
    def terms(self) -> dict[str, int]:
        """Term to term number (built on first use)."""
        if self._terms is None:
            self._terms = {t: i for i, t in enumerate(self.vocab)}
        return self._terms

    @classmethod
    def from_corpus(cls, corpus: Sequence[Sequence[str]]) -> Postings:
        """Postings of ``corpus`` (one term list per passage, passage ``i`` is local passage ``i``)."""
        counted = [Counter(terms) for terms in corpus]
        vocab = sorted(set().union(*counted)) if counted else []
        number = {t: i for i, t in enumerate(vocab)}
        tids = np.fromiter((number[t] for c in counted for t in c), dtype=np.int32)
        tfs = np.fromiter((n for c in counted for n in c.values()), dtype=np.int32, count=len(tids))
        pids = np.repeat(np.arange(len(counted), dtype=np.int32), [len(c) for c in counted])
        order = np.argsort(tids, kind="stable")
        off = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(tids, minlength=len(vocab)), out=off[1:])
        return cls(vocab, off, pids[order], tfs[order])


class Part:
    """One segment's postings inside an index, with its map to the index's passage numbers.

    Attributes
    ----------
    postings:
        The postings.
    mapping:
        Segment-local passage to index passage number (-1: deleted), or ``None`` for the identity.
    shift:
        When the map is ``local + shift`` for every local passage (no deletion), that ``shift``; else ``None``.
    has_dead:
        Whether some passage of the segment is deleted.
    blk_off, blk_tf, blk_len:
        Block bounds (see :func:`block_bounds`).
    """

    def __init__(self, postings: Postings, mapping: npt.NDArray[np.int64] | None,
                 lengths: npt.NDArray[np.float64]) -> None:
        self.postings, self.mapping = postings, mapping
        self.n_local = len(lengths) if mapping is None else len(mapping)
        self.shift: int | None = 0
        self.has_dead = False
        if mapping is not None:
            self.has_dead = bool(len(mapping)) and bool((mapping < 0).any())
            contiguous = not self.has_dead and (len(mapping) == 0 or bool((np.diff(mapping) == 1).all()))
            self.shift = int(mapping[0]) if contiguous and len(mapping) else (0 if contiguous else None)
        self.size = len(lengths)
        self.blk_off = block_offsets(postings.off)
        if postings.blk_tf is None or postings.blk_len is None:
            local = lengths if mapping is None else np.where(mapping >= 0, lengths[np.maximum(mapping, 0)], 0)
            postings.blk_tf, postings.blk_len = block_bounds(postings.off, postings.pid, postings.tf, local)
        # Plain views (no copy) of the memory maps: slicing a numpy.memmap costs more than the slice.
        self.blk_tf = np.asarray(postings.blk_tf).view(np.ndarray)
        self.blk_len = np.asarray(postings.blk_len).view(np.ndarray)
        self.off = np.asarray(postings.off).view(np.ndarray)
        self.pid = np.asarray(postings.pid).view(np.ndarray)
        self.tf = np.asarray(postings.tf).view(np.ndarray)
        for view in (self.blk_tf, self.blk_len, self.off, self.pid, self.tf):
            view.flags.writeable = False  # as when memory-mapped (one compiled signature, retrieval.compiled)
        #: The map as the compiled top-k takes it (empty when ``shift`` says it all).
        # (int32: half the bytes of the int64 map, read once per candidate passage.)
        self.kernel_map = np.zeros(0, dtype=np.int32) if self.shift is not None or mapping is None \
            else mapping.astype(np.int32)
        self._inverse: npt.NDArray[np.int64] | None = None
        self._factors: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None

    def bound_factors(self, k1: float, b: float,
                      avgdl: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Per block, ``f = tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl))`` at its largest tf and
        shortest passage (a term's weight bound in the block is ``idf * f``, the float an exhaustive pass
        computes for such a posting), and per term the largest ``f`` of its blocks (0 for none); computed
        once per index (the statistics are fixed for its life). Shapes ``(B,)`` and ``(V,)``, float64."""
        if self._factors is None:
            tf = self.blk_tf.astype(np.float64)
            norm = k1 * (1.0 - b + b * self.blk_len.astype(np.float64) / avgdl)  # as BM25Index.norm
            f = tf * (k1 + 1.0) / (tf + norm)
            fmax = np.zeros(len(self.blk_off) - 1, dtype=np.float64)
            has = np.flatnonzero(np.diff(self.blk_off) > 0)
            if len(has):
                fmax[has] = np.maximum.reduceat(f, self.blk_off[has])
            f.flags.writeable = fmax.flags.writeable = False
            self._factors = f, fmax
        return self._factors

    def prefault(self) -> None:
        """Map every page of the postings into the process (one read a page; see :data:`PREFAULT_PASSAGES`)."""
        for view in (self.pid, self.tf):
            if len(view):
                np.add.reduce(view[::1024])

    def to_global(self, local: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """Index passage numbers of segment-local ones (-1 for a deleted passage)."""
        if self.shift is not None:
            return local.astype(np.int64) + self.shift if self.shift else local.astype(np.int64)
        assert self.mapping is not None
        return self.mapping[local]

    def to_local(self, passages: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64] | slice, npt.NDArray[np.int64]]:
        """For sorted index passage numbers: ``(positions in passages, local numbers)`` of those in this
        segment (positions as a slice when they are consecutive)."""
        if self.shift is not None:
            if self.shift == 0 and self.n_local >= self.size:
                return slice(0, len(passages)), passages
            lo = int(np.searchsorted(passages, self.shift))
            hi = int(np.searchsorted(passages, self.shift + self.n_local))
            return slice(lo, hi), passages[lo:hi] - self.shift
        if self._inverse is None:
            assert self.mapping is not None
            inverse = np.full(self.size, -1, dtype=np.int64)
            alive = self.mapping >= 0
            inverse[self.mapping[alive]] = np.flatnonzero(alive)
            self._inverse = inverse
        local = self._inverse[passages]
        which = np.flatnonzero(local >= 0)
        return which, local[which]


@dataclass
class _Stats:
    """What summaries read of the statistics: ``doc_len`` (terms per passage) and ``avgdl``."""

    doc_len: npt.NDArray[np.float64]
    avgdl: float
    corpus_size: int


class BM25Index:
    """A BM25 index over analyzed passages, made of one or more segments of postings.

    Parameters
    ----------
    corpus:
        One list of index terms per passage (the analyzer's output). Passages may be empty lists.
    k1, b:
        BM25 parameters: ``k1`` (term-frequency saturation, > 0) and ``b`` (length normalisation, 0 to 1).

    Raises
    ------
    ValueError
        ``corpus`` is empty, or ``k1``/``b`` are out of range.

    Attributes
    ----------
    size:
        Number of (live) passages, ``N``.
    vocabulary:
        Term to term number, for every term some live passage holds.
    idf:
        Lucene idf per term number, float64, shape ``(len(vocabulary),)``.
    bm25:
        ``doc_len`` (terms per passage) and ``avgdl``, as rank-bm25 names them.

    Notes
    -----
    :meth:`from_parts` builds one over several segments (:mod:`retrieval.segments`), each with a map from
    its passage numbers to the index's (``-1`` for a deleted passage, a tombstone): statistics count live
    passages only, so scores equal a fresh build over the live passages.
    """

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> None:
        if len(corpus) == 0:
            raise ValueError("cannot build a BM25 index over no passages")
        lengths = np.fromiter((len(c) for c in corpus), dtype=np.float64, count=len(corpus))
        self._setup([(Postings.from_corpus(corpus), None)], lengths, k1, b)

    @classmethod
    def from_parts(cls, parts: Sequence[tuple[Postings, npt.NDArray[np.int64] | None]],
                   lengths: npt.NDArray[np.float64], k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> BM25Index:
        """An index over several segments' postings.

        Parameters
        ----------
        parts:
            ``(postings, passage map)``: the map sends each segment-local passage number to the index's
            passage number, or to -1 when the passage is deleted; ``None`` means the identity (only for a
            single part holding every passage).
        lengths:
            Terms per passage, in the index's numbering, shape ``(size,)``.

        Raises
        ------
        ValueError
            No passage, or ``k1``/``b`` out of range.
        """
        if len(lengths) == 0:
            raise ValueError("cannot build a BM25 index over no passages")
        index = cls.__new__(cls)
        index._setup(parts, lengths, k1, b)
        return index

    def _setup(self, parts: Sequence[tuple[Postings, npt.NDArray[np.int64] | None]],
               lengths: npt.NDArray[np.float64], k1: float, b: float) -> None:
        if k1 <= 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.size = len(lengths)
        total = float(lengths.sum())
        avgdl = total / self.size if total > 0 else 1.0  # every passage empty after analysis: avoid 0/0
        self.bm25 = _Stats(lengths, avgdl, self.size)
        self.norm = k1 * (1.0 - b + b * lengths / avgdl)
        self.parts = [Part(postings, mapping, lengths) for postings, mapping in parts]
        # Document frequencies over the live passages, summed over the parts.
        df: dict[str, int] = {}
        for part in self.parts:
            postings = part.postings
            if not part.has_dead:
                live = np.diff(postings.off)
            else:
                assert part.mapping is not None
                live = _live_counts(part.off, part.pid, part.mapping)
            if len(self.parts) == 1 and not part.has_dead:
                df = dict(zip(postings.vocab, live.tolist()))
                break
            for term, n in zip(postings.vocab, live.tolist()):
                if n:
                    df[term] = df.get(term, 0) + n
        if len(self.parts) == 1:
            self.vocabulary: dict[str, int] = {t: i for i, t in enumerate(df)}
        else:  # the same numbering whatever order the segments come in
            self.vocabulary = {t: i for i, t in enumerate(sorted(df))}
        counts = np.fromiter((df[t] for t in self.vocabulary), dtype=np.float64, count=len(self.vocabulary))
        self.idf = np.log(1.0 + (self.size - counts + 0.5) / (counts + 0.5))
        if self.size >= PREFAULT_PASSAGES:
            for part in self.parts:
                part.prefault()

    @property
    def parts_by_size(self) -> list[Part]:
        """:attr:`parts`, those with the most passages first."""
        found: list[Part] | None = getattr(self, "_by_size", None)
        if found is None:
            found = self._by_size = sorted(self.parts, key=lambda part: -part.n_local)
        return found

    @property
    def int_lengths(self) -> npt.NDArray[np.int32] | None:
        """Terms per passage (``bm25.doc_len``) as int32, shape ``(size,)``, or ``None`` if some length is not
        a whole number below 2**31 (made on first use: the compiled top-k reads it instead of :attr:`norm`,
        half the bytes, and computes the same floats from it)."""
        if not hasattr(self, "_int_lengths"):
            lengths = self.bm25.doc_len
            found = lengths.astype(np.int32) if len(lengths) and 0 <= lengths.min() and lengths.max() < 2**31 \
                else np.zeros(0, dtype=np.int32)
            self._int_lengths = found if len(found) == len(lengths) and np.array_equal(found, lengths) else None
        return self._int_lengths

    def term_idf(self, term: str) -> float | None:
        """The idf of ``term``, or ``None`` when no passage contains it."""
        i = self.vocabulary.get(term)
        return None if i is None else float(self.idf[i])

    @property
    def max_idf(self) -> float:
        """The idf a term found in no passage would have (an upper bound on every idf in the index)."""
        return math.log(1.0 + (self.size + 0.5) / 0.5)

    def _term_weights(self, term: str) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
        """``(passages, weights)`` per segment holding ``term``: its BM25 weight in each live passage."""
        found = self.vocabulary.get(term)
        if found is None:
            return []
        idf = self.idf[found]
        k1 = self.k1
        out = []
        for pids, tf in self._postings(term):
            out.append((pids, idf * (tf * (k1 + 1.0) / (tf + self.norm[pids]))))
        return out

    def _postings(self, term: str) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
        """``(passages, raw tf)`` per part holding ``term``, live passages only, index numbering."""
        out = []
        for part in self.parts:
            t = part.postings.terms.get(term)
            if t is None:
                continue
            a, b = int(part.postings.off[t]), int(part.postings.off[t + 1])
            pids = part.to_global(np.asarray(part.postings.pid[a:b]))
            tf = np.asarray(part.postings.tf[a:b], dtype=np.float64)
            if part.has_dead:
                alive = pids >= 0
                pids, tf = pids[alive], tf[alive]
            out.append((pids, tf))
        return out

    def _accumulate(self, query: Sequence[str]) -> tuple[npt.NDArray[np.float64], list[npt.NDArray[np.int64]]]:
        counts: dict[str, int] = {}
        for t in query:
            if t in self.vocabulary:
                counts[t] = counts.get(t, 0) + 1
        scores = np.zeros(self.size, dtype=np.float64)
        touched = []
        for term, count in counts.items():
            for pids, weights in self._term_weights(term):
                scores[pids] += weights * count if count > 1 else weights
                touched.append(pids)
        return scores, touched

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        """BM25 score of every passage for ``query``.

        Parameters
        ----------
        query:
            Index terms (the analyzer's output). Repeated terms count once per occurrence, as in
            rank-bm25's ``get_scores``. Unknown terms add nothing.

        Returns
        -------
        numpy.ndarray
            Shape ``(size,)``, float64, every value >= 0; a passage holding any query term scores > 0.
        """
        return self._accumulate(query)[0]

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best passages for ``query`` that score above 0.

        Returns
        -------
        list[tuple[int, float]]
            ``(passage index, score)``, best first; ties broken by lower index. At most ``k`` items; empty
            when no passage holds a query term.

        Raises
        ------
        ValueError
            ``k`` is below 1.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        counts: dict[str, int] = {}
        for t in query:
            if t in self.vocabulary:
                counts[t] = counts.get(t, 0) + 1
        if not counts:
            return []
        if compiled.available(self, k):
            return compiled.top_k(self, counts, k)
        return pruning.top_k(self, counts, k)

    def term_frequencies(self, term: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Every live passage holding ``term`` and how many times it does.

        Returns
        -------
        tuple[numpy.ndarray, numpy.ndarray]
            ``(passages, counts)``: index passage numbers (int64, in no particular order) and raw term
            frequencies (float64), same shape; both empty for a term no live passage holds.
        """
        found = self._postings(term) if term in self.vocabulary else []
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if len(found) == 1:
            return found[0]
        return np.concatenate([p for p, _ in found]), np.concatenate([f for _, f in found])

