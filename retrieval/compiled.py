"""Exact top-k BM25 as one compiled loop per segment (numba), for large indexes: MaxScore document at a time.

:func:`retrieval.pruning.top_k` works term at a time in numpy: each step is a numpy call over one term's
postings in one segment, which costs little per posting but a few microseconds per call, and at a million
passages the calls and the candidate lookups dominate. When numba is installed (``pip install numba``;
optional) and the index is large (:data:`MIN_PASSAGES`), :func:`top_k` runs instead: per segment, one
compiled pass over the query terms' postings, document at a time, with MaxScore (Turtle & Flood 1995):

* each term's bound is its largest block bound in the segment (``w(max tf, min length)`` per block of
  :data:`retrieval.pruning.BLOCK` postings, under the current statistics, as :mod:`retrieval.pruning`
  computes it);
* terms are sorted by bound; the longest prefix whose bounds sum below the current threshold ``theta`` (the
  k-th best exact score so far) is *non-essential*: a passage holding only those terms cannot reach the top
  k, so only the other terms' postings are walked, and the non-essential terms are looked up (galloping
  search) for the passages walked, largest bound first, until the partial score plus the bounds left falls
  below ``theta``; a passage whose terms' block bounds cannot reach ``theta`` is passed over before any of
  that;
* the threshold starts from the exact scores of the passages in the best blocks of the term with the
  largest bound (:data:`SEED_BLOCKS`), so the common terms are non-essential from the start;
* a passage that survives gets its exact score: its terms' weights added in query order, the very float
  expression an exhaustive pass evaluates (so scores and the tie order, lower passage number first, are
  those of :meth:`retrieval.index.BM25Index.scores`; tested against it).

``theta`` carries over from one segment to the next (the k-th best score so far never exceeds the final
k-th best). Importing numba and loading the compiled code (cached on disk after the first compilation)
happens on the first query of a large index.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .index import BM25Index

__all__ = ["MAX_K", "MIN_PASSAGES", "available", "installed", "top_k"]

#: Smallest index (live passages) that uses the compiled path; below it numpy is fast enough and a process
#: does not pay numba's import (about half a second).
MIN_PASSAGES = 100_000
#: Largest k for the compiled path (its running top-k is a small array scanned linearly).
MAX_K = 1_000
#: Blocks of the term with the largest bound scored first, to start with a high threshold.
SEED_BLOCKS = 4

_kernel: Any = None
_failed = False
_lock = threading.Lock()


def _compile() -> Any:
    """The compiled per-segment kernel, or ``None`` when numba is not installed (imported once)."""
    global _kernel, _failed
    if _kernel is not None or _failed:
        return _kernel
    with _lock:
        if _kernel is None and not _failed:
            try:
                import numba
            except ImportError:
                _failed = True
                return None
            jit = numba.njit(cache=True, nogil=True)
            names = globals()
            for name in ("_weight", "_offer", "_find"):  # compiled first: the kernel calls them
                names[name] = jit(names[name])
            _kernel = jit(_segment_top_k)
    return _kernel


def installed() -> bool:
    """Whether numba can be imported (checked without importing it)."""
    return not _failed and importlib.util.find_spec("numba") is not None


def available(index: BM25Index, k: int) -> bool:
    """Whether :func:`top_k` should answer for ``index`` (large enough, small ``k``, numba installed)."""
    return index.size >= MIN_PASSAGES and k <= MAX_K and _compile() is not None


def top_k(index: BM25Index, counts: dict[str, int], k: int) -> list[tuple[int, float]]:
    """The ``k`` best passages for the query terms ``counts`` (term: times in the query, in query order, every
    term in the vocabulary), as :meth:`retrieval.index.BM25Index.top_k` documents it.

    Raises
    ------
    RuntimeError
        numba is not installed (check :func:`available` first).
    """
    kernel = _compile()
    if kernel is None:
        raise RuntimeError("numba is not installed")
    terms = list(counts)
    idf = np.array([index.idf[index.vocabulary[t]] for t in terms], dtype=np.float64)
    cnt = np.array([counts[t] for t in terms], dtype=np.float64)
    heap_s = np.zeros(k, dtype=np.float64)
    heap_g = np.zeros(k, dtype=np.int64)
    filled = np.zeros(2, dtype=np.int64)
    no_map = np.zeros(0, dtype=np.int64)
    m = len(terms)
    for part in index.parts:
        lookup = part.postings.terms
        starts = np.zeros(m, dtype=np.int64)
        ends = np.zeros(m, dtype=np.int64)
        blocks = np.zeros(m, dtype=np.int64)
        found = False
        for i, term in enumerate(terms):
            t = lookup.get(term)
            if t is not None:
                starts[i], ends[i], blocks[i] = part.off[t], part.off[t + 1], part.blk_off[t]
                found = True
        if not found:
            continue
        mapping = no_map if part.shift is not None else part.mapping
        kernel(part.pid, part.tf, part.blk_tf, part.blk_len, starts, ends, blocks, idf, cnt, index.k1,
               index.b, index.bm25.avgdl, index.norm, part.shift or 0, mapping, part.shift is None, heap_s,
               heap_g, filled)
    n = int(filled[0])
    best = np.lexsort((heap_g[:n], -heap_s[:n]))
    return [(int(heap_g[j]), float(heap_s[j])) for j in best if heap_s[j] > 0]


def _weight(idf, cnt, k1, t, nrm):  # type: ignore[no-untyped-def]
    """A term's BM25 weight (times its count in the query): the float expression of an exhaustive pass."""
    w = idf * (t * (k1 + 1.0) / (t + nrm))
    if cnt > 1.0:
        w = w * cnt
    return w


