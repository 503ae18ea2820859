"""The catalog: which documents a request means, by name or by date, and the list of sources.

* :func:`resolve_document`: the document a person means by a name (id, file name, title; closest names as
  suggestions when none matches), as ``/summary document:`` and ``python -m bot summary --document`` take it;
* :func:`document_choices`: documents to offer while a name is typed (Discord autocomplete);
* :func:`parse_date` and :class:`DateRange`: the ``since``/``until`` dates a person types (``YYYY-MM-DD``)
  and which documents they cover; dates found *in* documents are parsed by :mod:`retrieval.documents`;
* :func:`sources`: every document with its size, newest first (``/sources``, ``python -m bot sources``).

Names are compared as words (:func:`fold`): case, accents, punctuation and Markdown ignored. Fuzzy
suggestions use :class:`difflib.SequenceMatcher` on a shortlist found by shared character trigrams, so they
stay fast on tens of thousands of documents; the names and their trigrams are computed once per retriever.
"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .analyzer import Analyzer
from .caches import per_retriever
from .documents import Document
from .errors import DateRangeError, UnknownDocumentError

if TYPE_CHECKING:
    from .retriever import Retriever

__all__ = [
    "FUZZY_SHORTLIST",
    "SUGGESTION_CUTOFF",
    "SUGGESTION_MARGIN",
    "DateRange",
    "Source",
    "document_choices",
    "fold",
    "label",
    "left_out",
    "newest_first",
    "parse_date",
    "resolve_document",
    "sources",
]

#: Least :class:`difflib.SequenceMatcher` ratio for a document to be suggested for a name that matches none.
SUGGESTION_CUTOFF = 0.6
#: Suggestions are only those within this ratio of the best one.
SUGGESTION_MARGIN = 0.15
#: Documents (sharing the most character trigrams with the typed name) compared in full for suggestions.
FUZZY_SHORTLIST = 200

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# ----------------------------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    """One document as listed by :func:`sources`.

    Attributes
    ----------
    document:
        The document.
    passages:
        Its number of passages (the units BM25 ranks; a rough size).
    """

    document: Document
    passages: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``document, title, date (YYYY-MM-DD or None), passages``."""
        return {
            "document": self.document.id,
            "title": self.document.title,
            "date": self.document.date.isoformat() if self.document.date else None,
            "passages": self.passages,
        }


def newest_first(document: Document) -> tuple[bool, int, str, str]:
    """Sort key for listing documents: newest first, undated last; same date by title (any case), then id."""
    ordinal = document.date.toordinal() if document.date else 0
    return (document.date is None, -ordinal, document.title.casefold(), document.id)


def sources(retriever: Retriever) -> list[Source]:
    """Every document with its size in passages, newest first, undated documents last.

    Ties (same date) are ordered by title, then id. Runs in time linear in the number of passages.
    """
    counts = Counter(p.doc for p in retriever.passages)
    listed = [Source(document, counts.get(d, 0)) for d, document in enumerate(retriever.documents)]
    listed.sort(key=lambda s: newest_first(s.document))
    return listed


# ------------------------------------------------------------------------------------------------- dates


