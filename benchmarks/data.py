"""Shared loaders for the evaluation sets, and the fixed-seed corpora of the speed benchmark.

Every loader takes the evaluation folder (``--data``, by default ``../shared/eval`` next to the repository)
and reads one sub-folder of it; nothing is ever copied into the repository. Layouts:

* ``scifact/``: BEIR layout, ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``,
  ``text``) and ``qrels/test.tsv`` (``query-id``, ``corpus-id``, ``score``, with a header line).
* ``squad-v1.1-dev/dev-v1.1.json``: the official SQuAD v1.1 dev file.
* ``bbc-news-summary/{News Articles,Summaries}/<category>/NNN.txt`` (also inside a ``BBC News Summary/``
  folder, as in the Kaggle archive).
* ``reuters-21578/documents/NNNNN.txt``: one article per file in the product's own document format.

Sampling is always done with :class:`random.Random` seeded by the caller (default :data:`SEED`), so two runs
on the same data give the same corpora and questions.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from retrieval import Document, parse_document
from retrieval.passages import make_passages
from retrieval.sentences import split_sentences

__all__ = [
    "SEED",
    "DEFAULT_DATA",
    "SciFact",
    "load_scifact",
    "load_squad",
    "Question",
    "BBCArticle",
    "load_bbc",
    "reuters_folder",
    "load_reuters",
    "SpeedCorpus",
    "build_speed_corpus",
    "reuters_questions",
    "sample",
]

log = logging.getLogger(__name__)

#: The seed of every sampling step, unless a caller passes another.
SEED = 0
#: The evaluation folder: ``../shared/eval`` next to the repository.
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"

T = TypeVar("T")


def sample(items: Sequence[T], n: int, seed: int = SEED) -> list[T]:
    """A fixed-seed random sample of ``n`` items (all of them, shuffled, when ``n >= len(items)``)."""
    rng = random.Random(seed)
    return rng.sample(list(items), min(n, len(items)))


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{what} not found at {path} (pass --data DIR, the folder holding the "
                                "evaluation sets)")
    return path


# --------------------------------------------------------------------------------------------- SciFact


@dataclass
class SciFact:
    """BEIR SciFact: the abstracts, the test claims and the graded relevance judgements.

    Attributes
    ----------
    doc_ids, titles, texts:
        One entry per abstract, in file order.
    queries:
        Query id to claim text, for the queries that have judgements (300 on the test split).
    qrels:
        Query id to ``{doc id: grade}``; grades above 0 are relevant.
    """

    doc_ids: list[str]
    titles: list[str]
    texts: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]

    def passages(self) -> list[str]:
        """One passage per abstract: title and text joined by a space (BEIR's and Pyserini's "flat" form)."""
        return [f"{title} {text}".strip() for title, text in zip(self.titles, self.texts)]


def load_scifact(data_dir: Path, split: str = "test") -> SciFact:
    """Load BEIR SciFact from ``data_dir/scifact``.

    Raises
    ------
    FileNotFoundError
        A file of the BEIR layout is missing.
    """
    root = _need(data_dir / "scifact", "SciFact")
    doc_ids: list[str] = []
    titles: list[str] = []
    texts: list[str] = []
    with open(_need(root / "corpus.jsonl", "SciFact corpus"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                doc_ids.append(str(row["_id"]))
                titles.append(row.get("title") or "")
                texts.append(row.get("text") or "")
    qrels: dict[str, dict[str, int]] = {}
    with open(_need(root / "qrels" / f"{split}.tsv", "SciFact qrels"), encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            parts = line.rstrip("\n").split("\t")
            if n == 0 and not parts[-1].lstrip("-").isdigit():
                continue  # header line
            if len(parts) >= 3:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries: dict[str, str] = {}
    with open(_need(root / "queries.jsonl", "SciFact queries"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if str(row["_id"]) in qrels:
                    queries[str(row["_id"])] = row["text"]
    missing = set(qrels) - set(queries)
    if missing:
        log.warning("SciFact: %d judged queries have no text; they are left out", len(missing))
        qrels = {q: r for q, r in qrels.items() if q in queries}
    return SciFact(doc_ids, titles, texts, queries, qrels)


# ----------------------------------------------------------------------------------------------- SQuAD


@dataclass(frozen=True)
class Question:
    """One SQuAD question: its article and paragraph index, text and gold answer strings."""

    article: int
    paragraph: int
    text: str
    answers: tuple[str, ...]


def load_squad(data_dir: Path) -> tuple[list[tuple[int, str]], list[Question]]:
    """Load SQuAD v1.1 dev from ``data_dir/squad-v1.1-dev/dev-v1.1.json``.

    Returns
    -------
    (paragraphs, questions)
        ``paragraphs``: ``(article index, context)`` in file order (2,067); ``questions``: 10,570.

    Raises
    ------
    FileNotFoundError
        The file is missing.
    """
    path = _need(data_dir / "squad-v1.1-dev" / "dev-v1.1.json", "SQuAD v1.1 dev")
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)["data"]
    paragraphs: list[tuple[int, str]] = []
    questions: list[Question] = []
    for a, article in enumerate(data):
        for para in article["paragraphs"]:
            p = len(paragraphs)
            paragraphs.append((a, para["context"]))
            for qa in para["qas"]:
                answers = tuple(dict.fromkeys(ans["text"] for ans in qa["answers"]))
                questions.append(Question(a, p, qa["question"], answers))
    return paragraphs, questions


# ------------------------------------------------------------------------------------------------- BBC


@dataclass(frozen=True)
class BBCArticle:
    """One BBC News Summary pair: id ``category/NNN.txt``, the article (title line first) and its reference."""

    id: str
    text: str
    reference: str


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # one article in the set is latin-1


def load_bbc(data_dir: Path, limit: int | None = None, seed: int = SEED) -> list[BBCArticle]:
    """Load BBC News Summary pairs, sorted by id; a fixed-seed sample of ``limit`` if given.

    Parameters
    ----------
    data_dir:
        The evaluation folder holding ``bbc-news-summary/`` (``News Articles/<category>/<n>.txt`` and
        ``Summaries/<category>/<n>.txt``, possibly nested once more in ``BBC News Summary/``).

    Raises
    ------
    FileNotFoundError
        The folders are missing or hold no pair.
    """
    root = _need(data_dir / "bbc-news-summary", "BBC News Summary")
    if (root / "BBC News Summary").is_dir():  # the Kaggle archive's own nesting
        root = root / "BBC News Summary"
    articles = _need(root / "News Articles", "BBC articles")
    pairs: list[BBCArticle] = []
    for path in sorted(articles.glob("*/*.txt")):
        summary = root / "Summaries" / path.parent.name / path.name
        if summary.exists():
            pairs.append(BBCArticle(f"{path.parent.name}/{path.name}", _read_text(path), _read_text(summary)))
    if not pairs:
        raise FileNotFoundError(f"no article with a reference summary under {root}")
    if limit is not None:
        pairs = sorted(sample(pairs, limit, seed), key=lambda p: p.id)
    return pairs


# --------------------------------------------------------------------------------------------- Reuters


def reuters_folder(data_dir: Path) -> Path:
    """The folder of Reuters-21578 articles in the product's document format (for start-up timing)."""
    return _need(data_dir / "reuters-21578" / "documents", "Reuters-21578 documents")


