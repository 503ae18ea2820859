"""Extractive summaries and the list of sources.

A summary is a handful of whole sentences quoted verbatim from the documents, each with its document and
date; nothing is rewritten. :func:`summarise` covers four requests:

* the whole collection (no options): with one document, that document's summary; with several, a dated
  digest, the collection's most central sentences grouped by date, oldest first;
* one document (``document=``): its most central sentences, in document order;
* a topic (``topic=``): the passages that match the topic (BM25, the same index :meth:`Retriever.ask` uses),
  summarised, biased towards the sentences that hold the topic's words;
* any of these narrowed to a date range (``since=``/``until=``, inclusive): undated documents are left out
  of a dated range and counted in :attr:`Summary.undated_left_out`.

Method
------
Sentences are ranked by their centrality in a graph whose edge weights are BM25 similarities between
sentences: TextRank (Mihalcea & Tarau 2004) with the BM25 similarity of Barrios et al. 2016, "Variations of the
similarity function of TextRank for automated summarization" (each sentence is scored as a BM25 query against
every other sentence taken as a document; idf over the candidate sentences). Centrality is the stationary
distribution of a damped random walk on the symmetrised graph (PageRank), optionally personalised towards
the topic, as in topic-sensitive LexRank (Erkan & Radev 2004; Otterbacher, Erkan & Radev 2005). The final
score divides out part of the length bias of summed BM25 weights (:data:`LENGTH_POWER`, tuned on a random half
of the BBC News Summary set, see ``benchmarks/summary_rouge.py``). Sentences are then picked best first,
never a near-duplicate of a picked one (:data:`DUPLICATE_OVERLAP`), preferring prose (no tables, run-ons or
fragments: see :data:`MIN_TERMS`, :data:`MAX_QUOTED_SENTENCE_CHARS`, :data:`MAX_NUMBER_SHARE`) and, in a
digest, spreading over documents; then they are put back in reading order. Title and heading lines are never
quoted (:func:`is_heading`).

Terms are the project's :class:`~retrieval.analyzer.Analyzer` output and BM25 is the project's
:class:`~retrieval.index.BM25Index`; there is no second tokenizer.

Limits
------
The graph has at most :data:`MAX_GRAPH_SENTENCES` nodes (dense ``n x n`` similarities: 1,000 nodes is about
8 MB and well under a second). When the material holds more candidate sentences than that (a whole large
collection, a wide date range), candidates are preselected by their BM25 weight against the material's
centroid (the idf-weighted share of sentences holding each term, Radev et al. 2004's centroid idea with BM25
length normalisation), keeping at most :data:`PRESELECT_PER_DOCUMENT` per document so no single long document
crowds out the rest. A topic summary reads at most :data:`MAX_TOPIC_PASSAGES` passages.

Per retriever, the quotable sentences of each document, the sentence-term matrix used for preselection and
the names used for suggestions are computed once, on first use (safely from several threads at once), and
kept while the retriever lives: on the 19,043 Reuters articles (129,515 sentences) the first digest takes
about 2 s, later ones 0.1 to 0.3 s.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .caches import per_retriever
from .catalog import (
    DateRange,
    Source,
    document_choices,
    label,
    left_out,
    parse_date,
    resolve_document,
    sources,
)
from .documents import Document
from .errors import (
    NothingToSummariseError,
    SummaryLengthError,
    TopicError,
)
from .index import BM25Index
from .quotes import Quote
from .retriever import analyze_request
from .sentences import is_markdown_heading

if TYPE_CHECKING:
    from .retriever import Retriever

__all__ = [
    "MAX_GRAPH_SENTENCES",
    "MAX_SENTENCES",
    "MAX_TOPIC_CHARS",
    "MIN_SENTENCES",
    "Source",  # re-exported from retrieval.catalog
    "Summary",
    "SummarySentence",
    "document_choices",  # re-exported from retrieval.catalog for older imports
    "is_heading",
    "parse_date",  # re-exported from retrieval.catalog
    "resolve_document",  # re-exported from retrieval.catalog
    "sources",  # re-exported from retrieval.catalog
    "summarise",
]

#: Fewest and most sentences a caller may ask for.
MIN_SENTENCES = 1
MAX_SENTENCES = 10
#: Longest topic accepted, in characters.
MAX_TOPIC_CHARS = 300
#: Most sentences in the similarity graph (see the module docstring, "Limits").
MAX_GRAPH_SENTENCES = 1000
#: Most candidate sentences one document may bring into the graph when candidates are preselected.
PRESELECT_PER_DOCUMENT = 8
#: Most passages a topic summary reads, best BM25 first.
MAX_TOPIC_PASSAGES = 40
#: Passages whose BM25 score for the topic is below this share of the best one are not read.
TOPIC_RELATIVE_SCORE = 0.3
#: A document is about a topic when it holds at least this share of the topic's distinct terms (half: a
#: two-word topic needs one, "China's response to the report" needs two of china, respons, report).
TOPIC_MIN_SHARE = 0.5
#: PageRank damping factor (Brin & Page 1998; 0.85 as in Mihalcea & Tarau 2004).
DAMPING = 0.85
#: BM25 parameters of the sentence-to-sentence similarity (Barrios et al. 2016 use k1=1.2, b=0.75).
SIMILARITY_K1 = 1.2
SIMILARITY_B = 0.75
#: Score multiplier ``(terms / mean terms) ** LENGTH_POWER``. BM25 centrality grows with a sentence's length
#: (more terms, more and heavier edges); a small negative power evens part of that out. Tuned on a random
#: half of BBC News Summary (ROUGE-2 0.758 at 0, 0.770 at -0.3, 0.749 at -0.5, 0.716 at +0.5).
LENGTH_POWER = -0.3
#: A sentence is a near-duplicate of a picked one when this share of its distinct terms is in it.
DUPLICATE_OVERLAP = 0.8
#: Sentences with fewer index terms than this are never quoted ("He said so.") unless nothing else is left.
MIN_TERMS = 3

#: Longest sentence quoted while shorter ones are left, in characters (tables and run-ons read badly). Not
#: :data:`retrieval.sentences.MAX_SENTENCE_CHARS`, the longest sentence the splitter keeps whole.
MAX_QUOTED_SENTENCE_CHARS = 600
#: Sentences whose words are more than this share numbers are tables, quoted only as a last resort.
MAX_NUMBER_SHARE = 0.4
#: Sentences of three or more lines shorter than this on average (characters) are tables or lists.
TABLE_LINE_CHARS = 40

_SENTENCE_ENDS = frozenset(".!?…:;")
_CLOSERS = frozenset("\"'”’)]»")
# List marks and stray symbols before a sentence ("- ", "* ", "> "): not part of the quote.
_LEADING_JUNK = re.compile(r"[\s*•·>|=~_-]+")


@dataclass(frozen=True)
class SummarySentence(Quote):
    """One quoted sentence of a summary.

    Attributes
    ----------
    document, start, end:
        As :class:`~retrieval.quotes.Quote`: ``text`` is exactly ``document.text[start:end]``.
    score:
        The sentence's final centrality score (higher is more central; only comparable within one summary).
        Not part of :meth:`to_dict`.
    """

    score: float


@dataclass(frozen=True)
class Summary:
    """The result of :func:`summarise`.

    Attributes
    ----------
    sentences:
        The quoted sentences. From one document: in document order. From several: grouped by document date,
        oldest first (undated documents last), each document's sentences together and in document order.
    scope:
        ``"collection"``, ``"document"`` or ``"topic"``: what was asked for.
    document:
        The document asked for (``document=``), else ``None``.
    topic:
        The topic asked for, else ``None``.
    since, until:
        The date range asked for (inclusive), or ``None`` for an open end.
    undated_left_out:
        Undated documents left out because a date range was given (0 without a range).
    documents:
        How many documents the material came from (after the date range and, for a topic, the match).
    seconds:
        Time spent, in seconds.
    """

    sentences: list[SummarySentence]
    scope: str
    document: Document | None = None
    topic: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    undated_left_out: int = 0
    documents: int = 0
    seconds: float = 0.0

    @property
    def is_digest(self) -> bool:
        """True when the sentences come from more than one document (shown grouped by date)."""
        return len({s.document.id for s in self.sentences}) > 1

    def groups(self) -> list[tuple[Document, list[SummarySentence]]]:
        """The sentences grouped by document, in :attr:`sentences` order (so oldest document first)."""
        grouped: list[tuple[Document, list[SummarySentence]]] = []
        for sentence in self.sentences:
            if grouped and grouped[-1][0].id == sentence.document.id:
                grouped[-1][1].append(sentence)
            else:
                grouped.append((sentence.document, [sentence]))
        return grouped

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as printed by ``python -m bot summary --json``: ``{"sentences": [...]}``."""
        return {"sentences": [s.to_dict() for s in self.sentences]}

    def range_text(self) -> str:
        """The date range asked for, as shown after a summary's heading.

        Returns
        -------
        str
            ``"since 2022-01-01"``, ``"until 2022-12-31"``, ``"since 2022-01-01 until 2022-12-31"``, or ``""``
            without a range. Plain text (front ends add their own Markdown).
        """
        if self.since and self.until:
            return f"since {self.since} until {self.until}"
        return DateRange(self.since, self.until).text()

    def left_out_note(self) -> str | None:
        """The note on undated documents a date range left out.

        Returns
        -------
        str or None
            E.g. ``"2 undated documents were left out of the date range."``; ``None`` when none was left
            out. Plain text (front ends add their own Markdown).
        """
        if not self.undated_left_out:
            return None
        return f"{left_out(self.undated_left_out)} of the date range."


