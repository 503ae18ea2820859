"""A snapshot of the indexed documents: what :class:`retrieval.Retriever` reads, built over segments.

:class:`Snapshot` joins one or more :class:`~retrieval.segments.Segment` objects, minus their deleted
documents (tombstones), into the containers answers read: ``documents[i]``, ``passages[p]``,
``sentences[doc]`` (``spans``, ``terms``, ``chars``) and a :class:`~retrieval.index.BM25Index` whose
passage numbers are ``passages``' positions. A snapshot never changes; an update builds a new one and the
front end swaps it in, so an answer in flight finishes on the snapshot it started with.

Only what answering needs is on the heap: passage offsets, lengths and per-document numbers. Document text
is decoded from the (memory-mapped) segment when a document is read, and a sentence's terms are analyzed
the first time an excerpt needs them (both cached, bounded).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from bisect import bisect_left
from typing import Any, Generic, TypeVar, overload

import numpy as np
import numpy.typing as npt

from .analyzer import Analyzer
from .documents import Document
from .index import BM25Index, Postings
from .passages import Passage
from .segments import Segment
from .structure import (NOT_PROSE_START, SentenceStructure, _headings_above, _is_heading, _is_opening_title,
                        _is_prose, _section_headings)
from .termcache import term_cache

__all__ = ["NOT_PROSE_START", "DocumentSentences", "Snapshot", "excerpt_terms"]

#: Documents whose decoded text, and whose sentence tables, stay cached.
DOCUMENT_CACHE = 2048
SENTENCE_CACHE = 20_000

#: A document's stored sentence terms: ``(off, tids, vocab)``, sentence ``i``'s distinct terms are
#: ``vocab[t]`` for ``t`` in ``tids[off[i] - off[0]:off[i + 1] - off[0]]`` (see
#: :meth:`retrieval.segments.Segment.sentence_terms`).
StoredTerms = tuple[Sequence[int], npt.NDArray[np.int32], Sequence[str]]

K = TypeVar("K")
V = TypeVar("V")


class _LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self.lock:
            self.items[key] = value
            if len(self.items) > self.size:
                self.items.popitem(last=False)
            return value


def excerpt_terms(text: str, spans: Sequence[tuple[int, int]], term_lists: Sequence[list[str]]
                  ) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Per-sentence term sets for excerpt choice, and the terms of each sentence's section heading.

    A heading is a title, not an answer: it is never quoted (its term set is empty). Its terms are the
    *section* of every prose sentence below it, up to the next heading (not of an image, link, code or rule
    line), so "Where is the moon base?" can quote a sentence under ``# Moon base`` that never says "moon
    base". :class:`DocumentSentences` gives the same sets lazily.
    """
    above = _headings_above(text, spans)
    sets = [frozenset() if above[i] == -2 else frozenset(t) for i, t in enumerate(term_lists)]
    sections = [frozenset(term_lists[h]) if h >= 0 and _is_prose(text, spans[i], term_lists[i]) else frozenset()
                for i, h in enumerate(above)]
    return sets, sections


class _SentenceTerms:
    """One document's sentences analyzed on first use, shared by its :class:`_LazyTerms` views: each
    sentence's own term set (analyzed once, with :class:`~retrieval.termcache.TermCache`) and where the
    headings are (:meth:`above`: ``_headings_above(text, spans)[i]``).

    The headings too are found on demand: whether a sentence is one is a look at that sentence alone (what
    its term set needs); the nearest heading above one (what its section needs) comes from the list of
    the document's headings, made on first need from the sentences that start a line (found from the
    text's newlines, not by a look at every sentence) and are short enough to be one."""

    __slots__ = ("text", "spans", "analyze", "own", "stored", "_above", "_heading", "_headings")

    def __init__(self, text: str, spans: list[tuple[int, int]], analyzer: Analyzer,
                 above: list[int] | None = None, stored: StoredTerms | None = None) -> None:
        self.text, self.spans = text, spans
        self.stored = stored
        self._above = above  # every sentence's, when given
        self.analyze = term_cache(analyzer)
        self.own: list[frozenset[str] | None] = [None] * len(spans)
        self._heading: dict[int, bool] = {}  # sentence -> whether it is a heading
        self._headings: list[int] | None = None  # every heading, in order (found on first need)

    def terms(self, i: int) -> frozenset[str]:
        """The set of sentence ``i``'s own index terms (a heading's too)."""
        found = self.own[i]
        if found is None:
            if self.stored is not None:  # the index's own analysis of the sentence, in the same order
                off, tids, vocab = self.stored
                base = off[0]
                found = frozenset(map(vocab.__getitem__, tids[off[i] - base:off[i + 1] - base].tolist()))
            else:
                s, e = self.spans[i]
                found = self.analyze.term_set(self.text[s:e])
            self.own[i] = found
        return found

    def is_heading(self, i: int) -> bool:
        """Whether sentence ``i`` is a heading (see :func:`_headings_above`)."""
        if self._above is not None:
            return self._above[i] == -2
        found = self._heading.get(i)
        if found is None:
            text, span = self.text, self.spans[i]
            s = span[0]
            found = (s == 0 or text[s - 1] == "\n" or text.startswith("#", s)) and (
                _is_heading(text, span) or (i == 0 and _is_opening_title(text, span)))
            self._heading[i] = found
        return found

    def above(self, i: int) -> int:
        """The nearest heading above sentence ``i`` (``-1``: none), ``-2`` when ``i`` is one: the entry
        ``i`` of :func:`_headings_above`."""
        if self._above is not None:
            return self._above[i]
        if self.is_heading(i):
            return -2
        headings = self._headings
        if headings is None:
            headings = self._headings = _section_headings(self.text, self.spans, self.is_heading)
        k = bisect_left(headings, i)
        return headings[k - 1] if k else -1