def parse_date(value: str | dt.date | None, name: str = "date") -> dt.date | None:
    """Parse a ``since``/``until`` value as a person types it.

    Parameters
    ----------
    value:
        ``YYYY-MM-DD`` (surrounding white space allowed), a :class:`datetime.date`, or ``None``/empty.
    name:
        The option's name, used in the error message.

    Returns
    -------
    datetime.date or None
        ``None`` for ``None`` or an empty string.

    Raises
    ------
    DateRangeError
        The value is not in ``YYYY-MM-DD`` form, or is not a real date (``2023-02-30``).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise DateRangeError(f"{name} {text!r} is not a date: write it as YYYY-MM-DD, for example 2022-09-02.")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DateRangeError(f"{name} {text} is not a real date (check the month and the day).") from None


@dataclass(frozen=True)
class DateRange:
    """An inclusive date range; either end may be open (``None``). Without any end it holds every document.

    Attributes
    ----------
    since, until:
        First and last day of the range, or ``None``.
    """

    since: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def parse(cls, since: str | dt.date | None, until: str | dt.date | None) -> DateRange:
        """The range of two typed ends (see :func:`parse_date`).

        Raises
        ------
        DateRangeError
            An end is not a real ``YYYY-MM-DD`` date, or ``since`` is after ``until``.
        """
        start, end = parse_date(since, "since"), parse_date(until, "until")
        if start and end and start > end:
            raise DateRangeError(f"since ({start}) is after until ({end}): no date can be in that range. "
                                 "Swap them?")
        return cls(start, end)

    @property
    def given(self) -> bool:
        """Whether either end is given (a range leaves undated documents out)."""
        return self.since is not None or self.until is not None

    def holds(self, document: Document) -> bool:
        """Whether ``document`` is in the range: always without a range; never when undated with one."""
        if not self.given:
            return True
        if document.date is None:
            return False
        return ((self.since is None or document.date >= self.since)
                and (self.until is None or document.date <= self.until))

    def text(self) -> str:
        """The range inside a sentence: ``"A to B"``, ``"since A"``, ``"until B"``; ``""`` without a range."""
        if self.since and self.until:
            return f"{self.since} to {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else ""

    def empty_message(self, documents: Iterable[Document], undated: int) -> str:
        """What to say when no document is in the range: what dates there are, and the undated left out."""
        dates = sorted(d.date for d in documents if d.date is not None)
        message = f"No document is dated {self.text()}."
        if dates and dates[0] == dates[-1]:
            only = "The only dated document is" if len(dates) == 1 else "All dated documents are"
            message += f" {only} from {dates[0]}."
        elif dates:
            message += f" The dated documents run from {dates[0]} to {dates[-1]}."
        if undated:
            message += f" {left_out(undated)}."
        return message


def left_out(undated: int) -> str:
    """``"1 undated document was left out"`` / ``"N undated documents were left out"``, no full stop."""
    return f"{undated} undated document{'s were' if undated != 1 else ' was'} left out"


# ------------------------------------------------------------------------------------------------- names


_NAME_WORDS = Analyzer(stop_words=(), stem=False)


def fold(text: str) -> str:
    """A name as words: the analyzer's normalisation (NFKC, case, accents), punctuation and Markdown dropped,
    so "Team **meeting** minutes", "team-meeting_minutes" and "Téam meeting minutes" are alike."""
    return " ".join(_NAME_WORDS.words(text.replace("_", " ")))


def _stem_name(doc_id: str) -> str:
    name = doc_id.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def label(document: Document) -> str:
    """A document in a message: ``“Title” (id)``."""
    return f"“{document.title}” ({document.id})"


def resolve_document(retriever: Retriever, name: str) -> Document:
    """Find the document a person means by ``name``.

    Tried in order, the first step that matches exactly one document wins: the id exactly, or a path ending
    in ``/`` and the id (``seeds/notes/faq.md``); then, comparing words only (case, accents, punctuation and
    Markdown ignored), the id, the file name, the file name without its ending, or the title; then a unique
    document whose title or id contains ``name``.

    Raises
    ------
    UnknownDocumentError
        ``name`` is empty, matches several documents equally (their ids are the suggestions), or matches
        none (the suggestions are up to three documents whose title, file name or a run of title words is
        closest by :class:`difflib.SequenceMatcher` ratio, at least :data:`SUGGESTION_CUTOFF`).
    """
    wanted = fold(name)
    if not wanted:
        raise UnknownDocumentError("Which document? The document name is empty.")
    path = name.strip().replace("\\", "/")
    for document in retriever.documents:
        if document.id == path:
            return document
    suffixed = [d for d in retriever.documents if path.endswith("/" + d.id)]
    if suffixed:  # the seeds folder's own path in front, as shell tab completion writes it
        longest = max(len(d.id) for d in suffixed)
        deepest = [d for d in suffixed if len(d.id) == longest]  # seeds/a/x.txt means a/x.txt, not x.txt
        if len(deepest) == 1:
            return deepest[0]
    exact = [
        d for d in retriever.documents
        if wanted in {fold(d.id), fold(d.id.rsplit("/", 1)[-1]), fold(_stem_name(d.id)), fold(d.title)}
    ]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise _ambiguous(name, exact)
    partial = [d for d in retriever.documents if wanted in fold(d.title) or wanted in fold(d.id)]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise _ambiguous(name, partial)
    return _unknown(retriever, name)


def _ambiguous(name: str, matches: list[Document]) -> UnknownDocumentError:
    shown = ", ".join(label(d) for d in matches[:5])
    more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
    return UnknownDocumentError(
        f"{len(matches)} documents match {name.strip()!r}: {shown}{more}. Give the file name to choose one.",
        [d.id for d in matches[:5]],
    )


def _names(document: Document) -> list[str]:
    """The names a person may use for a document: title, file name with and without its ending (folded)."""
    return list(dict.fromkeys([fold(document.title), fold(_stem_name(document.id)),
                               fold(document.id.rsplit("/", 1)[-1])]))


def _trigrams(text: str) -> frozenset[str]:
    padded = f"  {text} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def _closeness(wanted: str, names: Sequence[str]) -> float:
    """The best :class:`difflib.SequenceMatcher` ratio of ``wanted`` against the names and against every
    run of as many words of a name as ``wanted`` has."""
    width = len(wanted.split())
    keys = set(names)
    for name in names:
        words = name.split()
        keys.update(" ".join(words[i : i + width]) for i in range(max(1, len(words) - width + 1)))
    matcher = difflib.SequenceMatcher(b=wanted, autojunk=False)
    best = 0.0
    for key in keys:
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


class _Names:
    """Per retriever: each document's names and their character trigrams, built once on first use.

    Built under a lock (other threads wait) and published by one assignment, so no reader sees half of it.
    """

    def __init__(self) -> None:
        self._built: list[tuple[list[str], frozenset[str]]] | None = None
        self._lock = threading.Lock()

    def get(self, retriever: Retriever) -> list[tuple[list[str], frozenset[str]]]:
        built = self._built
        if built is not None:
            return built
        with self._lock:
            if self._built is None:
                rows = []
                for document in retriever.documents:
                    names = _names(document)
                    rows.append((names, frozenset().union(*(_trigrams(n) for n in names))))
                self._built = rows
            return self._built


def _closest(retriever: Retriever, wanted: str, limit: int, cutoff: float) -> list[Document]:
    """Up to ``limit`` documents whose names are closest to ``wanted``, best first: ratio at least ``cutoff``
    and within :data:`SUGGESTION_MARGIN` of the best.

    Only the :data:`FUZZY_SHORTLIST` documents sharing the most character trigrams with ``wanted`` are
    compared with :class:`difflib.SequenceMatcher`, so this stays fast on tens of thousands of documents.
    """
    names = per_retriever(retriever, "catalog.names", _Names).get(retriever)
    wanted_grams = _trigrams(wanted)
    shared = [(len(wanted_grams & grams), i) for i, (_, grams) in enumerate(names)]
    shortlist = [i for count, i in heapq.nlargest(FUZZY_SHORTLIST, shared) if count > 0]
    scored = [(_closeness(wanted, names[i][0]), i) for i in shortlist]
    scored = sorted((x for x in scored if x[0] >= cutoff), key=lambda x: (-x[0], x[1]))
    if scored:  # keep those nearly as close as the best: one clear match is not diluted by weak ones
        scored = [x for x in scored if x[0] >= scored[0][0] - SUGGESTION_MARGIN]
    return [retriever.documents[i] for _, i in scored[:limit]]


def _unknown(retriever: Retriever, name: str) -> Document:
    suggestions = _closest(retriever, fold(name), 3, SUGGESTION_CUTOFF)
    hint = (" Did you mean " + " or ".join(label(d) for d in suggestions) + "?") if suggestions else ""
    raise UnknownDocumentError(f"No document is called {name.strip()!r}.{hint}", [d.id for d in suggestions])


def document_choices(retriever: Retriever, typed: str, limit: int = 25) -> list[Document]:
    """Documents to offer while someone types a document name (Discord autocomplete).

    Parameters
    ----------
    typed:
        What has been typed so far (may be empty).
    limit:
        Most documents to return (Discord allows 25 choices).

    Returns
    -------
    list[Document]
        With nothing typed: the newest documents. Otherwise the documents whose title or id contains the
        typed text (ignoring case), those starting with it first; when none does, the closest names by
        :class:`difflib.SequenceMatcher` ratio (at least :data:`SUGGESTION_CUTOFF`). At most ``limit``.
    """
    if limit < 1:
        return []
    wanted = fold(typed)
    if not wanted:
        return sorted(retriever.documents, key=newest_first)[:limit]
    ranked: list[tuple[int, int, str, Document]] = []
    for document in retriever.documents:
        title, doc_id = fold(document.title), fold(document.id)
        name = doc_id.rsplit("/", 1)[-1]
        if title.startswith(wanted) or name.startswith(wanted) or doc_id.startswith(wanted):
            ranked.append((0, 0, title, document))
        elif wanted in title or wanted in doc_id:
            position = min(i for i in (title.find(wanted), doc_id.find(wanted)) if i >= 0)
            ranked.append((1, position, title, document))
    if ranked:
        ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].id))
        return [r[3] for r in ranked[:limit]]
    return _closest(retriever, wanted, limit, SUGGESTION_CUTOFF)