# --------------------------------------------------------------------------------------------- material


@dataclass(frozen=True)
class _Candidate:
    doc: int
    index: int  # sentence index in the document
    start: int
    end: int
    plain: bool  # reads as a sentence: enough words, mostly not numbers, not overly long


def is_heading(document: Document, start: int, end: int) -> bool:
    """Whether ``document.text[start:end]`` is a title or heading line rather than a sentence.

    A heading stands alone on its line(s) and does not end like a sentence (no ``. ! ? … : ;``, possibly
    followed by closing quotes or brackets); Markdown ATX headings (``# ...``, see
    :func:`~retrieval.sentences.is_markdown_heading`) always count, while ``#1 priority is…`` does not.
    Headings name a document or a section (the title is shown with every quote anyway), so summaries do not
    quote them.
    """
    text = document.text
    if text.startswith("#", start) and is_markdown_heading(text[start:end]):
        return True
    last = end
    while last > start and text[last - 1] in _CLOSERS:
        last -= 1
    if last > start and text[last - 1] in _SENTENCE_ENDS:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, document.body_start) : start]
    line_end = text.find("\n", end)
    after = text[end : len(text) if line_end < 0 else line_end]
    return not before.strip() and not after.strip()


def _plain(text: str, terms: frozenset[str]) -> bool:
    """Whether a sentence reads as prose: enough terms, not too long, not a table of figures.

    A table is a "sentence" of three or more lines that are short (mean under :data:`TABLE_LINE_CHARS`
    characters) or indented (two or more after the first), or one whose words are mostly numbers (more than
    :data:`MAX_NUMBER_SHARE` of them hold a digit).
    """
    if len(terms) < MIN_TERMS or len(text) > MAX_QUOTED_SENTENCE_CHARS:
        return False
    lines = text.splitlines()
    if len(lines) >= 3 and (sum(len(line.strip()) for line in lines) < TABLE_LINE_CHARS * len(lines)
                            or sum(1 for line in lines[1:] if line.startswith(("  ", "\t"))) >= 2):
        return False
    words = text.split()
    numbers = sum(1 for w in words if any(ch.isdigit() for ch in w))
    return numbers <= MAX_NUMBER_SHARE * len(words)


