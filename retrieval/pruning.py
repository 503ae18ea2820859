"""Exact top-k BM25 with dynamic pruning: MaxScore over blocks of postings (Turtle & Flood 1995; the block
bounds of Ding & Suel 2011, as Lucene and PISA use them), term at a time, in numpy.

Each term's postings are cut into blocks of :data:`retrieval.index.BLOCK` postings; per block the index
stores the largest raw term frequency and the shortest passage length. BM25's weight grows with tf and
shrinks with length, so ``w(max tf, min length)`` under the *current* statistics (idf, avgdl) bounds every
weight in the block, whatever was added or deleted since the block was written.

:func:`top_k` keeps, per query term, a *residual bound*: the most a passage outside the candidates found so
far can still get from that term (the term's largest block bound before the term is read; after, the
largest bound of the blocks it skipped). Terms are read in decreasing bound order (rare terms first). Each
read scores only the blocks that could lift a new passage to the current threshold ``theta`` (the k-th best
exact score among the best candidates so far), and reading stops once the residual bounds sum below
``theta``: no unseen passage can reach the top k. The surviving candidates (partial score plus residual
bounds at least ``theta``) are then scored exactly, term by term in query order, so every score is the very
float an exhaustive pass gives and ties break the same way (lower passage number first).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover
    from .index import BM25Index, Part

__all__ = ["BLOCK", "top_k"]

#: Postings per block of a term's postings list, for the block bounds (Lucene uses 128, PISA 64 to 128).
BLOCK = 64

#: Relative slack on every bound comparison: bounds and partial sums are added in another order than the
#: exact scores, so they may differ from them in the last bits; pruning only ever keeps more for it.
SLACK = 1e-9

_local = threading.local()


@dataclass
class _Piece:
    """A query term's postings in one part: ``pid/tf`` (views of ``postings.pid/tf[a:b]``), block bounds
    ``bounds`` and, once read, which blocks were ``scored``."""

    part: Part
    pid: npt.NDArray[np.int32]
    tf: npt.NDArray[np.int32]
    bounds: npt.NDArray[np.float64]
    scored: npt.NDArray[np.bool_] | None = None


class _Term:
    """One distinct query term: its weight formula under the current statistics and its pieces."""

    def __init__(self, index: BM25Index, term: str, count: int) -> None:
        self.idf = float(index.idf[index.vocabulary[term]])
        self.count = count
        self.k1 = index.k1
        self.norm = index.norm
        self.pieces: list[_Piece] = []
        for part in index.parts:
            t = part.postings.terms.get(term)
            if t is None:
                continue
            a, b = int(part.off[t]), int(part.off[t + 1])
            blk = slice(int(part.blk_off[t]), int(part.blk_off[t + 1]))
            self.pieces.append(_Piece(part, part.pid[a:b], part.tf[a:b], self._bounds(index, part, blk)))
        self.bound = max((float(p.bounds.max()) for p in self.pieces if len(p.bounds)), default=0.0)
        self.size = sum(len(p.pid) for p in self.pieces)
        #: Whether :meth:`read` ran (a candidate's partial score then holds this term from the blocks read).
        self.read_ = False

    def _bounds(self, index: BM25Index, part: Part, blk: slice) -> npt.NDArray[np.float64]:
        tf = part.blk_tf[blk].astype(np.float64)
        length = part.blk_len[blk].astype(np.float64)
        norm = index.k1 * (1.0 - index.b + index.b * length / index.bm25.avgdl)  # as BM25Index.norm
        return self.weights(tf, norm)

    def weights(self, tf: npt.NDArray[np.float64], norm: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The term's weight (times its count in the query), the same float expression as an exhaustive
        pass."""
        w = self.idf * (tf * (self.k1 + 1.0) / (tf + norm))
        return w * self.count if self.count > 1 else w

    def read(self, threshold: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]:
        """Score the blocks whose bound reaches ``threshold``: ``(passages, weights, largest bound of the
        blocks skipped)`` (live passages only, index numbering, unique)."""
        found_p, found_w = [], []
        skipped = 0.0
        self.read_ = True
        for piece in self.pieces:
            if threshold <= 0:
                local, tf = piece.pid, piece.tf.astype(np.float64)
            else:
                keep = piece.bounds >= threshold
                if keep.all():
                    local, tf = piece.pid, piece.tf.astype(np.float64)
                else:
                    piece.scored = keep
                    if not keep.any():
                        skipped = max(skipped, float(piece.bounds.max()))
                        continue
                    skipped = max(skipped, float(piece.bounds[~keep].max()))
                    first = np.flatnonzero(keep).astype(np.int64) * BLOCK
                    sizes = np.minimum(first + BLOCK, len(piece.pid)) - first
                    starts = np.repeat(first - np.cumsum(sizes) + sizes, sizes)
                    where = starts + np.arange(int(sizes.sum()), dtype=np.int64)
                    local, tf = piece.pid[where], piece.tf[where].astype(np.float64)
            glob = piece.part.to_global(local)
            if piece.part.has_dead:
                alive = glob >= 0
                glob, tf = glob[alive], tf[alive]
            found_p.append(glob)
            found_w.append(self.weights(tf, self.norm[glob]))
        if not found_p:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), skipped
        if len(found_p) == 1:
            return found_p[0], found_w[0], skipped
        return np.concatenate(found_p), np.concatenate(found_w), skipped

    def lookup(self, passages: npt.NDArray[np.int64], unread: bool = False,
               split: dict[int, tuple[Any, npt.NDArray[np.int64]]] | None = None) -> npt.NDArray[np.float64]:
        """The term's weight in each of ``passages`` (sorted, index numbering), 0 where absent; with
        ``unread``, 0 also where the posting is in a block :meth:`read` scored. ``split``: a cache of
        ``passages`` cut by segment, shared by lookups of the same passages."""
        out = np.zeros(len(passages), dtype=np.float64)
        for piece in self.pieces:
            if split is None:
                which, local = piece.part.to_local(passages)
            else:
                cut = split.get(id(piece.part))
                if cut is None:
                    cut = split[id(piece.part)] = piece.part.to_local(passages)
                which, local = cut
            pids = piece.pid
            if len(local) == 0 or len(pids) == 0:
                continue
            pos = np.searchsorted(pids, local)
            np.minimum(pos, len(pids) - 1, out=pos)
            hit = pids[pos] == local
            if unread and self.read_:
                if piece.scored is None:
                    continue  # every block of this piece was read
                hit &= ~piece.scored[pos // BLOCK]
            at = np.flatnonzero(hit)
            if len(at) == 0:
                continue
            into = which[at] if isinstance(which, np.ndarray) else at + which.start
            out[into] = self.weights(piece.tf[pos[at]].astype(np.float64), self.norm[passages[into]])
        return out


def _exact(terms: Sequence[_Term], passages: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Exact scores of ``passages`` (sorted): every term's weight added in query order, as an exhaustive
    pass adds them (so the floats are the same)."""
    scores = np.zeros(len(passages), dtype=np.float64)
    split: dict[int, tuple[Any, npt.NDArray[np.int64]]] = {}
    for term in terms:
        scores += term.lookup(passages, split=split)
    return scores


def top_k(index: BM25Index, counts: dict[str, int], k: int) -> list[tuple[int, float]]:
    """The ``k`` best passages for the query terms ``counts`` (term: times in the query, in query order,
    every term in the vocabulary), as :meth:`retrieval.index.BM25Index.top_k` documents it.

    Returns
    -------
    list[tuple[int, float]]
        ``(passage, score)``, best first, ties by lower passage number; the same list as scoring every
        posting and sorting.
    """
    terms = [_Term(index, term, count) for term, count in counts.items()]
    order = sorted(range(len(terms)), key=lambda i: (-terms[i].bound, i))
    residual = [t.bound for t in terms]
    acc = getattr(_local, "acc", None)
    if acc is None or len(acc) < index.size:
        acc = _local.acc = np.zeros(index.size, dtype=np.float64)
    found: list[npt.NDArray[np.int64]] = []
    theta = 0.0
    try:
        for i in order:
            rest = sum(residual) - residual[i]
            if theta > 0 and rest + residual[i] < theta * (1 - SLACK):
                break  # no passage outside the candidates can reach the top k
            threshold = (theta - rest) * (1 - SLACK) if theta > 0 else 0.0
            pids, weights, residual[i] = terms[i].read(threshold)
            found.append(pids[acc[pids] == 0])  # every weight is > 0: a 0 means a new candidate
            acc[pids] += weights
            candidates = found[0] if len(found) == 1 else np.concatenate(found)
            if len(candidates) >= k:
                # The k-th best partial score: a lower bound on the k-th best score. (The best candidates'
                # exact scores would raise it, but cost more lookups than they save: measured at 1M.)
                values = acc[candidates]
                theta = max(theta, float(-np.partition(-values, k - 1)[k - 1]))
        candidates = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        partial = acc[candidates]
    finally:
        for pids in found:
            acc[pids] = 0.0
    if theta > 0:
        # Refine: add each term not (fully) read yet, looked up, dropping candidates that cannot make it.
        left = sum(residual)
        keep = partial + left >= theta * (1 - SLACK)
        candidates, partial = candidates[keep], partial[keep]
        sort = np.argsort(candidates)
        candidates, partial = candidates[sort], partial[sort]
        for i in sorted((i for i in range(len(terms)) if residual[i] > 0), key=lambda i: -residual[i]):
            left -= residual[i]
            partial = partial + terms[i].lookup(candidates, unread=True)
            if len(partial) > k:  # partial scores only grow: the k-th best of them is a floor
                theta = max(theta, float(-np.partition(-partial, k - 1)[k - 1]))
            keep = partial + left >= theta * (1 - SLACK)
            candidates, partial = candidates[keep], partial[keep]
    else:
        candidates = np.sort(candidates)
    scores = _exact(terms, candidates)
    best = np.lexsort((candidates, -scores))[:k]
    return [(int(candidates[j]), float(scores[j])) for j in best if scores[j] > 0]
