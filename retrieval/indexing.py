"""Indexing documents: split into sentences, analyze, group into passages; in parallel over files.

:func:`analyze_document` is the one place a document becomes index material (the same for a fresh build, an
incremental update and the saved index). :func:`analyze_files` reads and analyzes files, on a pool of
processes when there is enough work to pay for it, and reports progress.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .analyzer import Analyzer, version_words
from .documents import Document, read_document
from .passages import make_passages
from .segments import AnalyzedDocument, FileStat
from .sentences import split_sentences

__all__ = ["FileResult", "Progress", "analyze_document", "analyze_files", "file_stat", "worker_context",
           "workers"]

log = logging.getLogger(__name__)

#: Files below which a pool of processes costs more (start-up, imports) than it saves.
POOL_MIN_FILES = 200
POOL_MIN_BYTES = 4_000_000
#: Files per task sent to a worker, and tasks per worker in flight at once.
CHUNK = 64
IN_FLIGHT = 8

#: ``progress(files_done, files_total, passages_done)``, called as files are indexed.
Progress = Callable[[int, int, int], None]


def analyze_document(document: Document, analyzer: Analyzer, stat: FileStat | None = None) -> AnalyzedDocument:
    """Split ``document`` into sentences and passages and analyze each passage into postings.

    A passage's terms are its sentences' terms in order (its BM25 length is their count), exactly what an
    index built from the passages' term lists holds. One document of :func:`analyze_documents`.
    """
    return analyze_documents([document], analyzer, [stat])[0]


def analyze_documents(documents: Sequence[Document], analyzer: Analyzer,
                      stats: Sequence[FileStat | None] | None = None) -> list[AnalyzedDocument]:
    """:func:`analyze_document` for several documents at once (numpy over all their passages).

    The documents share one vocabulary (:attr:`AnalyzedDocument.vocab`): a batch pickles as a few arrays
    and one list of distinct terms, which is what a worker process sends back.

    Parameters
    ----------
    documents:
        The documents.
    analyzer:
        Turns a sentence into index terms.
    stats:
        Each document's file version (``None``: not from a file); default all ``None``.

    Returns
    -------
    list[AnalyzedDocument]
        One per document, in order.
    """
    table = _term_table(analyzer)
    stats = list(stats) if stats is not None else [None] * len(documents)
    # Only the quotable regions: never a code block.
    doc_spans = [[span for start, end in d.quotable_regions() for span in split_sentences(d.text, start, end)]
                 for d in documents]
    # Every sentence's term ids at once: sentence k of the batch has ids_all[term_off[k]:term_off[k + 1]].
    ids_all, term_off = table.sentence_ids([(d.text, spans) for d, spans in zip(documents, doc_spans)])
    firsts: list[int] = []  # each passage's first and last sentence, numbered over the batch
    lasts: list[int] = []
    doc_passages = []
    base = 0
    for document, spans in zip(documents, doc_spans):
        text = document.text
        passages = make_passages(0, spans, [len(text[s:e].split()) for s, e in spans])
        doc_passages.append(passages)
        firsts.extend([base + w.first for w in passages])
        lasts.extend([base + w.last + 1 for w in passages])
        base += len(spans)
    # Every passage's terms, as ranges of the batch's term ids: (passage, term) pairs counted at once.
    first = term_off[np.asarray(firsts, dtype=np.int64)]
    last = term_off[np.asarray(lasts, dtype=np.int64)]
    lengths = (last - first).astype(np.int32)
    n_passages = len(lengths)
    total = int(lengths.sum())
    within = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths, dtype=np.int64) - lengths, lengths)
    tokens = ids_all[np.repeat(first, lengths) + within]
    width = max(1, len(table.terms))
    keys = np.repeat(np.arange(n_passages, dtype=np.int64) * width, lengths) + tokens
    keys, counts = np.unique(keys, return_counts=True)  # sorted by passage, then term
    post_pid = keys // width
    used, inverse = np.unique(keys % width, return_inverse=True)
    vocab = [table.terms[t] for t in used.tolist()]
    distinct: npt.NDArray[np.int32] = np.bincount(post_pid, minlength=n_passages).astype(np.int32)
    post_tid: npt.NDArray[np.int32] = inverse.astype(np.int32).reshape(-1)
    tfs: npt.NDArray[np.int32] = counts.astype(np.int32)
    sent_tid, sent_distinct = _sentence_terms(ids_all, term_off, width, used)
    p_start = np.cumsum([0] + [len(p) for p in doc_passages])
    t_start = np.concatenate(([0], np.cumsum(distinct, dtype=np.int64)))
    s_start = np.cumsum([0] + [len(spans) for spans in doc_spans])
    u_start = np.concatenate(([0], np.cumsum(sent_distinct, dtype=np.int64)))
    out = []
    for i, (document, spans, passages) in enumerate(zip(documents, doc_spans, doc_passages)):
        p0, p1 = int(p_start[i]), int(p_start[i + 1])
        t0, t1 = int(t_start[p0]), int(t_start[p1])
        s0, s1 = int(s_start[i]), int(s_start[i + 1])
        u0, u1 = int(u_start[s0]), int(u_start[s1])
        out.append(AnalyzedDocument(
            document, stats[i], np.asarray(spans, dtype=np.int64).reshape(-1, 2),
            np.asarray([(p.first, p.last, p.start, p.end) for p in passages], dtype=np.int64).reshape(-1, 4),
            lengths[p0:p1], vocab, post_tid[t0:t1], tfs[t0:t1], distinct[p0:p1],
            sent_tid[u0:u1], sent_distinct[s0:s1]))
    return out


def _sentence_terms(ids: npt.NDArray[np.int32], off: npt.NDArray[np.int64], width: int,
                    used: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Each sentence's distinct terms, in the order they first occur in it (the order a term set made from
    the analyzer's output is filled in, so the sets built from them at question time are the same objects
    in every respect, iteration order included).

    Parameters
    ----------
    ids, off:
        The batch's term ids: sentence ``k``'s are ``ids[off[k]:off[k + 1]]`` (see ``sentence_ids``).
    width:
        More than the largest id.
    used:
        The batch vocabulary's ids, sorted (every sentence term is among them: every sentence is in a
        passage).

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray]
        ``(terms, distinct)``: terms as positions in ``used``, sentence after sentence, shape ``(U,)``;
        terms per sentence, shape ``(S,)``; both int32.
    """
    n = len(off) - 1
    sentence = np.repeat(np.arange(n, dtype=np.int64), np.diff(off))
    _, first = np.unique(sentence * width + ids, return_index=True)  # each (sentence, term)'s first place
    first.sort()  # sentence after sentence, each in order of first occurrence
    terms = np.searchsorted(used, ids[first]).astype(np.int32)
    distinct = np.bincount(sentence[first], minlength=n).astype(np.int32)
    return terms, distinct