class _Cache:
    """What :func:`summarise` keeps per retriever: quotable sentences per document and the centroid matrix.

    Thread-safe: front ends call :func:`summarise` from several worker threads at once. Each entry is built
    into local variables and published by one assignment, so a reader never sees a half-built one; the large
    entry (:meth:`centroid_matrix`) is built under a lock, once, while other threads wait for it.
    """

    def __init__(self) -> None:
        self.quotable: dict[int, list[_Candidate]] = {}
        self.matrix: Any = None  # scipy CSR, all sentences x index vocabulary, 0/1
        self.offsets: list[int] = []  # per document, its first sentence's row in ``matrix``
        self.lengths: npt.NDArray[np.float64] = np.zeros(0)  # per row of ``matrix``, the sentence's terms
        self._lock = threading.Lock()

    def candidates(self, retriever: Retriever, doc: int) -> list[_Candidate]:
        """The document's quotable sentences: no headings, leading list marks and stray symbols trimmed.

        Two threads may build the same document's list at once; both build equal lists and either is kept.
        """
        found = self.quotable.get(doc)
        if found is None:
            document, table = retriever.documents[doc], retriever.sentences[doc]
            text = document.text
            found = []
            for i, (start, end) in enumerate(table.spans):
                if not table.terms[i] or is_heading(document, start, end):
                    continue
                junk = _LEADING_JUNK.match(text, start, end)
                if junk:
                    start = junk.end()
                found.append(_Candidate(doc, i, start, end, _plain(text[start:end], table.terms[i])))
            found = self.quotable.setdefault(doc, found)
        return found

    def centroid_matrix(self, retriever: Retriever) -> Any:
        """Sentence-term incidence matrix over every sentence of every document (built once).

        :attr:`offsets` and :attr:`lengths` are set before the matrix, so they are complete once it is.
        """
        matrix = self.matrix
        if matrix is not None:
            return matrix
        with self._lock:
            if self.matrix is None:
                from scipy import sparse

                vocabulary = retriever.index.vocabulary
                rows: list[int] = []
                cols: list[int] = []
                lengths: list[int] = []
                offsets: list[int] = []
                n = 0
                for table in retriever.sentences:
                    offsets.append(n)
                    for terms in table.terms:
                        ids = [vocabulary[t] for t in terms if t in vocabulary]
                        rows.extend([n] * len(ids))
                        cols.extend(ids)
                        lengths.append(len(terms))
                        n += 1
                data = np.ones(len(rows), dtype=np.float64)
                self.offsets = offsets
                self.lengths = np.asarray(lengths, dtype=np.float64)
                self.matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, len(vocabulary)))
            return self.matrix


