"""Segments: immutable batches of indexed documents, as flat numpy arrays (Lucene's unit of indexing).

A :class:`Segment` holds, for a few documents: their metadata and text, their sentence offsets, their
passages (sentence range, character range, length in terms) and the postings of its passages (for each
term, sorted: the passages holding it and the raw term frequency). Nothing in it depends on the other
segments: BM25 weights are computed at query time from the statistics of every live passage
(:class:`retrieval.index.BM25Index`), so adding a segment or deleting documents never rewrites one.

On disk a segment is a folder of ``.npy`` files that :func:`open_segment` memory-maps (no pickle: each
array is plain numbers, strings are UTF-8 bytes plus offsets). :func:`build_segment` makes one from
analyzed documents; :func:`merge_segments` rewrites the live documents of several into one, without
splitting or analyzing anything again.

Array schema (``n`` documents, ``S`` sentences, ``P`` passages, ``V`` terms, ``T`` postings)::

    ids, titles, encodings, texts   string columns: <name>_blob uint8, <name>_off int64 (n + 1)
    extras                          string column (n): JSON {"pages": [...], "code": [[start, end], ...]}
    date int32 (n)                  proleptic Gregorian ordinal, 0 when undated
    body_start int64 (n)            character offset
    size, mtime int64 (n)           file size in bytes, modification time in ns (0 when not from a file)
    digest uint8 (n, 16)            BLAKE2b-128 of the file's bytes
    sent_off int64 (n + 1)          document d's sentences are spans[sent_off[d]:sent_off[d + 1]]
    spans int64 (S, 2)              (start, end) character offsets into the document's text
    pass_off int64 (n + 1)          document d's passages are passages[pass_off[d]:pass_off[d + 1]]
    passages int64 (P, 4)           first, last sentence (document-local, inclusive), start, end character
    plen int32 (P)                  passage length in terms (BM25 |p|)
    vocab string column (V)         terms, sorted
    post_off int64 (V + 1)          term t's postings are post_pid/post_tf[post_off[t]:post_off[t + 1]]
    post_pid int32 (T)              segment-local passage number, increasing within a term
    post_tf int32 (T)               raw term frequency
    blk_tf, blk_len int32 (B)       per block of 64 postings of a term: largest tf, shortest plen (score
                                    bounds for dynamic pruning, :func:`retrieval.index.block_bounds`)
    sterm_off int64 (S + 1)         sentence k's distinct terms are sterm_tid[sterm_off[k]:sterm_off[k + 1]]
    sterm_tid int32 (U)             term numbers (into vocab), in order of first occurrence in the sentence:
                                    excerpt choice reads a candidate sentence's term set from them
                                    (:mod:`retrieval.corpus`) instead of analyzing its text again
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import filterfalse
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .documents import Document
from .index import BLOCK, block_bounds

__all__ = ["AnalyzedDocument", "FileStat", "Segment", "SegmentError", "build_segment", "merge_segments",
           "open_segment", "write_segment"]

_STRINGS = ("ids", "titles", "encodings", "texts", "extras", "vocab")
_ARRAYS = ("date", "body_start", "size", "mtime", "digest", "sent_off", "spans", "pass_off", "passages", "plen",
           "post_off", "post_pid", "post_tf", "blk_tf", "blk_len", "sterm_off", "sterm_tid")
FILES: tuple[str, ...] = tuple(f"{s}_{part}" for s in _STRINGS for part in ("blob", "off")) + _ARRAYS


class SegmentError(Exception):
    """A segment on disk is missing, truncated or inconsistent."""


@dataclass(frozen=True)
class FileStat:
    """What identifies a file's version: ``size`` in bytes, ``mtime`` in ns and the BLAKE2b-128 ``digest``."""

    size: int
    mtime: int
    digest: bytes


