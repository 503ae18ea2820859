"""The retriever: documents in, verbatim dated excerpts out.

:class:`Retriever` loads a folder (or takes documents), splits them into sentences and passages, indexes the
passages with BM25 and answers questions with :class:`Answer` objects. It is the one answer code path: the
terminal, the Discord bot and the benchmarks all call :meth:`Retriever.ask`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wordfreq

from .analyzer import Analyzer
from .corpus import DocumentSentences, Snapshot, excerpt_terms
from .documents import Document, load_documents
from .errors import QuestionError, RetrievalError
from .excerpts import Window, best_window
from .index import DEFAULT_B, DEFAULT_K1, BM25Index
from .indexing import Progress, analyze_document
from .passages import Passage
from .quotes import Quote
from .segments import build_segment

__all__ = ["DEFAULT_TOP_K", "MAX_QUESTION_CHARS", "MIN_COVERAGE", "Answer", "Excerpt", "Retriever"]

log = logging.getLogger(__name__)

#: Longest question accepted, in characters. Longer input is almost always a pasted document.
MAX_QUESTION_CHARS = 1000
#: Excerpts in an answer unless the caller asks for another number.
DEFAULT_TOP_K = 3
#: Most excerpts a caller may ask for.
MAX_TOP_K = 10
#: Passages, per requested excerpt, whose sentences compete to be quoted.
CANDIDATES_PER_EXCERPT = 4
#: Weight of the passage's BM25 score (relative to the best passage) next to the window's own term share.
PASSAGE_WEIGHT = 0.5

#: The no-answer threshold. An excerpt's ``coverage`` is the share of the question's weight found in it:
#: each distinct question term weighs its idf, and a term that no passage contains weighs what
#: :meth:`Retriever.question_weights` gives it. An answer needs at least this share in its best excerpt,
#: and every further excerpt too: below it, the words that make the question specific are missing, so
#: quoting would be quoting noise. Calibrated on SQuAD v1.1 dev (``python -m benchmarks.squad``, which
#: measures 0.40, 0.45 and 0.50): with the first 24 articles indexed, 0.45 answers about 94% of the questions
#: about those articles and declines about 80% of the questions about the other 24; 0.50 trades a few
#: points of the first for the second, 0.40 the other way. The figures are in README.md.
MIN_COVERAGE = 0.45
#: Unknown question words: a word with an English Zipf frequency (wordfreq; Speer 2022) at or above
#: ``COMMON_ZIPF`` is ordinary vocabulary ("say", "year") that the documents merely phrase differently, and
#: weighs little; at or below ``RARE_ZIPF`` it is a name or a term of art ("Tesla") that the documents would
#: contain if they were about it, and weighs the largest possible idf. Linear in between.
COMMON_ZIPF = 6.0
RARE_ZIPF = 3.5
#: Lowest weight of an unknown word, as a share of the largest possible idf.
MIN_UNKNOWN_SHARE = 0.05


def analyze_request(
    analyzer: Analyzer, text: str, *, max_chars: int, error: type[RetrievalError], empty: str, too_long: str,
    common: str, nothing: str,
) -> list[tuple[str, str]]:
    """Validate a question or a topic and analyze it into ``(term, word)`` pairs.

    Parameters
    ----------
    analyzer:
        The retriever's analyzer.
    text:
        What the person typed.
    max_chars:
        Longest text accepted, in characters, after stripping white space.
    error:
        The exception class to raise (``QuestionError``, ``TopicError``).
    empty, too_long, common, nothing:
        The messages for an empty text, a text over ``max_chars`` (a format string with ``{length}`` and
        ``{limit}``), a text of only stop words, and a text with no word at all.

    Raises
    ------
    RetrievalError
        Of class ``error``, with the matching message.
    """
    stripped = text.strip()
    if not stripped:
        raise error(empty)
    if len(stripped) > max_chars:
        raise error(too_long.format(length=len(stripped), limit=max_chars))
    pairs = analyzer.term_words(stripped)
    if not pairs:
        raise error(common if analyzer.words(stripped) else nothing)
    return pairs


@dataclass(frozen=True)
class Excerpt(Quote):
    """A verbatim quote that answers a question.

    Attributes
    ----------
    document, start, end:
        As :class:`~retrieval.quotes.Quote`: ``text`` is exactly ``document.text[start:end]``.
    score:
        BM25 score of the passage the excerpt was taken from (> 0).
    coverage:
        Share (0 to 1) of the question's weight found in the excerpt itself (see :data:`MIN_COVERAGE`).
    """

    score: float
    coverage: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``text, document, title, date (YYYY-MM-DD or None), score, start, end``."""
        data = super().to_dict()
        data["score"] = round(self.score, 4)
        return data