def _cache_for(retriever: Retriever) -> _Cache:
    """The retriever's :class:`_Cache` (one per retriever), dropped when the retriever is garbage-collected."""
    return per_retriever(retriever, "summary", _Cache)


def _preselect(retriever: Retriever, candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    """Keep the ``limit`` candidates with the highest BM25 weight against the material's centroid.

    The centroid weight of a term is the share of candidate sentences holding it times its idf (passage
    index); a sentence's weight is the sum over its terms with BM25 length normalisation. Plain sentences
    come first, and each document brings at most :data:`PRESELECT_PER_DOCUMENT`.
    """
    cache = _cache_for(retriever)
    matrix = cache.centroid_matrix(retriever)
    rows = np.fromiter((cache.offsets[c.doc] + c.index for c in candidates), dtype=np.int64, count=len(candidates))
    sub = matrix[rows]
    weights = np.asarray(sub.sum(axis=0)).ravel() / len(candidates) * retriever.index.idf
    lengths = cache.lengths[rows]
    norm = SIMILARITY_K1 * (1 - SIMILARITY_B + SIMILARITY_B * lengths / max(float(lengths.mean()), 1.0))
    scores = np.asarray(sub @ weights).ravel() * (SIMILARITY_K1 + 1) / (1 + norm)
    plain = np.fromiter((c.plain for c in candidates), dtype=bool, count=len(candidates))
    order = np.lexsort((-scores, ~plain))  # plain first, then by score
    per_doc: Counter[int] = Counter()
    kept: list[int] = []
    for i in order.tolist():
        doc = candidates[i].doc
        if per_doc[doc] >= PRESELECT_PER_DOCUMENT:
            continue
        per_doc[doc] += 1
        kept.append(i)
        if len(kept) == limit:
            break
    kept.sort()
    return [candidates[i] for i in kept]


# ---------------------------------------------------------------------------------------------- ranking


def _similarity(term_lists: Sequence[Sequence[str]]) -> npt.NDArray[np.float64]:
    """BM25 sentence similarity matrix (Barrios et al. 2016).

    Each sentence is a BM25 query against every other sentence taken as a document, with the project's
    :class:`~retrieval.index.BM25Index` (Lucene idf over the ``n`` sentences, ``k1`` = :data:`SIMILARITY_K1`,
    ``b`` = :data:`SIMILARITY_B`). Computed as one sparse product of query term counts and BM25 term weights,
    ``w(t, j) = idf(t) tf(t, j) (k1 + 1) / (tf(t, j) + k1 (1 - b + b |j| / avgdl))`` (Robertson et al. 1994);
    equal to ``BM25Index.scores`` row by row (tested).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, n)``; entry ``[i, j]`` is the BM25 score of sentence ``j`` for the query sentence ``i``
        (repeated query terms count once per occurrence); the diagonal is 0.
    """
    from scipy import sparse

    index = BM25Index(term_lists, k1=SIMILARITY_K1, b=SIMILARITY_B)
    vocabulary = index.vocabulary
    rows: list[int] = []
    cols: list[int] = []
    for i, terms in enumerate(term_lists):
        rows.extend([i] * len(terms))
        cols.extend(vocabulary[t] for t in terms)
    n = len(term_lists)
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(vocabulary)))
    counts.sum_duplicates()
    tf = counts.tocoo()
    doc_len = np.asarray(index.bm25.doc_len, dtype=np.float64)
    norm = index.k1 * (1.0 - index.b + index.b * doc_len / index.bm25.avgdl)
    data = index.idf[tf.col] * tf.data * (index.k1 + 1.0) / (tf.data + norm[tf.row])
    weights = sparse.csr_matrix((data, (tf.row, tf.col)), shape=counts.shape)
    matrix = np.asarray((counts @ weights.T).toarray(), dtype=np.float64)
    np.fill_diagonal(matrix, 0.0)
    return matrix