def load_reuters(data_dir: Path, limit: int | None = None, seed: int = SEED) -> list[Document]:
    """Reuters-21578 articles as product :class:`~retrieval.Document` objects, sorted by file name.

    Parameters
    ----------
    limit:
        Load only a fixed-seed sample of this many articles (all when ``None``).
    """
    folder = reuters_folder(data_dir)
    paths = sorted(folder.glob("*.txt"))
    if limit is not None:
        paths = sorted(sample(paths, limit, seed))
    return [parse_document(p.name, _read_text(p).lstrip("\ufeff")) for p in paths]


@dataclass
class SpeedCorpus:
    """Passages of real prose for the speed benchmark, largest size first built, smaller sizes as prefixes.

    Attributes
    ----------
    texts:
        Passage texts. The first ``real`` are the product's own passages of Reuters articles (in a
        fixed-seed shuffled order); the rest are built by sampling Reuters sentences.
    spans:
        For each passage, the ``(start, end)`` offsets of its sentences in its text.
    dates:
        For each passage, the date of the article it (or its first sentence) came from.
    real:
        Number of passages taken as they are from the articles.
    articles:
        Number of articles the passages and sentences came from.
    """

    texts: list[str]
    spans: list[list[tuple[int, int]]]
    dates: list[dt.date | None]
    real: int
    articles: int
    sentences: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self, size: int) -> str:
        """One line saying how the first ``size`` passages were made."""
        real = min(size, self.real)
        if real == size:
            return (f"{size:,} passages: a fixed-seed sample of the product's own passages (sentence windows "
                    f"of ~120 words) of {self.articles:,} Reuters-21578 articles")
        return (f"{size:,} passages: all {real:,} real passages of {self.articles:,} Reuters-21578 articles, "
                f"plus {size - real:,} passages built by sampling their {self.sentences:,} sentences "
                f"(seed {SEED}) to the same length distribution")


