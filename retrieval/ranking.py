"""Ranking candidate excerpts: a small linear model over features of each window.

Every window of every candidate passage (see :func:`retrieval.excerpts.window_rows`) gets the feature vector
:data:`FEATURES`; its score is the dot product with :data:`WEIGHTS`, plus the date terms (which the training
sets cannot teach: they have no dates) expressed in units of the coverage weight. The weights were fitted
offline by ``python -m benchmarks.train_ranker`` on the *train* splits of WikiQA and TrecQA with a listwise
softmax loss (the ListNet top-one probability, Cao et al. 2007) and an L2 penalty, and are judged on the dev
splits and community-dev, which the fit never sees.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import compiled
from .excerpts import Window
from .index import BM25Index

__all__ = ["FEATURES", "WEIGHTS", "DocumentLengths", "document_scores", "feature_vector", "score_matrix"]

#: Feature names, in vector order.
FEATURES: tuple[str, ...] = (
    "coverage",      # share of the question's weight the window covers (0..1)
    "lead",          # share its first sentence covers alone (0..1)
    "type",          # share of the expected answer types it holds (0..1; 0 when none is expected)
    "type_missing",  # 1 when the question expects a type and the window holds none
    "passage",       # BM25 score of its passage over the best candidate's (0..1)
    "title",         # share of the question's weight in the document's title and file name (0..1)
    "semantic",      # cosine similarity of question and window in static embeddings (-1..1)
    "first",         # 1 when the window starts at the document's first quotable sentence
    "position",      # log(1 + index of its first sentence in the document)
    "sentences",     # sentences in the window minus one (0..2)
    "length",        # characters / 300
    "document",      # whole-document BM25 of its document, over the best candidate document's (0..1)
)

#: Learned weights, one per feature (see the module docstring; refit with ``benchmarks.train_ranker``).
WEIGHTS: npt.NDArray[np.float64] = np.array(
    [1.0, 2.0, 2.0, 0.0, 2.0, 1.5, 3.0, 0.5, -0.3, 0.0, -0.3, 3.0], dtype=np.float64
)


def feature_vector(window: Window, passage_share: float, title_share: float, semantic: float, first: bool,
                   expects_type: bool, headed: bool = True, document_share: float = 1.0) -> list[float]:
    """The :data:`FEATURES` of one window, in order (see there for each one's range).

    ``headed``: the document opens with a heading. Only then do ``first`` and ``position`` count: a page
    that names its subject in a heading tends to define it in its first sentence (WikiQA's summaries, a
    FAQ entry); a bare paragraph or a shuffled set of sentences does not.
    """
    return [
        window.matched,
        window.lead,
        window.type_share,
        1.0 if expects_type and not window.typed else 0.0,
        passage_share,
        title_share,
        semantic,
        1.0 if first and headed else 0.0,
        math.log1p(window.first) if headed else 0.0,
        float(window.last - window.first),
        window.chars / 300.0,
        document_share,
    ]


def score_matrix(rows: Sequence[Sequence[float]], weights: npt.NDArray[np.float64] | None = None
                 ) -> npt.NDArray[np.float64]:
    """Scores of feature rows: ``rows @ weights`` (default :data:`WEIGHTS`); shape ``(len(rows),)``."""
    if not rows:
        return np.zeros(0, dtype=np.float64)
    return np.asarray(rows, dtype=np.float64) @ (WEIGHTS if weights is None else weights)


class DocumentLengths:
    """Per-document statistics of an index whose passages are numbered document by document.

    Parameters
    ----------
    passage_docs:
        The document of each passage, shape ``(passages,)``, non-decreasing (a document's passages are
        consecutive).
    passage_lengths:
        Terms per passage, shape ``(passages,)``.

    Attributes
    ----------
    docs:
        ``passage_docs`` itself.
    lengths:
        Terms per document (the sum over its passages; a sentence two passages share counts twice, for
        every document alike), float64, shape ``(documents,)``.
    avgdl:
        Their mean over the documents that have passages.
    """

    def __init__(self, passage_docs: npt.NDArray[np.int64], passage_lengths: npt.NDArray[np.float64]) -> None:
        self.docs = np.asarray(passage_docs, dtype=np.int64)
        n_docs = int(self.docs[-1]) + 1 if len(self.docs) else 0
        self.lengths = np.bincount(self.docs, weights=passage_lengths, minlength=n_docs).astype(np.float64)
        counts = np.bincount(self.docs, minlength=n_docs)
        having = counts > 0
        self.avgdl = float(self.lengths[having].mean()) if having.any() else 1.0
        #: Each document's first passage, and one past the last document's last: shape ``(documents + 1,)``.
        self.first = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(counts, out=self.first[1:])
        #: Whether each document's passages are consecutive (so :attr:`first` gives them).
        self.ordered = bool((np.diff(self.docs) >= 0).all())
        self._free: list[npt.NDArray[np.int64]] = []
        self._lock = threading.Lock()

    def slots(self, docs: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Per passage, the position in ``docs`` (distinct document numbers) of its document, ``-1`` for
        the passages of other documents, shape ``(passages,)``; and the passages of ``docs``. Give both
        back with :meth:`release`."""
        with self._lock:
            slot = self._free.pop() if self._free else np.full(len(self.docs), -1, dtype=np.int64)
        if not self.ordered:
            passages = np.flatnonzero(np.isin(self.docs, docs))
            slot[passages] = np.searchsorted(docs, self.docs[passages])
            return slot, passages
        first, last = self.first[docs], self.first[docs + 1]
        counts = last - first
        within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        passages = np.repeat(first, counts) + within
        slot[passages] = np.repeat(np.arange(len(docs), dtype=np.int64), counts)
        return slot, passages

    def release(self, slot: npt.NDArray[np.int64], passages: npt.NDArray[np.int64]) -> None:
        """Return what :meth:`slots` gave, to be reused."""
        slot[passages] = -1
        with self._lock:
            self._free.append(slot)


#: Candidate passages up to which a term's postings are searched for the candidates' runs of passages
#: (binary searches) rather than read whole; beyond it, reading every posting is cheaper.
LOOKUP_PASSAGES = 20_000


def _lookups(index: BM25Index, stats: DocumentLengths, cands: npt.NDArray[np.int64]
             ) -> list[tuple[Any, Any, Any, Any]] | None:
    """Per segment of ``index``: ``(part, owner, lo, hi)``, the candidates' passages there as runs of
    consecutive segment-local numbers ``lo[r] <= local < hi[r]`` (one run per document: a document's
    passages are consecutive in its segment, and live or deleted together) and each run's position in
    ``cands``; ``None`` when the postings must be read whole instead (passages not numbered document by
    document, too many candidate passages, an index without parts)."""
    parts = getattr(index, "parts", None)
    if not stats.ordered or not parts:
        return None
    first, last = stats.first[cands], stats.first[cands + 1]
    counts = last - first
    total = int(counts.sum())
    if total > LOOKUP_PASSAGES:
        return None
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    passages = np.repeat(first, counts) + within  # sorted: documents are, and each one's passages are
    owners = np.repeat(np.arange(len(cands), dtype=np.int64), counts)
    found = []
    for part in parts:
        which, local = part.to_local(passages)
        if not len(local):
            continue
        owner = owners[which]
        starts = np.flatnonzero(np.diff(owner, prepend=-1))  # owners are non-decreasing
        ends = np.append(starts[1:], len(owner))
        lo, hi = local[starts], local[ends - 1] + 1
        if not np.array_equal(hi - lo, ends - starts):  # pragma: no cover - a document's passages not consecutive
            return None
        found.append((part, owner[starts], lo, hi))
    return found


def document_scores(index: BM25Index, stats: DocumentLengths, terms: Sequence[str], candidates: Sequence[int]
                    ) -> dict[int, float]:
    """Okapi BM25 of whole documents (Robertson & Zaragoza 2009, with the index's ``k1``, ``b`` and passage
    idf), for the ``candidates`` only: a document's term frequency is the sum over its passages.

    Parameters
    ----------
    terms:
        Distinct index terms of the question.
    candidates:
        Document numbers to score.

    Returns
    -------
    dict[int, float]
        Candidate document to its score (>= 0).
    """
    cands = np.asarray(sorted(set(candidates)), dtype=np.int64)
    scores = np.zeros(len(cands), dtype=np.float64)
    if not len(cands):
        return {}
    # Each passage's slot among the candidates (-1: not a candidate's), so a term's postings are summed per
    # candidate in one gather and one bincount. Raw counts are whole numbers: their float sums are exact in
    # any order.
    norm = index.k1 * (1.0 - index.b + index.b * stats.lengths[cands] / stats.avgdl)
    lookups = _lookups(index, stats, cands)
    if lookups is not None:
        return dict(zip(cands.tolist(), _looked_up_scores(index, terms, lookups, norm, len(cands)).tolist()))
    slot, marked = stats.slots(cands)
    try:
        for term in terms:
            idf = index.term_idf(term)
            if idf is None:
                continue
            pids, tf = index.term_frequencies(term)
            where = slot[pids]
            keep = where >= 0
            freq = np.bincount(where[keep], weights=tf[keep], minlength=len(cands))
            scores += idf * freq * (index.k1 + 1.0) / (freq + norm)
    finally:
        stats.release(slot, marked)
    return dict(zip(cands.tolist(), scores.tolist()))


def _looked_up_scores(index: BM25Index, terms: Sequence[str], lookups: list[tuple[Any, Any, Any, Any]],
                      norm: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """:func:`document_scores` of ``n`` candidates through ``lookups`` (see :func:`_lookups`); ``norm``: each
    candidate's BM25 length norm, shape ``(n,)``. Returns the scores, shape ``(n,)``.

    Each term's postings are searched for the candidates' runs of passages (two binary searches per run and
    term), and every term's matching postings are then summed per term and candidate in one gather and one
    bincount: the raw counts are whole numbers, so their float sums are exact in any order. The terms' BM25
    weights are added to the scores one term after another, in ``terms`` order, as a term-by-term loop adds
    them.
    """
    known = [(term, idf) for term in terms for idf in (index.term_idf(term),) if idf is not None]
    if not known:
        return np.zeros(n, dtype=np.float64)
    if compiled.available(index, 1):  # a large index: the same counts from one compiled pass per part
        freq = np.zeros((len(known), n), dtype=np.float64)
        for part, owner, lo, hi in lookups:
            lookup, off = part.postings.terms, part.off
            bounds = np.zeros((2, len(known)), dtype=np.int64)
            for j, (term, _) in enumerate(known):
                t = lookup.get(term)
                if t is not None:
                    bounds[0, j], bounds[1, j] = off[t], off[t + 1]
            compiled.run_frequencies(part.pid, part.tf, bounds, lo.astype(np.int64, copy=False),
                                     hi.astype(np.int64, copy=False), owner.astype(np.int64, copy=False), freq)
        return _summed(index, known, freq, norm, n)
    starts: list[Any] = []  # per (term, part) with postings: each run's first matching posting in the part
    sizes: list[Any] = []  # ... and how many postings match
    slots: list[Any] = []  # ... and the run's (term, candidate) slot: term * n + candidate
    tf_arrays: list[Any] = []  # the part of each of those
    for part, owner, lo, hi in lookups:
        lookup = part.postings.terms
        off = part.off
        needles: dict[Any, Any] = {}  # lo and hi in each postings dtype (a mixed dtype would copy the postings)
        for j, (term, _) in enumerate(known):
            t = lookup.get(term)
            if t is None:
                continue
            a, b = int(off[t]), int(off[t + 1])
            if a == b:
                continue
            pids = part.pid[a:b]
            wanted = needles.get(pids.dtype)
            if wanted is None:
                wanted = needles[pids.dtype] = np.concatenate((lo, hi)).astype(pids.dtype)
            # Run r's postings are pids[first[r]:after[r]]: two binary searches per document.
            bounds = np.searchsorted(pids, wanted)
            starts.append(bounds[:len(lo)] + a)
            sizes.append(bounds[len(lo):] - bounds[:len(lo)])
            slots.append(owner + j * n)
            tf_arrays.append(part.tf)
    freq = np.zeros((len(known), n), dtype=np.float64)
    if starts:
        size = np.concatenate(sizes)
        total = int(size.sum())
        if total:
            first = np.concatenate(starts)
            at = np.repeat(first - (np.cumsum(size) - size), size) + np.arange(total)  # each matching posting
            slot = np.repeat(np.concatenate(slots), size)
            if all(tf is tf_arrays[0] for tf in tf_arrays):  # one part: one gather
                counts = tf_arrays[0][at]
            else:  # each run's postings from its own part
                part_of = np.repeat(np.repeat(np.arange(len(tf_arrays)), [len(x) for x in sizes]), size)
                counts = np.empty(total, dtype=np.float64)
                for i, tf in enumerate(tf_arrays):
                    mine = part_of == i
                    counts[mine] = tf[at[mine]]
            freq = np.bincount(slot, weights=counts.astype(np.float64), minlength=len(known) * n).reshape(len(known), n)
    return _summed(index, known, freq, norm, n)


def _summed(index: BM25Index, known: Sequence[tuple[str, float]], freq: npt.NDArray[np.float64],
            norm: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """The scores of :func:`_looked_up_scores` from each term's raw frequency per candidate (``freq``, shape
    ``(terms, n)``; ``known``: the terms as ``(term, idf)``; ``norm``: each candidate's length norm, shape
    ``(n,)``)."""
    k1 = index.k1
    weights = np.array([idf for _, idf in known], dtype=np.float64)[:, None] * freq * (k1 + 1.0) / (freq + norm)
    scores = np.zeros(n, dtype=np.float64)
    for row in weights:  # term by term, in order: the float sums of the loop over terms
        scores += row
    return scores