#: Separates sentences joined into one text for the analyzer: a word no analyzer step changes, between
#: spaces, so no sentence's tokens depend on its neighbours (checked by counting it, see ``sentence_ids``).
_SENTINEL = "qzxsentencebreakqzx"
_JOIN = f" {_SENTINEL} "
#: Distinct words a term table keeps before it starts afresh (bounds a worker's heap).
_TABLE_WORDS = 1_000_000


class _WordIds(dict[str, int]):
    """Normalised token to code, filled on first sight: a term id, ``-1`` for a stop word, ``-2`` for the
    sentence separator, ``-3 - k`` for a version token that stands for the terms ``multi[k]``."""

    def __init__(self, table: _TermTable) -> None:
        super().__init__({_SENTINEL: -2})
        self._table = table

    def __missing__(self, token: str) -> int:
        value = self[token] = self._table.token_code(token)
        return value


class _TermTable:
    """Term ids for one analyzer: ``terms[i]`` is term ``i``; each distinct token is analyzed once."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        # The tokens-then-words-then-stem path below is Analyzer.__call__ itself (tested); another analyzer
        # is called as it is.
        self.fast = type(analyzer) is Analyzer
        self.terms: list[str] = []
        self.number: dict[str, int] = {}
        self.multi: list[list[int]] = []
        self.codes = _WordIds(self)

    def term_id(self, term: str) -> int:
        found = self.number.get(term)
        if found is None:
            found = self.number[term] = len(self.terms)
            self.terms.append(term)
        return found

    def word_id(self, word: str) -> int:
        if word in self.analyzer.stop_words:
            return -1
        return self.term_id(self.analyzer.stem_word(word))

    def token_code(self, token: str) -> int:
        if "." not in token:
            return self.word_id(token)
        self.multi.append([self.word_id(w) for w in version_words(token)])
        return -2 - len(self.multi)

    def sentence_ids(self, documents: Sequence[tuple[str, Sequence[tuple[int, int]]]]
                     ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The term ids of every sentence ``text[s:e]`` of ``documents`` (``(text, spans)`` each), in order,
        and where each sentence's start (``S + 1`` offsets over all the sentences): sentence ``k``'s terms
        are ``ids[off[k]:off[k + 1]]``, ``analyzer(text[s:e])`` exactly."""
        sentences = [text[s:e] for text, spans in documents for s, e in spans]
        if self.fast and sentences:
            tokens = self.analyzer.tokens(_JOIN.join(sentences))
            ids = np.fromiter(map(self.codes.__getitem__, tokens), dtype=np.int32, count=len(tokens))
            versions = np.flatnonzero(ids <= -3)
            if len(versions):  # rare: expand each version token into its words, in place
                words = [self.multi[-3 - c] for c in ids[versions].tolist()]
                repeat = np.ones(len(ids), dtype=np.int64)
                repeat[versions] = [len(w) for w in words]
                at = np.cumsum(repeat) - repeat
                ids = np.repeat(ids, repeat)
                for start, word_ids in zip(at[versions].tolist(), words):
                    ids[start:start + len(word_ids)] = word_ids
            cuts = np.flatnonzero(ids == -2)
            if len(cuts) == len(sentences) - 1:  # else a sentence holds the separator word itself
                kept = np.concatenate(([0], np.cumsum(ids >= 0, dtype=np.int64)))
                off = kept[np.concatenate(([0], cuts, [len(ids)]))]
                return ids[ids >= 0], off
        lists = [self.analyzer(sentence) for sentence in sentences]
        term_id = self.term_id
        ids = np.fromiter((term_id(t) for terms in lists for t in terms), dtype=np.int32)
        off = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum([len(terms) for terms in lists], out=off[1:])
        return ids, off