@dataclass
class AnalyzedDocument:
    """One document, split and analyzed, ready to go into a segment.

    Attributes
    ----------
    document:
        The document.
    stat:
        Its file's version, or ``None`` for a document not read from a file.
    spans:
        Sentence ``(start, end)`` offsets, shape ``(S, 2)`` int64.
    passages:
        ``(first, last, start, end)`` per passage, shape ``(P, 4)`` int64.
    lengths:
        Terms per passage, shape ``(P,)`` int32.
    vocab:
        Terms that ``tids`` number; may be shared by documents analyzed together, and hold terms that are
        not in this document.
    tids, tfs, distinct:
        Postings in passage order: passage ``i`` holds the next ``distinct[i]`` entries of ``tids`` (the
        term, as a position in ``vocab``) and ``tfs`` (its raw frequency); shapes ``(T,)``, ``(T,)`` and
        ``(P,)``, int32.
    sent_tids, sent_distinct:
        Each sentence's distinct terms (positions in ``vocab``) in order of first occurrence: sentence ``k``
        holds the next ``sent_distinct[k]`` entries of ``sent_tids``; shapes ``(U,)`` and ``(S,)``, int32.
    """

    document: Document
    stat: FileStat | None
    spans: npt.NDArray[np.int64]
    passages: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int32]
    vocab: Sequence[str]
    tids: npt.NDArray[np.int32]
    tfs: npt.NDArray[np.int32]
    distinct: npt.NDArray[np.int32]
    sent_tids: npt.NDArray[np.int32]
    sent_distinct: npt.NDArray[np.int32]


class Strings:
    """A column of strings stored as UTF-8 bytes plus byte offsets; ``column[i]`` decodes one."""

    def __init__(self, blob: npt.NDArray[np.uint8], off: npt.NDArray[np.int64]) -> None:
        # Plain views of memory maps: indexing a numpy.memmap costs several times more than an ndarray.
        self.blob, self.off = np.asarray(blob).view(np.ndarray), np.asarray(off).view(np.ndarray)

    def __len__(self) -> int:
        return len(self.off) - 1

    def __getitem__(self, i: int) -> str:
        a, b = int(self.off[i]), int(self.off[i + 1])
        return bytes(self.blob[a:b]).decode("utf-8", "surrogatepass")

    def all(self) -> list[str]:
        """Every string, decoded (once: the column never changes; do not modify the list)."""
        found: list[str] | None = getattr(self, "_all", None)
        if found is None:
            raw = bytes(self.blob)
            off = self.off.tolist()
            if raw.isascii():  # one decode, then slices: byte offsets are character offsets
                text = raw.decode("ascii")
                found = [text[a:b] for a, b in zip(off, off[1:])]
            else:
                found = [raw[a:b].decode("utf-8", "surrogatepass") for a, b in zip(off, off[1:])]
            self._all = found
        return found

    @staticmethod
    def pack(values: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
        """``(blob, off)`` for ``values``."""
        encoded = [v.encode("utf-8", "surrogatepass") for v in values]
        off = np.zeros(len(encoded) + 1, dtype=np.int64)
        if encoded:
            np.cumsum([len(e) for e in encoded], out=off[1:])
        return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), off