def _pagerank(weights: npt.NDArray[np.float64], personal: npt.NDArray[np.float64] | None = None,
              damping: float | None = None, iterations: int = 100,
              tolerance: float = 1e-9) -> npt.NDArray[np.float64]:
    """Stationary distribution of a damped random walk on a weighted graph (Page et al. 1999).

    Parameters
    ----------
    weights:
        Shape ``(n, n)``, >= 0; ``weights[i, j]`` is the weight of the edge from ``i`` to ``j``.
    personal:
        Shape ``(n,)``, >= 0: where the walk restarts (uniform when ``None`` or all zero).
    damping:
        Probability of following an edge rather than restarting (default :data:`DAMPING`).

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, sums to 1. A node with no edges spreads its mass as a restart does.
    """
    damping = DAMPING if damping is None else damping
    n = weights.shape[0]
    p = np.full(n, 1.0 / n) if personal is None or personal.sum() <= 0 else personal / personal.sum()
    out = weights.sum(axis=1)
    dangling = out <= 0
    transition = np.divide(weights, out[:, None], out=np.zeros_like(weights), where=~dangling[:, None])
    rank = p.copy()
    for _ in range(iterations):
        new = damping * (rank @ transition + rank[dangling].sum() * p) + (1 - damping) * p
        if np.abs(new - rank).sum() < tolerance:
            return new
        rank = new
    return rank