#: Per thread (a table is not safe to share: the bot may index in one thread while another builds a
#: retriever), per analyzer.
_tables = threading.local()


def _term_table(analyzer: Analyzer) -> _TermTable:
    tables: weakref.WeakKeyDictionary[Analyzer, _TermTable] | None = getattr(_tables, "by_analyzer", None)
    if tables is None:
        tables = _tables.by_analyzer = weakref.WeakKeyDictionary()
    table = tables.get(analyzer)
    if table is None or len(table.codes) > _TABLE_WORDS:  # ids only matter within one call: start afresh
        table = tables[analyzer] = _TermTable(analyzer)
    return table


def file_stat(path: Path) -> tuple[int, int]:
    """``(size in bytes, modification time in ns)`` of ``path``; raises OSError."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def digest(raw: bytes) -> bytes:
    """BLAKE2b-128 of a file's bytes: what says its content changed."""
    return hashlib.blake2b(raw, digest_size=16).digest()


@dataclass
class FileResult:
    """A file read and analyzed: ``analyzed`` is ``None`` when it could not be used (see ``warnings``)."""

    doc_id: str
    stat: FileStat | None
    analyzed: AnalyzedDocument | None
    warnings: list[str]


def _read_file(path: str | Path, doc_id: str) -> tuple[FileStat | None, Document | None, list[str]]:
    """A file's version and its document (``None`` when it cannot be used, see the warnings); the file is
    read once."""
    warnings: list[str] = []
    try:
        st, raw = _read_bytes(path)
    except OSError:
        stat = None
        document = read_document(path, doc_id, warnings, None)
    else:
        stat = FileStat(st.st_size, st.st_mtime_ns, digest(raw))
        document = read_document(path, doc_id, warnings, raw)
    return stat, document, warnings


