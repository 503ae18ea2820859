"""Concatenating segments: the segments one update built, joined into one, read and written file by file.

A first build (or a rebuild) writes a segment per batch of :data:`retrieval.store.BATCH_PASSAGES`
passages, so that the heap never holds the whole build; at a million passages that is half a dozen
segments, and each costs every query a pass of its own (cursors, bounds, a threshold to rebuild). When the
batches hold consecutive runs of the documents (ids increasing from one to the next, as a build makes
them) and no tombstone, :func:`concatenate` joins them into the segment a single batch would have made
(the same arrays; tested), without any sort: strings, per-document and per-passage arrays are the
segments' ones one after the other (offsets shifted), and each term's postings are the segments'
postings of that term one after the other (passage numbers shifted), which keeps them increasing.

The segments' files are read with plain reads, not memory maps, and the big columns are copied in
chunks, so the process holds the merged postings (8 bytes a posting) and little else.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .index import block_bounds
from .segments import FILES, Strings, fsync_folder

__all__ = ["concatenable", "concatenate"]

#: Bytes copied at a time for the columns that are only appended (texts, spans).
CHUNK_BYTES = 64 * 2**20

_STRING_COLUMNS = ("ids", "titles", "encodings", "texts", "extras")
_DOC_COLUMNS = ("date", "body_start", "size", "mtime", "digest")


def concatenable(first_ids: Sequence[str], last_ids: Sequence[str], tombstones: Sequence[int]) -> bool:
    """Whether segments with these first and last document ids (in the given order) and these numbers of
    deleted documents can be concatenated: none deleted, and each segment's ids all above the one before's.
    """
    return len(first_ids) > 1 and not any(tombstones) and all(
        prev < nxt for prev, nxt in zip(last_ids, first_ids[1:]))


class _Npy:
    """One ``.npy`` file read without a memory map: dtype, shape and rows on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            fmt = np.lib.format
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, fortran, dtype = read(handle)
            self.offset = handle.tell()
        if fortran:  # pragma: no cover - np.save of a C-contiguous array never writes one
            raise ValueError(f"{path}: Fortran order")
        self.shape: tuple[int, ...] = shape
        self.dtype = np.dtype(dtype)
        self.row = int(np.prod(shape[1:], dtype=np.int64)) if len(shape) > 1 else 1

    def __len__(self) -> int:
        return self.shape[0] if self.shape else 1

    def read(self, start: int = 0, stop: int | None = None) -> npt.NDArray[Any]:
        """Rows ``start:stop``."""
        stop = len(self) if stop is None else stop
        count = (stop - start) * self.row
        with open(self.path, "rb") as handle:
            handle.seek(self.offset + start * self.row * self.dtype.itemsize)
            data = np.fromfile(handle, dtype=self.dtype, count=count)
        if len(data) != count:
            raise ValueError(f"{self.path}: truncated")
        return data.reshape((stop - start,) + tuple(self.shape[1:]))


