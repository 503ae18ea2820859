"""Exact top-k BM25 as one compiled pass per segment (numba), for large indexes: MaxScore by windows.

:func:`retrieval.pruning.top_k` works term at a time in numpy: each step is a numpy call over one term's
postings in one segment, which costs little per posting but a few microseconds per call, and at a million
passages the calls and the candidate lookups dominate. When numba is installed (the ``fast`` extra; it is
optional) and the index is large (:data:`MIN_PASSAGES`), :func:`top_k` runs instead: per segment one
compiled function, MaxScore (Turtle & Flood 1995) a window of passages at a time, with the block bounds of
:mod:`retrieval.pruning` (block-max MaxScore, as in PISA; Ding & Suel 2011 for the bounds):

* each term's block bounds ``w(max tf, min length)`` (blocks of :data:`retrieval.pruning.BLOCK` postings)
  are computed under the current statistics; a term's bound is its largest;
* the threshold ``theta`` (the k-th best exact score so far) starts from the exact scores of the passages
  in the best blocks of the term with the largest bound (:data:`SEED_BLOCKS`), and carries over from one
  segment to the next (the k-th best so far never exceeds the final k-th best);
* terms sorted by bound, the longest prefix whose bounds sum below ``theta`` is *non-essential*: a passage
  holding only those terms cannot reach the top k. The passages are read a window of :data:`WINDOW`
  passage numbers at a time, from the smallest one an essential term still holds;
* in each window every term's bound is the largest of its blocks that may hold a passage of the window
  (block-max, as Lucene's MaxScore scorer bounds a window by its clauses' block maxima): a window whose
  bounds add up below ``theta`` is passed without reading a posting; otherwise the terms are split again
  by their bounds in the window, the essential ones' postings there are read term at a time into
  per-passage sums of their weights, then the non-essential ones, largest bound first, for the window's
  passages whose sum plus the bounds left still reaches ``theta`` only (a term's postings in the window
  are scanned when they are few for those passages, else each passage is looked up); each time ``theta``
  rises the non-essential prefix grows;
* a passage that can still make it gets its exact score, its terms' postings looked up again from the
  window's start (a few passages: cheaper than keeping every weight read): its terms' weights added in
  query order, the float expression an exhaustive pass evaluates, so scores and the tie order (lower
  passage number first) are those of :meth:`retrieval.index.BM25Index.scores` (tested against it).

Importing numba and loading the compiled code (cached beside this file after the first compilation) happens
on the first query of a large index.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .index import BM25Index

__all__ = ["MAX_K", "MIN_PASSAGES", "available", "installed", "run_frequencies", "top_k"]

#: Smallest index (live passages) that uses the compiled path; below it numpy is fast enough and a process
#: does not pay numba's import (about half a second).
MIN_PASSAGES = 100_000
#: Largest k for the compiled path (its running top-k is a small array scanned linearly).
MAX_K = 1_000
#: Blocks of the term with the largest bound scored first, to start with a high threshold.
SEED_BLOCKS = 4
#: Passages per window: the essential terms' postings are read whole, term at a time, for one window of
#: passage numbers at a time, into per-passage buffers of this size.
WINDOW = 2048

#: The compiled functions the kernel calls.
_HELPERS = ("_weight", "_norm", "_scaled", "_offer", "_find", "_global", "_exact", "_sift", "_sort", "_order")

_kernel: Any = None
_failed = False
_lock = threading.Lock()
_scratch = threading.local()


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
            for name in _HELPERS:  # compiled first: the kernel calls them
                names[name] = jit(names[name])
            globals()["_run_frequencies"] = jit(_run_frequencies)
            _kernel = jit(_segment_top_k)
    return _kernel


def installed() -> bool:
    """Whether numba can be imported (checked without importing it)."""
    return not _failed and importlib.util.find_spec("numba") is not None


def available(index: BM25Index, k: int) -> bool:
    """Whether :func:`top_k` should answer for ``index`` (large enough, small ``k``, numba installed)."""
    return (index.size >= MIN_PASSAGES and k <= MAX_K and index.int_lengths is not None
            and _compile() is not None)


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
    m = len(terms)
    vocabulary, all_idf = index.vocabulary, index.idf
    idf = np.array([all_idf[vocabulary[t]] for t in terms], dtype=np.float64)
    cnt = np.array([counts[t] for t in terms], dtype=np.float64)
    heap_s = np.zeros(k, dtype=np.float64)
    heap_g = np.zeros(k, dtype=np.int64)
    filled = np.zeros(2, dtype=np.int64)
    where = np.zeros((4, m), dtype=np.int64)  # per term: first posting, end, first block, term (in the part)
    k1, b, avgdl, lengths = index.k1, index.b, index.bm25.avgdl, index.int_lengths
    acc, nbuf, touched = _window_scratch()
    for part in index.parts_by_size:  # the largest first: its seeded threshold serves the others
        lookup = part.postings.terms
        found = False
        for i, term in enumerate(terms):
            t = lookup.get(term)
            if t is None:
                where[0, i] = where[1, i] = where[2, i] = where[3, i] = 0
            else:
                where[:, i] = part.off[t], part.off[t + 1], part.blk_off[t], t
                found = True
        if found:
            fblk, fmax = part.bound_factors(k1, b, avgdl)
            kernel(part.pid, part.tf, fblk, fmax, where, idf, cnt, k1, b, avgdl, lengths, part.shift or 0,
                   part.kernel_map, heap_s, heap_g, filled, SEED_BLOCKS, acc, nbuf, touched)
    n = int(filled[0])
    hits = sorted(zip((-heap_s[:n]).tolist(), heap_g[:n].tolist()))
    return [(g, -s) for s, g in hits if s < 0]


def run_frequencies(pid: np.ndarray, tf: np.ndarray, bounds: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    owner: np.ndarray, freq: np.ndarray) -> None:
    """Add, for each term ``j`` (postings ``pid/tf[bounds[0, j]:bounds[1, j]]`` of one part) and each run of
    passages ``lo[r] <= local < hi[r]`` (sorted by ``lo``, disjoint), the term's raw frequencies in the run to
    ``freq[j, owner[r]]`` (shape ``(terms, candidates)``, float64; whole numbers, so exact in any order).
    The compiled half of :func:`retrieval.ranking.document_scores` (see :func:`available`).

    Raises
    ------
    RuntimeError
        numba is not installed.
    """
    if _compile() is None:
        raise RuntimeError("numba is not installed")
    _run_frequencies(pid, tf, bounds, lo, hi, owner, freq)


def _run_frequencies(pid, tf, bounds, lo, hi, owner, freq):  # type: ignore[no-untyped-def]
    """:func:`run_frequencies`, compiled: per term, one pass over its runs with a cursor that only moves
    forward (galloping to each run's start)."""
    for j in range(bounds.shape[1]):
        p = bounds[0, j]
        end = bounds[1, j]
        for r in range(len(lo)):
            if p >= end:
                break
            p = _find(pid, p, end, lo[r])
            top = hi[r]
            o = owner[r]
            while p < end and pid[p] < top:
                freq[j, o] += tf[p]
                p += 1


def _window_scratch() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This thread's window buffers: ``(acc, nbuf, touched)``, shapes ``(WINDOW,)`` float64 (all zeros: the
    kernel leaves it so), ``(WINDOW,)`` float64 and ``(WINDOW,)`` int64 (scratch)."""
    found = getattr(_scratch, "window", None)
    if found is None:
        found = _scratch.window = (np.zeros(WINDOW), np.zeros(WINDOW), np.zeros(WINDOW, dtype=np.int64))
    return found


def _weight(idf, cnt, k1, t, nrm):  # type: ignore[no-untyped-def]
    """A term's BM25 weight (times its count in the query): the float expression of an exhaustive pass."""
    w = idf * (t * (k1 + 1.0) / (t + nrm))
    if cnt > 1.0:
        w = w * cnt
    return w