def _read_bytes(path: str | Path) -> tuple[os.stat_result, bytes]:
    """A file's version (``fstat`` of the open file) and all its bytes, read to the end; raises OSError.

    Plain ``os`` calls: opening a Python file object and a separate ``stat`` of the path cost about twice
    as much, which counts over tens of thousands of small files.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        parts = []
        want = max(st.st_size, 0) + 1
        while chunk := os.read(fd, want):
            parts.append(chunk)
            want = 1 << 20
        return st, parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def _index_files(files: Sequence[tuple[str | Path, str]], analyzer: Analyzer) -> list[FileResult]:
    """Read and analyze ``files`` (analyzed together, see :func:`analyze_documents`), in order."""
    read = [(doc_id, *_read_file(path, doc_id)) for path, doc_id in files]
    usable = [(stat, document) for _, stat, document, _ in read if document is not None]
    analyzed = iter(analyze_documents([d for _, d in usable], analyzer, [s for s, _ in usable]))
    return [FileResult(doc_id, stat, next(analyzed) if document is not None else None, warnings)
            for doc_id, stat, document, warnings in read]


_worker_analyzer: Analyzer | None = None


def _init_worker() -> None:
    global _worker_analyzer
    _worker_analyzer = Analyzer()
    logging.getLogger("retrieval").setLevel(logging.CRITICAL + 1)  # warnings come back in each FileResult


def _index_chunk(chunk: list[tuple[str, str]]) -> _Packed:
    assert _worker_analyzer is not None
    return _pack(_index_files(chunk, _worker_analyzer))


#: The arrays of an :class:`~retrieval.segments.AnalyzedDocument` that :func:`_pack` concatenates.
_COLUMNS = ("spans", "passages", "lengths", "tids", "tfs", "distinct", "sent_tids", "sent_distinct")
#: A chunk's results as a worker sends them back (see :func:`_pack`).
_Packed = tuple[list[Any], list[Any], dict[str, npt.NDArray[Any]]]


def _pack(results: Sequence[FileResult]) -> _Packed:
    """``results`` as a few arrays for the trip to the parent process: each document's arrays
    concatenated with the others' (plus their lengths), file versions as tuples, one vocabulary.

    Pickling a chunk's small arrays and dataclasses one by one cost about as much as a tenth of the
    indexing itself, on both sides. :func:`_unpack` gives back equal results (the arrays as views).
    """
    analyzed = [r.analyzed for r in results if r.analyzed is not None]
    heads = [(r.doc_id, None if r.stat is None else (r.stat.size, r.stat.mtime, r.stat.digest), r.warnings,
              r.analyzed is not None) for r in results]
    vocabs = list({id(a.vocab): a.vocab for a in analyzed}.values())  # one per chunk (analyzed together)
    where = {id(v): i for i, v in enumerate(vocabs)}
    arrays: dict[str, npt.NDArray[Any]] = {}
    if analyzed:
        for name in _COLUMNS:
            parts = [getattr(a, name) for a in analyzed]
            arrays[name] = np.concatenate(parts)
            arrays[f"{name}_n"] = np.array([len(part) for part in parts], dtype=np.int64)
        arrays["vocab"] = np.array([where[id(a.vocab)] for a in analyzed], dtype=np.int64)
        docs: list[Any] = [[a.document for a in analyzed], vocabs]
    else:
        docs = [[], vocabs]
    return heads, docs, arrays


def _unpack(packed: _Packed) -> list[FileResult]:
    """The results :func:`_pack` packed, equal to the original ones."""
    heads, (documents, vocabs), arrays = packed
    columns: dict[str, list[npt.NDArray[Any]]] = {}
    if documents:
        for name in _COLUMNS:
            whole = arrays[name]
            ends = np.cumsum(arrays[f"{name}_n"]).tolist()
            columns[name] = [whole[a:b] for a, b in zip([0] + ends[:-1], ends)]
    vocab_of = arrays["vocab"].tolist() if documents else []
    out: list[FileResult] = []
    k = 0
    for doc_id, stat, warnings, usable in heads:
        file_stat = None if stat is None else FileStat(*stat)
        analyzed = None
        if usable:
            analyzed = AnalyzedDocument(documents[k], file_stat, columns["spans"][k], columns["passages"][k],
                                        columns["lengths"][k], vocabs[vocab_of[k]], columns["tids"][k],
                                        columns["tfs"][k], columns["distinct"][k], columns["sent_tids"][k],
                                        columns["sent_distinct"][k])
            k += 1
        out.append(FileResult(doc_id, file_stat, analyzed, warnings))
    return out


def workers() -> int:
    """Processes to index with: the CPUs this process may use (``SEEDBOT_WORKERS`` overrides)."""
    configured = os.environ.get("SEEDBOT_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _is_default(analyzer: Analyzer) -> bool:
    default = Analyzer()
    probe = "The U.S. reports' cafés: Running runners ran 45-page reports, didn't they?"
    return type(analyzer) is Analyzer and analyzer(probe) == default(probe)


def analyze_files(files: Sequence[tuple[str | Path, str]], analyzer: Analyzer,
                  progress: Progress | None = None) -> Iterator[FileResult]:
    """Read and analyze ``files`` (``(path, document id)``), yielding one :class:`FileResult` each, in order.

    Uses a pool of :func:`workers` processes when there are at least :data:`POOL_MIN_FILES` files or
    :data:`POOL_MIN_BYTES` bytes and the analyzer is the default one (a worker builds its own); otherwise
    works in this process. Warnings are logged here, once each.
    """
    total = len(files)
    done = passages = 0
    size = 0
    for path, _ in files[:POOL_MIN_FILES]:
        try:
            size += os.stat(path).st_size
        except OSError:
            pass
    n_workers = workers()
    pooled = n_workers > 1 and (total >= POOL_MIN_FILES or size >= POOL_MIN_BYTES) and total > 1 \
        and _is_default(analyzer)

    def report(result: FileResult) -> FileResult:
        nonlocal done, passages
        done += 1
        passages += len(result.analyzed.lengths) if result.analyzed else 0
        if progress is not None:
            progress(done, total, passages)
        return result

    if not pooled:
        yield from map(report, _in_process(files, analyzer))
        return
    from concurrent.futures.process import BrokenProcessPool

    given = 0  # results yielded so far: after a broken pool, the rest is indexed here
    try:
        for result in _pooled(files, n_workers):
            given += 1
            yield report(result)
    except BrokenProcessPool as error:
        log.warning("The indexing processes stopped (%s); indexing the remaining files in this process.", error)
        yield from map(report, _in_process(files[given:], analyzer))


def _in_process(files: Sequence[tuple[str | Path, str]], analyzer: Analyzer) -> Iterator[FileResult]:
    """:func:`_index_files` over ``files`` in this process, a chunk at a time."""
    for i in range(0, len(files), CHUNK):
        yield from _index_files(files[i:i + CHUNK], analyzer)


#: Modules a worker needs, imported once by the fork server that the workers are forked from.
_WORKER_MODULES = ["retrieval.indexing", "retrieval.formats.text", "retrieval.formats.encoding"]


def worker_context() -> Any:
    """The multiprocessing context indexing workers start from (see :func:`_context`)."""
    import multiprocessing

    return _context(multiprocessing)


def _context(multiprocessing: Any) -> Any:
    """How workers start: forked from a fork server (a fresh single-threaded process that has imported the
    workers' modules once, so each worker starts at once) where the platform has one, else spawned.

    Never a plain fork of this process, which may run threads (the bot).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_WORKER_MODULES)
        return context
    return multiprocessing.get_context("spawn")


def _pooled(files: Sequence[tuple[str | Path, str]], n_workers: int) -> Iterator[FileResult]:
    """:func:`_index_files` over ``files`` on ``n_workers`` processes, a chunk each, in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing's import: only when a pool is used

    total = len(files)
    chunk = max(1, min(CHUNK, total // (n_workers * 4) or 1))
    chunks = [[(str(p), d) for p, d in files[i:i + chunk]] for i in range(0, total, chunk)]
    started = time.perf_counter()
    context = _context(multiprocessing)
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=_init_worker) as pool:
        # A bounded window of chunks in flight, results in order: finished results never pile up on the
        # heap while this process is busy turning a batch into a segment.
        pending: deque[Future[_Packed]] = deque()
        queued = iter(chunks)
        for chunk_ in islice(queued, IN_FLIGHT * n_workers):
            pending.append(pool.submit(_index_chunk, chunk_))
        while pending:
            results = _unpack(pending.popleft().result())
            for chunk_ in islice(queued, 1):
                pending.append(pool.submit(_index_chunk, chunk_))
            for result in results:
                for warning in result.warnings:
                    log.warning("%s", warning)
                yield result
    log.debug("Indexed %d files on %d processes in %.2f s", total, n_workers, time.perf_counter() - started)