def _scores(term_lists: Sequence[Sequence[str]], topic_terms: Sequence[str] | None = None
            ) -> npt.NDArray[np.float64]:
    """Final sentence scores: BM25-TextRank centrality times the length factor (see the module docstring).

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, > 0; higher is more central. ``n`` times the PageRank probability, so 1 is average.
    """
    n = len(term_lists)
    if n == 1:
        return np.ones(1)
    similarity = _similarity(term_lists)
    graph = similarity + similarity.T
    personal = None
    if topic_terms:
        topic_index = BM25Index(term_lists, k1=SIMILARITY_K1, b=SIMILARITY_B)
        relevance = topic_index.scores(topic_terms)
        personal = relevance + 0.05 * relevance.max()
    centrality = _pagerank(graph, personal) * n
    lengths = np.asarray([len(t) for t in term_lists], dtype=np.float64)
    return centrality * (lengths / max(lengths.mean(), 1.0)) ** LENGTH_POWER


def _pick(candidates: Sequence[_Candidate], term_lists: Sequence[Sequence[str]], scores: npt.NDArray[np.float64],
          count: int, per_document: int, on_topic: Sequence[bool] | None = None) -> list[int]:
    """Greedy selection, best score first; returns up to ``count`` candidate indexes.

    Never picks a near-duplicate of a picked sentence (:data:`DUPLICATE_OVERLAP` of its terms, numbers
    left out, are in the picked one: the same sentence with other figures is a duplicate). The other rules are
    relaxed one at a time only when too few sentences pass them: at most ``per_document`` sentences from one
    document, then plain sentences only (see :data:`MIN_TERMS`, :data:`MAX_QUOTED_SENTENCE_CHARS`,
    :data:`MAX_NUMBER_SHARE`), then only sentences holding a topic word.
    """
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    sets = [frozenset(t for t in terms if not t.isdigit()) or frozenset(terms) for terms in term_lists]
    picked: list[int] = []
    taken: set[int] = set()
    for relax in range(4):
        for i in order:
            if len(picked) == count:
                return picked
            if i in taken:
                continue
            if relax < 2 and not candidates[i].plain:
                continue
            if relax < 3 and on_topic is not None and not on_topic[i]:
                continue
            if relax < 1 and sum(1 for j in picked if candidates[j].doc == candidates[i].doc) >= per_document:
                continue
            if any(len(sets[i] & sets[j]) >= DUPLICATE_OVERLAP * len(sets[i]) for j in picked):
                continue
            picked.append(i)
            taken.add(i)
    return picked


def _terms(retriever: Retriever, candidate: _Candidate) -> list[str]:
    """The candidate's index terms with repeats (BM25 needs term frequencies), by the retriever's analyzer."""
    return retriever.analyzer(retriever.documents[candidate.doc].text[candidate.start : candidate.end])


def _default_count(material: int) -> int:
    """About 3 to 5 sentences, by the material's length in sentences."""
    if material <= 12:
        return 3
    if material <= 40:
        return 4
    return 5


# ------------------------------------------------------------------------------------------------ summarise