def _header(dtype: Any, shape: tuple[int, ...]) -> bytes:
    """The ``.npy`` header ``np.save`` writes for an array of this dtype and shape (format 1.0)."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)),
                                                  "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _save(folder: Path, key: str, array: npt.NDArray[Any]) -> None:
    """``array`` into ``key.npy`` (fsynced)."""
    with open(folder / f"{key}.npy", "xb") as handle:
        handle.write(_header(array.dtype, array.shape))
        np.ascontiguousarray(array).tofile(handle)
        handle.flush()
        os.fsync(handle.fileno())


def _copy(parts: Sequence[_Npy], folder: Path, key: str) -> None:
    """``key`` as the segments' ``key`` one after the other (fsynced), copied file to file by the kernel
    where it can (``os.copy_file_range``), else read and written in chunks."""
    header = _header(parts[0].dtype, (sum(len(p) for p in parts),) + tuple(parts[0].shape[1:]))
    fd = os.open(folder / f"{key}.npy", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        at = _write_at(fd, header, 0)
        for part in parts:
            size = len(part) * part.row * part.dtype.itemsize
            source = os.open(part.path, os.O_RDONLY)
            try:
                _transfer(source, part.offset, fd, at, size)
            finally:
                os.close(source)
            at += size
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_at(fd: int, data: bytes, at: int) -> int:
    """Write all of ``data`` at offset ``at``; the offset after it."""
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, at)
        view, at = view[n:], at + n
    return at


def _transfer(source: int, source_at: int, target: int, target_at: int, size: int) -> None:
    """Copy ``size`` bytes from offset ``source_at`` of ``source`` to offset ``target_at`` of ``target``."""
    done = 0
    if hasattr(os, "copy_file_range"):
        try:
            while done < size:
                n = os.copy_file_range(source, target, size - done, source_at + done, target_at + done)
                if n == 0:
                    break
                done += n
        except OSError:  # pragma: no cover - not supported here: read and write what is left
            pass
    while done < size:
        chunk = os.pread(source, min(size - done, CHUNK_BYTES), source_at + done)
        if not chunk:
            raise ValueError("a segment file is truncated")
        _write_at(target, chunk, target_at + done)
        done += len(chunk)


def _offsets(parts: Sequence[_Npy]) -> npt.NDArray[np.int64]:
    """Offsets (``n + 1`` each, from 0) of the segments one after the other, shifted."""
    pieces, base = [np.zeros(1, dtype=np.int64)], 0
    for part in parts:
        off = part.read().astype(np.int64)
        pieces.append(off[1:] + base)
        base += int(off[-1])
    return np.concatenate(pieces)


def concatenate(folders: Sequence[Path], out: Path) -> None:
    """Write into the new folder ``out`` the segment holding the documents of the segments in ``folders``,
    in that order (check :func:`concatenable` first); each file fsynced, then the folder.

    Raises
    ------
    OSError
        ``out`` exists already or cannot be written.
    ValueError
        A segment file is unreadable or truncated.
    """
    out.mkdir()
    files = [{key: _Npy(folder / f"{key}.npy") for key in FILES} for folder in folders]
    for key in _STRING_COLUMNS:
        _copy([f[f"{key}_blob"] for f in files], out, f"{key}_blob")
        _save(out, f"{key}_off", _offsets([f[f"{key}_off"] for f in files]))
    for key in _DOC_COLUMNS + ("spans", "passages", "plen"):
        _copy([f[key] for f in files], out, key)
    _save(out, "sent_off", _offsets([f["sent_off"] for f in files]))
    _save(out, "pass_off", _offsets([f["pass_off"] for f in files]))
    vocabularies = [Strings(f["vocab_blob"].read(), f["vocab_off"].read()).all() for f in files]
    terms = sorted(set().union(*vocabularies))
    number = {t: i for i, t in enumerate(terms)}
    blob, off = Strings.pack(terms)
    _save(out, "vocab_blob", blob)
    _save(out, "vocab_off", off)
    # Each term's postings: the segments' postings of it one after the other, passage numbers shifted.
    ids = [np.fromiter(map(number.__getitem__, words), dtype=np.int64, count=len(words))
           for words in vocabularies]
    counts = [np.diff(f["post_off"].read().astype(np.int64)) for f in files]
    total = np.zeros(len(terms), dtype=np.int64)
    for tid, count in zip(ids, counts):
        total[tid] += count
    post_off = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(total, out=post_off[1:])
    _save(out, "post_off", post_off)
    n_postings = int(post_off[-1])
    post_pid = np.empty(n_postings, dtype=np.int32)
    post_tf = np.empty(n_postings, dtype=np.int32)
    cursor = post_off[:-1].copy()
    base = 0
    for f, tid, count in zip(files, ids, counts):
        pid, tf = f["post_pid"].read(), f["post_tf"].read()
        if base:
            pid += np.int32(base)
        src = np.zeros(len(count) + 1, dtype=np.int64)
        np.cumsum(count, out=src[1:])
        dst = cursor[tid]
        cursor[tid] += count
        for a, b, c in zip(src[:-1].tolist(), src[1:].tolist(), dst.tolist()):  # one slice a term
            post_pid[c:c + b - a] = pid[a:b]
            post_tf[c:c + b - a] = tf[a:b]
        del pid, tf
        base += len(f["plen"])
    plen = np.concatenate([f["plen"].read() for f in files])
    blk_tf, blk_len = block_bounds(post_off, post_pid, post_tf, plen)
    _save(out, "post_pid", post_pid)
    _save(out, "post_tf", post_tf)
    _save(out, "blk_tf", blk_tf)
    _save(out, "blk_len", blk_len)
    del post_pid, post_tf, blk_tf, blk_len
    # Sentence terms: the segments' ones one after the other, renumbered into the joined vocabulary.
    _save(out, "sterm_off", _offsets([f["sterm_off"] for f in files]))
    _save(out, "sterm_tid", np.concatenate([tid[f["sterm_tid"].read()].astype(np.int32) for f, tid in zip(files, ids)])
          if files else np.zeros(0, dtype=np.int32))
    fsync_folder(out)