def _offer(heap_s, heap_g, filled, score, g):  # type: ignore[no-untyped-def]
    """Put passage ``g`` with ``score`` into the running top-k if it belongs there (once); return the
    threshold: the k-th best score so far, or 0 while fewer than k are held."""
    k = len(heap_s)
    n = filled[0]
    w = filled[1]  # the worst held, when full
    if n == k and (score < heap_s[w] or (score == heap_s[w] and g > heap_g[w])):
        return heap_s[w]
    for j in range(n):
        if heap_g[j] == g:
            return heap_s[w] if n == k else 0.0
    if n < k:
        heap_s[n] = score
        heap_g[n] = g
        n += 1
        filled[0] = n
        if n < k:
            return 0.0
    else:
        heap_s[w] = score
        heap_g[w] = g
    w = 0
    for j in range(1, k):
        if heap_s[j] < heap_s[w] or (heap_s[j] == heap_s[w] and heap_g[j] > heap_g[w]):
            w = j
    filled[1] = w
    return heap_s[w]


def _find(pid, lo, hi, d):  # type: ignore[no-untyped-def]
    """First position in ``pid[lo:hi]`` (increasing) holding ``d`` or more (``hi`` if none): galloping from
    ``lo`` (the target is usually near; a binary search over the whole rest misses the cache at each step),
    then a binary search."""
    if lo >= hi or pid[lo] >= d:
        return lo
    step = 1
    while lo + step < hi and pid[lo + step] < d:
        lo += step
        step *= 2
    lo += 1  # pid[lo - 1] < d
    if lo + step - 1 < hi:
        hi = lo + step - 1  # pid[hi] >= d
    while lo < hi:
        mid = (lo + hi) // 2
        if pid[mid] < d:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _segment_top_k(pid, tf, blk_tf, blk_len, starts, ends, blocks, idf, cnt, k1, b, avgdl, norm, shift,
                   mapping, mapped, heap_s, heap_g, filled):  # type: ignore[no-untyped-def]
    """One segment's passages into the running top-k ``heap_s/heap_g`` (``filled``: entries used, the
    worst one's position); numba compiles it (arguments as :func:`top_k` passes them).
    """
    slack = 1e-9
    block = 64
    m = len(starts)
    bound = np.zeros(m)
    first = np.zeros(m + 1, dtype=np.int64)  # term i's block bounds are bb[first[i]:first[i + 1]]
    for i in range(m):
        first[i + 1] = first[i] + (ends[i] - starts[i] + block - 1) // block
    bb = np.zeros(first[m])
    for i in range(m):
        for j in range(first[i + 1] - first[i]):
            q = blocks[i] + j
            w = _weight(idf[i], cnt[i], k1, float(blk_tf[q]), k1 * (1.0 - b + b * float(blk_len[q]) / avgdl))
            bb[first[i] + j] = w
            if w > bound[i]:
                bound[i] = w
    order = np.argsort(bound)
    prefix = np.zeros(m)
    total = 0.0
    for j in range(m):
        total += bound[order[j]]
        prefix[j] = total
    weight = np.zeros(m)
    hit = np.zeros(m, dtype=np.bool_)
    theta = 0.0
    if filled[0] == len(heap_s):
        theta = heap_s[filled[1]]
    # Seed the threshold: exact scores of the passages in the best blocks of the term with the largest bound.
    top = order[m - 1]
    if first[top + 1] > first[top]:
        top_bb = bb[first[top]:first[top + 1]]
        chosen = np.sort(np.argsort(-top_bb)[:SEED_BLOCKS])
        seek = starts.copy()
        for j in chosen:
            if top_bb[j] + prefix[m - 1] - bound[top] < theta * (1.0 - slack):
                continue
            for c in range(starts[top] + j * block, min(starts[top] + (j + 1) * block, ends[top])):
                d = pid[c]
                g = d + shift
                if mapped:
                    g = mapping[d]
                if g < 0:
                    continue
                score = 0.0
                for i in range(m):  # query order
                    p = _find(pid, seek[i], ends[i], d)
                    seek[i] = p
                    if p < ends[i] and pid[p] == d:
                        score += _weight(idf[i], cnt[i], k1, float(tf[p]), norm[g])
                theta = _offer(heap_s, heap_g, filled, score, g)
    cur = starts.copy()
    floor = theta * (1.0 - slack)
    e = 0  # terms order[:e] are non-essential
    while e < m and prefix[e] < floor:
        e += 1
    big = np.iinfo(np.int64).max
    while e < m:
        d = big
        for j in range(e, m):
            i = order[j]
            if cur[i] < ends[i] and pid[cur[i]] < d:
                d = pid[cur[i]]
        if d == big:
            break
        # The block bounds of the terms holding this passage first: most passages walked cannot reach the
        # threshold, and are passed over before their length (a cache miss) or any lookup is read.
        here = prefix[e - 1] if e > 0 else 0.0
        for j in range(e, m):
            i = order[j]
            c = cur[i]
            if c < ends[i] and pid[c] == d:
                here += bb[first[i] + (c - starts[i]) // block]
        if here < floor:  # this passage alone: its terms' block bounds
            for j in range(e, m):
                i = order[j]
                if cur[i] < ends[i] and pid[cur[i]] == d:
                    cur[i] += 1
            continue
        g = d + shift
        if mapped:
            g = mapping[d]
        for i in range(m):
            hit[i] = False
        partial = 0.0
        for j in range(e, m):
            i = order[j]
            c = cur[i]
            if c < ends[i] and pid[c] == d:
                cur[i] = c + 1
                if g >= 0:
                    w = _weight(idf[i], cnt[i], k1, float(tf[c]), norm[g])
                    weight[i] = w
                    hit[i] = True
                    partial += w
        if g < 0:
            continue  # a deleted passage
        keep = True
        for j in range(e - 1, -1, -1):
            if partial + prefix[j] < floor:
                keep = False
                break
            i = order[j]
            c = _find(pid, cur[i], ends[i], d)
            cur[i] = c
            if c < ends[i] and pid[c] == d:
                w = _weight(idf[i], cnt[i], k1, float(tf[c]), norm[g])
                weight[i] = w
                hit[i] = True
                partial += w
        if not keep:
            continue
        score = 0.0
        for i in range(m):  # query order, as an exhaustive pass adds them
            if hit[i]:
                score += weight[i]
        theta = _offer(heap_s, heap_g, filled, score, g)
        floor = theta * (1.0 - slack)
        while e < m and prefix[e] < floor:
            e += 1