class Segment:
    """An immutable batch of indexed documents (see the module docstring for the arrays).

    Attributes
    ----------
    name:
        Folder name on disk (``""`` for a segment only in memory).
    arrays:
        The arrays by name; memory-mapped when opened from disk.
    n_docs, n_passages:
        Sizes.
    """

    def __init__(self, name: str, arrays: dict[str, Any]) -> None:
        self.name = name
        self.arrays = arrays
        self.ids = Strings(arrays["ids_blob"], arrays["ids_off"])
        self.titles = Strings(arrays["titles_blob"], arrays["titles_off"])
        self.encodings = Strings(arrays["encodings_blob"], arrays["encodings_off"])
        self.texts = Strings(arrays["texts_blob"], arrays["texts_off"])
        self.extras = Strings(arrays["extras_blob"], arrays["extras_off"])
        self.vocab = Strings(arrays["vocab_blob"], arrays["vocab_off"])
        self.n_docs = len(arrays["date"])
        self.n_passages = len(arrays["plen"])
        self._terms: dict[str, int] | None = None
        # Plain views of the columns read per document at question time (a memmap's indexing is slow).
        self._views = {k: np.asarray(arrays[k]).view(np.ndarray)
                       for k in ("date", "body_start", "sent_off", "spans", "sterm_off", "sterm_tid")}
        self._check()

    def _check(self) -> None:
        a = self.arrays
        n, p, v = self.n_docs, self.n_passages, len(self.vocab)
        expected = {"ids_off": n + 1, "titles_off": n + 1, "encodings_off": n + 1, "texts_off": n + 1,
                    "extras_off": n + 1,
                    "body_start": n, "size": n, "mtime": n, "digest": n, "sent_off": n + 1, "pass_off": n + 1,
                    "post_off": v + 1, "sterm_off": len(a["spans"]) + 1}
        for key, length in expected.items():
            if len(a[key]) != length:
                raise SegmentError(f"{self.name}: {key} has {len(a[key])} entries, expected {length}")
        checks = [
            (a["pass_off"], p), (a["sent_off"], len(a["spans"])), (a["post_off"], len(a["post_pid"])),
            (a["ids_off"], len(a["ids_blob"])), (a["texts_off"], len(a["texts_blob"])),
            (a["vocab_off"], len(a["vocab_blob"])), (a["titles_off"], len(a["titles_blob"])),
            (a["sterm_off"], len(a["sterm_tid"])),
        ]
        for off, length in checks:
            if len(off) and (int(off[0]) != 0 or int(off[-1]) != length):
                raise SegmentError(f"{self.name}: offsets do not match the data they index")
        if len(a["post_tf"]) != len(a["post_pid"]) or len(a["passages"]) != p:
            raise SegmentError(f"{self.name}: postings or passages are inconsistent")
        blocks = int(((np.diff(np.asarray(a["post_off"])) + BLOCK - 1) // BLOCK).sum())
        if len(a["blk_tf"]) != blocks or len(a["blk_len"]) != blocks:
            raise SegmentError(f"{self.name}: block bounds do not match the postings")

    @property
    def terms(self) -> dict[str, int]:
        """Term to segment-local term number (built on first use)."""
        if self._terms is None:
            self._terms = {t: i for i, t in enumerate(self.vocab.all())}
        return self._terms

    def document(self, d: int) -> Document:
        """Document ``d`` of this segment, with its text decoded."""
        a = self._views
        ordinal = int(a["date"][d])
        extra = self.extras[d]
        extras = json.loads(extra) if extra else {}
        return Document(id=self.ids[d], text=self.texts[d], title=self.titles[d],
                        date=dt.date.fromordinal(ordinal) if ordinal else None,
                        body_start=int(a["body_start"][d]), encoding=self.encodings[d],
                        pages=tuple(extras.get("pages", ())),
                        code=tuple((int(x), int(y)) for x, y in extras.get("code", ())))

    def stat(self, d: int) -> FileStat:
        """The file version document ``d`` was indexed from."""
        a = self.arrays
        return FileStat(int(a["size"][d]), int(a["mtime"][d]), bytes(a["digest"][d]))

    def sentence_terms(self, d: int) -> tuple[list[int], npt.NDArray[np.int32]]:
        """Document ``d``'s sentences' terms: ``(off, tids)``, sentence ``i``'s distinct terms (numbers into
        :attr:`vocab`, in order of first occurrence) are ``tids[off[i] - off[0]:off[i + 1] - off[0]]``
        (``tids`` a view of the memory map: only the sentences read are converted)."""
        off = self._views["sent_off"]
        toff = self._views["sterm_off"][off[d]:off[d + 1] + 1].tolist()
        return toff, self._views["sterm_tid"][toff[0]:toff[-1]]

    def sentences(self, d: int) -> tuple[list[tuple[int, int]], list[int], npt.NDArray[np.int32]]:
        """Document ``d``'s :meth:`spans` and :meth:`sentence_terms` (``(spans, off, tids)``), read together."""
        views = self._views
        s0, s1 = views["sent_off"][d:d + 2].tolist()
        flat = views["spans"][s0:s1].ravel().tolist()
        toff = views["sterm_off"][s0:s1 + 1].tolist()
        return list(zip(flat[0::2], flat[1::2])), toff, views["sterm_tid"][toff[0]:toff[-1]]

    def spans(self, d: int) -> list[tuple[int, int]]:
        """Sentence offsets of document ``d``."""
        off = self._views["sent_off"]
        flat = self._views["spans"][off[d]:off[d + 1]].ravel().tolist()  # Python ints, one list (no row lists)
        return list(zip(flat[0::2], flat[1::2]))


def build_segment(documents: Sequence[AnalyzedDocument], name: str = "", texts: bool = True) -> Segment:
    """A segment (in memory) holding ``documents`` in the given order.

    Parameters
    ----------
    documents:
        Analyzed documents.
    name:
        Recorded as :attr:`Segment.name`.
    texts:
        Store the documents' text (needed on disk; an in-memory retriever keeps its own documents).
    """
    vocab: dict[str, int] = {}
    numbered: dict[int, npt.NDArray[np.int32]] = {}  # id() of a vocabulary -> its terms' numbers here
    tid_parts, tf_parts, distinct_parts, sent_parts = [], [], [], []
    for item in documents:
        mapping = numbered.get(id(item.vocab))
        if mapping is None:  # numbers in order of first sight (terms are distinct within a vocabulary)
            fresh = list(filterfalse(vocab.__contains__, item.vocab))
            vocab.update(zip(fresh, range(len(vocab), len(vocab) + len(fresh))))
            mapping = numbered[id(item.vocab)] = np.fromiter(map(vocab.__getitem__, item.vocab), dtype=np.int32,
                                                             count=len(item.vocab))
        tid_parts.append(mapping[item.tids])
        sent_parts.append(mapping[item.sent_tids])
        tf_parts.append(item.tfs)
        distinct_parts.append(item.distinct)
    distinct = _concat(distinct_parts, np.int32)
    tids, tfs = _concat(tid_parts, np.int32), _concat(tf_parts, np.int32)
    pids = np.repeat(np.arange(len(distinct), dtype=np.int32), distinct)
    del numbered, tid_parts, tf_parts, distinct_parts
    terms = sorted(vocab)
    rank = np.empty(len(terms), dtype=np.int32)
    rank[np.fromiter((vocab[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms),
                                                                                                dtype=np.int32)
    tid = rank[tids]
    del tids
    sterm_tid = rank[_concat(sent_parts, np.int32)]
    del sent_parts
    post_off = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tid, minlength=len(terms)), out=post_off[1:])
    post_pid, post_tf = _sort_by_term(tid, pids, tfs)
    del tid, pids, tfs
    docs = [item.document for item in documents]
    stats = [item.stat or FileStat(0, 0, bytes(16)) for item in documents]
    arrays: dict[str, Any] = {}
    for key, values in (("ids", [d.id for d in docs]), ("titles", [d.title for d in docs]),
                        ("encodings", [d.encoding for d in docs]), ("extras", [_extras(d) for d in docs]),
                        ("texts", [d.text for d in docs] if texts else [""] * len(docs)), ("vocab", terms)):
        arrays[f"{key}_blob"], arrays[f"{key}_off"] = Strings.pack(values)
    arrays["date"] = np.array([d.date.toordinal() if d.date else 0 for d in docs], dtype=np.int32)
    arrays["body_start"] = np.array([d.body_start for d in docs], dtype=np.int64)
    arrays["size"] = np.array([s.size for s in stats], dtype=np.int64)
    arrays["mtime"] = np.array([s.mtime for s in stats], dtype=np.int64)
    arrays["digest"] = np.frombuffer(b"".join(s.digest for s in stats), dtype=np.uint8).reshape(-1, 16).copy()
    arrays["sent_off"] = _offsets([len(item.spans) for item in documents])
    arrays["spans"] = _stack([item.spans for item in documents], 2)
    arrays["pass_off"] = _offsets([len(item.passages) for item in documents])
    arrays["passages"] = _stack([item.passages for item in documents], 4)
    arrays["plen"] = _concat([item.lengths for item in documents], np.int32)
    arrays["post_off"], arrays["post_pid"], arrays["post_tf"] = post_off, post_pid, post_tf
    arrays["blk_tf"], arrays["blk_len"] = block_bounds(post_off, post_pid, post_tf, arrays["plen"])
    arrays["sterm_off"] = _offsets(_concat([item.sent_distinct for item in documents], np.int64))
    arrays["sterm_tid"] = sterm_tid.astype(np.int32, copy=False)
    return Segment(name, arrays)


def _extras(document: Document) -> str:
    """A document's page starts and code blocks as JSON (empty for a document with neither)."""
    if not document.pages and not document.code:
        return ""
    return json.dumps({"pages": list(document.pages), "code": [list(c) for c in document.code]})


def _sort_by_term(tid: npt.NDArray[np.int32], pid: npt.NDArray[np.int32], tf: npt.NDArray[np.int32]
                  ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Postings ``(pid, tf)`` ordered by term number, then passage (each passage holds a term once).

    One sort of int64 keys: (term, passage, tf) packed in one key when they fit (no gather afterwards),
    else (term, position). Both are several times faster than a stable argsort.
    """
    n = len(tid)
    if not n:
        return pid.copy(), tf.copy()
    if int(tid.max()) < 2**23 and int(pid.max()) < 2**24 and 0 <= int(tf.min()) and int(tf.max()) < 2**16:
        keys = tid.astype(np.int64) << 40
        keys |= pid.astype(np.int64) << 16
        keys |= tf
        keys.sort()
        return ((keys >> 16) & 0xFFFFFF).astype(np.int32), (keys & 0xFFFF).astype(np.int32)
    if n >= 2**32:  # pragma: no cover - positions do not fit beside the term
        order = np.argsort(tid, kind="stable")
    else:
        order = tid.astype(np.int64) << 32
        order |= np.arange(n, dtype=np.int64)
        order.sort()
        order &= 0xFFFFFFFF
    return pid[order], tf[order]


def _concat(parts: Sequence[npt.NDArray[Any]], dtype: Any) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)


def _offsets(counts: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    off = np.zeros(len(counts) + 1, dtype=np.int64)
    if len(counts):
        np.cumsum(counts, out=off[1:])
    return off


def _stack(parts: Sequence[npt.NDArray[np.int64]], width: int) -> npt.NDArray[np.int64]:
    parts = [p for p in parts if len(p)]
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros((0, width), dtype=np.int64)


def merge_segments(segments: Sequence[Segment], picks: Sequence[tuple[int, int]], name: str) -> Segment:
    """One segment holding some documents of several segments, in the given order, without analyzing
    anything again.

    Parameters
    ----------
    segments:
        The segments to take documents from.
    picks:
        ``(segment number in segments, local document number)`` per document of the new segment, in order.
    name:
        The new segment's name.
    """
    arrays: dict[str, Any] = {}
    for key in ("ids", "titles", "encodings", "texts", "extras"):
        blobs, lengths = [], []
        for s, d in picks:
            off, blob = segments[s].arrays[f"{key}_off"], segments[s].arrays[f"{key}_blob"]
            a, b = int(off[d]), int(off[d + 1])
            blobs.append(np.asarray(blob[a:b]))
            lengths.append(b - a)
        arrays[f"{key}_blob"] = np.concatenate(blobs) if blobs else np.zeros(0, dtype=np.uint8)
        arrays[f"{key}_off"] = _offsets(lengths)
    for key in ("date", "body_start", "size", "mtime", "digest"):
        arrays[key] = np.stack([np.asarray(segments[s].arrays[key][d]) for s, d in picks]) if picks \
            else np.zeros((0, 16) if key == "digest" else 0, dtype=segments[0].arrays[key].dtype)
    spans, passages, plen, sent_counts, pass_counts, sterms, sterm_counts = [], [], [], [], [], [], []
    maps = [np.full(seg.n_passages, -1, dtype=np.int64) for seg in segments]  # old passage -> new, or -1
    base = 0
    for s, d in picks:
        a = segments[s].arrays
        s0, s1 = int(a["sent_off"][d]), int(a["sent_off"][d + 1])
        p0, p1 = int(a["pass_off"][d]), int(a["pass_off"][d + 1])
        spans.append(np.asarray(a["spans"][s0:s1]))
        toff = np.asarray(a["sterm_off"][s0:s1 + 1])
        sterms.append((s, np.asarray(a["sterm_tid"][int(toff[0]):int(toff[-1])])))
        sterm_counts.append(np.diff(toff))
        passages.append(np.asarray(a["passages"][p0:p1]))
        plen.append(np.asarray(a["plen"][p0:p1]))
        sent_counts.append(s1 - s0)
        pass_counts.append(p1 - p0)
        maps[s][p0:p1] = np.arange(base, base + p1 - p0)
        base += p1 - p0
    arrays["sent_off"], arrays["pass_off"] = _offsets(sent_counts), _offsets(pass_counts)
    arrays["spans"] = _stack(spans, 2)
    arrays["passages"] = _stack(passages, 4)
    arrays["plen"] = np.concatenate(plen).astype(np.int32) if plen else np.zeros(0, dtype=np.int32)
    vocabularies = [seg.vocab.all() for seg in segments]
    terms = sorted(set().union(*vocabularies)) if vocabularies else []
    number = {t: i for i, t in enumerate(terms)}
    all_tid, all_pid, all_tf = [], [], []
    to_new: list[npt.NDArray[np.int32]] = []  # per segment: its term numbers -> numbers in ``terms``
    for seg, words, mapping in zip(segments, vocabularies, maps):
        a = seg.arrays
        local_to_new = np.fromiter((number[t] for t in words), dtype=np.int32, count=len(words))
        to_new.append(local_to_new)
        tid = np.repeat(local_to_new, np.diff(np.asarray(a["post_off"])))
        pid = mapping[np.asarray(a["post_pid"])]
        keep = pid >= 0
        all_tid.append(tid[keep])
        all_pid.append(pid[keep].astype(np.int32))
        all_tf.append(np.asarray(a["post_tf"])[keep])
    tid = np.concatenate(all_tid) if all_tid else np.zeros(0, dtype=np.int32)
    pid = np.concatenate(all_pid) if all_pid else np.zeros(0, dtype=np.int32)
    tf = np.concatenate(all_tf) if all_tf else np.zeros(0, dtype=np.int32)
    order = np.lexsort((pid, tid))
    counts = np.bincount(tid, minlength=len(terms))
    used = counts > 0  # a term whose passages were all deleted leaves the vocabulary
    arrays["vocab_blob"], arrays["vocab_off"] = Strings.pack([t for t, u in zip(terms, used.tolist()) if u])
    arrays["post_off"] = _offsets(counts[used].tolist())
    arrays["post_pid"], arrays["post_tf"] = pid[order], tf[order].astype(np.int32)
    # Sentence terms: old term number -> number among the terms kept (a kept document's terms all are).
    kept = (np.cumsum(used) - 1).astype(np.int32)
    arrays["sterm_tid"] = _concat([kept[to_new[s][tids]] for s, tids in sterms], np.int32)
    arrays["sterm_off"] = _offsets(_concat(sterm_counts, np.int64))
    arrays["blk_tf"], arrays["blk_len"] = block_bounds(arrays["post_off"], arrays["post_pid"], arrays["post_tf"],
                                                       arrays["plen"])
    return Segment(name, arrays)


def write_segment(segment: Segment, folder: Path) -> None:
    """Write ``segment``'s arrays into the new folder ``folder`` (each file fsynced, then the folder).

    Raises
    ------
    OSError
        The folder exists already or cannot be written.
    """
    folder.mkdir()
    for key in FILES:
        path = folder / f"{key}.npy"
        with open(path, "wb") as handle:
            np.save(handle, np.ascontiguousarray(segment.arrays[key]), allow_pickle=False)
            handle.flush()
            os.fsync(handle.fileno())
    fsync_folder(folder)


def open_segment(folder: Path) -> Segment:
    """Memory-map the segment in ``folder``.

    Raises
    ------
    SegmentError
        A file is missing, truncated or of the wrong shape (the cause is chained).
    """
    arrays: dict[str, Any] = {}
    try:
        for key in FILES:
            path = folder / f"{key}.npy"
            if path.stat().st_size <= 128:  # header only: an empty array cannot be memory-mapped
                arrays[key] = np.load(path, allow_pickle=False)
            else:
                arrays[key] = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        if "allow_pickle" in str(error):  # numpy's advice to load it unsafely does not apply: it is damaged
            raise SegmentError(f"{folder.name}: {path.name} does not hold an array of numbers") from error
        raise SegmentError(f"{folder.name}: {error}") from error
    return Segment(folder.name, arrays)


def fsync_folder(folder: Path) -> None:
    """fsync a folder, so a rename or a new file inside it survives a crash (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