def _norm(k1, b, avgdl, length):  # type: ignore[no-untyped-def]
    """``k1 * (1 - b + b * |p| / avgdl)``: the float of :attr:`retrieval.index.BM25Index.norm` (the same
    operations in the same order), from the passage's length (an int32 array is half the memory traffic)."""
    return k1 * (1.0 - b + b * float(length) / avgdl)


def _scaled(idf, cnt, f):  # type: ignore[no-untyped-def]
    """``idf * f`` (times the term's count in the query): :func:`_weight` with ``f`` for its fraction."""
    w = idf * f
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


def _global(d, shift, mapping, mapped):  # type: ignore[no-untyped-def]
    """The index passage number of segment-local passage ``d`` (-1: deleted)."""
    return mapping[d] if mapped else d + shift


def _exact(pid, tf, ends, cur, d, idf, cnt, k1, nrm):  # type: ignore[no-untyped-def]
    """Passage ``d``'s exact score: its terms' weights added in query order, as an exhaustive pass adds them
    (``cur``: per term, a posting position at or before ``d``'s, moved up to it)."""
    score = 0.0
    for i in range(len(cur)):
        c = _find(pid, cur[i], ends[i], d)
        cur[i] = c
        if c < ends[i] and pid[c] == d:
            score += _weight(idf[i], cnt[i], k1, float(tf[c]), nrm)
    return score


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


