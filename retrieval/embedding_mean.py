"""The mean of a text's token vectors, L2-normalised, as one compiled loop (numba) with numpy's floats.

:mod:`retrieval.semantic` averages a question's texts' token rows; in numpy that is a Python loop over the
texts. :func:`mean_rows` does the same in one compiled pass, adding the same float32 numbers in the same order
as numpy does (rows one after the other; the norm in numpy's pairwise order, :func:`_pairwise_sum`), so the
vectors, and so the answers, are bit for bit those of the numpy path. :func:`compile_mean` compiles it and
checks it against numpy on random texts before it is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["compile_mean", "mean_rows"]

log = logging.getLogger(__name__)


def _block_sum(a: npt.NDArray[np.float32], lo: int, n: int) -> np.float32:
    """Compiled (numba): numpy's sum of ``a[lo:lo + n]`` for ``n <= 128`` (a leaf of ``pairwise_sum`` in
    numpy's ``loops_utils.h.src``): below 8 numbers one after the other from 0; else eight running sums over
    every eighth number, joined as ``((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))``, then the rest one by
    one."""
    if n < 8:
        res = np.float32(0.0)
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    m = n - n % 8
    for i in range(lo + 8, lo + m, 8):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(lo + m, lo + n):
        res += a[i]
    return res


def _pairwise_sum(a: npt.NDArray[np.float32]) -> np.float32:
    """Compiled (numba): ``np.add.reduce(a)`` for contiguous float32 ``a``, in numpy's order: up to 128
    numbers a :func:`_block_sum`; above, the two halves (the first a multiple of 8 long) summed apart and
    added. Without recursion (numba's cache does not keep recursive functions): the halves wait on a stack,
    and a sum is added to its sibling's when both are done (addition commutes, so the order of the two is
    immaterial). :func:`compile_mean` checks it against numpy before use."""
    los = np.empty(64, dtype=np.int64)  # pending ranges: start, length (-1: add the two sums on top)
    ns = np.empty(64, dtype=np.int64)
    sums = np.empty(64, dtype=np.float32)
    los[0], ns[0] = 0, a.shape[0]
    todo, done = 1, 0
    while todo:
        todo -= 1
        lo, n = los[todo], ns[todo]
        if n < 0:
            done -= 1
            sums[done - 1] = sums[done - 1] + sums[done]
        elif n <= 128:
            sums[done] = _block_sum(a, lo, n)
            done += 1
        else:
            half = n // 2
            half -= half % 8
            los[todo], ns[todo] = 0, -1
            los[todo + 1], ns[todo + 1] = lo + half, n - half
            los[todo + 2], ns[todo + 2] = lo, half
            todo += 3
    return sums[0]


def mean_rows(half: npt.NDArray[np.uint16], lut: npt.NDArray[np.float32], wide: npt.NDArray[np.float32],
               widened: npt.NDArray[np.bool_], ids: npt.NDArray[np.int32], counts: npt.NDArray[np.intp],
               out: npt.NDArray[np.float32]) -> None:
    """Compiled (numba) :func:`retrieval.semantic._embed_items` after the ids: ``out[i]`` (shape ``(len(counts), dim)``) becomes
    the L2-normalised mean of the rows of the ``counts[i]`` ids of text ``i`` (they follow each other in
    ``ids``), zeros for a text without ids.

    ``half`` is the table's float16 bits, shape ``(vocabulary, dim)``; ``lut`` each of the 65,536 float16 values
    widened by numpy (exact); ``wide``/``widened`` the float32 rows widened so far, as :func:`retrieval.semantic._rows` keeps them
    (a row is widened here on first use). The floats are those of the numpy path: the mean is
    ``np.add.reduce(rows, axis=0) / n``, the first row then each next row added in float32, in order (numpy
    adds the rows of an axis-0 reduction one after the other), and a float32 division; the norm is
    ``sqrt(np.add.reduce(v * v))`` (:func:`_pairwise_sum`), a zero norm dividing by 1. No fast-math: no
    reordering, no reciprocal.
    """
    dim = wide.shape[1]
    squares = np.empty(dim, dtype=np.float32)
    at = 0
    for i in range(counts.shape[0]):
        n = counts[i]
        if n == 0:
            for k in range(dim):
                out[i, k] = 0.0
            continue
        for j in range(at, at + n):
            t = ids[j]
            if not widened[t]:
                for k in range(dim):
                    wide[t, k] = lut[half[t, k]]
                widened[t] = True
        t = ids[at]
        for k in range(dim):
            out[i, k] = wide[t, k]
        for j in range(at + 1, at + n):
            t = ids[j]
            for k in range(dim):
                out[i, k] += wide[t, k]
        scale = np.float32(n)
        for k in range(dim):
            out[i, k] /= scale
            squares[k] = out[i, k] * out[i, k]
        norm = np.sqrt(_pairwise_sum(squares))
        if norm == 0:
            norm = np.float32(1.0)
        for k in range(dim):
            out[i, k] /= norm
        at += n


def compile_mean(numba: Any, table: npt.NDArray[np.float16],
                 reference: Callable[[npt.NDArray[np.float32], npt.NDArray[np.intp]], npt.NDArray[np.float32]]
                 ) -> tuple[Any, npt.NDArray[np.float32]] | None:
    """:func:`mean_rows` compiled by ``numba`` (the imported module; cached beside this file), and the
    float16-to-float32 table it reads (``lut``); ``None`` when it cannot be compiled or gives other floats.

    ``table``: the embedding table (float16, shape ``(vocabulary, dim)``); ``reference(rows, counts)``: the
    numpy path's normalised means of consecutive float32 ``rows``. Before use the compiled loop embeds a
    hundred random texts (sampled ids, lengths 0 to 200) as ``reference`` does (a few milliseconds); should any
    float differ (a numpy adding in another order), it is not used.
    """
    try:
        jit = numba.njit(cache=True, nogil=True)
        names = globals()
        for name in ("_block_sum", "_pairwise_sum"):  # compiled first: the loop calls them
            if not hasattr(names[name], "py_func"):
                names[name] = jit(names[name])
        kernel = jit(mean_rows)
        lut = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)
        wide, widened = np.zeros(table.shape, dtype=np.float32), np.zeros(len(table), dtype=bool)
        rng = np.random.default_rng(0)
        counts = rng.integers(0, 200, 100).astype(np.intp)
        counts[:8] = np.arange(8)
        ids = rng.integers(0, len(table), int(counts.sum())).astype(np.int32)
        out = np.empty((len(counts), table.shape[1]), dtype=np.float32)
        kernel(table.view(np.uint16), lut, wide, widened, ids, counts, out)
        plain = reference(table[ids.astype(np.intp)].astype(np.float32), counts)
        if not np.array_equal(out.view(np.uint32), plain.view(np.uint32)):
            log.warning("The compiled embedding loop gives other floats than numpy; numpy is used.")
            return None
        return kernel, lut
    except Exception:
        log.warning("The embedding loop could not be compiled; numpy is used.", exc_info=True)
        return None