def summarise(retriever: Retriever, document: str | None = None, topic: str | None = None,
              since: str | dt.date | None = None, until: str | dt.date | None = None,
              sentences: int | None = None, *, max_sentences: int = MAX_SENTENCES) -> Summary:
    """Summarise the collection, a document or a topic, optionally within a date range.

    Parameters
    ----------
    retriever:
        The indexed documents.
    document:
        A document's id, file name or title (see :func:`resolve_document`); ``None`` for all documents.
    topic:
        Free text, 1 to :data:`MAX_TOPIC_CHARS` characters: summarise the passages that match it.
    since, until:
        Inclusive date range, ``YYYY-MM-DD`` or dates; either may be ``None`` (open end). With a range,
        undated documents are left out (and counted).
    sentences:
        How many sentences, :data:`MIN_SENTENCES` to :data:`MAX_SENTENCES`; ``None`` for 3 to 5 depending on
        the material's length. Fewer are returned when the material has fewer distinct sentences.
    max_sentences:
        Most sentences accepted (keyword only). Front ends keep the default, 10; the ROUGE benchmark raises
        it to match reference summaries longer than that.

    Returns
    -------
    Summary
        Sentences from one document come in document order; from several, grouped by date (oldest first,
        undated last), each document's sentences in document order.

    Raises
    ------
    SummaryLengthError
        ``sentences`` is outside 1 to ``max_sentences``.
    DateRangeError
        A date is not a real ``YYYY-MM-DD`` date, or ``since`` is after ``until``.
    UnknownDocumentError
        ``document`` matches no document (with the closest names as suggestions) or several.
    TopicError
        ``topic`` is empty, too long, or only stop words or punctuation.
    NothingToSummariseError
        The range holds no dated document, the document is outside the range, or no passage matches the
        topic well enough (less than the retriever's ``min_coverage`` of the topic's idf mass).

    Notes
    -----
    Cost: the similarity graph has at most :data:`MAX_GRAPH_SENTENCES` nodes (``O(n^2)`` memory and time);
    larger material is preselected first (see the module docstring).
    """
    started = time.perf_counter()
    if sentences is not None and (isinstance(sentences, bool) or not MIN_SENTENCES <= sentences <= max_sentences):
        raise SummaryLengthError(
            f"Ask for between {MIN_SENTENCES} and {max_sentences} sentences, not {sentences}."
        )
    dates = DateRange.parse(since, until)
    start_date, end_date = dates.since, dates.until
    topic_terms = _topic_terms(retriever, topic) if topic is not None else None
    chosen = resolve_document(retriever, document) if document is not None else None
    ranged = dates.given
    in_range = dates.holds

    if chosen is not None:
        docs = [retriever.documents.index(chosen)]
        undated = 0
        if not in_range(chosen):
            where = "undated" if chosen.date is None else f"dated {chosen.date}"
            raise NothingToSummariseError(f"{label(chosen)} is {where}, outside {dates.text()}.")
    else:
        docs = [d for d, doc in enumerate(retriever.documents) if in_range(doc)]
        undated = sum(1 for doc in retriever.documents if doc.date is None) if ranged else 0
        if not docs:
            raise NothingToSummariseError(dates.empty_message(retriever.documents, undated))

    scope = "topic" if topic is not None else "document" if chosen is not None else "collection"
    cache = _cache_for(retriever)
    if topic_terms is not None:
        assert topic is not None
        candidates = _topic_material(retriever, docs, topic, topic_terms, start_date, end_date, ranged, chosen)
    else:
        candidates = [c for d in docs for c in cache.candidates(retriever, d)]
        if not candidates:
            raise NothingToSummariseError("There are no whole sentences to quote in "
                                          + (label(chosen) if chosen else "the documents") + ".")
    count = sentences if sentences is not None else _default_count(len(candidates))
    material_docs = len({c.doc for c in candidates})
    if len(candidates) > MAX_GRAPH_SENTENCES:
        candidates = _preselect(retriever, candidates, MAX_GRAPH_SENTENCES)
    term_lists = [_terms(retriever, c) for c in candidates]
    scores = _scores(term_lists, topic_terms)
    on_topic = None
    if topic_terms is not None:
        wanted = set(topic_terms)
        on_topic = [bool(wanted & retriever.sentences[c.doc].terms[c.index]) for c in candidates]
    per_document = math.ceil(count / min(len({c.doc for c in candidates}), count))
    picked = _pick(candidates, term_lists, scores, count, per_document, on_topic)
    picked.sort(key=lambda i: (*_date_key(retriever.documents[candidates[i].doc]), candidates[i].doc,
                               candidates[i].start))
    quoted = [SummarySentence(retriever.documents[candidates[i].doc], candidates[i].start, candidates[i].end,
                              float(scores[i])) for i in picked]
    return Summary(quoted, scope, chosen, topic, start_date, end_date, undated, material_docs,
                   time.perf_counter() - started)


def _date_key(document: Document) -> tuple[bool, int]:
    """Sort key for a summary's sentences: oldest document first, undated last (the caller breaks ties)."""
    return (document.date is None, document.date.toordinal() if document.date else 0)


