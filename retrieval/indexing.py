"""Indexing documents: split into sentences, analyze, group into passages; in parallel over files.

:func:`analyze_document` is the one place a document becomes index material (the same for a fresh build, an
incremental update and the saved index). :func:`analyze_files` reads and analyzes files, on a pool of
processes when there is enough work to pay for it, and reports progress.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyzer import Analyzer
from .documents import Document, read_document
from .passages import make_passages
from .segments import AnalyzedDocument, FileStat
from .sentences import split_sentences

__all__ = ["FileResult", "Progress", "analyze_document", "analyze_files", "file_stat", "workers"]

log = logging.getLogger(__name__)

#: Files below which a pool of processes costs more (start-up, imports) than it saves.
POOL_MIN_FILES = 200
POOL_MIN_BYTES = 4_000_000
#: Files per task sent to a worker, and tasks per worker in flight at once.
CHUNK = 64
IN_FLIGHT = 3

#: ``progress(files_done, files_total, passages_done)``, called as files are indexed.
Progress = Callable[[int, int, int], None]


def analyze_document(document: Document, analyzer: Analyzer, stat: FileStat | None = None) -> AnalyzedDocument:
    """Split ``document`` into sentences and passages and analyze each passage into postings.

    A passage's terms are its sentences' terms in order (its BM25 length is their count), exactly what an
    index built from the passages' term lists holds.
    """
    text = document.text
    # Only the quotable regions: never a code block.
    spans = [span for start, end in document.quotable_regions() for span in split_sentences(text, start, end)]
    term_lists = [analyzer(text[s:e]) for s, e in spans]
    words = [len(text[s:e].split()) for s, e in spans]
    passages = make_passages(0, spans, words)
    terms: list[str] = []
    tfs: list[int] = []
    distinct: list[int] = []
    lengths: list[int] = []
    for passage in passages:
        counted = Counter(t for i in range(passage.first, passage.last + 1) for t in term_lists[i])
        terms.extend(counted)
        tfs.extend(counted.values())
        distinct.append(len(counted))
        lengths.append(sum(len(term_lists[i]) for i in range(passage.first, passage.last + 1)))
    return AnalyzedDocument(
        document, stat, np.asarray(spans, dtype=np.int64).reshape(-1, 2),
        np.asarray([(p.first, p.last, p.start, p.end) for p in passages], dtype=np.int64).reshape(-1, 4),
        lengths, terms, tfs, distinct)


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


def _index_file(path: Path, doc_id: str, analyzer: Analyzer) -> FileResult:
    warnings: list[str] = []
    try:
        size, mtime = file_stat(path)
        raw = path.read_bytes()
    except OSError:
        stat = None
    else:
        stat = FileStat(size, mtime, digest(raw))
    document = read_document(path, doc_id, warnings)
    if document is None:
        return FileResult(doc_id, stat, None, warnings)
    return FileResult(doc_id, stat, analyze_document(document, analyzer, stat), warnings)


_worker_analyzer: Analyzer | None = None


def _init_worker() -> None:
    global _worker_analyzer
    _worker_analyzer = Analyzer()
    logging.getLogger("retrieval").setLevel(logging.CRITICAL + 1)  # warnings come back in each FileResult


def _index_chunk(chunk: list[tuple[str, str]]) -> list[FileResult]:
    assert _worker_analyzer is not None
    return [_index_file(Path(p), doc_id, _worker_analyzer) for p, doc_id in chunk]


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


def analyze_files(files: Sequence[tuple[Path, str]], analyzer: Analyzer,
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
            size += path.stat().st_size
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
        for path, doc_id in files:
            yield report(_index_file(path, doc_id, analyzer))
        return
    from concurrent.futures.process import BrokenProcessPool

    given = 0  # results yielded so far: after a broken pool, the rest is indexed here
    try:
        for result in _pooled(files, n_workers):
            given += 1
            yield report(result)
    except BrokenProcessPool as error:
        log.warning("The indexing processes stopped (%s); indexing the remaining files in this process.", error)
        for path, doc_id in files[given:]:
            yield report(_index_file(path, doc_id, analyzer))


def _pooled(files: Sequence[tuple[Path, str]], n_workers: int) -> Iterator[FileResult]:
    """:func:`_index_file` over ``files`` on ``n_workers`` processes, in order."""
    import multiprocessing

    total = len(files)
    chunk = max(1, min(CHUNK, total // (n_workers * 4) or 1))
    chunks = [[(str(p), d) for p, d in files[i:i + chunk]] for i in range(0, total, chunk)]
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # never fork a process that runs threads (the bot)
    with ProcessPoolExecutor(n_workers, mp_context=context, initializer=_init_worker) as pool:
        # A bounded window of chunks in flight, results in order: finished results never pile up on the
        # heap while this process is busy turning a batch into a segment.
        pending: deque[Future[list[FileResult]]] = deque()
        queued = iter(chunks)
        for chunk_ in islice(queued, IN_FLIGHT * n_workers):
            pending.append(pool.submit(_index_chunk, chunk_))
        while pending:
            results = pending.popleft().result()
            for chunk_ in islice(queued, 1):
                pending.append(pool.submit(_index_chunk, chunk_))
            for result in results:
                for warning in result.warnings:
                    log.warning("%s", warning)
                yield result
    log.debug("Indexed %d files on %d processes in %.2f s", total, n_workers, time.perf_counter() - started)
