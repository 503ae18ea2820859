"""The retriever: documents in, verbatim dated excerpts out.

:class:`Retriever` loads a folder (or takes documents), splits them into sentences and passages, indexes the
passages with BM25 and answers questions with :class:`Answer` objects. It is the one answer code path: the
terminal, the Discord bot and the benchmarks all call :meth:`Retriever.ask`.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .acronyms import could_be_initialism, expansions
from .analyzer import Analyzer
from .anaphora import leans_back
from .answer_types import counts, future_dates, has_answer_type, labelled, vague_count, vague_date
from .corpus import NOT_PROSE_START, DocumentSentences, Snapshot
from .documents import Document, load_documents
from .errors import QuestionError, RetrievalError
from .excerpts import Concept, Coverage, Window, coverage, window_rows
from .followup import FollowUp, FollowUpPlan, document_bonus, keep_window
from .followup import plan as follow_up_plan
from .index import DEFAULT_B, DEFAULT_K1, BM25Index
from .indexing import Progress, analyze_document
from .passages import Passage
from .question import (DECISION_WORDS, FRAME_WORDS, SOCIAL_WORDS, WHERE_WHEN_FRAME_WORDS, AnswerType,
                       QuestionPlan, only_a_link, read_question)
from .quotes import Quote
from .ranking import FEATURES, WEIGHTS, DocumentLengths, document_scores, feature_vector, score_matrix
from .recency import reports_new_state, state_change
from .segments import build_segment
from .structure import SentenceStructure
from .semantic import similarities_under_headings
from .termcache import term_cache
from .variants import VARIANT_FACTOR, term_variants
from .zipf import zipf_frequency

__all__ = ["DEFAULT_TOP_K", "MAX_QUESTION_CHARS", "MIN_COVERAGE", "MIN_EVIDENCE", "Answer", "Excerpt", "Retriever"]

log = logging.getLogger(__name__)

#: Longest question accepted, in characters. Longer input is almost always a pasted document.
MAX_QUESTION_CHARS = 1000
#: Excerpts in an answer unless the caller asks for another number.
DEFAULT_TOP_K = 3
#: Most excerpts a caller may ask for.
MAX_TOP_K = 10
#: Passages, per requested excerpt, whose sentences compete to be quoted.
CANDIDATES_PER_EXCERPT = 4
#: The no-answer rule. An excerpt's ``coverage`` is the share of the question's weight found in it: each
#: distinct question term weighs its idf, and a term that no passage contains weighs what
#: :meth:`Retriever.concepts` gives it. Its *similarity* is the static-embedding cosine of question and excerpt
#: (:mod:`retrieval.semantic`; computed for the best-ranked :data:`SEMANTIC_CANDIDATES` windows, 0 for the
#: others), and its *evidence* coverage plus :data:`SEMANTIC_EVIDENCE` times similarity. The question is
#: answered when some candidate excerpt covers :data:`STRONG_COVERAGE`, or covers :data:`MIN_COVERAGE` with
#: :data:`MIN_SIMILARITY`, or has this much evidence; it must cover :data:`MIN_EXCERPT_COVERAGE` in any case,
#: and :data:`UNTYPED_COVERAGE` when the question expects an answer type the excerpt lacks. Below that the words
#: that make the question specific are missing and what is left does not mean what the question means, so
#: quoting would be quoting noise; a paraphrase keeps its meaning with fewer shared words ("How frequently are
#: my photos duplicated onto the backup drive?" for "Your photos are copied to the backup disk every night").
#: Calibrated on SQuAD v1.1 dev's no-answer split (``python -m benchmarks.squad``: the first 24 articles
#: indexed, questions about them should be answered, questions about the other 24 declined; figures in
#: benchmarks/README.md): coverage alone (0.465, its best threshold) answered 93.72% and declined 80.30%;
#: this rule answers 95.77% and declines 80.43% (evidence 0.84: 95.51% / 81.23%; similarity floor 0.3:
#: 95.65% / 81.43%, but a one-page folder's "What meeting rhythm did the call agree on?" is declined).
#: Then the excerpts are quoted in ranking order, each holding at least :data:`MIN_EXCERPT_COVERAGE`.
MIN_EVIDENCE = 0.82
#: A question of at least this many content words (a long chatty message: "sorry if this is a dumb question
#: but my membership payment bounced because my bank swapped my card, how long have i got before my fob stops
#: letting me in??") needs :data:`MIN_EVIDENCE` less this much: its weight is spread over words that no one
#: quote holds together. SQuAD's questions, which calibrate MIN_EVIDENCE, are almost never this long: from 9
#: words on, its no-answer split declined 80.0% instead of 80.5%; from 12, 80.4% (95.7% answered either way).
LONG_QUESTION_CONCEPTS = 12
LONG_QUESTION_RELIEF = 0.1
#: Coverage that answers without the similarity (see :data:`MIN_EVIDENCE`).
STRONG_COVERAGE = 0.6
#: Weight of the question-excerpt similarity in an excerpt's evidence (see :data:`MIN_EVIDENCE`).
SEMANTIC_EVIDENCE = 1.0
#: Coverage that answers with at least :data:`MIN_SIMILARITY` of similarity (see :data:`MIN_EVIDENCE`).
MIN_COVERAGE = 0.465
#: Similarity that, with :data:`MIN_COVERAGE`, answers (see :data:`MIN_EVIDENCE`).
MIN_SIMILARITY = 0.25
#: Unknown question words: a word with an English Zipf frequency (wordfreq; Speer 2022) at or above
#: ``COMMON_ZIPF`` is ordinary vocabulary ("say", "year") that the documents merely phrase differently, and
#: weighs little; at or below ``RARE_ZIPF`` it is a name or a term of art ("Tesla") that the documents would
#: contain if they were about it, and weighs the largest possible idf. Linear in between.
COMMON_ZIPF = 6.0
RARE_ZIPF = 3.5
#: Everyday English words ("keep", "send", "die") say less about what a question is after than rarer ones
#: ("nginx", "creepy", "upload") even where the documents seldom use them: a known word's idf is cut by up
#: to this share, linearly from Zipf ``PLAIN_ZIPF`` (no cut) to :data:`COMMON_ZIPF` (the whole cut).
COMMON_DISCOUNT = 0.7
PLAIN_ZIPF = 4.0
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
        Share (0 to 1) of the question's weight found in the excerpt itself (see :data:`MIN_EVIDENCE`).
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
    min_evidence: float = MIN_EVIDENCE
    clock: Callable[[], dt.date] = dt.date.today
    _titles: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _caseless: dict[int, bool] = field(default_factory=dict, repr=False)
    _asked_versions: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    #: :func:`~retrieval.variants.term_variants` of each question word seen (``(term, word, typos, compounds)``
    #: to its forms): they depend on the index alone, which a retriever never changes; bounded by
    #: :data:`VARIANT_CACHE`.
    _variants: dict[tuple[str, str, bool, bool], list[tuple[str, float]]] = field(default_factory=dict, repr=False)
    _sorted_dates: tuple[list[dt.date], npt.NDArray[np.int64]] | None = field(default=None, repr=False)
    #: Every document's date without reading the documents (a snapshot's :meth:`~.corpus.Snapshot.dates`).
    date_source: Callable[[], list[dt.date | None]] | None = field(default=None, repr=False)
    _dates: list[dt.date | None] | None = field(default=None, repr=False)
    _doc_lengths: DocumentLengths | None = field(default=None, repr=False)
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
                   list(warnings), updated_at=updated_at, date_source=snapshot.dates)

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
        """Validate ``question`` and weigh its distinct content terms (see :meth:`concepts`).

        Returns
        -------
        dict[str, float]
            Distinct index terms, in question order, mapped to weights > 0.

        Raises
        ------
        QuestionError
            As :meth:`question_terms`.
        """
        return {c.term: c.weight for c in self.concepts(read_question(question, self.clock()))}

    def concepts(self, plan: QuestionPlan) -> list[Concept]:
        """The question's content words as :class:`~retrieval.excerpts.Concept` objects, in question order.

        Frame words (:data:`~retrieval.question.FRAME_WORDS`) are dropped unless nothing else is left. A term
        that some passage contains weighs its BM25 idf; a term no passage contains weighs the idf of its best
        variant (:func:`~retrieval.variants.term_variants`) when it has one, else the largest possible idf
        (:attr:`BM25Index.max_idf`) times a share between :data:`MIN_UNKNOWN_SHARE` and 1 set by how rare the
        word is in English (see :data:`COMMON_ZIPF`): a missing name sinks the answer, a missing everyday word
        hardly counts. A capitalised word inside the question ("Tokyo") counts as a name.

        Raises
        ------
        QuestionError
            As :meth:`question_terms`.
        """
        # A period's words ("March 2024") are a filter, not search terms, where some document is dated within
        # it; otherwise (undated documents, or none of that time) they stay search terms.
        text = plan.text if plan.period is None or self._dated_within(plan.period) else plan.searched
        if only_a_link(plan):
            raise QuestionError("That question is only a link; please ask in words what you want to know "
                                "(the documents are searched by their words, not by links).")
        # Only markup or emoji ("🙂", "<@123>") is a question with no words, not an empty one.
        pairs = self.question_terms(text or plan.cleaned or ("." if plan.raw.strip() else ""))
        if any(_G_DROPPED.fullmatch(w.lower()) for _, w in pairs):  # "goin away": "going away"
            pairs = self._g_restored(pairs)
        content = [(t, w) for t, w in pairs if w not in FRAME_WORDS]
        if not content and all(w in SOCIAL_WORDS for _, w in pairs):
            return []  # "thanks!", "hi": said to the bot, not asked of the documents
        content = content or pairs
        if AnswerType.DECISION in plan.answer_types:  # "What was decided at the March call?" is about the call
            content = [(t, w) for t, w in content if w.lower() not in DECISION_WORDS] or content
        if _WHERE_WHEN & set(plan.answer_types):  # "Where are meetings held now?" asks for the place
            content = [(t, w) for t, w in content if w.lower() not in WHERE_WHEN_FRAME_WORDS] or content
        names = _capitalised_words(plan.text)
        proper = _proper_names(plan.text) & names
        unit = plan.unit.lower() if plan.unit else None
        counting = unit is not None and _HOW_MANY.search(plan.cleaned) is not None
        vocabulary = self.index.vocabulary
        stem = self.analyzer.stem_word
        concepts: list[Concept] = []
        seen: set[str] = set()
        for term, word in content:
            if term in seen:
                continue
            seen.add(term)
            idf = self.index.term_idf(term)
            # A typo is corrected only in a word that is neither in the index nor ordinary English nor a
            # name: "instal", "pasword"; never "Tesla" or "tokyo", whose absence is the point.
            typos = idf is None and word not in names and _zipf(word) < TYPO_ZIPF
            key = (term, word, typos, word not in names)
            variants = self._variants.get(key)
            if variants is None:  # "known" is the index's own fact about ``term``: not part of the key
                variants = term_variants(term, word, vocabulary, stem, lambda t: -(self.index.term_idf(t) or 0.0),
                                         known=idf is not None, typos=typos, compounds=word not in names)
                if len(self._variants) >= VARIANT_CACHE:
                    self._variants.clear()
                self._variants[key] = variants
            if idf is None and variants:
                idf = max(self.index.term_idf(t) or 0.0 for t, _ in variants)
            if idf is None:
                zipf = _zipf(word)
                share = (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)
                if word in names:
                    share = max(share, NAME_SHARE)
                if _CODE_LIKE.fullmatch(word):
                    share = min(share, CODE_LIKE_SHARE)  # "k8s", "x86": an abbreviation, not the subject
                if len(word) == 1:
                    continue  # a stray letter ("h" of a question cut short) says nothing
                idf = self.index.max_idf * min(1.0, max(MIN_UNKNOWN_SHARE, share))
                # A name no passage holds, a version none names ("v4.0"), or the counted thing of "how many"
                # ("GitHub stars"): the documents do not talk about it.
                absent = word in proper or (word == unit and counting) or _named_version(term, plan.cleaned)
            else:
                absent = False
            if word not in names and word != unit:  # names and the counted thing are the question's focus
                idf *= 1.0 - COMMON_DISCOUNT * min(1.0, max(0.0, (_zipf(word) - PLAIN_ZIPF) / (COMMON_ZIPF - PLAIN_ZIPF)))
            concepts.append(Concept(term, idf, ((term, 1.0), *variants), absent))
        return _joined_compounds(concepts, [w for _, w in content], vocabulary, stem)

    def _g_restored(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """``pairs`` (:meth:`question_terms`) with each word written without its final *g* as chat writes it
        ("goin", "lookin") read as the full word ("going", "looking"), which may then be a stop word: only a
        word no passage holds whose *-ing* form is far more common in English (:data:`G_DROPPED_GAIN` on
        wordfreq's Zipf scale) and that is itself rare (:data:`G_DROPPED_ZIPF`), so "main", "begin", "thin"
        or "kin" stay as they are."""
        restored: list[tuple[str, str]] = []
        for term, word in pairs:
            lower = word.lower()
            if _G_DROPPED.fullmatch(lower) and self.index.term_idf(term) is None \
                    and _zipf(lower) < G_DROPPED_ZIPF and _zipf(lower + "g") - _zipf(lower) >= G_DROPPED_GAIN:
                restored.extend(self.analyzer.term_words(word + "g"))  # nothing when it is a stop word
            else:
                restored.append((term, word))
        return restored or pairs

    def ask(self, question: str, top_k: int = DEFAULT_TOP_K, *, as_of: dt.date | None = None,
            follow_up: FollowUp | None = None) -> Answer:
        """Answer ``question`` with up to ``top_k`` verbatim excerpts, best first.

        Parameters
        ----------
        question:
            Free text, 1 to :data:`MAX_QUESTION_CHARS` characters. Discord markup is ignored.
        top_k:
            Most excerpts to return, 1 to 10. Excerpts come from different passages and never overlap.
        as_of:
            The day the question is asked ("latest", "next", "this week" count from it); default the
            retriever's :attr:`clock`.
        follow_up:
            The conversation before a follow-up question: when the question lacks its own subject, the
            previous question's terms are carried at a lower weight and the previously quoted document is
            preferred (see :mod:`retrieval.followup`); an excerpt must still hold one of the question's own
            terms.

        Returns
        -------
        Answer
            With no excerpts (and ``closest`` set when some document shares a word with the question)
            when no candidate excerpt is evidence enough that the documents answer (``min_evidence``,
            see :data:`MIN_EVIDENCE`).

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
        plan = read_question(question, as_of or self.clock())
        concepts = self.concepts(plan)
        # A long chatty question spreads its weight over many words, few of which any one quote can hold (its
        # own words: not a follow-up's carried ones).
        evidence = self.min_evidence - (LONG_QUESTION_RELIEF if len(concepts) >= LONG_QUESTION_CONCEPTS else 0.0)
        asked: FollowUpPlan | None = None
        if follow_up is not None:
            own = {c.term: c.weight for c in concepts}
            asked = follow_up_plan(self.analyzer.words(plan.cleaned), own, follow_up, self.question_weights)
            if asked.carries:  # the previous question's subject, at a lower weight
                concepts = concepts + [Concept(t, w, ((t, 1.0),)) for t, w in asked.weights.items() if t not in own]
            elif asked.preferred_document is None:
                asked = None  # a question with a subject of its own is asked as it stands
        concepts = self._spelled_out(concepts)
        hits, documents = self._candidates(concepts, plan, max(CANDIDATES, top_k * CANDIDATES_PER_EXCERPT))
        if not hits:
            return Answer(question, [], None, time.perf_counter() - started)
        if any(c.absent_name for c in concepts):  # "a meetup in Tokyo?" where no document names Tokyo
            return Answer(question, [], self.documents[self.passages[hits[0][0]].doc], time.perf_counter() - started)
        ranked = self._rank(hits, concepts, plan, documents, asked=asked)
        excerpts: list[Excerpt] = []
        quoted: set[str] = set()
        valued = _wants_value(plan)
        used: dict[int, list[tuple[int, int]]] = {}
        if any(self._answers(window, plan, self.passages[p].doc, evidence) for _, window, p, _ in ranked) or (
                ranked and self._document_answers(ranked[0][1], ranked[0][2], concepts, plan)):
            for _, window, p, score in ranked:
                doc = self.passages[p].doc
                if window.matched < MIN_EXCERPT_COVERAGE or excerpts and window.lead <= 0:
                    continue  # a weak excerpt is noise, even after a good one; so is one only its title ties in
                if valued and not window.typed:
                    continue  # "What time ...?" is not answered by a sentence without a time, wherever it ranks
                if plan.period is not None and not self._of_period(doc, plan.period, plan.as_of):
                    continue  # a question about May 2024 is not answered from the March minutes
                if any(window.first <= last and first <= window.last for first, last in used.get(doc, [])):
                    continue  # overlapping windows: never quote the same sentence twice
                sents = self.sentences[doc]
                spans = sents.spans
                said = " ".join(self._window_text(window, p).split())
                if said in quoted:
                    continue  # the same sentences in another document (a pasted paragraph): quoted once
                quoted.add(said)
                first = _antecedent(self.documents[doc], sents, window, self.passages[p].first, used.get(doc, []))
                first = _before_yes_no(self.documents[doc], sents, first, used.get(doc, []))
                last = _after_yes_no(self.documents[doc], sents, window.last, used.get(doc, []), plan.polar)
                used.setdefault(doc, []).append((first, last))
                end = _with_command(self.documents[doc], spans[last][1], plan)
                if end == spans[last][1] and last + 1 < len(spans):
                    end = _introduced_command(self.documents[doc], spans[last], spans[last + 1], plan)
                excerpts.append(Excerpt(self.documents[doc], spans[first][0], end, score, window.matched))
                if len(excerpts) == top_k:
                    break
        if not excerpts:
            closest = self.documents[self.passages[hits[0][0]].doc]
            return Answer(question, [], closest, time.perf_counter() - started)
        return Answer(question, excerpts, None, time.perf_counter() - started)

    def _spelled_out(self, concepts: list[Concept]) -> list[Concept]:
        """``concepts`` with each unknown initialism ("jfk", "ny") matched by its long form where the
        documents that the question's other words find spell it out ("John F. Kennedy"; see
        :mod:`retrieval.acronyms`): the concept then also counts in a sentence that holds the long form's
        rarest word, and weighs that word's idf. Other concepts are returned as they are."""
        unknown = [i for i, c in enumerate(concepts)
                   if len(c.forms) == 1 and could_be_initialism(c.term) and self.index.term_idf(c.term) is None]
        if not unknown:
            return concepts
        changed = list(concepts)
        for i in unknown:
            others = [term for j, c in enumerate(concepts) if j != i for term, _ in c.forms]
            if not others:
                continue
            docs = list(dict.fromkeys(self.passages[p].doc for p, _ in self.index.top_k(others, INITIALISM_PASSAGES)))
            long_forms = expansions(concepts[i].term, (self.documents[d].text for d in docs[:INITIALISM_DOCUMENTS]))
            if not long_forms:
                continue
            known = [(self.index.term_idf(t), t) for t in self.analyzer(long_forms[0])]
            known = [(idf, t) for idf, t in known if idf is not None]
            if not known:
                continue
            idf, term = max(known, key=lambda k: (k[0], k[1]))
            changed[i] = Concept(concepts[i].term, idf, (*concepts[i].forms, (term, 1.0)))
        return changed

    def _answers(self, window: Window, plan: QuestionPlan, doc: int, evidence: float | None = None) -> bool:
        """Whether ``window`` (of document ``doc``) is evidence enough that the documents answer the
        question (see :data:`MIN_EVIDENCE`): it covers :data:`STRONG_COVERAGE` of the question's weight, or
        its coverage plus its similarity to the question reaches ``evidence`` (default :attr:`min_evidence`;
        less for a long question, see :data:`LONG_QUESTION_RELIEF`); and when the question
        expects an answer type and the window holds none, it covers :data:`UNTYPED_COVERAGE` ("How many stars
        ...?" is not answered by a sentence without a number in it)."""
        matched = window.matched
        if matched < MIN_EXCERPT_COVERAGE:
            return False
        if plan.period is not None and not self._of_period(doc, plan.period, plan.as_of):
            return False  # "at the May 2024 call" is not answered by the March minutes
        needed = self.min_evidence if evidence is None else evidence
        if matched < STRONG_COVERAGE and matched + SEMANTIC_EVIDENCE * window.semantic < needed and not (
                matched >= MIN_COVERAGE and window.semantic >= MIN_SIMILARITY):
            return False
        if not self._names_versions(doc, plan):
            return False  # "How much RAM does the 2.5 release need?" is not answered by a page that never says 2.5
        if AnswerType.DECISION in plan.answer_types and not window.typed:
            return False  # its cue words are not searched for ("decided"): the quote must record a decision
        return window.typed or not self._expected(plan, doc) or (matched >= UNTYPED_COVERAGE
                                                                 and not _wants_value(plan))

    def _names_versions(self, doc: int, plan: QuestionPlan) -> bool:
        """Whether document ``doc`` holds every version number the question names ("2.5", "v1.6"), in its
        text or title (looked up in the postings)."""
        wanted = self._asked_versions.get(plan.cleaned)
        if wanted is None:  # once per question, not once per candidate window
            named = _VERSION_NAMED.findall(plan.cleaned)
            wanted = tuple(t for t in self.analyzer(" ".join(named)) if _VERSION_TERM.fullmatch(t)) if named else ()
            if len(self._asked_versions) > 256:
                self._asked_versions.clear()
            self._asked_versions[plan.cleaned] = wanted
        docs = self._document_lengths().docs
        for term in wanted:
            pids, _ = self.index.term_frequencies(term)
            if not bool((docs[pids] == doc).any()) and term not in self._title_terms(doc, True):
                return False
        return True

    def _document_answers(self, window: Window, p: int, concepts: Sequence[Concept], plan: QuestionPlan) -> bool:
        """Whether the best-ranked ``window`` (of passage ``p``) answers though it covers less than
        :attr:`min_evidence`: it holds at least :data:`SPREAD_WINDOW_COVERAGE` of the question's weight and
        the expected answer type, and its document (its passages' postings, headings included) at least
        :data:`SPREAD_DOCUMENT_COVERAGE`. A chatty
        question ("someone keeps sending me creepy dms, where do i report that") spreads its words over the
        document that answers it; a question the documents cannot answer finds no such document."""
        if window.matched < SPREAD_WINDOW_COVERAGE or (plan.answer_types and not window.typed):
            return False
        doc = self.passages[p].doc
        if plan.period is not None and not self._of_period(doc, plan.period, plan.as_of):
            return False  # the March minutes do not answer for the May call
        docs = self._document_lengths().docs  # looked up in the postings: no sentence of the document analyzed
        terms = {term for c in concepts for term, _ in c.forms
                 if bool((docs[self.index.term_frequencies(term)[0]] == doc).any())}
        total = sum(c.weight for c in concepts) or 1.0
        return coverage(concepts, terms) / total >= SPREAD_DOCUMENT_COVERAGE

    def _expected(self, plan: QuestionPlan, doc: int) -> tuple[AnswerType, ...]:
        """The answer types a quote of document ``doc`` must hold to answer without covering :data:`UNTYPED_COVERAGE`
        (see :meth:`_answers`): in a document written in lower case (a chat log, lower-cased newswire) names
        have no capitals to be found by, so there a *who* question's quote need not hold one. Ranking still
        uses all of the question's types."""
        kinds = plan.answer_types
        if AnswerType.PERSON in kinds and self._is_caseless(doc):
            kinds = tuple(k for k in kinds if k is not AnswerType.PERSON)
        return kinds

    def _is_caseless(self, doc: int) -> bool:
        """Whether document ``doc`` is written in lower case: of its words inside sentences (after a
        lower-case word), fewer than :data:`CASELESS_SHARE` start with a capital (cached per document)."""
        found = self._caseless.get(doc)
        if found is None:
            text = self.documents[doc].text
            inside = _INSIDE_WORD.findall(text, 0, CASELESS_SAMPLE_CHARS)
            capitals = sum(1 for w in inside if w.isupper())
            found = self._caseless[doc] = len(inside) >= CASELESS_MIN_WORDS and capitals < CASELESS_SHARE * len(inside)
        return found

    def _candidates(self, concepts: Sequence[Concept], plan: QuestionPlan, k: int
                    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        """The ``k`` best passages by BM25 over every form of every concept; with a named period, also the
        best passages of the documents of that time. Second: the whole-document BM25
        (:func:`.ranking.document_scores`) of every document among the best :data:`DOCUMENT_POOL` passages,
        document number to score."""
        query = [term for c in concepts for term, _ in c.forms]
        pool = self.index.top_k(query, max(k, DOCUMENT_POOL))
        pooled = np.fromiter((p for p, _ in pool), dtype=np.intp, count=len(pool))
        candidates = self._document_lengths().docs[pooled].tolist()
        documents = document_scores(self.index, self._document_lengths(), list(dict.fromkeys(query)), candidates)
        hits = pool[:k]
        if plan.period is not None and hits:
            in_period = self._documents_within(plan.period)
            if len(in_period):
                scores = self.index.scores(query)
                positive = np.flatnonzero(scores > 0)
                kept = positive[np.isin(self._document_lengths().docs[positive], in_period)]
                extra = [(p, float(scores[p])) for p in kept.tolist()]
                extra.sort(key=lambda h: (-h[1], h[0]))
                known = {p for p, _ in hits}
                hits = hits + [h for h in extra[:k] if h[0] not in known]
        return hits, documents

    def _rank(self, hits: Sequence[tuple[int, float]], concepts: Sequence[Concept], plan: QuestionPlan,
              documents: dict[int, float], rows: list[list[float]] | None = None,
              asked: FollowUpPlan | None = None) -> list[tuple[float, Window, int, float]]:
        """Score every window of every candidate passage (:mod:`.ranking`); best first, ties in BM25 order.

        A window found in two overlapping passages counts once, with the better passage. ``rows``, when
        given, receives each returned window's feature vector, in the returned order, with the date terms as
        one more column (for training: ``benchmarks.train_ranker``). ``asked``: a follow-up's plan
        (:mod:`retrieval.followup`): a window must hold one of its own terms, and the previously quoted
        document is preferred. ``documents``: each candidate document's whole-document BM25, as
        :meth:`_candidates` returns it, for the ``document`` feature.
        """
        top_score = hits[0][1]
        top_document = max(documents.values(), default=0.0) or 1.0
        total = sum(c.weight for c in concepts) or 1.0
        found: list[tuple[Window, int, float, float, dt.date | None]] = []
        firsts: dict[int, dt.date] = {}  # for "next": a found window's earliest date after today
        find_types = self._type_finder(plan) if plan.answer_types else None
        versions = {c.term for c in concepts if _VERSION_TERM.fullmatch(c.term)}
        releases = _asked_releases(versions, plan.cleaned)  # those named as versions of something
        seen: set[tuple[int, int, int]] = set()
        # "Which Android app is official, and is there an iOS app?": a quote is judged by all it covers, not
        # by its first sentence.
        two_part = _TWO_PART.search(plan.cleaned) is not None
        features: list[list[float]] = []
        weights = Coverage(concepts)  # every window's coverage, through one table for the question
        dated = AnswerType.DATE in plan.answer_types
        asked_terms = frozenset(c.term for c in concepts)
        # "How many people ...?": a number of people answers better than "several people".
        named_period = _period_named(plan.period)
        # "When is ...?" asks for what is to come: in a dated document, a quote naming only dates already past
        # ranks down as for "next", when another quote names a date to come (a period named in the question
        # says which time is meant instead).
        asks_ahead = dated and not plan.upcoming and plan.period is None \
            and _AHEAD.search(plan.cleaned) is not None
        past: list[int] = []  # found windows naming only dates before today
        coming = False  # some window names a date after today
        subject_labels: list[int] = []  # found windows that opened with a label naming the subject
        role = AnswerType.PERSON in plan.answer_types  # "who is the head coach": a role may change hands
        changes: list[tuple[dt.date, float]] = []  # for "now": date and coverage of windows reporting a change

        # "What is the latest version?": of the peers, the quote naming the highest version number.
        latest_release = plan.recency and _LATEST_RELEASE.search(plan.cleaned) is not None
        named_releases: dict[int, tuple[int, ...]] = {}
        counted = self.analyzer.stem_word(plan.unit) if plan.unit and AnswerType.NUMBER in plan.answer_types \
            and _HOW_MANY.search(plan.cleaned) is not None else None
        for p, score in hits:
            passage = self.passages[p]
            doc, first = passage.doc, passage.first
            document = self.documents[doc]
            sents = self.sentences[doc]
            structure = sents.structure(document.text)
            typed = find_types(doc, document, sents.spans) if find_types else None
            own, sections = structure.masks(weights, first, passage.last)  # fills the structure's lists
            lead = structure.first_quotable()
            headed = lead > 0  # the document opens with a heading (its term set is empty)
            title_terms = self._title_terms(doc, headed)
            title_mask = weights.mask(title_terms)
            title = weights.weight(title_mask) / total
            prose = structure.prose
            untitled, named = weights.untitled(title_mask) if title > 0 else (concepts, 0)
            for i, j, value, matched, holds, share, opening, chars in window_rows(
                    first, passage.last, own, sections, sents.chars, weights, typed, structure.quotable,
                    wanted=len(plan.answer_types), followed=_FOLLOWED, joins=_joins(document, sents.spans),
                    filler=structure.filler, outer=title_mask if title > 0 else 0, prose=prose,
                    introduces=structure.introduces):
                key = (doc, i, j)
                if key in seen:
                    continue
                seen.add(key)
                if two_part or _answers_heading_question(document.text, structure, sents.spans, i):
                    # A quote is judged by all it covers: a two-part question's, or the answer right under an
                    # FAQ heading that asks the question ("## Can I run it behind a proxy?" / "Yes, and ...").
                    opening = max(opening, matched)
                elif title > 0 and prose[i]:
                    # The title's words stand over every prose sentence of the document: "Register on the meetup
                    # page" does not lead "- Venue: De Bibliotheek" on the meetup page for repeating "meetup".
                    mask = own[i - first] & named  # only the concepts the title does not name count here
                    opening = min(1.0, (weights.partial(untitled, mask) if mask else 0.0) / total + title)
                window = Window(i, j, value, matched, holds, share, opening, chars)
                extra = 0.0
                if asked is not None:
                    kept = keep_window(window, sents.terms, asked)
                    if kept is None:
                        continue  # a follow-up's quote holds one of its own words
                    window = kept
                    extra += PREFERRED_WEIGHT * document_bonus(document.id, asked.preferred_document) / DATE_SCALE
                if versions and versions & title_terms:
                    extra += VERSION_WEIGHT  # "In v1.6, ...": the release notes of v1.6
                elif releases:  # in notes of several releases: under "## v1.5", or naming only another one
                    extra += VERSION_WEIGHT * _names_release(releases, sents, i, j)
                # A field label: of the expected kind ("- **Time:** 14:00" for "What time ...?"), or naming the
                # question's words: one word for the field asked ("Minutes: Aisha" for "Who took the minutes?"),
                # a few for its subject ("- **Family picnic**: Sunday, August 16", "- **Eyepieces included:**
                # 25mm and 10mm" for "what eyepieces come with the 8-inch", asked with no expected kind).
                start, end = sents.spans[i]
                said = document.text[start:end] if plan.answer_types or window.matched >= LABEL_COVERAGE \
                    and _may_open_with_label(document.text, start, end) else ""
                by = self._labelled_by(said, asked_terms) if said and (holds or not plan.answer_types) else 0
                if plan.answer_types and (labelled(said, plan.answer_types) or by == 1):
                    extra += LABEL_WEIGHT
                elif by > 1 and window.matched >= LABEL_COVERAGE:
                    extra += SUBJECT_LABEL_WEIGHT
                    subject_labels.append(len(found))
                if len(plan.answer_types) > 1 and window.type_share >= 1.0:
                    extra += COMPLETE_TYPES_WEIGHT  # "When and where ...?": a quote with the date and the place
                quoted = document.text[sents.spans[i][0]:sents.spans[j][1]] \
                    if plan.recency or holds and (dated or counted is not None) else ""
                if holds and (dated and vague_date(quoted)
                              or counted is not None and vague_count(quoted, counted, self.analyzer)):
                    extra -= VAGUE_ANSWER_WEIGHT  # "Saturday 5 July" before "our yearly", "80 people" before "several"
                if plan.recency:  # "current": the sentence reporting the new state, not the one it replaced
                    extra += STATE_WEIGHT * state_change(quoted)
                    if latest_release:
                        named_releases[len(found)] = _highest_release(quoted)
                if (plan.recency or role) and document.date is not None and reports_new_state(
                        quoted or document.text[sents.spans[i][0]:sents.spans[j][1]]):
                    changes.append((document.date, window.matched))
                if asks_ahead and document.date is not None:  # "When is the spring concert?": not last year's
                    to_come, _ = _upcoming(document, sents.spans, window, plan.as_of)
                    if to_come < 0:
                        past.append(len(found))
                    coming = coming or to_come > 0
                if plan.upcoming:  # "next": a date after today ranks up, a quote naming only past dates down
                    ahead, soonest = _upcoming(document, sents.spans, window, plan.as_of)
                    extra += UPCOMING_WEIGHT * ahead
                    if soonest is not None:
                        firsts[len(found)] = soonest
                    if ahead >= 0 and self._names_next(document.text[sents.spans[i][0]:sents.spans[j][1]],
                                                       asked_terms):
                        extra += NAMED_NEXT_WEIGHT  # "Next call: Thursday February 19" for "when's the next call"
                        # (not "Next call: 3 November" read in December)
                if named_period is not None:  # "The fee for 2025 is $45" for "the fee in 2025", not "for 2026"
                    extra += PERIOD_NAMED_WEIGHT * _names_period(named_period, document.text, sents.spans[i][0],
                                                                 sents.spans[j][1])
                if not plan.attendance and document.text[sents.spans[i][0]:sents.spans[i][0] + 1] in _ATTENDANCE_START \
                        and _ATTENDANCE.match(document.text, sents.spans[i][0]):
                    extra -= ATTENDANCE_WEIGHT  # "Present: Priya, Tomasz, ..." names people, it answers nothing
                found.append((window, p, score, extra, document.date))
                # An FAQ entry ("Q: What is the code for the shed padlock?" and its answer) stands on its own:
                # how far down the FAQ it is says nothing, as a page's first sentence does.
                entry = window.last > window.first and _asks(document.text, sents.spans[window.first])
                features.append(feature_vector(window, score / top_score, title, 0.0, window.first == lead,
                                               bool(plan.answer_types), headed and not entry,
                                               documents.get(passage.doc, score) / top_document))
        if not found:
            return []
        best = max(f[0].matched for f in found)
        if coming and past:  # only where another quote names a date to come: else the past date is the answer
            found = [(w, p, sc, extra - (UPCOMING_WEIGHT * PAST_FACTOR if i in past else 0.0), date)
                     for i, (w, p, sc, extra, date) in enumerate(found)]
        if changes and subject_labels:  # a newer document reports a change ("Rosa takes over"), so an
            # older list's entry ("- **Alto section leader:** Helen") is out of date: its label earns nothing
            found = [(w, p, sc, extra - (SUBJECT_LABEL_WEIGHT if i in subject_labels and date is not None and any(
                changed > date and matched >= RECENCY_PEERS * best for changed, matched in changes) else 0.0), date)
                for i, (w, p, sc, extra, date) in enumerate(found)]
        if named_releases:  # "the latest version": of the peers naming a version, the highest one
            near = [i for i, v in named_releases.items() if v and found[i][0].matched >= RECENCY_PEERS * best]
            if near:
                highest = max(named_releases[i] for i in near)
                found = [(w, p, sc, extra + (LATEST_RELEASE_WEIGHT if i in near and named_releases[i] == highest
                                             else 0.0), date)
                         for i, (w, p, sc, extra, date) in enumerate(found)]
        if firsts:  # "the next event": of the peers that name a date after today, the soonest one
            near = [i for i in firsts if found[i][0].matched >= NEXT_PEERS * best]
            if near:
                soonest = min(firsts[i] for i in near)
                found = [(w, p, sc, extra + (NEXT_WEIGHT if firsts.get(i) == soonest and i in near else 0.0), date)
                         for i, (w, p, sc, extra, date) in enumerate(found)]
        # Dates rank the documents that answer about as well as the best one: "newer wins" among documents
        # that state the same thing, not over a newer document that merely shares a word.
        peers = RECENCY_PEERS if plan.recency or plan.upcoming else DATE_PEERS
        dated = [f for f in found if f[4] is not None and f[0].matched >= peers * best]
        if plan.answer_types and any(f[0].typed for f in dated):
            dated = [f for f in dated if f[0].typed]  # newest among those that hold an answer
        dates = sorted({f[4] for f in dated})
        if plan.recency or plan.upcoming:  # only an answer among the peers is boosted for being newest
            chosen = {id(f[0]) for f in dated}
            found = [(w, p, sc, extra + (_date_score(date, dates, plan) if id(w) in chosen else 0.0), date)
                     for w, p, sc, extra, date in found]
        else:
            found = [(w, p, sc, extra + _date_score(date, dates, plan), date) for w, p, sc, extra, date in found]
        # Embedding similarity is the costliest feature: only the best SEMANTIC_CANDIDATES windows by the
        # other features get it, and they are ranked above the rest.
        dates_column = DATE_SCALE * np.array([f[3] for f in found])
        values = score_matrix(features) + dates_column
        order = sorted(range(len(found)), key=lambda i: -values[i])
        head = order[:SEMANTIC_CANDIDATES]
        texts = [self._window_text(found[i][0], found[i][1]) for i in head]  # only these are embedded
        # The no-answer rule judges a window with the heading whose words its coverage counts ("Power" above
        # "Solar panels feed it."); ranking keeps the window's own similarity. Both in one batch.
        headings = [_under_heading(self.documents[d], self.sentences[d], found[i][0].first)
                    for i in head for d in (self.passages[found[i][1]].doc,)]
        headed = [(i, heading) for i, heading in zip(head, headings) if heading]
        semantic = FEATURES.index("semantic")
        own, under = similarities_under_headings(plan.text or plan.cleaned, texts, headings)
        for i, sim in zip(head, own):
            features[i][semantic] = float(sim)
            values[i] += WEIGHTS[semantic] * float(sim)
            found[i] = (_with_semantic(found[i][0], float(sim)), *found[i][1:])
        for (i, heading), sim in zip(headed, under):
            if sim > found[i][0].semantic:
                if heading.rstrip(" .").endswith("?"):  # an FAQ heading asking the question: its answer ranks
                    values[i] += WEIGHTS[semantic] * (float(sim) - found[i][0].semantic)  # with it
                found[i] = (_with_semantic(found[i][0], float(sim)), *found[i][1:])
        order = sorted(head, key=lambda i: -values[i]) + order[SEMANTIC_CANDIDATES:]
        if rows is not None:
            rows.extend(features[i] + [found[i][3]] for i in order)
        return [(float(values[i]), found[i][0], found[i][1], found[i][2]) for i in order]

    def _names_next(self, text: str, terms: frozenset[str]) -> bool:
        """Whether ``text`` says "next" or "upcoming" right before one of the question's ``terms`` ("Next
        call:", "our next meetup is"): the words a "next" question leaves out of its search terms."""
        return any(t in terms for match in _NEXT_THING.finditer(text) for t in self.analyzer(match.group(1)))

    def _labelled_by(self, text: str, terms: frozenset[str]) -> int:
        """Whether ``text`` opens with a field label ("Minutes:", "- **Sign-up:**", "- **Family picnic**:",
        "- Day pass: £4") that holds one of the question's ``terms``, the field the question asks about: 0
        for no, 1 for a label of one word, 2 for one of a few words (see :data:`LABEL_COVERAGE`)."""
        match = _FIELD_LABEL.match(text)
        if match is None:
            return 0
        label = next(g for g in match.groups() if g)
        if not any(t in terms for t in self.analyzer(label)):
            return 0
        return 1 if match.group(1) else 2

    def _window_text(self, window: Window, p: int) -> str:
        """The text of ``window`` of passage ``p``: its sentences, first to last, as the document has them."""
        doc = self.passages[p].doc
        spans = self.sentences[doc].spans
        return self.documents[doc].text[spans[window.first][0]:spans[window.last][1]]

    def _type_finder(self, plan: QuestionPlan
                     ) -> Callable[[int, Document, Sequence[tuple[int, int]]], Callable[[int], frozenset[object]]]:
        """For one question: ``finder(doc, document, spans)`` gives ``typed(i)``, the question's answer types
        that sentence ``i`` of that document holds. One cache per question, shared by overlapping passages."""
        cache: dict[tuple[int, int], frozenset[object]] = {}
        asked = frozenset(re.findall(r"[^\W_]+", plan.cleaned.lower()))
        if AnswerType.DECISION in plan.answer_types:  # "We decided to ..." records what "was decided"
            asked -= DECISION_WORDS
        # "When is the meetup?" asks for a time to come: "last year" is no answer to it.
        ahead = AnswerType.DATE in plan.answer_types and _AHEAD.search(plan.cleaned) is not None
        unit = self.analyzer.stem_word(plan.unit) if plan.unit else None
        # Documents that name the counted thing ("people") must count it ("80 people"): there a bare
        # number ("v2.2", "last year") is not the answer. Elsewhere any number will do.
        naming: set[int] = set()
        if unit is not None:
            pids, _ = self.index.term_frequencies(unit)
            if len(pids) < 5000:
                naming = set(np.unique(self._document_lengths().docs[pids]).tolist())

        def finder(doc: int, document: Document, spans: Sequence[tuple[int, int]]) -> Callable[[int], frozenset[object]]:
            def typed(i: int) -> frozenset[object]:
                found = cache.get((doc, i))
                if found is None:
                    s, e = spans[i]
                    text = document.text[s:e]
                    found = cache[(doc, i)] = frozenset(
                        kind for kind in plan.answer_types
                        if (has_answer_type(text, kind, asked) or labelled(text, (kind,))  # "Venue: Casa do Porto"
                            # "Install or upgrade it with:" over a code block: quoted with the command
                            or kind is AnswerType.INSTRUCTION and _with_command(document, e, plan) > e)
                        and (unit is None or kind is not AnswerType.NUMBER
                             or counts(text, unit, self.analyzer, strict=doc in naming))
                        and (not ahead or kind is not AnswerType.DATE or _PAST_DEICTIC.search(text) is None
                             or has_answer_type(_PAST_DEICTIC.sub(" ", text), kind, asked)))
                return found

            return typed

        return finder

    def _of_period(self, doc: int, period: tuple[dt.date, dt.date], as_of: dt.date) -> bool:
        """Whether document ``doc`` may answer a question about ``period``, asked on ``as_of``: it is undated,
        or dated within the period or up to :data:`PERIOD_GRACE_DAYS` after it (notes written up after the
        event), or before it when the period is still to come (an announcement of "the 26 April meetup"), or
        up to :data:`ANNOUNCEMENT_DAYS` before it when its text names the period (the announcement of
        "Saturday December 13, 2025", asked about in May 2026)."""
        date = self._document_dates()[doc]
        first, last = period
        if date is None or first <= date <= last + dt.timedelta(days=PERIOD_GRACE_DAYS):
            return True
        if date < first and first > as_of:
            return True
        if date < first and (first - date).days <= ANNOUNCEMENT_DAYS:
            named = _period_named(period)
            return named is not None and named.pattern.search(self.documents[doc].text) is not None
        return False

    def _documents_within(self, period: tuple[dt.date, dt.date]) -> npt.NDArray[np.int64]:
        """The documents dated within ``period`` (first and last day included), in date order: shape
        ``(documents,)``. The dates are sorted once per retriever, so this is two binary searches."""
        if self._sorted_dates is None:
            self._sorted_dates = _sorted_dates(self._document_dates())
        dates, docs = self._sorted_dates
        first, last = period
        return docs[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]

    def _dated_within(self, period: tuple[dt.date, dt.date]) -> bool:
        """Whether some document's date falls within ``period`` (first and last day included)."""
        return len(self._documents_within(period)) > 0

    def _document_dates(self) -> list[dt.date | None]:
        """Every document's date, in document order (cached)."""
        if self._dates is None:
            self._dates = self.date_source() if self.date_source else [d.date for d in self.documents]
        return self._dates

    def _document_lengths(self) -> DocumentLengths:
        """Per-document lengths for :func:`.ranking.document_scores` (computed once)."""
        if self._doc_lengths is None:
            docs = getattr(self.passages, "docs", None)
            if docs is None:
                docs = np.fromiter((p.doc for p in self.passages), dtype=np.int64, count=len(self.passages))
            self._doc_lengths = DocumentLengths(docs, np.asarray(self.index.bm25.doc_len, dtype=np.float64))
        return self._doc_lengths

    def _title_terms(self, doc: int, headed: bool) -> frozenset[str]:
        """Terms of the document's title and file name. A document without a title of its own (no metadata
        title, no opening heading) is titled by its first sentence, which is body text: then only the file
        name counts, or the first sentence would weigh twice for every excerpt of the document."""
        cached = self._titles.get(doc)
        if cached is None:
            document = self.documents[doc]
            title = document.title
            body = document.text[document.body_start:document.body_start + len(title) + 400]  # not all the body
            if not headed and _within(title.rstrip("…"), body):
                title = ""
            cached = term_cache(self.analyzer).term_set(title + " " + document.id.replace("-", " "))
            self._titles[doc] = cached
        return cached


#: A question in two parts: two questions, or a second clause opened by a question or auxiliary verb.
_TWO_PART = re.compile(r"\?.*\w.*\?|\b(?:and|or|but|also) (?:is|are|do|does|did|can|could|should|will|would|"
                       r"how|what|when|where|who|whom|which|why)\b", re.IGNORECASE)
#: Passages fetched by BM25 whose windows compete, at the least. The first excerpt comes from one of the best
#: four for 97 to 99% of questions (SQuAD, community-dev, WikiQA, TrecQA), and from beyond the 16th for 1 of
#: 3,000 SQuAD questions; 16 instead of 24 saves a third of the window ranking (see benchmarks/README.md).
CANDIDATES = 16
#: Question words whose other forms (:func:`~retrieval.variants.term_variants`) a retriever remembers.
VARIANT_CACHE = 20_000
#: An unknown initialism is looked up in the documents of the best passages for the question's other words:
#: this many passages, and of their documents this many (see :meth:`Retriever._spelled_out`).
INITIALISM_PASSAGES = 10
INITIALISM_DOCUMENTS = 5
#: Passages whose documents get a whole-document BM25 score, the ``document`` feature: how much of the
#: question's evidence a document holds overall, beyond its best passage (the document-then-passage order
#: of classic QA pipelines). 16, 50 and 100 give the same figures on every answer benchmark (community-dev,
#: WikiQA, TrecQA, SQuAD and its no-answer split, the news quiz); 16 costs least: the pool is then the
#: CANDIDATES passages themselves, one top-16 BM25 pass (a top-50 pass costs a third more at 1M passages).
DOCUMENT_POOL = 16
#: Date terms (:func:`_date_score`, :data:`UPCOMING_WEIGHT`) are multiplied by this: the learned weights'
#: scale, which the training sets (undated) cannot set.
DATE_SCALE = 6.0
#: A document's date ranks it among the documents whose windows cover at least this share of the best
#: window's coverage (see :meth:`Retriever._rank`).
DATE_PEERS = 0.75
#: The same for a question that asks for the newest state ("now", "these days", "next"): a newer document
#: often says it in fewer of the question's words ("Shorter sessions" over "Login sessions now expire").
RECENCY_PEERS = 0.4
#: A follow-up prefers the document the previous answer quoted: :func:`retrieval.followup.document_bonus`
#: times this, in ranking-score units (the learned passage weight is 2).
PREFERRED_WEIGHT = 15.0
#: Sentences looked back over for the heading of a window's section (see :func:`_under_heading`).
HEADING_LOOKBACK = 200
#: A question about a period ("at the May 2024 call") is answered only from undated documents and documents
#: dated within it or this many days after it (see :meth:`Retriever._of_period`).
PERIOD_GRACE_DAYS = 14
#: A document dated at most this many days before a period a question names may answer for it when its
#: text names the period (an event's announcement; see :meth:`Retriever._of_period`).
ANNOUNCEMENT_DAYS = 62
#: A *when* question about what is or will be ("When is the meetup?", "when's the call"), not what was.
_AHEAD = re.compile(r"\bwhen(?: and \w+)?(?:'s| is| are| will| does| do)\b|\bwhens\b", re.IGNORECASE)
#: Times that point back from the day of writing; no answer to a question about what is to come.
_PAST_DEICTIC = re.compile(r"\b(?:[Yy]esterday|[Ll]ast (?:week|month|year)(?:'s)?|(?:a|one|two|three) (?:weeks?|months?|years?) ago)\b")
#: For "current" / "now" questions, a quote reporting a new state ("takes over") ranks up by this, one
#: reporting the old state ("steps down") down (:func:`retrieval.recency.state_change`), in date units.
STATE_WEIGHT = 0.1
#: Largest boost a document's date earns for "latest" / "now" questions (newest candidate document).
RECENCY_WEIGHT = 0.6
#: For "latest" / "now" questions, the boost of every candidate document but the newest is scaled by this:
#: the newest of several documents that state the same thing wins clearly, not only by a rank step.
RECENCY_RUNNER_UP = 0.7
#: The same when the question says nothing of time: newer documents win near-ties.
DEFAULT_RECENCY_WEIGHT = 0.04
#: Boost for a document of the period a question names; one from before it gets less, fading with distance.
PERIOD_WEIGHT = 0.6
#: Boost, in date units, for an excerpt that names the year or month a question asks about ("The fee for
#: 2025 is $45" for "How much was the fee in 2025?"), and loss for one that names only other years (the
#: minutes of 2025 setting "the fee for 2026").
PERIOD_NAMED_WEIGHT = 0.15
#: Boost for an excerpt of a document whose title or file name holds a version the question names; in a
#: document that does not, for an excerpt under a heading naming it, and loss for one naming only others.
VERSION_WEIGHT = 0.3
_VERSION_TERM = re.compile(r"v?\d+\.\d+(?:\.\d+)*")
#: A question asking which release is the latest ("What is the latest version?", "Which release is the
#: newest?"), not for a requirement that holds now ("What's the minimum Python version right now?").
_LATEST_RELEASE = re.compile(
    r"(?i)\b(?:latest|newest|current|most recent)(?:[ \t]+[\w.-]+){0,2}?[ \t]+(?:version|release)s?\b|"
    r"\b(?:which|what)[ \t]+(?:version|release)s?\b.*\b(?:latest|newest|most recent)\b")
_VERSION_NAMED = re.compile(r"(?<![\w.])v?\d+\.\d+(?:\.\d+)*(?![\w.]*\d)")
#: Boost for an excerpt that opens with a field label of the expected answer type ("Time:", "Venue:").
LABEL_WEIGHT = 0.4
#: Boost, in date units, for an excerpt opening with a label of a few words that names the question's subject
#: ("- **Family picnic**: Sunday, August 16", "- Day pass: £4"), when the excerpt holds :data:`LABEL_COVERAGE`
#: of the question's weight ("- **Facilities lead:** Marcus" does not answer "Who leads the hive team?" for its
#: "lead"). For a question about the current state ("now") or a *who* question, not in a document older than
#: one that reports a change (:func:`retrieval.recency.reports_new_state`): an older list's "- **Alto section
#: leader:** Helen" must not beat the minutes where "Rosa Delgado takes over".
SUBJECT_LABEL_WEIGHT = 0.4
LABEL_COVERAGE = 0.5
#: Boost, in date units, of an excerpt that holds every kind a two-part question asks for ("When and where
#: ...?": the date and the place) over one that holds only one of them.
COMPLETE_TYPES_WEIGHT = 0.2
#: Loss, in date units, of an excerpt that answers *how many X* only with a quantifier ("several people")
#: against one that gives the number ("room for 80 people"), or *when* only with a one-word frequency
#: ("our yearly seed swap" against "Saturday 5 July"): worth about half the type feature.
VAGUE_ANSWER_WEIGHT = 0.17
#: Boost for an excerpt that mentions a date after today, for "next" / "upcoming" questions; an excerpt that
#: names only dates before today loses :data:`PAST_FACTOR` times as much ("Next call: 3 November", read in
#: December, is out of date).
UPCOMING_WEIGHT = 0.25
#: Further boost, for "next" questions, for the excerpts naming the soonest date after today among those that
#: answer about as well as the best ("What's the next event?" over a list of dated events).
NEXT_WEIGHT = 0.25
#: Boost for the quote naming the highest version number among its peers, for "the latest version".
LATEST_RELEASE_WEIGHT = 0.5
#: Boost, for "next" questions, for an excerpt that says "next" before a question word ("Next call: ...")
#: and names no date already past.
NAMED_NEXT_WEIGHT = 0.25
#: Boost for the quote naming the highest version number among its peers, for "the latest version".
LATEST_RELEASE_WEIGHT = 0.5
_NEXT_THING = re.compile(r"\b(?:[Nn]ext|[Uu]pcoming)((?: [\w-]+){1,2})")
#: Loss, for a question that does not ask who attended or how many came, of an excerpt that opens
#: with a meeting's attendance line ("Present: Priya, Tomasz and 14 members"): it holds names and a number
#: whatever was asked.
ATTENDANCE_WEIGHT = 0.2
_ATTENDANCE = re.compile(r"[ \t>*_-]*(?:present|attendees|attending|in attendance|attendance|absent|apologies|"
                         r"participants)\W{0,3}:", re.IGNORECASE)
#: The characters an attendance line may start with (spares most sentences the pattern).
_ATTENDANCE_START = frozenset(" \t>*_-PpAaIi")
#: Coverage, as a share of the best window's, that makes a window a peer for :data:`NEXT_WEIGHT`.
NEXT_PEERS = 0.8
PAST_FACTOR = 3
#: Windows (best by the other features) that get the embedding-similarity feature (:mod:`.semantic`).
#: (8 would embed a third less, but a window that needs its similarity to count as an answer may then not
#: get it: it declined an answerable question of a new user's folder and 5 more of 3,000 SQuAD questions.)
SEMANTIC_CANDIDATES = 12
#: Once some excerpt answers, a further one (or a better-ranked one) needs at least this share of the weight.
MIN_EXCERPT_COVERAGE = 0.25
#: When a question expects an answer type, an excerpt without one needs at least this share of its weight.
UNTYPED_COVERAGE = 0.7
#: Answer types that are the whole answer: "How much does a pint glass cost?" and "What time does the picnic
#: start?" are not answered by a sentence without an amount or a clock time, however many of their words it
#: holds ("Judges get lunch and a pint glass.").
_VALUE_TYPES = frozenset({AnswerType.MONEY, AnswerType.TIME})
#: The answer types of a question whose verb may be a frame word (:data:`~.question.WHERE_WHEN_FRAME_WORDS`).
_WHERE_WHEN = frozenset({AnswerType.PLACE, AnswerType.DATE, AnswerType.TIME, AnswerType.FREQUENCY})
#: A chat word that may lack its final *g* ("goin", "somethin"), and how much more common in English (Zipf
#: scale) the *-ing* form must be for the word to be read as it ("thin" and "kin" are words of their own).
#: The word itself must be rarer than this ("within", "margin" are common words).
_G_DROPPED = re.compile(r"[a-z]{2,}in")
G_DROPPED_GAIN = 1.5
G_DROPPED_ZIPF = 4.0
#: A word at least this common in English (wordfreq Zipf scale) is never taken for a typo.
TYPO_ZIPF = 2.5
#: An unknown token mixing letters and digits ("k8s", "i18n") weighs at most this share of the largest idf.
CODE_LIKE_SHARE = 0.2
_CODE_LIKE = re.compile(r"(?=.*\d)(?=.*[a-z])[a-z0-9]+")
#: An unknown capitalised word in a question ("Tokyo") weighs at least this share of the largest idf.
NAME_SHARE = 0.9


#: Answer types that often stand in the sentence after the one that names the subject.
_FOLLOWED: frozenset[object] = frozenset({AnswerType.REASON, AnswerType.INSTRUCTION, AnswerType.DECISION})


@functools.lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """How common ``word`` is in English, on wordfreq's Zipf scale (Speer 2022), as :func:`.zipf.zipf_frequency`
    gives it (from a table saved with the index, else from wordfreq, imported on first use)."""
    return zipf_frequency(word)


def _sorted_dates(dates: Sequence[dt.date | None]) -> tuple[list[dt.date], npt.NDArray[np.int64]]:
    """The documents' dates in order and their documents, shape ``(dated documents,)``: what
    ``sorted((date, doc) for each dated document)`` gives (same dates, ties by document number), by a stable
    argsort of the day numbers (a twentieth of the time at 100,000 documents) when every date is a plain
    ``datetime.date``."""
    if all(type(d) is dt.date or d is None for d in dates):
        days = np.fromiter((-1 if d is None else d.toordinal() for d in dates), dtype=np.int64, count=len(dates))
        docs = np.flatnonzero(days >= 0)
        docs = docs[np.argsort(days[docs], kind="stable")].astype(np.int64)
        return [dates[i] for i in docs.tolist()], docs  # type: ignore[misc]
    dated = sorted((d, i) for i, d in enumerate(dates) if d is not None)
    return [d for d, _ in dated], np.array([i for _, i in dated], dtype=np.int64)


def _capitalised_words(text: str) -> frozenset[str]:
    """Lower-cased words written with a capital inside a question (not its first word): likely names."""
    words = re.findall(r"[^\W_]+", text)
    if sum(1 for w in words[1:] if w[:1].isupper()) * 2 > len(words) - 1:
        return frozenset()  # Title Case or shouting: capitals say nothing about names
    return frozenset(w.lower() for w in words[1:] if w[:1].isupper() and not w.isupper() or len(w) > 1 and w.isupper())


#: Longest code block quoted after "Run the following:" for a how-to question, in characters.
MAX_COMMAND_CHARS = 600


def _with_command(document: Document, end: int, plan: QuestionPlan) -> int:
    """Where a quote ends: at ``end``, or, for a how-to question whose quote ends with a colon ("Run the
    following on the server:"), at the end of the code block right below it, which is the instruction
    itself (a code block is never quoted otherwise). Blocks over :data:`MAX_COMMAND_CHARS` are not taken."""
    if AnswerType.INSTRUCTION not in plan.answer_types or not document.code:
        return end
    if not document.text[:end].rstrip(" *_").endswith(":"):
        return end
    for a, b in document.code:
        if a >= end:
            if document.text[end:a].strip() or b - a > MAX_COMMAND_CHARS:
                return end
            return len(document.text[:b].rstrip())
    return end


def _introduced_command(document: Document, last: tuple[int, int], after: tuple[int, int], plan: QuestionPlan) -> int:
    """Where a how-to quote ending with sentence ``last`` ends when the sentence right after it, in the same
    paragraph, introduces a code block ("Docker is the recommended way to run it. Start it with:" over the
    ``docker run`` block): at the end of that block, so the command is shown (see :func:`_with_command`);
    else at the end of ``last``."""
    if AnswerType.INSTRUCTION not in plan.answer_types or "\n\n" in document.text[last[1]:after[0]]:
        return last[1]
    end = _with_command(document, after[1], plan)
    return end if end > after[1] else last[1]


def _joins(document: Document, spans: Sequence[tuple[int, int]]) -> Callable[[int], bool] | None:
    """``joins(j)`` for :func:`~retrieval.excerpts.window_rows`: no code block between sentences ``j - 1`` and
    ``j``; ``None`` for a document without code."""
    if not document.code:
        return None
    starts = [a for a, _ in document.code]

    def joins(j: int) -> bool:
        k = bisect.bisect_left(starts, spans[j - 1][1])
        return k >= len(starts) or starts[k] >= spans[j][0]

    return joins


def _proper_names(text: str) -> frozenset[str]:
    """Lower-cased words written Capitalised (not all capitals, at least three letters) inside a question:
    "Tokyo", not "PC" or "Docker's" first word."""
    words = re.findall(r"[^\W\d_]+", text)
    return frozenset(w.lower() for w in words[1:] if len(w) > 2 and w[0].isupper() and w[1:].islower())


def _joined_compounds(concepts: list[Concept], words: Sequence[str], vocabulary: Any,
                      stem: Callable[[str], str]) -> list[Concept]:
    """Two neighbouring question words the documents write as one ("never ending" for "NeverEnding"):
    the joined word counts as a variant of both, at the variant factor."""
    by_term = {c.term: i for i, c in enumerate(concepts)}
    for a, b in zip(words, words[1:]):
        joined = stem(a + b)
        ta, tb = stem(a), stem(b)
        if joined in vocabulary and joined not in by_term and ta in by_term and tb in by_term:
            for t in (ta, tb):
                c = concepts[by_term[t]]
                concepts[by_term[t]] = Concept(c.term, c.weight, (*c.forms, (joined, VARIANT_FACTOR)), c.absent_name)
    return concepts


def _asks(text: str, span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` is a question line ("Q: Which formats ...?", "**Can I ...?**")."""
    return text[span[0]:span[1]].rstrip(" *_\"')]").endswith("?")


def _prose(text: str, sents: DocumentSentences) -> Callable[[int], bool]:
    """``prose(i)``: sentence ``i`` is prose (it has index terms and does not start like an image, a link, a
    table row or a heading), so the document's title stands over it."""
    return lambda i: bool(sents.terms[i]) and not text.startswith(NOT_PROSE_START, sents.spans[i][0])


#: Longest quote, in characters, that takes in the sentence its first sentence leans on (see :func:`_antecedent`).
MAX_ANTECEDENT_CHARS = 450
#: See :meth:`Retriever._document_answers`: chosen on community-dev's chatty questions and SQuAD's no-answer
#: split (0.65 answers 93.77% and declines 80.35% there, against 93.50% and 80.55% without the rule).
SPREAD_WINDOW_COVERAGE = 0.3
SPREAD_DOCUMENT_COVERAGE = 0.65
#: A document is written in lower case when fewer than this share of its words inside sentences start with a
#: capital (English prose has names, "I" and acronyms: typically 5% to 15%), over at least
#: :data:`CASELESS_MIN_WORDS` such words of its first :data:`CASELESS_SAMPLE_CHARS` characters.
CASELESS_SHARE = 0.01
CASELESS_MIN_WORDS = 30
CASELESS_SAMPLE_CHARS = 20_000
_INSIDE_WORD = re.compile(r"(?:(?<=[a-z] )|(?<=[a-z][,;:] ))[^\W\d_]")
_HOW_MANY = re.compile(r"\bhow many\b", re.IGNORECASE)
#: A field label opening a line: one word before a colon ("Minutes:", "- **Sign-up:**"), maybe bold or after a
#: list mark; a few words in bold; or a few words opening a list item with a short value. ("Docker users:" or
#: "- WebP thumbnails: no complaints, except ..." name a topic, not a field.) The label is the group matched.
_FIELD_LABEL = re.compile(r"\W*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][\w'-]*)(?:\*\*|__)?\s*:(?!//)|"
                          # a label of a few words in bold ("- **Family picnic**: Sunday, August 16")
                          r"[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)([A-Za-z][\w'-]*(?: [\w'-]+){1,3})(?:(?:\*\*|__)"
                          r"[ \t]*:(?!//)|[ \t]*:(?:\*\*|__))|"  # "**Rain date**:" or "**Rain date:**"
                          # or opening a list item with a short value ("- Day pass: £4"; not a topic over prose)
                          r"[ \t]*[-*+][ \t]+([A-Za-z][\w'-]*(?: [\w'-]+){1,2})[ \t]*:(?!//)(?=[^\n]{1,40}$)")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d+[.)])[ \t]")


def _antecedent(document: Document, sents: DocumentSentences, window: Window, passage_first: int,
                used: Sequence[tuple[int, int]]) -> int:
    """The sentence a quote starts with: ``window.first``, or the one before it when the window opens by
    leaning on it ("He is also the oldest quarterback ...") and the two read as one prose paragraph."""
    i = window.first
    if i <= passage_first:
        return i
    start = sents.spans[i][0]
    text = document.text
    if not leans_back(text[start:start + 80].lstrip("\"'“(")):
        return i
    j = i - 1
    ps, pe = sents.spans[j]
    if not _prose(text, sents)(j) or "\n\n" in text[pe:start]:
        return i  # a heading, markup or another paragraph
    if "\n" in text[pe:start] and (_LIST_ITEM.match(text, start) or _LIST_ITEM.match(text, ps)):
        return i  # list items stand on their own
    if window.chars + (pe - ps) > MAX_ANTECEDENT_CHARS:
        return i
    if any(f <= j <= l for f, l in used):
        return i
    return j


def _before_yes_no(document: Document, sents: DocumentSentences, first: int, used: Sequence[tuple[int, int]]
                   ) -> int:
    """The sentence a quote starts with: ``first``, or the one before it when that only says yes or no
    (:data:`_YES_NO`) in the same paragraph: an FAQ's reply "No." is quoted with its reason ("No." / "The base
    contains electronics; wipe the jug instead.")."""
    j = first - 1
    if j < 0 or any(f <= j <= l for f, l in used):
        return first
    s, e = sents.spans[j]
    text = document.text
    if e - s > 40 or _YES_NO.fullmatch(text, s, e) is None or "\n\n" in text[e:sents.spans[first][0]]:
        return first
    return j


def _after_yes_no(document: Document, sents: DocumentSentences, last: int, used: Sequence[tuple[int, int]],
                  polar: bool = False) -> int:
    """The sentence a quote ends with: ``last``, or the next one when ``last`` is only a yes or a no ("A: Yes.",
    "Yes, and we recommend it.") and the next sentence goes on in the same paragraph: the yes is quoted with
    what it says yes to ("Larder is released under the AGPL-3.0 licence."); likewise when ``last`` asks a
    question (a chat message, an FAQ's "Q:" line) and the next sentence, in the same paragraph, does not.
    ``polar``: the question asks yes or no ("Do I have to be a member to borrow gear?"); then a short next
    sentence in the same paragraph that says no ("Non-members cannot borrow.") is quoted too: it is the
    answer the sentence before leads up to."""
    spans = sents.spans
    if last + 1 >= len(spans) or not sents.terms[last + 1] or any(f <= last + 1 <= l for f, l in used):
        return last
    s, e = spans[last]
    text = document.text
    if "\n\n" in text[e:spans[last + 1][0]]:
        return last
    if _asks(text, spans[last]) and not _asks(text, spans[last + 1]):
        # A question line ends the quote only where its passage ends: "[19:21] jonah_k: what's the deadline
        # for the Pleiades challenge?" is quoted with the reply on the next line, as inside a passage.
        return last + 1 if sents.chars[last + 1] <= MAX_ANTECEDENT_CHARS else last
    if polar and sents.chars[last + 1] <= MAX_SAYS_NO_CHARS and _SAYS_NO.search(text, *spans[last + 1]) \
            and not _SAYS_NO.search(text, s, e) and not text.startswith(NOT_PROSE_START, spans[last + 1][0]):
        return last + 1
    if e - s > 40 or _YES_NO.fullmatch(text, s, e) is None:
        return last
    if text.startswith(NOT_PROSE_START, spans[last + 1][0]) or sents.chars[last + 1] > MAX_ANTECEDENT_CHARS:
        return last
    return last + 1


#: A sentence that says no: a negation ("Non-members cannot borrow.", "Card payments are not accepted.").
_SAYS_NO = re.compile(r"\b(?:not|no|never|cannot|can't|won't|isn't|aren't|don't|doesn't|only)\b|n't\b", re.IGNORECASE)
#: Longest such sentence quoted after the one that answers a yes-or-no question (characters).
MAX_SAYS_NO_CHARS = 80
#: A sentence that only says yes or no, perhaps after an FAQ's "A:" ("A: Yes.", "No, not yet.").
_YES_NO = re.compile(r"(?:A:\s*)?(?i:yes|no|yep|yup|nope|sure|correct|not yet|absolutely|definitely|of course|"
                     r"certainly|totally|not at all|unfortunately not|sadly not)\b[^.!?\n]{0,30}[.!]?")


def _wants_value(plan: QuestionPlan) -> bool:
    """Whether the question asks for an amount or a time of day (:data:`_VALUE_TYPES`): a quote without one
    neither answers it nor is quoted for it."""
    return any(t in _VALUE_TYPES for t in plan.answer_types)


def _within(part: str, text: str) -> bool:
    """Whether ``part`` occurs in ``text`` once runs of white space are one space in both (and ends are
    stripped). A verbatim occurrence is one (white space runs inside it match the same runs of ``text``), so
    only the others need the normalised copies."""
    return part in text or " ".join(part.split()) in " ".join(text.split())


def _answers_heading_question(text: str, structure: SentenceStructure, spans: Sequence[tuple[int, int]],
                              i: int) -> bool:
    """Whether sentence ``i`` is the first one under a heading that asks a question ("## Can I run it behind a
    reverse proxy?"), or follows only a bare reply under it ("No." / "The base contains electronics; ..."):
    in an FAQ written with headings, the answer to it."""
    if i == 0:
        return False
    k = i - 1
    structure.ensure(k, i)  # only the blocks looked at: this runs for every window
    while k > 0 and structure.filler[k] and not text[spans[k][0]:spans[k][1]].rstrip().endswith("?"):
        k -= 1  # "No.", "Yes.": filler, with nothing to quote on its own
        structure.ensure(k, k)
    if structure.quotable[k] or not structure.has_section(i):
        return False
    s, e = spans[k]
    return text[s:e].rstrip(" #*_").endswith("?")


def _date_score(date: dt.date | None, dates: Sequence[dt.date], plan: QuestionPlan) -> float:
    """Date boost of a candidate document (see :data:`RECENCY_WEIGHT` and :data:`PERIOD_WEIGHT`)."""
    if plan.period is not None:
        first, last = plan.period
        if date is None:
            return 0.0
        if first <= date <= last:
            return PERIOD_WEIGHT
        if date < first:
            return 0.5 * PERIOD_WEIGHT * math.exp(-(first - date).days / 180)
        return 0.0
    weight = RECENCY_WEIGHT if plan.recency or plan.upcoming else DEFAULT_RECENCY_WEIGHT
    if date is None or len(dates) < 2:
        return weight * 0.3 if dates and date is None else 0.0
    rank = min(1.0, bisect.bisect_left(dates, date) / (len(dates) - 1))
    if (plan.recency or plan.upcoming) and date < dates[-1]:
        rank *= RECENCY_RUNNER_UP  # "now": the newest statement wins, not the one it replaced
    return weight * rank


def _may_open_with_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may open with a label of a few words (:data:`_FIELD_LABEL`'s bold or list-item
    forms): it starts with a list mark or bold and has a colon near its start. A look at two characters spares
    most sentences the pattern."""
    return start < end and text[start] in "-*+_ \t" and text.find(":", start, min(end, start + 120)) >= 0


class _NamedPeriod(NamedTuple):
    """How a text names a period (:func:`_period_named`): ``pattern``; ``year``, whether the period is a whole
    year (then a text naming only other years names another period)."""

    pattern: re.Pattern[str]
    year: bool


@functools.lru_cache(maxsize=256)
def _period_named(period: tuple[dt.date, dt.date] | None) -> _NamedPeriod | None:
    """How a text names the period a question asks about: its year for a year ("2025"), its month and year
    for a month ("March 2025", "March 13, 2025", "13 March 2025", "2025-03"); ``None`` for no period or
    another span. Compiled once per period."""
    if period is None:
        return None
    first, last = period
    if first.year != last.year:
        return None
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return _NamedPeriod(re.compile(rf"\b{first.year}\b"), True)
    if first.month == last.month and first.day == 1 \
            and last.day == calendar.monthrange(first.year, first.month)[1]:
        name = calendar.month_name[first.month]
        day = r"(?: \d{1,2}(?:st|nd|rd|th)?)?"  # "December 13, 2025", "13 December 2025", "December 2025"
        return _NamedPeriod(re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? )?(?:{name}|{name[:3]})\.?{day},? "
                                       rf"{first.year}\b|\b{first.year}-{first.month:02d}\b", re.IGNORECASE), False)
    return None


_YEAR_NAMED = re.compile(r"\b(?:19|20)\d{2}\b")


def _names_period(named: _NamedPeriod, text: str, start: int, end: int) -> float:
    """1 when ``text[start:end]`` names the asked period (``named``, :func:`_period_named`); -1 when, asked
    for a year, it names only other years ("the fee for 2026" for a question about 2025); else 0."""
    if named.pattern.search(text, start, end) is not None:
        return 1.0
    return -1.0 if named.year and _YEAR_NAMED.search(text, start, end) is not None else 0.0


def _named_version(term: str, question: str) -> bool:
    """Whether ``term`` ("4.0") is a version the question names as one ("v4.0", "version 4.0", "the 4.0
    release"), not a plain decimal ("3.5 million")."""
    if _VERSION_TERM.fullmatch(term) is None:
        return False
    escaped = re.escape(term.lstrip("v"))
    return re.search(rf"(?i)(?:\bv|\bversion |\brelease ){escaped}\b|\b{escaped} release\b", question) is not None


def _asked_releases(versions: set[str], question: str) -> frozenset[str]:
    """The version terms of ``versions`` that ``question`` names as a release of something ("v1.5",
    "version 1.5", "RideLog 1.5", "Python 3.13"), the longest form of each ("2.1.1", not also "2.1"); not a
    plain decimal ("3.5 million", "a 2.5 kg frame")."""
    named = {t for t in versions if _named_version(t, question)
             or re.search(rf"\b[A-Z][\w-]*[ \t]+v?{re.escape(t.lstrip('v'))}\b", question)}
    return frozenset(t for t in named if not any(u != t and u.startswith(t + ".") for u in named))


def _highest_release(text: str) -> tuple[int, ...]:
    """The highest version number written in ``text`` ("2.10" above "2.9"), as numbers; ``()`` for none."""
    return max((tuple(int(n) for n in m.group().lstrip("vV").split(".")) for m in _VERSION_NAMED.finditer(text)),
               default=())


def _names_release(releases: frozenset[str], sents: DocumentSentences, i: int, j: int) -> float:
    """1 when the heading over the window of sentences ``i..j`` names one of the question's ``releases``
    (the notes of v1.5 under "## v1.5"), -1 when the window and its heading name only other releases
    ("RideLog 1.4 adds offline maps" for a question about 1.5), else 0 (a sentence naming the release
    itself, "deprecated since v1.6", earns nothing: the notes of that release rank by their title). From
    the sentences' index terms, where "v1.5" is "1.5" and "2.1.1" also "2.1"."""
    heading = sents.sections[i] if sents.sections else frozenset()
    if releases & heading:
        return 1.0
    named = set(heading)
    for k in range(i, j + 1):
        named.update(sents.terms[k])
    if releases & named:
        return 0.0
    others = [t for t in named if _VERSION_TERM.fullmatch(t) and not any(r.startswith(t + ".") for r in releases)]
    return -1.0 if others else 0.0


def _with_semantic(window: Window, semantic: float) -> Window:
    """``dataclasses.replace(window, semantic=semantic)``, without its look at the fields."""
    return Window(window.first, window.last, window.score, window.matched, window.typed, window.type_share,
                  window.lead, window.chars, semantic)


def _under_heading(document: Document, sents: DocumentSentences, first: int) -> str:
    """The text of the heading a window starting at sentence ``first`` sits under, and a space, when its
    words count towards the window's coverage (``sections``): "Power" for "Solar panels feed it." under
    "## Power". The no-answer rule judges its similarity to the question with the heading, as its coverage
    is. Empty otherwise. The heading is the nearest sentence above without index terms of its own."""
    structure = sents.structure(document.text)
    if not structure.has_section(first):
        return ""
    low = max(-1, first - HEADING_LOOKBACK)
    structure.ensure(low + 1, first)
    quotable = structure.quotable
    for j in range(first - 1, low, -1):
        if not quotable[j]:
            s, e = sents.spans[j]
            return document.text[s:e].lstrip("#").strip() + ". "
    return ""


def _upcoming(document: Document, spans: Sequence[tuple[int, int]], window: Window, as_of: dt.date
              ) -> tuple[float, dt.date | None]:
    """``(score, first)``: score 1 when the window names a calendar date on or after ``as_of``, ``-PAST_FACTOR``
    when it names dates and all are before it ("Next call: 3 November" read in December), else 0; ``first``
    the earliest date it names after ``as_of`` (``None``: none)."""
    text = document.text[spans[window.first][0]:spans[window.last][1]]
    past = ahead = False
    first: dt.date | None = None
    for y, m, d in future_dates(text, document.date):
        try:
            day = dt.date(y, m, d)
        except ValueError:
            continue
        if day >= as_of:
            ahead = True
            if day > as_of and (first is None or day < first):
                first = day
        else:
            past = True
    return (1 if ahead else -PAST_FACTOR if past else 0), first