def _sort(a, n):  # type: ignore[no-untyped-def]
    """Sort ``a[:n]`` in place (heapsort: numba compiles it in a fraction of the time of ``np.sort``)."""
    for start in range(n // 2 - 1, -1, -1):
        _sift(a, start, n)
    for end in range(n - 1, 0, -1):
        a[0], a[end] = a[end], a[0]
        _sift(a, 0, end)


def _sift(a, root, n):  # type: ignore[no-untyped-def]
    """Move ``a[root]`` down the max-heap ``a[:n]``."""
    while True:
        child = 2 * root + 1
        if child >= n:
            return
        if child + 1 < n and a[child + 1] > a[child]:
            child += 1
        if a[root] >= a[child]:
            return
        a[root], a[child] = a[child], a[root]
        root = child




def _order(values):  # type: ignore[no-untyped-def]
    """Positions of ``values`` (a few: one per query term) from smallest to largest (insertion sort)."""
    order = np.arange(len(values))
    for j in range(1, len(values)):
        x = order[j]
        i = j - 1
        while i >= 0 and values[order[i]] > values[x]:
            order[i + 1] = order[i]
            i -= 1
        order[i + 1] = x
    return order


def _segment_top_k(  # type: ignore[no-untyped-def]
        pid, tf, fblk, fmax, where, idf, cnt, k1, b, avgdl, lengths, shift, mapping, heap_s, heap_g, filled,
        seed_blocks, acc, nbuf, touched):
    """One segment's passages into the running top-k ``heap_s/heap_g`` (``filled``: entries used, the
    worst one's position); numba compiles it (arguments as :func:`top_k` passes them; ``fblk/fmax``:
    :meth:`retrieval.index.Part.bound_factors`; ``mapping`` empty when the part's map is ``local + shift``).
    """
    slack = 1e-9
    block = 64
    inf = 2**31  # past every passage number (int32)
    starts, ends, blocks, tix = where[0], where[1], where[2], where[3]
    mapped = len(mapping) > 0
    m = len(starts)
    bound = np.zeros(m)  # per term, the largest weight it can give (0: not in this segment)
    for i in range(m):
        if ends[i] > starts[i]:
            bound[i] = _scaled(idf[i], cnt[i], fmax[tix[i]])
    order = _order(bound)
    prefix = np.zeros(m)
    total = 0.0
    for j in range(m):
        total += bound[order[j]]
        prefix[j] = total
    theta = 0.0
    if filled[0] == len(heap_s):
        theta = heap_s[filled[1]]
    # Seed the threshold: exact scores of the passages in the best blocks of the term with the largest bound.
    top = order[m - 1]
    n_top = (ends[top] - starts[top] + block - 1) // block
    if n_top > 0 and seed_blocks > 0 and filled[0] < len(heap_s):
        chosen = np.zeros(min(seed_blocks, n_top), dtype=np.int64)
        taken = np.zeros(n_top, dtype=np.bool_)
        top_f = fblk[blocks[top]:blocks[top] + n_top]
        for r in range(len(chosen)):  # the best blocks, then in posting order
            best = -1
            for j in range(n_top):
                if not taken[j] and (best < 0 or top_f[j] > top_f[best]):
                    best = j
            taken[best] = True
            chosen[r] = best
        _sort(chosen, len(chosen))
        seek = starts.copy()
        for j in chosen:
            if _scaled(idf[top], cnt[top], top_f[j]) + prefix[m - 1] - bound[top] < theta * (1.0 - slack):
                continue
            for c in range(starts[top] + j * block, min(starts[top] + (j + 1) * block, ends[top])):
                d = pid[c]
                g = _global(d, shift, mapping, mapped)
                if g >= 0:
                    score = _exact(pid, tf, ends, seek, d, idf, cnt, k1, _norm(k1, b, avgdl, lengths[g]))
                    theta = _offer(heap_s, heap_g, filled, score, g)
    floor = theta * (1.0 - slack)
    e = 0  # terms order[:e] are non-essential
    while e < m and prefix[e] < floor:
        e += 1
    if e == m:
        return
    width = len(acc)
    pos = starts.copy()  # per term, its cursor: the first posting not yet passed
    wstart = starts.copy()  # per term, its first posting in the window
    stop = starts.copy()  # per term, the end of the last of its blocks that may hold postings in the window
    cur = starts.copy()  # scratch cursors for an exact score
    local = np.zeros(m)  # per term, its bound in the window (0: no posting there)
    lprefix = np.zeros(m)
    while True:
        # The next window of passage numbers: from the smallest passage an essential term still holds (a
        # passage that only non-essential terms hold cannot reach the top k).
        lo = inf
        for j in range(e, m):
            i = order[j]
            if pos[i] < ends[i] and pid[pos[i]] < lo:
                lo = pid[pos[i]]
        if lo >= inf:
            return
        hi = lo + width
        # Each term's bound in the window: the largest of its blocks that may hold a passage of the window
        # (block-max: a window whose bounds add up below the threshold is passed without reading a posting).
        total = 0.0
        for i in range(m):
            p = _find(pid, pos[i], ends[i], lo)
            pos[i] = p
            wstart[i] = p
            stop[i] = p
            local[i] = 0.0
            if p < ends[i] and pid[p] < hi:
                j = (p - starts[i]) // block
                z = starts[i] + (j + 1) * block
                f = fblk[blocks[i] + j]
                while z < ends[i] and pid[z - 1] < hi:
                    j += 1
                    z += block
                    if fblk[blocks[i] + j] > f:
                        f = fblk[blocks[i] + j]
                stop[i] = min(z, ends[i])
                local[i] = _scaled(idf[i], cnt[i], f)
                total += local[i]
        if total < floor:
            for i in range(m):
                if stop[i] > pos[i]:
                    pos[i] = _find(pid, pos[i], stop[i], hi)
            continue
        # In the window, terms sorted by their bounds there: the longest prefix whose bounds sum below the
        # threshold is non-essential here.
        lorder = _order(local)
        run = 0.0
        for j in range(m):
            run += local[lorder[j]]
            lprefix[j] = run
        ew = 0
        while ew < m and lprefix[ew] < floor:
            ew += 1
        nt = 0  # the window's passages holding an essential term (touched[:nt], as slots d - lo)
        for j in range(ew, m):  # their weights, term at a time: a sequential read of each one's postings
            i = lorder[j]
            p = pos[i]
            end = stop[i]
            while p < end:
                d = pid[p]
                if d >= hi:
                    break
                g = _global(d, shift, mapping, mapped)
                if g >= 0:
                    s = d - lo
                    if acc[s] == 0.0:  # every weight is > 0: a 0 is a passage not seen yet
                        touched[nt] = s
                        nt += 1
                        nbuf[s] = _norm(k1, b, avgdl, lengths[g])
                    acc[s] += _weight(idf[i], cnt[i], k1, float(tf[p]), nbuf[s])
                p += 1
            pos[i] = p
        # The non-essential terms, largest bound first, for the passages that can still make it (acc: the
        # weights so far, plus the bounds of the terms left, reaches the threshold): when the term has few
        # postings in the window for those passages, all of them are read in order; else each passage is
        # looked up.
        for j in range(ew - 1, -1, -1):
            i = lorder[j]
            if local[i] == 0.0:
                continue  # no posting in the window
            need = floor - lprefix[j]
            a = pos[i]
            z = _find(pid, a, stop[i], hi)
            pos[i] = z
            if z == a:
                continue
            alive = 0
            for r in range(nt):
                if acc[touched[r]] >= need:
                    alive += 1
            if alive == 0:
                continue
            if z - a <= 8 * alive:
                for p in range(a, z):
                    s = pid[p] - lo
                    x = acc[s]
                    if x > 0.0 and x >= need:
                        acc[s] = x + _weight(idf[i], cnt[i], k1, float(tf[p]), nbuf[s])
            else:
                for r in range(nt):
                    s = touched[r]
                    x = acc[s]
                    if x >= need:
                        p = _find(pid, a, z, lo + s)
                        if p < z and pid[p] == lo + s:
                            acc[s] = x + _weight(idf[i], cnt[i], k1, float(tf[p]), nbuf[s])
        # The passages that made it get their exact scores (looked up again from the window's start: a few
        # passages, where keeping every weight read costs a write and a clear per posting); ``acc`` is left zero.
        for r in range(nt):
            s = touched[r]
            if acc[s] >= floor:
                for i in range(m):
                    cur[i] = wstart[i]
                score = _exact(pid, tf, ends, cur, lo + s, idf, cnt, k1, nbuf[s])
                t = _offer(heap_s, heap_g, filled, score, _global(lo + s, shift, mapping, mapped))
                if t > theta:
                    theta = t
                    floor = theta * (1.0 - slack)
            acc[s] = 0.0
        while e < m and prefix[e] < floor:
            e += 1
        if e == m:
            return