def build_speed_corpus(documents: Sequence[Document], size: int, seed: int = SEED) -> SpeedCorpus:
    """Build ``size`` passages of real prose from ``documents``.

    The product's passage maker (:func:`retrieval.make_passages`) cuts every article into sentence windows.
    Those real passages come first, shuffled with ``seed``; when more are needed, new passages are made by
    drawing sentences at random (with replacement) from all articles and joining them with a space until
    each reaches the word count of a randomly drawn real passage, so the length distribution is the same.

    Returns
    -------
    SpeedCorpus
        ``size`` passages; any prefix of ``texts`` is itself a valid corpus.
    """
    rng = random.Random(seed)
    real: list[tuple[str, list[tuple[int, int]], dt.date | None]] = []
    sentences: list[tuple[str, dt.date | None]] = []
    for d, document in enumerate(documents):
        text = document.text
        spans = split_sentences(text, document.body_start)
        words = [len(text[s:e].split()) for s, e in spans]
        sentences.extend((text[s:e], document.date) for s, e in spans)
        for passage in make_passages(d, spans, words):
            offset = passage.start
            real.append((text[passage.start:passage.end],
                         [(s - offset, e - offset) for s, e in spans[passage.first:passage.last + 1]],
                         document.date))
    if not real:
        raise ValueError("no passages in the documents")
    rng.shuffle(real)
    real = real[:size]
    texts = [r[0] for r in real]
    all_spans = [r[1] for r in real]
    dates = [r[2] for r in real]
    lengths = [len(t.split()) for t in texts]
    word_counts = [len(s.split()) for s, _ in sentences]
    while len(texts) < size:
        target = rng.choice(lengths)
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        words = 0
        position = 0
        date: dt.date | None = None
        while words < target:
            i = rng.randrange(len(sentences))
            sentence, sentence_date = sentences[i]
            if not parts:
                date = sentence_date
            spans.append((position, position + len(sentence)))
            parts.append(sentence)
            position += len(sentence) + 1
            words += word_counts[i]
        texts.append(" ".join(parts))
        all_spans.append(spans)
        dates.append(date)
    return SpeedCorpus(texts, all_spans, dates, len(real), len(documents), len(sentences))


def reuters_questions(documents: Sequence[Document], n: int, seed: int = SEED) -> list[str]:
    """``n`` fixed-seed questions for latency runs: Reuters headlines, as a reader would type them.

    A headline is the rest of the first line after the ``date YYYY-MM-DD`` header, lower-cased. Headlines
    without a letter are skipped; when there are fewer than ``n``, they repeat (in a new order).
    """
    titles: list[str] = []
    for document in documents:
        line = document.text[document.body_start:].split("\n", 1)[0].strip()
        if any(ch.isalpha() for ch in line):
            titles.append(line.lower())
    if not titles:
        raise ValueError("no headlines to ask")
    rng = random.Random(seed)
    questions: list[str] = []
    while len(questions) < n:
        batch = list(titles)
        rng.shuffle(batch)
        questions.extend(batch[: n - len(questions)])
    return questions
