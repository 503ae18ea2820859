"""Extractive summaries: whole sentences quoted verbatim, each with its document and date.

Nothing is rewritten. :func:`summarise` covers four requests:

* the whole collection (no options): with one document, that document's summary; with several, a dated
  digest of what each recent document says: one sentence that reads on its own (:func:`stands_alone`) from
  each of the :data:`DIGEST_DOCUMENTS` newest documents, shown grouped by date, oldest first;
* one document (``document=``): its most central sentences, in document order;
* a topic (``topic=``): the passages that match the topic (BM25, the same index :meth:`Retriever.ask` uses)
  in the documents about it (holding at least :data:`TOPIC_MIN_SHARE` of its words), summarised, biased
  towards the sentences that hold the topic's words;
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
of the BBC News Summary set, see ``benchmarks/summary_rouge.py``). A digest ranks each document's sentences
within that document (so the sentence says what the document says, not what the documents share), with a
prior towards its title's words and its first sentences (:data:`LEAD_POWER`). Sentences are then picked best
first, never a near-duplicate of a picked one (:data:`DUPLICATE_OVERLAP`), preferring prose (no tables,
run-ons or fragments: see :data:`MIN_TERMS`, :data:`MAX_QUOTED_SENTENCE_CHARS`, :data:`MAX_NUMBER_SHARE`),
in digests and topic summaries sentences that read on their own, and spreading over documents; then they are
put back in reading order. Title and heading lines are never quoted (:func:`is_heading`).

Terms are the project's :class:`~retrieval.analyzer.Analyzer` output and BM25 is the project's
:class:`~retrieval.index.BM25Index`; there is no second tokenizer.

Limits
------
The graph has at most :data:`MAX_GRAPH_SENTENCES` nodes (dense ``n x n`` similarities: 1,000 nodes is about
8 MB and well under a second). When the material holds more candidate sentences than that (a long document,
a broad topic), candidates are preselected by their BM25 weight against the material's centroid (the
idf-weighted share of sentences holding each term, Radev et al. 2004's centroid idea with BM25 length
normalisation), keeping at most :data:`PRESELECT_PER_DOCUMENT` per document (or an even share) so no single
long document crowds out the rest. A topic summary reads at most :data:`MAX_TOPIC_PASSAGES` passages; a
digest reads only the documents it quotes, so its cost does not grow with the collection.

Per retriever, the quotable sentences of each document and the sentence-term matrix used for preselection
are computed once, on first use (safely from several threads at once), and kept while the retriever lives.
Which documents a request means (a name, a date range) is :mod:`retrieval.catalog`'s concern.
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

from .anaphora import ANAPHORIC_OPENERS, OPENING_WORDS, opens_leaning
from .caches import per_retriever
from .catalog import (
    DateRange,
    Source,
    document_choices,
    label,
    left_out,
    newest_first,
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
    "ANAPHORIC_OPENERS",
    "DIGEST_DOCUMENTS",
    "MAX_GRAPH_SENTENCES",
    "MAX_SENTENCES",
    "MAX_TOPIC_CHARS",
    "MIN_SENTENCES",
    "Source",  # re-exported from retrieval.catalog
    "Summary",
    "SummarySentence",
    "document_choices",  # re-exported from retrieval.catalog for older imports
    "is_heading",
    "stands_alone",
    "parse_date",  # re-exported from retrieval.catalog
    "resolve_document",  # re-exported from retrieval.catalog
    "sources",  # re-exported from retrieval.catalog
    "summarise",
]

#: Fewest and most sentences a caller may ask for (20: one for each document of a digest's default).
MIN_SENTENCES = 1
MAX_SENTENCES = 20
#: A digest (several documents, no topic) quotes by default one sentence from each of this many newest
#: documents: a collection this small is covered whole.
DIGEST_DOCUMENTS = 20
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
#: How strongly a digest prefers a document's first sentences (see :func:`_scores`, ``positions``): chosen
#: by eye on a dated community folder (0 quoted details such as "Links created in v2.1.1 use 128-bit random
#: tokens." for a security release, 1 quoted openers such as "Release management"; 0.5 between).
LEAD_POWER = 0.5
#: A sentence is a near-duplicate of a picked one when this share of its distinct terms is in it.
DUPLICATE_OVERLAP = 0.8
#: Sentences with fewer index terms than this are never quoted ("He said so.") unless nothing else is left.
MIN_TERMS = 3

#: Longest sentence quoted while shorter ones are left, in characters (tables and run-ons read badly). Not
#: :data:`retrieval.sentences.MAX_SENTENCE_CHARS`, the longest sentence the splitter keeps whole.
MAX_QUOTED_SENTENCE_CHARS = 600
#: Sentences whose words are more than this share numbers are tables, quoted only as a last resort.
MAX_NUMBER_SHARE = 0.4
#: Longest line taken for a heading glued to the sentence below it (see :func:`_lead_in_end`), in characters.
GLUED_HEADING_CHARS = 50
#: Sentences of three or more lines shorter than this on average (characters) are tables or lists.
TABLE_LINE_CHARS = 40

_SENTENCE_ENDS = frozenset(".!?…:;")
_CLOSERS = frozenset("\"'”’)]»")
# List marks and stray symbols before a sentence ("- ", "* ", "> "): not part of the quote.
_LEADING_JUNK = re.compile(r"[\s*•·>|=~_-]+")
# A bold lead-in label closing before the sentence ("**Larger uploads.** The default ..."), its opening
# "**" already trimmed as junk.
_BOLD_LEAD_IN = re.compile(r"[^\n*]{1,80}?\*\*\s+(?=\S)")
# A sentence's first word after opening quotes, brackets and list marks (a version such as "v2.1" is not a
# word: it holds a digit).
_FIRST_WORD = re.compile(r"[\W_]*([^\W\d_]+)(?=[\s,;:.!?)\]'’\"-]|$)")
# A word (white-space delimited) holding a digit.
_NUMBER_WORD = re.compile(r"[^\s\d]*\d\S*")
# A sentence opening with a short field label ("Chair: Maren.", "pip users: run ...", "Next call: ...").
_FIELD_LABEL = re.compile(r"\W*[^\W\d_]+(?:[ '’-][^\W_]+){0,2}\s?:(?!//)")
#: Pronouns that, within a sentence's first three words, point back to something before it ("Reach them
#: in #meetup", "To turn it on, ...").
BACK_POINTING = frozenset({"it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "above",
                           "previous", "preceding", "aforementioned"})


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
        How many documents were summarised from: those in the date range (all without one); for a topic,
        those about it. A digest quotes the newest of them (see :meth:`digest_heading`).
    seconds:
        Time spent, in seconds.
    unquotable:
        For a digest: the documents passed over, newer than the oldest one quoted, because they hold no
        whole sentence to quote (a page of list items only), 0 otherwise.
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
    unquotable: int = 0

    @property
    def is_digest(self) -> bool:
        """True when the sentences come from more than one document (shown grouped by date)."""
        return len({s.document.id for s in self.sentences}) > 1

    @property
    def quoted_documents(self) -> int:
        """How many documents the quoted sentences come from."""
        return len({s.document.id for s in self.sentences})

    def digest_heading(self) -> str | None:
        """The heading of a digest (the collection or a range, several documents), counting what it quotes.

        Returns
        -------
        str or None
            ``"Digest of 3 documents"`` when every document is quoted, ``"Digest of the 2 newest of 3
            documents"`` (``"the newest of 3"`` for one) when fewer are, the older left out; when some were
            passed over for having no whole sentence to quote (:attr:`unquotable`), it says so:
            ``"Digest of 5 of 6 documents; 1 has no whole sentences to quote"``, ``"Digest of the 20
            newest of 30 documents; 2 newer ones have no whole sentences to quote"``. ``None`` for a
            topic, a document, or a collection of one document. Plain text.
        """
        if self.scope != "collection" or self.documents <= 1:
            return None
        quoted = self.quoted_documents
        if quoted >= self.documents:
            return f"Digest of {self.documents:,} documents"
        skipped = self.unquotable
        if skipped and quoted + skipped >= self.documents:  # none left out for its age
            verb = "has" if skipped == 1 else "have"
            return f"Digest of {quoted:,} of {self.documents:,} documents; {skipped:,} {verb} no whole sentences " \
                   "to quote"
        newest = "the newest" if quoted == 1 else f"the {quoted:,} newest"
        heading = f"Digest of {newest} of {self.documents:,} documents"
        if skipped:
            ones = "newer one has" if skipped == 1 else "newer ones have"
            heading += f"; {skipped:,} {ones} no whole sentences to quote"
        return heading

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
    position: int  # place among the document's quotable sentences, 0 first
    alone: bool  # reads on its own: no opening anaphor or connective, does not introduce a list


def is_heading(document: Document, start: int, end: int) -> bool:
    """Whether ``document.text[start:end]`` is a title or heading line rather than a sentence.

    A heading stands alone on its line(s) and does not end like a sentence (no ``. ! ? … : ;``, possibly
    followed by closing quotes or brackets); Markdown ATX headings (``# ...``, see
    :func:`~retrieval.sentences.is_markdown_heading`) always count, all of their line (``## 1. Release
    management``), while ``#1 priority is…`` does not.
    Headings name a document or a section (the title is shown with every quote anyway), so summaries do not
    quote them.
    """
    text = document.text
    if text.startswith("#", start) and is_markdown_heading(text[start:end]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    if line_start < start and "\n" not in text[start:end] and is_markdown_heading(text[line_start:start + 1]):
        return True  # the rest of a heading line the splitter cut ("## 1." and "Release management")
    last = end
    while last > start and text[last - 1] in _CLOSERS:
        last -= 1
    if last > start and text[last - 1] in _SENTENCE_ENDS:
        return False
    return _alone_on_line(document, start, end)


def _alone_on_line(document: Document, start: int, end: int) -> bool:
    """Whether ``document.text[start:end]`` has its line(s) to itself (a date header or front matter before
    it on the line does not count)."""
    text = document.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[max(line_start, document.body_start) : start]
    after = text[end : len(text) if line_end < 0 else line_end]
    return not before.strip() and not after.strip()


def _lead_in_end(text: str, start: int, end: int) -> int:
    """Where the quote of the sentence ``text[start:end]`` starts: past list marks and stray symbols, a bold
    lead-in label ("**Sharing.** Share an album ..." quotes "Share an album ..."), and a heading line the
    sentence splitter glued on ("Start with the doctor\nRun `larkspur doctor`" quotes from "Run"): a first
    line that starts its line, has at most :data:`GLUED_HEADING_CHARS` characters and does not end like a
    sentence or with a comma (a hard-wrapped paragraph's first line is longer), followed by more lines."""
    while True:
        before = start
        junk = _LEADING_JUNK.match(text, start, end)
        if junk:
            start = junk.end()
        label = _BOLD_LEAD_IN.match(text, start, end)
        if label and text.count("**", text.rfind("\n", 0, start) + 1, start) % 2:  # the label's "**" opened
            start = label.end()
        line_end = text.find("\n", start, end)
        at_line_start = not _LEADING_JUNK.sub("", text[text.rfind("\n", 0, start) + 1 : start])
        if (at_line_start and 0 <= line_end - start <= GLUED_HEADING_CHARS
                and text[start:line_end].rstrip()[-1:] not in _SENTENCE_ENDS | {","}):
            rest = _LEADING_JUNK.match(text, line_end, end)
            if rest and rest.end() < end and (text[rest.end()].isalnum() or text[rest.end()] in "`#"):
                start = rest.end()
        if start == before:
            return start


def stands_alone(sentence: str) -> bool:
    """Whether a sentence reads on its own, out of its document's flow.

    It does not when it opens by leaning on what came before: a pronoun or demonstrative ("They will get two
    weeks of warning.", "This means...", "Its ..."), a connective ("However", "But", "Also", "Then"), or a
    phrase such as "Since then" or "As a result" (:data:`ANAPHORIC_OPENERS`, compared case-insensitively
    after leading quotes, brackets and list marks); when one of its first three words points back
    (:data:`BACK_POINTING`: "Reach them in ...", "Each item above ..."); when it is a field of a form or
    list, opening with a short label and a colon ("Chair: Maren.", "Next call: Tuesday."); when it opens with
    a lower-case word, the rest of a sentence cut before it; when it ends with a colon, introducing what
    follows; or when it asks a question.
    A cheap, rule-based stand-in for anaphora resolution: an opening "It" that points nowhere ("It is
    raining") is refused too, which only costs a choice among other sentences.

    Parameters
    ----------
    sentence:
        One sentence of text.
    """
    words = OPENING_WORDS.findall(sentence[:80].casefold().replace("’", "'"))
    if not words:
        return True
    if sentence.rstrip().rstrip("".join(_CLOSERS)).endswith(":") or "?" in sentence:
        return False
    if _FIELD_LABEL.match(sentence) or BACK_POINTING.intersection(words[:3]):
        return False
    first = _FIRST_WORD.match(sentence)
    if first and first.group(1).islower():  # "previously-announced offer to ...": the rest of a sentence
        return False
    return not opens_leaning(words)


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
    return len(_NUMBER_WORD.findall(text)) <= MAX_NUMBER_SHARE * len(text.split())


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
        """The document's quotable sentences: no headings; list marks, stray symbols, bold lead-ins and glued
        heading lines trimmed (see :func:`_lead_in_end`).

        Two threads may build the same document's list at once; both build equal lists and either is kept.
        """
        found = self.quotable.get(doc)
        if found is None:
            document, table = retriever.documents[doc], retriever.sentences[doc]
            text = document.text
            built: list[_Candidate] = []
            for i, (start, end) in enumerate(table.spans):
                if not table.terms[i] or is_heading(document, start, end):
                    continue
                junk = _LEADING_JUNK.match(text, start, end)
                quote_start = _lead_in_end(text, start, end)
                quote = text[quote_start:end]
                terms = table.terms[i]
                if quote_start > (junk.end() if junk else start):  # a lead-in was cut: its words are not quotes
                    terms = frozenset(retriever.analyzer(quote))
                    if not terms:
                        continue
                built.append(_Candidate(doc, i, quote_start, end, _plain(quote, terms), len(built),
                                        stands_alone(quote)))
            found = self.quotable.setdefault(doc, built)
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
    come first, and each document brings at most :data:`PRESELECT_PER_DOCUMENT` or its even share of
    ``limit``, whichever is more (one long document may fill the whole graph).
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
    share = max(PRESELECT_PER_DOCUMENT, math.ceil(limit / len({c.doc for c in candidates})))
    for i in order.tolist():
        doc = candidates[i].doc
        if per_doc[doc] >= share:
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


def _scores(term_lists: Sequence[Sequence[str]], topic_terms: Sequence[str] | None = None,
            positions: Sequence[int] | None = None) -> npt.NDArray[np.float64]:
    """Final sentence scores: BM25-TextRank centrality times the length factor (see the module docstring).

    Parameters
    ----------
    term_lists:
        Each sentence's terms, with repeats.
    topic_terms:
        When given, the walk restarts at sentences in proportion to their BM25 score for these terms
        (topic-sensitive LexRank, Otterbacher et al. 2005).
    positions:
        When given, each sentence's place in its document (0 first): the walk also restarts at sentences
        in proportion to ``1 / (position + 1)``, PositionRank's prior (Florescu & Caragea 2017), and the
        score is divided by ``(position + 1) ** LEAD_POWER``: the first sentences of a note, a release or
        an article usually say what it is (the lead baseline of news summarisation), later ones give the
        details.

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
    priors: list[npt.NDArray[np.float64]] = []
    if topic_terms:
        relevance = BM25Index(term_lists, k1=SIMILARITY_K1, b=SIMILARITY_B).scores(topic_terms)
        if relevance.max() > 0:
            priors.append(relevance / relevance.max())
    if positions is not None:
        priors.append(1.0 / (np.asarray(positions, dtype=np.float64) + 1.0))
    personal = np.sum(priors, axis=0) + 0.05 * len(priors) if priors else None
    centrality = _pagerank(graph, personal) * n
    lengths = np.asarray([len(t) for t in term_lists], dtype=np.float64)
    relative = np.maximum(lengths, 1.0) / max(lengths.mean(), 1.0)
    scores: npt.NDArray[np.float64] = centrality * relative**LENGTH_POWER
    if positions is not None:
        scores /= (np.asarray(positions, dtype=np.float64) + 1.0) ** LEAD_POWER
    return scores


def _term_set(terms: Sequence[str]) -> frozenset[str]:
    """A sentence's terms for the near-duplicate test: numbers left out (the same sentence with other figures
    is a duplicate), unless it has nothing else."""
    return frozenset(t for t in terms if not t.isdigit()) or frozenset(terms)


def _pick(candidates: Sequence[_Candidate], term_lists: Sequence[Sequence[str]], scores: npt.NDArray[np.float64],
          count: int, per_document: int, on_topic: Sequence[bool] | None = None,
          standalone: Sequence[bool] | None = None, avoid: Sequence[frozenset[str]] = ()) -> list[int]:
    """Greedy selection, best score first; returns up to ``count`` candidate indexes.

    Never picks a near-duplicate (:data:`DUPLICATE_OVERLAP` of its :func:`_term_set` is in the other's) of a
    picked sentence or of one in ``avoid``. The other rules are relaxed one at a time only when too few
    sentences pass them: at most ``per_document`` sentences from one document, then (with ``standalone``)
    only sentences that read on their own, then plain sentences only (see :data:`MIN_TERMS`,
    :data:`MAX_QUOTED_SENTENCE_CHARS`, :data:`MAX_NUMBER_SHARE`), then only sentences holding a topic word.
    """
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    sets = [_term_set(terms) for terms in term_lists]
    picked: list[int] = []
    chosen_sets: list[frozenset[str]] = list(avoid)
    taken: set[int] = set()
    for relax in range(5):
        for i in order:
            if len(picked) == count:
                return picked
            if i in taken:
                continue
            if relax < 3 and not candidates[i].plain:
                continue
            if relax < 4 and on_topic is not None and not on_topic[i]:
                continue
            if relax < 2 and standalone is not None and not standalone[i]:
                continue
            if relax < 1 and sum(1 for j in picked if candidates[j].doc == candidates[i].doc) >= per_document:
                continue
            if any(len(sets[i] & other) >= DUPLICATE_OVERLAP * len(sets[i]) for other in chosen_sets):
                continue
            picked.append(i)
            chosen_sets.append(sets[i])
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
        How many sentences, :data:`MIN_SENTENCES` to :data:`MAX_SENTENCES`. ``None``: in a digest, one for
        each of the :data:`DIGEST_DOCUMENTS` newest documents; otherwise 3 to 5 depending on the material's
        length. Fewer are returned when the material has fewer distinct sentences. In a digest, ``N``
        sentences come from the ``N`` newest documents (extra ones shared out newest first when there are
        fewer documents).
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
        The range holds no dated document, the document is outside the range, no passage holds a topic
        word, or no document is about the topic (holds :data:`TOPIC_MIN_SHARE` of its distinct terms).

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
    unquotable = 0
    if topic_terms is not None:
        assert topic is not None
        candidates = _topic_material(retriever, docs, topic, topic_terms, start_date, end_date, ranged, chosen)
        count = sentences if sentences is not None else _default_count(len(candidates))
        quoted = _best_sentences(retriever, candidates, count, topic_terms=topic_terms, standalone=True)
    elif len(docs) > 1:
        quoted, unquotable = _digest(retriever, docs, sentences)
    else:
        candidates = cache.candidates(retriever, docs[0])
        if not candidates:
            raise NothingToSummariseError("There are no whole sentences to quote in "
                                          + (label(chosen) if chosen else "the documents") + ".")
        count = sentences if sentences is not None else _default_count(len(candidates))
        quoted = _best_sentences(retriever, candidates, count)
    quoted.sort(key=lambda q: (*_date_key(q.document), q.document.id, q.start))
    in_scope = len(docs) if topic_terms is None else len({c.doc for c in candidates})
    return Summary(quoted, scope, chosen, topic, start_date, end_date, undated, in_scope,
                   time.perf_counter() - started, unquotable)


def _best_sentences(retriever: Retriever, candidates: list[_Candidate], count: int, *,
                    topic_terms: Sequence[str] | None = None, standalone: bool = False,
                    avoid: Sequence[frozenset[str]] = (), guide_terms: Sequence[str] | None = None,
                    lead: bool = False) -> list[SummarySentence]:
    """The ``count`` most central candidates (see the module docstring), best first.

    Parameters
    ----------
    candidates:
        Quotable sentences (of one document or several); more than :data:`MAX_GRAPH_SENTENCES` are
        preselected first.
    topic_terms:
        Bias the ranking towards these terms and prefer sentences holding one.
    standalone:
        Prefer sentences that read on their own (:func:`stands_alone`): for quotes taken out of their
        document's flow (digests, topics).
    avoid:
        Term sets (see :func:`_term_set`) of sentences already quoted elsewhere: near-duplicates of them are
        not picked.
    guide_terms, lead:
        Bias the ranking towards sentences holding these terms (a document's title) and, with ``lead``,
        towards its first sentences (see :func:`_scores`), without the topic's preference rule.
    """
    if len(candidates) > MAX_GRAPH_SENTENCES:
        candidates = _preselect(retriever, candidates, MAX_GRAPH_SENTENCES)
    term_lists = [_terms(retriever, c) for c in candidates]
    scores = _scores(term_lists, guide_terms or topic_terms, [c.position for c in candidates] if lead else None)
    on_topic = None
    if topic_terms is not None:
        wanted = set(topic_terms)
        on_topic = [bool(wanted & retriever.sentences[c.doc].terms[c.index]) for c in candidates]
    alone = [c.alone for c in candidates] if standalone else None
    per_document = math.ceil(count / max(1, min(len({c.doc for c in candidates}), count)))
    picked = _pick(candidates, term_lists, scores, count, per_document, on_topic, alone, avoid)
    return [SummarySentence(retriever.documents[candidates[i].doc], candidates[i].start, candidates[i].end,
                            float(scores[i])) for i in picked]


def _digest(retriever: Retriever, docs: list[int], sentences: int | None) -> tuple[list[SummarySentence], int]:
    """A digest of several documents: what each of the newest says, in sentences that read on their own.
    Second: how many documents were passed over for having nothing quotable (:attr:`Summary.unquotable`).

    The documents are taken newest first (undated last, see :func:`~retrieval.catalog.newest_first`),
    skipping those with nothing quotable. By default each of the :data:`DIGEST_DOCUMENTS` newest gets its
    single most central sentence (centrality within the document itself, so the sentence says what that
    document says rather than what the documents share). With ``sentences`` given, that many sentences:
    one for each of the ``sentences`` newest documents, or, when there are fewer documents, the extra
    sentences shared out newest first. A document never repeats (nearly) a sentence quoted from a newer
    one.

    Raises
    ------
    NothingToSummariseError
        No document has a quotable sentence.
    """
    cache = _cache_for(retriever)
    wanted = sentences if sentences is not None else DIGEST_DOCUMENTS
    material: list[tuple[int, list[_Candidate]]] = []
    unquotable = 0
    for d in sorted(docs, key=lambda d: newest_first(retriever.documents[d])):
        found = _untitled(retriever, cache.candidates(retriever, d))  # only the documents read
        if found:
            material.append((d, found))
            if len(material) == wanted:
                break
        else:
            unquotable += 1
    if not material:
        raise NothingToSummariseError("There are no whole sentences to quote in the documents.")
    count = sentences if sentences is not None else len(material)
    quotas = [0] * len(material)
    left = count
    while left > 0:  # round robin, newest first, while some document has sentences left
        before = left
        for i, (_, found) in enumerate(material):
            if left and quotas[i] < len(found):
                quotas[i] += 1
                left -= 1
        if left == before:
            break
    quoted: list[SummarySentence] = []
    seen: list[frozenset[str]] = []
    for (_, found), quota in zip(material, quotas):
        if quota:
            title = retriever.analyzer(retriever.documents[found[0].doc].title)
            picked = _best_sentences(retriever, found, quota, standalone=True, avoid=seen, guide_terms=title,
                                     lead=True)
            quoted += picked
            seen += [_term_set(retriever.analyzer(s.text)) for s in picked]
    return quoted, unquotable


def _untitled(retriever: Retriever, found: list[_Candidate]) -> list[_Candidate]:
    """``found`` (one document's candidates) without the line that is the document's title, as a plain
    text file's first line is when it is one sentence on its own ("Minutes of the April meeting of the
    club."): a digest or topic summary shows the title over every quote, so quoting it too says nothing.
    A first sentence running on into the paragraph (a news story's lead) stays. Unchanged when that line
    is all there is."""
    if len(found) < 2:
        return found
    document = retriever.documents[found[0].doc]
    kept = [c for c in found if " ".join(document.text[c.start:c.end].split()) != document.title
            or not _alone_on_line(document, c.start, c.end)]
    return kept or found


def _date_key(document: Document) -> tuple[bool, int]:
    """Sort key for a summary's sentences: oldest document first, undated last (the caller breaks ties)."""
    return (document.date is None, document.date.toordinal() if document.date else 0)


def _topic_documents(retriever: Retriever, terms: Sequence[str], passage_docs: npt.NDArray[np.int64],
                     allowed: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Which documents are about a topic: per document (shape ``(documents,)``), whether it is allowed and
    holds at least :data:`TOPIC_MIN_SHARE` of the topic's distinct terms, each term anywhere in it.

    Not the question no-answer share (:attr:`Retriever.min_evidence`: the idf mass in one excerpt and its similarity): a
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
    candidates = [c for d in sorted(wanted) for c in _untitled(retriever, cache.candidates(retriever, d))
                  if c.index in wanted[d]]
    if not candidates:
        raise NothingToSummariseError(f"{scope} mentions {topic.strip()!r}.")
    return candidates