@dataclass(frozen=True)
class Answer:
    """The result of :meth:`Retriever.ask`.

    Attributes
    ----------
    question:
        The question as asked.
    excerpts:
        Best first; empty when the documents do not answer.
    closest:
        When there is no answer: the document most related to the question, or ``None`` when no document
        shares a single word with it. ``None`` when answered.
    seconds:
        Time spent answering, in seconds.
    """

    question: str
    excerpts: list[Excerpt]
    closest: Document | None = None
    seconds: float = 0.0

    @property
    def answered(self) -> bool:
        """True when at least one excerpt answers the question."""
        return bool(self.excerpts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as printed by ``python -m bot ask --json``."""
        data: dict[str, Any] = {
            "question": self.question,
            "answered": self.answered,
            "excerpts": [e.to_dict() for e in self.excerpts],
        }
        if not self.answered:
            data["closest"] = self.closest.id if self.closest else None
        return data


#: Kept under their old names for callers of this module (they live in :mod:`retrieval.corpus` now).
_excerpt_terms = excerpt_terms
_DocumentSentences = DocumentSentences


@dataclass
class Retriever:
    """BM25 passage retrieval with verbatim excerpts over a list of documents.

    Build one with :meth:`from_folder` or :meth:`from_documents`; both do all indexing up front
    (CPU-bound: run them off an event loop).

    Attributes
    ----------
    documents:
        The indexed documents, in load order.
    passages:
        Every passage of every document.
    warnings:
        Problems found while loading (one line per file), for front ends to show.
    """

    documents: Sequence[Document]
    passages: Sequence[Passage]
    index: BM25Index
    analyzer: Analyzer
    sentences: Sequence[DocumentSentences]
    warnings: list[str] = field(default_factory=list)
    min_coverage: float = MIN_COVERAGE
    #: When the index was last brought in step with the documents (UTC); ``None`` when built in memory.
    updated_at: dt.datetime | None = None

    @classmethod
    def from_folder(cls, folder: str | Path, analyzer: Analyzer | None = None, k1: float = DEFAULT_K1,
                    b: float = DEFAULT_B, *, index_dir: str | Path | None = None,
                    progress: Progress | None = None) -> Retriever:
        """Load ``folder`` (see :func:`retrieval.documents.load_documents`) and index it.

        Parameters
        ----------
        index_dir:
            Where the saved index lives (see :class:`retrieval.store.IndexStore`): only the files that
            changed since it was saved are read again, and the index there is brought up to date. ``None``:
            index everything in memory, save nothing.
        progress:
            Called as files are indexed (saved index only), see :data:`retrieval.indexing.Progress`.
            When ``index_dir`` cannot be used (not writable, locked for too long) a warning is logged and
            the index is built in memory.

        Raises
        ------
        SeedsFolderNotFound, NoDocumentsError
            As :func:`~retrieval.documents.load_documents`.
        """
        started = time.perf_counter()
        if index_dir is not None:
            from .store import IndexStore

            try:
                return IndexStore(index_dir, folder, analyzer=analyzer, k1=k1, b=b).retriever(progress=progress)
            except OSError as error:  # a read-only or full disk, a lock never released: answer anyway
                log.warning("Cannot use the saved index in %s (%s); indexing in memory.", index_dir,
                            error.strerror or error)
        loaded = load_documents(folder)
        retriever = cls.from_documents(loaded.documents, analyzer=analyzer, k1=k1, b=b)
        retriever.warnings = loaded.warnings
        log.info("Indexed %d documents (%d passages) from %s in %.2f s", len(retriever.documents),
                 len(retriever.passages), folder, time.perf_counter() - started)
        return retriever

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot, warnings: Sequence[str] = (),
                      updated_at: dt.datetime | None = None) -> Retriever:
        """A retriever over ``snapshot`` (see :mod:`retrieval.corpus`)."""
        return cls(snapshot.documents, snapshot.passages, snapshot.index, snapshot.analyzer, snapshot.sentences,
                   list(warnings), updated_at=updated_at)

    @classmethod
    def from_documents(cls, documents: Sequence[Document], analyzer: Analyzer | None = None,
                       k1: float = DEFAULT_K1, b: float = DEFAULT_B) -> Retriever:
        """Index ``documents``.

        Raises
        ------
        ValueError
            ``documents`` is empty or none of them has a sentence.
        """
        analyzer = analyzer or Analyzer()
        analyzed = [analyze_document(document, analyzer) for document in documents]
        if not any(len(a.lengths) for a in analyzed):
            raise ValueError("none of the documents has any text to index")
        segment = build_segment(analyzed, texts=False)
        del analyzed
        return cls.from_snapshot(Snapshot([segment], [[]], analyzer, k1, b, documents=documents))

    def question_terms(self, question: str) -> list[tuple[str, str]]:
        """Validate ``question`` and analyze it into ``(term, word)`` pairs (see :meth:`Analyzer.term_words`).

        Raises
        ------
        QuestionError
            The question is empty, longer than :data:`MAX_QUESTION_CHARS`, or has no searchable word
            (only punctuation or only stop words).
        """
        return analyze_request(
            self.analyzer, question, max_chars=MAX_QUESTION_CHARS, error=QuestionError,
            empty="Please ask a question: it is empty.",
            too_long="That question is {length:,} characters long; please keep it to {limit:,} characters at most.",
            common="That question only has very common words (like 'the' or 'is'); add the words that matter, "
                   "such as a name or a topic.",
            nothing="That question has no words in it to search for.",
        )

    def question_weights(self, question: str) -> dict[str, float]:
        """Validate ``question`` and weigh its distinct terms for excerpt choice and the no-answer test.

        A term that some passage contains weighs its BM25 idf. A term that no passage contains weighs the
        largest possible idf (:attr:`BM25Index.max_idf`) times a share between :data:`MIN_UNKNOWN_SHARE` and 1
        set by how rare the word is in English (see :data:`COMMON_ZIPF`): a missing name sinks the answer,
        a missing everyday word hardly counts.

        Returns
        -------
        dict[str, float]
            Distinct index terms, in question order, mapped to weights > 0.

        Raises
        ------
        QuestionError
            As :meth:`question_terms`.
        """
        weights: dict[str, float] = {}
        for term, word in self.question_terms(question):
            if term in weights:
                continue
            idf = self.index.term_idf(term)
            if idf is None:
                zipf = wordfreq.zipf_frequency(word, "en")
                share = (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)
                idf = self.index.max_idf * min(1.0, max(MIN_UNKNOWN_SHARE, share))
            weights[term] = idf
        return weights

    def ask(self, question: str, top_k: int = DEFAULT_TOP_K) -> Answer:
        """Answer ``question`` with up to ``top_k`` verbatim excerpts, best first.

        Parameters
        ----------
        question:
            Free text, 1 to :data:`MAX_QUESTION_CHARS` characters.
        top_k:
            Most excerpts to return, 1 to 10. Excerpts come from different passages and never overlap.

        Returns
        -------
        Answer
            With no excerpts (and ``closest`` set when some document shares a word with the question)
            when the best excerpt covers less than ``min_coverage`` of the question's idf mass.

        Raises
        ------
        QuestionError
            See :meth:`question_terms`.
        ValueError
            ``top_k`` is out of range.
        """
        started = time.perf_counter()
        if not 1 <= top_k <= MAX_TOP_K:
            raise ValueError(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}")
        question_idf = self.question_weights(question)
        hits = self.index.top_k(list(question_idf), max(10, top_k * CANDIDATES_PER_EXCERPT))
        if not hits:
            return Answer(question, [], None, time.perf_counter() - started)
        top_score = hits[0][1]
        ranked: list[tuple[float, Window, int, float]] = []
        for p, score in hits:
            passage = self.passages[p]
            sents = self.sentences[passage.doc]
            window = best_window(passage.first, passage.last, sents.terms, sents.chars, question_idf)
            if window is not None:
                ranked.append((window.score + PASSAGE_WEIGHT * score / top_score, window, p, score))
        ranked.sort(key=lambda r: -r[0])
        excerpts: list[Excerpt] = []
        used: dict[int, list[tuple[int, int]]] = {}
        for _, window, p, score in ranked:
            doc = self.passages[p].doc
            if window.matched < self.min_coverage:
                continue  # a weak excerpt is noise, even after a good one
            if any(window.first <= last and first <= window.last for first, last in used.get(doc, [])):
                continue  # overlapping passages: never quote the same sentence twice
            used.setdefault(doc, []).append((window.first, window.last))
            spans = self.sentences[doc].spans
            excerpts.append(Excerpt(self.documents[doc], spans[window.first][0], spans[window.last][1], score,
                                    window.matched))
            if len(excerpts) == top_k:
                break
        if not excerpts:
            closest = self.documents[self.passages[hits[0][0]].doc]
            return Answer(question, [], closest, time.perf_counter() - started)
        return Answer(question, excerpts, None, time.perf_counter() - started)