def _topic_documents(retriever: Retriever, terms: Sequence[str], passage_docs: npt.NDArray[np.int64],
                     allowed: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Which documents are about a topic: per document (shape ``(documents,)``), whether it is allowed and
    holds at least :data:`TOPIC_MIN_SHARE` of the topic's distinct terms, each term anywhere in it.

    Not the question no-answer share (:attr:`Retriever.min_coverage` of the idf mass in one excerpt): a
    topic names what a summary is about, and a document about "China's response to the report" may hold
    "China" and "report" all through it without the word "response". Distinct terms count alike (idf says
    how rare a word is among passages, not whether the document is about it: in a one-document collection
    the words it is about are in every passage and weigh least).
    """
    distinct = list(dict.fromkeys(terms))
    held = np.zeros(len(retriever.documents), dtype=np.int64)
    for term in distinct:
        passages = np.flatnonzero(retriever.index.scores([term]) > 0)
        holds = np.zeros(len(retriever.documents), dtype=bool)
        holds[passage_docs[passages]] = True
        held += holds
    return allowed & (held >= TOPIC_MIN_SHARE * len(distinct))


def _topic_terms(retriever: Retriever, topic: str) -> list[str]:
    pairs = analyze_request(
        retriever.analyzer, topic, max_chars=MAX_TOPIC_CHARS, error=TopicError,
        empty="The topic is empty: say what the summary should be about.",
        too_long="That topic is {length:,} characters long; please keep it under {limit}.",
        common="That topic only has very common words (like 'the' or 'is'); name the subject, such as a person, "
               "a place or a thing.",
        nothing="That topic has no words in it to search for.",
    )
    return [term for term, _ in pairs]


def _topic_material(retriever: Retriever, docs: list[int], topic: str, terms: list[str], since: dt.date | None,
                    until: dt.date | None, ranged: bool, chosen: Document | None = None) -> list[_Candidate]:
    """Candidate sentences of the passages that match the topic (see :func:`summarise`, ``topic``).

    The documents read are those *about* the topic: holding at least :data:`TOPIC_MIN_SHARE` of its
    distinct terms anywhere in them (:func:`_topic_documents`). From those, the best passages by BM25 for
    the topic: at most :data:`MAX_TOPIC_PASSAGES`, each scoring at least :data:`TOPIC_RELATIVE_SCORE` of the
    best one.
    """
    allowed = np.zeros(len(retriever.documents), dtype=bool)
    allowed[docs] = True
    passage_docs = np.fromiter((p.doc for p in retriever.passages), dtype=np.int64, count=len(retriever.passages))
    scores = retriever.index.scores(terms)
    scores[~allowed[passage_docs]] = 0.0
    where = f" {DateRange(since, until).text()}" if ranged else ""
    scope = f"Nothing in {label(chosen)}" if chosen is not None else f"Nothing in the documents{where}"
    if not scores.any():
        raise NothingToSummariseError(f"{scope} mentions {topic.strip()!r}.")
    about = _topic_documents(retriever, terms, passage_docs, allowed)
    if not about.any():
        best = int(np.argmax(scores))  # the first of equal bests: deterministic
        closest = retriever.documents[int(passage_docs[best])]
        closer = "" if chosen is not None else f"; the closest document is {label(closest)}"
        raise NothingToSummariseError(f"{scope} is about {topic.strip()!r}{closer}.")
    scores[~about[passage_docs]] = 0.0
    hits = np.flatnonzero(scores > 0)
    hits = hits[np.argsort(-scores[hits], kind="stable")][:MAX_TOPIC_PASSAGES]
    hits = hits[scores[hits] >= TOPIC_RELATIVE_SCORE * scores[hits[0]]]
    wanted: dict[int, set[int]] = {}
    for h in hits.tolist():
        p = retriever.passages[h]
        wanted.setdefault(p.doc, set()).update(range(p.first, p.last + 1))
    cache = _cache_for(retriever)
    candidates = [c for d in sorted(wanted) for c in cache.candidates(retriever, d) if c.index in wanted[d]]
    if not candidates:
        raise NothingToSummariseError(f"{scope} mentions {topic.strip()!r}.")
    return candidates
