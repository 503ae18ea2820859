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

Term weight (Robertson et al. 1994, Okapi BM25)::

    w(t, p) = idf(t) * tf(t, p) * (k1 + 1) / (tf(t, p) + k1 * (1 - b + b * |p| / avgdl))
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

__all__ = ["DEFAULT_B", "DEFAULT_K1", "BM25Index", "LuceneIdfBM25", "Postings"]

#: BM25 parameters. k1 = 1.5 is rank-bm25's default; b = 0.9 (length normalisation a little
#: stronger than the usual 0.75) was the best of a 4 x 5 grid on BEIR SciFact (nDCG@10 69.35 against 68.53
#: at Lucene's k1 = 1.2, b = 0.75; ``python -m benchmarks --only retrieval``). That grid used SciFact's test
#: queries, the only judged queries we have; on SQuAD (``benchmarks/squad.py``) every setting in the grid
#: gives the same answer quality, so the choice costs nothing there.
DEFAULT_K1 = 1.5
DEFAULT_B = 0.9


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
    ``pid[off[t]:off[t + 1]]`` (segment-local, increasing) hold it ``tf[...]`` times."""

    vocab: list[str]
    off: npt.NDArray[np.int64]
    pid: npt.NDArray[np.int32]
    tf: npt.NDArray[np.int32]

    def __post_init__(self) -> None:
        self.terms: dict[str, int] = {t: i for i, t in enumerate(self.vocab)}

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
        self._norm = k1 * (1.0 - b + b * lengths / avgdl)
        self._parts = list(parts)
        # Document frequencies over the live passages, summed over the parts.
        df: dict[str, int] = {}
        for postings, mapping in self._parts:
            if mapping is None:
                live = np.diff(postings.off)
            else:
                alive = (mapping[postings.pid] >= 0).astype(np.int64)
                sums = np.concatenate(([0], np.cumsum(alive)))
                live = sums[postings.off[1:]] - sums[postings.off[:-1]]
            for term, n in zip(postings.vocab, live.tolist()):
                if n:
                    df[term] = df.get(term, 0) + n
        if len(self._parts) == 1:
            self.vocabulary: dict[str, int] = {t: i for i, t in enumerate(df)}
        else:  # the same numbering whatever order the segments come in
            self.vocabulary = {t: i for i, t in enumerate(sorted(df))}
        counts = np.fromiter((df[t] for t in self.vocabulary), dtype=np.float64, count=len(self.vocabulary))
        self.idf = np.log(1.0 + (self.size - counts + 0.5) / (counts + 0.5))

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
        for postings, mapping in self._parts:
            t = postings.terms.get(term)
            if t is None:
                continue
            a, b = int(postings.off[t]), int(postings.off[t + 1])
            pids = np.asarray(postings.pid[a:b])
            tf = np.asarray(postings.tf[a:b], dtype=np.float64)
            if mapping is not None:
                pids = mapping[pids]
                alive = pids >= 0
                if not alive.all():
                    pids, tf = pids[alive], tf[alive]
            out.append((pids, idf * (tf * (k1 + 1.0) / (tf + self._norm[pids]))))
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
        scores, touched = self._accumulate(query)
        if not touched:
            return []
        hits = touched[0] if len(touched) == 1 else np.concatenate(touched)
        if hits.size > k:
            # The k-th best score, then every hit at least that good (ties at the boundary included), so
            # the lower index wins a tie whatever order argpartition leaves them in.
            values = scores[hits]
            kth = -np.partition(-values, k - 1)[k - 1]
            hits = hits[values >= kth]
        hits = np.unique(hits)
        order = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(int(i), float(scores[i])) for i in order]

    def term_frequencies(self, term: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Every live passage holding ``term`` and how many times it does.

        Returns
        -------
        tuple[numpy.ndarray, numpy.ndarray]
            ``(passages, counts)``: index passage numbers (int64, in no particular order) and raw term
            frequencies (float64), same shape; both empty for a term no live passage holds.
        """
        found: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = []
        if term in self.vocabulary:
            for postings, mapping in self._parts:
                t = postings.terms.get(term)
                if t is None:
                    continue
                a, b = int(postings.off[t]), int(postings.off[t + 1])
                pids = np.asarray(postings.pid[a:b], dtype=np.int64)
                tf = np.asarray(postings.tf[a:b], dtype=np.float64)
                if mapping is not None:
                    pids = mapping[pids]
                    alive = pids >= 0
                    pids, tf = pids[alive], tf[alive]
                found.append((pids, tf))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        if len(found) == 1:
            return found[0]
        return np.concatenate([p for p, _ in found]), np.concatenate([f for _, f in found])

