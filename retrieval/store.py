"""The saved index: segments on disk in ``INDEX_DIR``, kept in step with the documents folder.

Layout of ``INDEX_DIR``::

    manifest.json      format version, the settings that shape the index, the live segments and their
                       deleted documents (tombstones), the per-file warnings, when it was updated
    seg-<n>-<rand>/    one segment (:mod:`retrieval.segments`): .npy arrays, memory-mapped when read
    lock               taken (``filelock``) by whoever reads or writes the manifest

An update (:meth:`IndexStore.update`) stats every file of the folder; a file whose size and modification
time match the index costs nothing more; otherwise its bytes are hashed, and only when the hash differs is
it read, split and analyzed again, into a new segment, its old version becoming a tombstone. Deleted files
become tombstones. The segments one update writes (a first build writes one per batch of passages) are
joined into one (:mod:`retrieval.merging`), small segments are merged, and a segment whose documents are
mostly deleted is rewritten, so segments stay few.

Writes are atomic: a segment is written into a temporary folder, each file fsynced, then renamed; the
manifest is written aside, fsynced and renamed over the old one (``os.replace``), then the folder is
fsynced. A process killed at any point leaves either the old manifest or the new one, each pointing at
complete segments; leftovers are removed by the next writer. A manifest that is missing, unreadable, of
another format or version, or that points at a damaged segment makes the next start rebuild, with one
warning; a change of the settings (analyzer, k1, b, passage sizes, sentence splitter) makes it rebuild with
one line saying what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from . import passages as passages_module
from . import sentences as sentences_module
from . import zipf
from .analyzer import Analyzer
from .corpus import Snapshot
from .documents import no_documents_message, scan_files
from .errors import NoDocumentsError, SeedsFolderNotFound
from .index import DEFAULT_B, DEFAULT_K1
from .indexing import POOL_MIN_FILES, Progress, analyze_files, digest, worker_context, workers
from .merging import concatenable, concatenate
from .segments import (
    AnalyzedDocument,
    Segment,
    SegmentError,
    build_segment,
    fsync_folder,
    merge_segments,
    open_segment,
    write_segment,
)

__all__ = ["DEFAULT_INDEX_DIR", "FORMAT", "FORMAT_VERSION", "IndexStore", "UpdateReport", "index_location"]

log = logging.getLogger(__name__)

FORMAT = "seedbot-index"
#: Bumped whenever the layout of the manifest or of a segment changes, or what is stored in it (5: each
#: Markdown table row is a sentence of its own).
FORMAT_VERSION = 5
#: Default ``INDEX_DIR``: a hidden folder in the working directory (git-ignored).
DEFAULT_INDEX_DIR = Path(".seedbot-index")
MANIFEST = "manifest.json"
#: Most segments kept before the smallest are merged.
MAX_SEGMENTS = 8
#: A segment with more than this share of its documents deleted is rewritten.
MAX_DELETED_SHARE = 0.3
#: Passages analyzed before they are turned into a segment (bounds the heap while building).
BATCH_PASSAGES = 200_000
#: Seconds to wait for another process's update before giving up on the saved index.
LOCK_TIMEOUT = 600.0
#: A file modified less than this before the last update looked at it may have changed again within the
#: file system's time granularity: its bytes are checked even when size and time match ("racy git").
RACY_NS = 2_000_000_000

_PROBE = ("The U.S. Sec. Dr. Smith's reports: Running runners ran 45-page reports, didn't they? Café "
          "ﬁnance, Straße, 3.5% of $1,200; «quoted» — e-mail https://example.com/a?b=c.")


def index_location(index_dir: str | Path, seeds_dir: str | Path) -> Path:
    """Where the index for ``seeds_dir`` lives: ``index_dir``, unless that is inside the documents folder
    (where it would be read as documents), in which case a hidden folder next to the documents folder,
    with a warning saying so."""
    wanted = Path(index_dir).resolve()
    seeds = Path(seeds_dir).resolve()
    if wanted == seeds or seeds in wanted.parents:
        moved = seeds.parent / f".seedbot-index-{seeds.name or 'seeds'}"
        log.warning("INDEX_DIR %s is inside the documents folder %s; keeping the index in %s instead. Set "
                    "INDEX_DIR to a folder outside SEEDS_DIR.", wanted, seeds, moved)
        return moved
    return wanted


def settings_fingerprint(analyzer: Analyzer, k1: float, b: float, seeds_dir: Path) -> dict[str, Any]:
    """What shapes the saved index; any difference means it must be rebuilt."""
    def source(module: Any) -> str:
        try:
            return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:16]
        except OSError:  # pragma: no cover
            return "unknown"

    from . import documents as documents_module

    return {
        "analyzer": hashlib.sha256(json.dumps([type(analyzer).__qualname__, analyzer(_PROBE)]).encode()).hexdigest()[:16],
        "stop words": hashlib.sha256(" ".join(sorted(getattr(analyzer, "stop_words", ()))).encode()).hexdigest()[:16],
        "stemmer": bool(getattr(analyzer, "stem", True)),
        "k1": k1,
        "b": b,
        "passage sizes": [passages_module.MIN_WORDS, passages_module.TARGET_WORDS, passages_module.MAX_WORDS],
        "sentence splitter": source(sentences_module),
        "document loader": hashlib.sha256("".join(
            [source(documents_module)] + [hashlib.sha256(f.read_bytes()).hexdigest()
                                          for f in sorted((Path(__file__).parent / "formats").glob("*.py"))]
        ).encode()).hexdigest()[:16],  # retrieval/formats/ (PDF, HTML, DOCX readers) when present
        "documents folder": str(seeds_dir),
    }


class UnusableIndex(Exception):
    """The saved index cannot be used (the message says why)."""


@dataclass
class UpdateReport:
    """What an update did: counts of files ``added``, ``changed``, ``deleted`` and ``unchanged``,
    ``passages`` indexed, ``seconds`` taken, and whether it ``rebuilt`` everything (and ``why``)."""

    added: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
    passages: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    why: str = ""

    @property
    def changed_anything(self) -> bool:
        """True when some document was added, changed or deleted."""
        return bool(self.added or self.changed or self.deleted or self.rebuilt)


@dataclass
class _State:
    """The manifest, read."""

    generation: int = 0
    updated_at: str | None = None
    segments: list[Segment] = field(default_factory=list)
    deleted: list[set[int]] = field(default_factory=list)
    #: Files that did not load: id -> [size, mtime, warnings].
    skipped: dict[str, list[Any]] = field(default_factory=dict)
    #: Warnings of loaded files: id -> lines.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    #: Files whose time changed but whose bytes did not: id -> [size, mtime].
    touched: dict[str, list[int]] = field(default_factory=dict)
    #: When the last update began to look at the files (ns since the epoch).
    scanned_ns: int = 0


class IndexStore:
    """The saved index of one documents folder.

    Parameters
    ----------
    index_dir:
        The ``INDEX_DIR`` folder (created when missing). Relocated next to the documents folder when it
        is inside it (see :func:`index_location`).
    seeds_dir:
        The documents folder.
    analyzer, k1, b:
        The index's settings; the saved index is rebuilt when they differ from those it was built with.

    Raises
    ------
    SeedsFolderNotFound
        ``seeds_dir`` is not a folder.
    """

    def __init__(self, index_dir: str | Path, seeds_dir: str | Path, analyzer: Analyzer | None = None,
                 k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> None:
        self.seeds = Path(seeds_dir)
        if not self.seeds.is_dir():
            raise SeedsFolderNotFound(f"The documents folder {str(self.seeds)!r} does not exist or is not a folder.")
        self.root = index_location(index_dir, self.seeds)
        self.analyzer = analyzer or Analyzer()
        self.k1, self.b = k1, b
        self.settings = settings_fingerprint(self.analyzer, k1, b, self.seeds.resolve())
        self._lock: FileLock | None = None
        self._zipf_job: Any = None  # the process making the word-frequency table (a first build)

    # -- reading ----------------------------------------------------------------------------------------

    def _read(self) -> _State:
        """The saved state; raises UnusableIndex saying why it cannot be used."""
        path = self.root / MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            if any(p.is_dir() for p in self.root.glob("seg-*")):
                raise UnusableIndex("its manifest is missing") from None  # segments without one: damaged
            raise UnusableIndex("") from None  # a first run
        except (OSError, ValueError) as error:
            raise UnusableIndex(f"its manifest is unreadable ({error})") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise UnusableIndex("it is not a seedbot index")
        if manifest.get("version") != FORMAT_VERSION:
            raise UnusableIndex(f"it was saved in format {manifest.get('version')}, this version reads "
                              f"{FORMAT_VERSION}")
        saved = manifest.get("settings", {})
        if saved != self.settings:
            changed = sorted(k for k in set(saved) | set(self.settings) if saved.get(k) != self.settings.get(k))
            raise UnusableIndex(f"the settings that shape it changed ({', '.join(changed)})")
        state = _State(int(manifest.get("generation", 0)), manifest.get("updated_at"))
        try:
            for entry in manifest["segments"]:
                state.segments.append(open_segment(self.root / entry["name"]))
                state.deleted.append({int(d) for d in entry.get("deleted", [])})
            state.skipped = dict(manifest.get("skipped", {}))
            state.warnings = dict(manifest.get("warnings", {}))
            state.touched = dict(manifest.get("touched", {}))
            state.scanned_ns = int(manifest.get("scanned_ns", 0))
        except SegmentError as error:
            raise UnusableIndex(f"a segment is damaged ({error})") from error
        except (KeyError, TypeError, ValueError) as error:
            raise UnusableIndex(f"its manifest is damaged ({error!r})") from error
        for seg, dead in zip(state.segments, state.deleted):
            if any(not 0 <= d < seg.n_docs for d in dead):
                raise UnusableIndex("its manifest is damaged (a deletion outside its segment)")
        return state

    def _lock_file(self) -> FileLock:
        if self._lock is None:
            self._lock = FileLock(str(self.root / "lock"), timeout=LOCK_TIMEOUT)
        return self._lock

    # -- the one entry point ----------------------------------------------------------------------------

    def update(self, progress: Progress | None = None) -> tuple[Snapshot, list[str], dt.datetime, UpdateReport]:
        """Bring the saved index in step with the folder and open it.

        Returns
        -------
        tuple
            The snapshot, the load warnings (one line per problem file), when the index was last updated
            (UTC) and what this update did.

        Raises
        ------
        NoDocumentsError
            No file of the folder can be used.
        OSError
            ``INDEX_DIR`` cannot be created or written.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        lock = self._lock_file()
        try:
            lock.acquire(timeout=1.0)
        except Timeout:
            log.info("Waiting for another process that is updating the index in %s", self.root)
            lock.acquire()
        self._zipf_job = None
        try:
            found = self._update(progress)
        finally:
            lock.release()
            if self._zipf_job is not None:
                self._zipf_job.join()
        zipf.use_folder(self.root)
        return found

    def retriever(self, progress: Progress | None = None) -> Any:
        """:meth:`update`, as a :class:`retrieval.Retriever`."""
        from .retriever import Retriever

        snapshot, warnings, updated, _ = self.update(progress)
        return Retriever.from_snapshot(snapshot, warnings, updated)

    def _update(self, progress: Progress | None) -> tuple[Snapshot, list[str], dt.datetime, UpdateReport]:
        started = time.perf_counter()
        report = UpdateReport()
        try:
            state = self._read()
        except UnusableIndex as problem:
            state = _State()
            report.rebuilt = True
            report.why = str(problem)
            if not problem.args[0]:
                log.info("Building the index of %s in %s (first run).", self.seeds, self.root)
            else:  # one line saying why (the settings that shape it changed, or it is damaged)
                log.warning("Rebuilding the index in %s: %s.", self.root, problem)
        scanned_ns = time.time_ns()
        folder_warnings: list[str] = []  # unreadable folders, dangling links, link loops
        files = scan_files(self.seeds, folder_warnings)
        indexed: dict[str, tuple[int, int]] = {}  # live id -> (segment, local number)
        stats: list[tuple[list[int], list[int]]] = []
        for s, seg in enumerate(state.segments):
            dead = state.deleted[s]
            stats.append((seg.arrays["size"].tolist(), seg.arrays["mtime"].tolist()))
            ids = seg.ids.all()
            if not dead:
                indexed.update(zip(ids, zip([s] * len(ids), range(len(ids)))))
            else:
                for d, doc_id in enumerate(ids):
                    if d not in dead:
                        indexed[doc_id] = (s, d)
        todo: list[tuple[str | Path, str]] = []
        touched: dict[str, list[int]] = {}
        skipped: dict[str, list[Any]] = {}
        racy_ns = state.scanned_ns - RACY_NS
        rechecked = 0  # racily clean files whose bytes were found unchanged, and that will not be racy again
        for path, doc_id, size, mtime in files:
            if size < 0:  # cannot be stat-ed: reading it says why
                todo.append((path, doc_id))
                continue
            where = indexed.get(doc_id)
            if where is not None:
                s, d = where
                known = state.touched.get(doc_id)
                if known is None:
                    sizes, mtimes = stats[s]
                    same = size == sizes[d] and mtime == mtimes[d]
                else:
                    same = size == known[0] and mtime == known[1]
                if same and mtime < racy_ns:
                    if known is not None:
                        touched[doc_id] = list(known)
                    report.unchanged += 1
                    continue
                saved = state.segments[s].stat(d)
                if size == saved.size and _same_bytes(path, saved.digest):
                    # The bytes are the same: only the time changed, or the file was modified about when it
                    # was last read (racily clean, as git calls it) and is not any more.
                    if known is not None or not same:
                        touched[doc_id] = [size, mtime]
                    rechecked += same and mtime < scanned_ns - RACY_NS  # not racy at the next start
                    report.unchanged += 1
                    continue
                report.changed += 1
            elif (doc_id in state.skipped and state.skipped[doc_id][:2] == [size, mtime]
                  and mtime < racy_ns):
                skipped[doc_id] = state.skipped[doc_id]
                report.unchanged += 1
                continue
            else:
                report.added += 1
            todo.append((path, doc_id))
        seen = {doc_id for _, doc_id, _, _ in files}
        gone = [doc_id for doc_id in indexed if doc_id not in seen]
        report.deleted = len(gone)
        deleted = [set(d) for d in state.deleted]
        for doc_id in gone:
            s, d = indexed[doc_id]
            deleted[s].add(d)
        warnings = {k: v for k, v in state.warnings.items() if k in seen}
        segments = list(state.segments)
        generation = state.generation
        fresh: list[AnalyzedDocument] = []
        batch = 0

        def flush() -> None:
            # A batch of analyzed documents becomes a segment at once, so the heap never holds the term
            # lists of more than BATCH_PASSAGES passages.
            nonlocal generation, batch
            if fresh:
                generation += 1
                fresh.sort(key=lambda a: a.document.id)
                # Written at once and read back memory-mapped: the heap holds one batch, not the whole
                # build (nothing points at it until the manifest does; an unused one is removed then).
                segments.append(self._write(build_segment(fresh, name=self._new_name(generation))))
                deleted.append(set())
                fresh.clear()
                batch = 0

        for result in analyze_files(todo, self.analyzer, progress) if todo else ():
            where = indexed.get(result.doc_id)
            if where is not None:
                deleted[where[0]].add(where[1])
            warnings.pop(result.doc_id, None)
            if result.analyzed is None:
                stat = result.stat
                skipped[result.doc_id] = [stat.size if stat else -1, stat.mtime if stat else -1, result.warnings]
            else:
                fresh.append(result.analyzed)
                batch += len(result.analyzed.lengths)
                report.passages += len(result.analyzed.lengths)
                if result.warnings:
                    warnings[result.doc_id] = result.warnings
                if batch >= BATCH_PASSAGES:
                    flush()
        if len(todo) >= POOL_MIN_FILES and workers() > 1:
            # A big build: the word-frequency table the first answer needs is made on the other core while
            # this process turns the batch into a segment (see zipf.save_aside).
            self._zipf_job = zipf.save_aside(self.root, worker_context())
        flush()
        if not any(seg.n_docs - len(dead) for seg, dead in zip(segments, deleted)):
            reasons = [entry[2][0] if entry[2] else f"{doc_id}: nothing in it can be quoted"
                       for doc_id, entry in sorted(skipped.items())]
            raise NoDocumentsError(no_documents_message(self.seeds, len(files), reasons))
        changed = (report.changed_anything or touched != state.touched or skipped != state.skipped
                   or warnings != state.warnings)
        updated = state.updated_at
        if changed:
            segments, deleted, generation = self._compact(segments, deleted, generation,
                                                          built=len(segments) - len(state.segments))
            updated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            self._commit(segments, deleted, generation, updated, skipped, warnings, touched, scanned_ns)
        elif rechecked:
            # Only racily clean files, found unchanged: record this scan's time, so the next start trusts
            # their size and time instead of hashing them again (git's fix for the same race). The index
            # itself did not change, nor does the time it was last updated.
            self._commit(segments, deleted, generation,
                         updated or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), skipped, warnings,
                         touched, scanned_ns)
        report.seconds = time.perf_counter() - started
        snapshot = Snapshot(segments, [sorted(d) for d in deleted], self.analyzer, self.k1, self.b)
        lines = folder_warnings + [line for doc_id in sorted(set(warnings) | set(skipped))
                                   for line in (warnings.get(doc_id) or skipped[doc_id][2])]
        when = dt.datetime.fromisoformat(updated) if updated else dt.datetime.now(dt.timezone.utc)
        return snapshot, lines, when, report

    def _new_name(self, generation: int) -> str:
        return f"seg-{generation:06d}-{secrets.token_hex(4)}"

    def _compact(self, segments: list[Segment], deleted: list[set[int]], generation: int,
                 built: int = 0) -> tuple[list[Segment], list[set[int]], int]:
        """Join the ``built`` segments this update wrote (the last ones) into one, merge the smallest
        segments while there are too many, and rewrite mostly deleted ones."""
        if built > 1:
            segments, deleted, generation = self._concatenate(segments, deleted, generation, built)
        keep = [(seg, dead) for seg, dead in zip(segments, deleted) if len(dead) < seg.n_docs]
        merge = [(seg, dead) for seg, dead in keep if seg.n_docs and len(dead) / seg.n_docs > MAX_DELETED_SHARE]
        rest = sorted((x for x in keep if all(x[0] is not m[0] for m in merge)),
                      key=lambda x: x[0].n_docs - len(x[1]))
        while len(rest) + (1 if merge else 0) > MAX_SEGMENTS:
            merge.append(rest.pop(0))
        if len(merge) == 1 and not merge[0][1]:
            rest.append(merge.pop())
        if merge:
            generation += 1
            picks = [(doc_id, s, d) for s, (seg, dead) in enumerate(merge)
                     for d, doc_id in enumerate(seg.ids.all()) if d not in dead]
            picks.sort()  # a segment's documents are in id order, as a fresh build numbers them
            merged = self._write(merge_segments([seg for seg, _ in merge], [(s, d) for _, s, d in picks],
                                                self._new_name(generation)))
            rest.append((merged, set()))
        return [seg for seg, _ in rest], [dead for _, dead in rest], generation

    def _concatenate(self, segments: list[Segment], deleted: list[set[int]], generation: int,
                     built: int) -> tuple[list[Segment], list[set[int]], int]:
        """The last ``built`` segments as one (a build's batches, :mod:`retrieval.merging`) when they can be."""
        new = segments[-built:]
        if not concatenable([seg.ids[0] for seg in new], [seg.ids[seg.n_docs - 1] for seg in new],
                            [len(dead) for dead in deleted[-built:]]):
            return segments, deleted, generation
        generation += 1
        name = self._new_name(generation)
        temporary = self.root / f"tmp-{name}"
        shutil.rmtree(temporary, ignore_errors=True)
        concatenate([self.root / seg.name for seg in new], temporary)
        os.replace(temporary, self.root / name)
        return segments[:-built] + [open_segment(self.root / name)], deleted[:-built] + [set()], generation

    def _write(self, segment: Segment) -> Segment:
        """Write ``segment`` into its folder (aside, then renamed) and open it memory-mapped."""
        folder = self.root / segment.name
        temporary = self.root / f"tmp-{segment.name}"
        shutil.rmtree(temporary, ignore_errors=True)
        write_segment(segment, temporary)
        os.replace(temporary, folder)
        return open_segment(folder)

    def _commit(self, segments: list[Segment], deleted: list[set[int]], generation: int, updated: str,
                skipped: dict[str, list[Any]], warnings: dict[str, list[str]], touched: dict[str, list[int]],
                scanned_ns: int) -> None:
        """Write the new segments, then the manifest (atomically), then remove what nothing points at."""
        for seg in segments:
            if not (self.root / seg.name).exists():
                self._write(seg)
        fsync_folder(self.root)
        manifest = {
            "format": FORMAT, "version": FORMAT_VERSION, "settings": self.settings, "generation": generation,
            "updated_at": updated,
            "segments": [{"name": seg.name, "docs": seg.n_docs, "deleted": sorted(dead)}
                         for seg, dead in zip(segments, deleted)],
            "skipped": skipped, "warnings": warnings, "touched": touched, "scanned_ns": scanned_ns,
        }
        aside = self.root / f"{MANIFEST}.tmp"
        with open(aside, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(aside, self.root / MANIFEST)
        fsync_folder(self.root)
        live = {seg.name for seg in segments}
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name not in live and entry.name.startswith(("seg-", "tmp-")):
                shutil.rmtree(entry, ignore_errors=True)  # a reader that mapped it keeps its pages


def _same_bytes(path: str | Path, expected: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read()) == expected
    except OSError:
        return False


def files_of(snapshot: Snapshot) -> Sequence[str]:
    """The document ids of a snapshot, in its order."""
    return [d.id for d in snapshot.documents]
