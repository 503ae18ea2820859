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
  passages). :class:`BM25Index` precomputes each (term, passage) weight once into a sparse matrix, as
  bm25s does (Lù 2024, "BM25S: Orders of magnitude faster lexical search via eager sparse scoring"), so a
  query sums a few matrix rows. The scores are the same numbers ``get_scores`` gives (tested).

Term weight (Robertson et al. 1994, Okapi BM25)::

    w(t, p) = idf(t) * tf(t, p) * (k1 + 1) / (tf(t, p) + k1 * (1 - b + b * |p| / avgdl))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi
from scipy import sparse

__all__ = ["LuceneIdfBM25", "BM25Index", "DEFAULT_K1", "DEFAULT_B"]

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


class BM25Index:
    """A BM25 index over analyzed passages.

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
    bm25:
        The underlying :class:`LuceneIdfBM25` (rank-bm25) model: ``idf``, ``doc_len``, ``avgdl``. Its
        per-passage term counts are dropped after indexing to save memory.
    """

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> None:
        if len(corpus) == 0:
            raise ValueError("cannot build a BM25 index over no passages")
        if k1 <= 0 or not 0 <= b <= 1:
            raise ValueError(f"need k1 > 0 and 0 <= b <= 1, got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.bm25 = LuceneIdfBM25(corpus, k1=k1, b=b)
        if self.bm25.avgdl == 0:  # every passage is empty after analysis: avoid 0/0 below
            self.bm25.avgdl = 1.0
        self.size = self.bm25.corpus_size
        self.vocabulary: dict[str, int] = {term: i for i, term in enumerate(self.bm25.idf)}
        self.idf = np.array(list(self.bm25.idf.values()), dtype=np.float64)
        self._matrix = self._weights()
        self.bm25.doc_freqs = []  # the sparse matrix holds the same information

    def _weights(self) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        vocab = self.vocabulary
        for j, freqs in enumerate(self.bm25.doc_freqs):
            for term, tf in freqs.items():
                rows.append(vocab[term])
                cols.append(j)
                tfs.append(tf)
        row = np.asarray(rows, dtype=np.int32)
        col = np.asarray(cols, dtype=np.int32)
        tf = np.asarray(tfs, dtype=np.float64)
        doc_len = np.asarray(self.bm25.doc_len, dtype=np.float64)
        norm = self.k1 * (1.0 - self.b + self.b * doc_len / self.bm25.avgdl)
        data = self.idf[row] * tf * (self.k1 + 1.0) / (tf + norm[col])
        matrix = sparse.csr_matrix((data, (row, col)), shape=(len(vocab), self.size), dtype=np.float64)
        matrix.sum_duplicates()
        return matrix

    def term_idf(self, term: str) -> float | None:
        """The idf of ``term``, or ``None`` when no passage contains it."""
        i = self.vocabulary.get(term)
        return None if i is None else float(self.idf[i])

    @property
    def max_idf(self) -> float:
        """The idf a term found in no passage would have (an upper bound on every idf in the index)."""
        return math.log(1.0 + (self.size + 0.5) / 0.5)

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
        rows = [self.vocabulary[t] for t in query if t in self.vocabulary]
        if not rows:
            return np.zeros(self.size, dtype=np.float64)
        counts: dict[int, int] = {}
        for r in rows:
            counts[r] = counts.get(r, 0) + 1
        picked = self._matrix[list(counts)]
        weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        return np.asarray(picked.T @ weights, dtype=np.float64).ravel()

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
        scores = self.scores(query)
        hits = np.flatnonzero(scores > 0)
        if hits.size > k:
            # The k-th best score, then every hit at least that good (ties at the boundary included), so
            # the lower index wins a tie whatever order argpartition leaves them in.
            kth = -np.partition(-scores[hits], k - 1)[k - 1]
            hits = hits[scores[hits] >= kth]
        order = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(int(i), float(scores[i])) for i in order]