class _LazyTerms(Sequence[frozenset[str]]):
    """:func:`excerpt_terms` of one document, each sentence analyzed on first use (same sets, tested):
    ``sections=False`` gives the sentences' own term sets, ``sections=True`` their section headings' terms."""

    __slots__ = ("_table", "_sections", "_sets")

    @property
    def table(self) -> _SentenceTerms:
        """The document's table these sets are read from."""
        return self._table

    def __init__(self, table: _SentenceTerms, sections: bool = False) -> None:
        self._table = table
        self._sections = sections
        self._sets: list[frozenset[str] | None] = [None] * len(table.spans)

    def __len__(self) -> int:
        return len(self._sets)

    @overload
    def __getitem__(self, i: int) -> frozenset[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[frozenset[str]]: ...

    def __getitem__(self, i: int | slice) -> Any:
        found = self._sets[i]
        if found.__class__ is frozenset:  # the hot path: a sentence seen before
            return found
        return self._get(i)

    def _get(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self._sets)
        table = self._table
        if not self._sections:
            found = _EMPTY if table.is_heading(i) else table.terms(i)
        else:
            h = table.above(i)
            found = table.terms(h) if h >= 0 and _is_prose(table.text, table.spans[i], table.terms(i)) else _EMPTY
        self._sets[i] = found
        return found

    def __iter__(self) -> Iterator[frozenset[str]]:
        return (self[i] for i in range(len(self)))


_EMPTY: frozenset[str] = frozenset()


@dataclass
class DocumentSentences:
    """One document's sentences: ``spans`` (character offsets), ``terms`` (each sentence's own term set;
    empty for a heading), ``sections`` (the terms of the heading above each prose sentence) and
    ``chars`` (length of each, in characters). See :func:`excerpt_terms`; :meth:`structure` gives the
    same facts as lists and bit masks (what excerpt choice reads)."""

    spans: list[tuple[int, int]]
    terms: Sequence[frozenset[str]]
    chars: list[int]
    sections: Sequence[frozenset[str]] = ()
    _structure: SentenceStructure | None = field(default=None, repr=False, compare=False)

    @classmethod
    def lazy(cls, text: str, spans: list[tuple[int, int]], analyzer: Analyzer,
             stored: StoredTerms | None = None, numbers: dict[str, int] | None = None) -> DocumentSentences:
        """Sentences whose term sets are made on first use: from ``stored`` (the segment's sentence terms,
        :meth:`retrieval.segments.Segment.sentence_terms` and its vocabulary) or else by analyzing them.
        ``numbers``: term to number in that vocabulary, for :meth:`structure` to read the stored terms
        without making term sets (then the term sets are not even set up until ``terms`` or ``sections``
        is read)."""
        return _LazySentences(text, spans, analyzer, stored, numbers)

    def structure(self, text: str) -> SentenceStructure:
        """The document's :class:`~retrieval.structure.SentenceStructure` (made on first use). ``text``: the
        document's text."""
        found = self._structure
        if found is None:  # plain sets: headings are already empty, sections given
            found = self._structure = SentenceStructure(text, self.spans, self.terms.__getitem__, headings=False,
                                                        sections=self.sections or None)
        return found


class _LazySentences(DocumentSentences):
    """:meth:`DocumentSentences.lazy`'s sentences: ``terms`` and ``sections`` are :class:`_LazyTerms` made
    on first read (excerpt choice reads :meth:`structure`, from the stored term numbers)."""

    def __init__(self, text: str, spans: list[tuple[int, int]], analyzer: Analyzer, stored: StoredTerms | None,
                 numbers: dict[str, int] | None) -> None:
        self.spans = spans
        self.chars = [e - s for s, e in spans]
        self._structure = None
        self._text, self._analyzer, self._stored, self._numbers = text, analyzer, stored, numbers
        self._lazy: tuple[_LazyTerms, _LazyTerms] | None = None

    def _tables(self) -> tuple[_LazyTerms, _LazyTerms]:
        found = self._lazy
        if found is None:
            table = _SentenceTerms(self._text, self.spans, self._analyzer, stored=self._stored)
            found = self._lazy = (_LazyTerms(table), _LazyTerms(table, sections=True))
        return found

    @property  # type: ignore[override]
    def terms(self) -> Sequence[frozenset[str]]:
        return self._tables()[0]

    @property  # type: ignore[override]
    def sections(self) -> Sequence[frozenset[str]]:
        return self._tables()[1]

    def _own_terms(self, i: int) -> frozenset[str]:
        return self._tables()[0].table.terms(i)

    def structure(self, text: str) -> SentenceStructure:
        found = self._structure
        if found is None:
            stored = self._stored
            found = self._structure = SentenceStructure(
                self._text, self.spans, self._own_terms,
                (stored[0], stored[1], self._numbers) if stored is not None and self._numbers is not None else None)
        return found


class _PerDocument(Sequence[V]):
    """A sequence with one item per document of a snapshot, each built on first use and cached (LRU)."""

    def __init__(self, snapshot: Snapshot, cache: int) -> None:
        self._snapshot = snapshot
        self._cache: _LRU[int, V] = _LRU(cache)

    def __len__(self) -> int:
        return len(self._snapshot.doc_seg)

    def _build(self, i: int) -> V:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> V: ...
    @overload
    def __getitem__(self, i: slice) -> list[V]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        found = self._cache.get(i)
        return found if found is not None else self._cache.put(i, self._build(i))

    def __iter__(self) -> Iterator[V]:
        return (self[i] for i in range(len(self)))


class _Documents(_PerDocument[Document]):
    def _build(self, i: int) -> Document:
        snap = self._snapshot
        return snap.segments[snap.doc_seg[i]].document(int(snap.doc_loc[i]))

    def __iter__(self) -> Iterator[Document]:  # a full listing does not evict what answers use
        snap = self._snapshot
        for i, (s, d) in enumerate(zip(snap.doc_seg.tolist(), snap.doc_loc.tolist())):
            found = self._cache.get(i)
            yield found if found is not None else snap.segments[s].document(d)


class _Passages(Sequence[Passage]):
    def __init__(self, doc: npt.NDArray[np.int64], info: npt.NDArray[np.int64]) -> None:
        self._doc, self._info = doc, info

    def __len__(self) -> int:
        return len(self._doc)

    @property
    def docs(self) -> npt.NDArray[np.int64]:
        """The document of each passage, shape ``(passages,)``, non-decreasing."""
        return self._doc

    @overload
    def __getitem__(self, p: int) -> Passage: ...
    @overload
    def __getitem__(self, p: slice) -> list[Passage]: ...

    def __getitem__(self, p: int | slice) -> Any:
        if isinstance(p, slice):
            return [self[j] for j in range(*p.indices(len(self)))]
        first, last, start, end = self._info[p].tolist()
        return Passage(int(self._doc[p]), first, last, start, end)

    def __iter__(self) -> Iterator[Passage]:
        for d, (first, last, start, end) in zip(self._doc.tolist(), self._info.tolist()):
            yield Passage(d, first, last, start, end)


class _Sentences(_PerDocument[DocumentSentences]):
    def _build(self, d: int) -> DocumentSentences:
        snap = self._snapshot
        s = int(snap.doc_seg[d])
        seg = snap.segments[s]
        spans, off, tids = seg.sentences(int(snap.doc_loc[d]))
        return DocumentSentences.lazy(snap.documents[d].text, spans, snap.analyzer, (off, tids, seg.vocab.all()),
                                      snap.postings[s].terms)


class Snapshot:
    """The live documents of some segments, numbered for answering.

    Parameters
    ----------
    segments:
        The segments.
    deleted:
        Per segment, the segment-local numbers of its deleted documents.
    analyzer, k1, b:
        As the index was built with.
    documents:
        The documents themselves, for a snapshot built in memory from a single segment (their order);
        otherwise documents are read from the segments, ordered by id.

    Attributes
    ----------
    documents, passages, sentences, index:
        What :class:`retrieval.Retriever` exposes under the same names.
    doc_seg, doc_loc:
        For each document number: its segment and its number there.
    """

    def __init__(self, segments: Sequence[Segment], deleted: Sequence[Sequence[int]], analyzer: Analyzer,
                 k1: float, b: float, documents: Sequence[Document] | None = None) -> None:
        self.segments = list(segments)
        self.analyzer = analyzer
        live: list[npt.NDArray[np.int64]] = []
        for seg, dead in zip(self.segments, deleted):
            alive = np.ones(seg.n_docs, dtype=bool)
            alive[np.asarray(list(dead), dtype=np.int64)] = False
            live.append(np.flatnonzero(alive))
        identity = len(self.segments) == 1 and len(live[0]) == self.segments[0].n_docs
        seg_of = np.concatenate([np.full(len(x), s, dtype=np.int32) for s, x in enumerate(live)]) if live \
            else np.zeros(0, dtype=np.int32)
        loc_of = np.concatenate(live) if live else np.zeros(0, dtype=np.int64)
        if documents is None and not identity:
            ids: list[str] = []
            for seg, docs in zip(self.segments, live):
                all_ids = seg.ids.all()
                ids.extend(all_ids[d] for d in docs.tolist())
            order = np.asarray(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)
            seg_of, loc_of = seg_of[order], loc_of[order]
        self.doc_seg, self.doc_loc = seg_of, loc_of
        n_docs = len(seg_of)
        counts = np.zeros(n_docs, dtype=np.int64)
        for s, seg in enumerate(self.segments):
            mine = np.flatnonzero(seg_of == s)
            off = np.asarray(seg.arrays["pass_off"])
            counts[mine] = off[loc_of[mine] + 1] - off[loc_of[mine]]
        base = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(counts, out=base[1:])
        total = int(base[-1])
        p_doc = np.repeat(np.arange(n_docs, dtype=np.int64), counts)
        info = np.zeros((total, 4), dtype=np.int64)
        lengths = np.zeros(total, dtype=np.float64)
        parts: list[tuple[Postings, npt.NDArray[np.int64] | None]] = []
        for s, seg in enumerate(self.segments):
            a = seg.arrays
            mine = np.flatnonzero(seg_of == s)
            if identity:
                info[:] = a["passages"]
                lengths[:] = a["plen"]
                mapping = None
            else:
                cnt = counts[mine]
                start_local = np.asarray(a["pass_off"])[loc_of[mine]]
                within = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                local = np.repeat(start_local, cnt) + within
                glob = np.repeat(base[mine], cnt) + within
                mapping = np.full(seg.n_passages, -1, dtype=np.int64)
                mapping[local] = glob
                info[glob] = np.asarray(a["passages"])[local]
                lengths[glob] = np.asarray(a["plen"])[local]
            parts.append((Postings(seg.vocab.all(), np.asarray(a["post_off"]), a["post_pid"], a["post_tf"],
                                   a["blk_tf"], a["blk_len"]), mapping))
        #: Each segment's postings (their ``terms``, term to number, read stored sentence terms).
        self.postings = [part for part, _ in parts]
        self.passages: Sequence[Passage] = _Passages(p_doc, info)
        self.documents: Sequence[Document] = list(documents) if documents is not None else _Documents(self, DOCUMENT_CACHE)
        self.sentences: Sequence[DocumentSentences] = _Sentences(self, SENTENCE_CACHE)
        self.index = BM25Index.from_parts(parts, lengths, k1=k1, b=b)
        self._dates: list[dt.date | None] | None = None

    def dates(self) -> list[dt.date | None]:
        """Every document's date, in document order (read from the segments' arrays, no text decoded)."""
        if self._dates is None:
            ordinals = np.zeros(len(self.doc_seg), dtype=np.int64)
            for s, seg in enumerate(self.segments):
                mine = np.flatnonzero(self.doc_seg == s)
                ordinals[mine] = np.asarray(seg.arrays["date"])[self.doc_loc[mine]]
            known: dict[int, dt.date | None] = {0: None}  # documents share few distinct dates
            self._dates = [known[o] if o in known else known.setdefault(o, dt.date.fromordinal(o))
                           for o in ordinals.tolist()]
        return self._dates
