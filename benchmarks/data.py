"""Shared loaders for the evaluation sets, and the fixed-seed corpora of the speed benchmark.

Every loader takes the evaluation folder (``--data``, by default ``../shared/eval`` next to the repository)
and reads one sub-folder of it; nothing is ever copied into the repository. Layouts:

* ``scifact/``: BEIR layout, ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``,
  ``text``) and ``qrels/test.tsv`` (``query-id``, ``corpus-id``, ``score``, with a header line).
* ``squad-v1.1-dev/dev-v1.1.json``: the official SQuAD v1.1 dev file.
* ``bbc-news-summary/{News Articles,Summaries}/<category>/NNN.txt`` (also inside a ``BBC News Summary/``
  folder, as in the Kaggle archive).
* ``reuters-21578/documents/NNNNN.txt``: one article per file in the product's own document format.
* ``wikiqa/``: ``WikiQA-dev.tsv`` (header ``QuestionID Question DocumentID DocumentTitle SentenceID Sentence
  Label``), ``WikiQA-dev-filtered.ref`` (TREC qrels ``qid 0 sentence label``, qid = 1-based question order in
  the TSV, only questions with a correct and a wrong candidate), ``WikiQA-train.txt`` (tokenized
  ``question \t sentence \t label``) and ``WikiQA-train.ref`` (qrels for it).
* ``trecqa/{raw-dev,train}/``: castorini layout, line ``i`` of ``a.toks`` / ``b.toks`` / ``sim.txt`` /
  ``id.txt`` is a question, a candidate sentence, its label and the question id; lower-cased Penn tokens.
* ``community-dev/``: ``docs/`` (a folder of the product's documents) and ``questions.jsonl`` (``q``,
  ``doc``, ``must``, ``kind``).

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
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from retrieval import Document, parse_document
from retrieval.passages import make_passages
from retrieval.sentences import split_sentences

from .sentence_qa import Page, PageQuestion

__all__ = [
    "DEFAULT_DATA",
    "SEED",
    "BBCArticle",
    "CommunityQuestion",
    "Question",
    "SciFact",
    "SpeedCorpus",
    "build_speed_corpus",
    "detokenize",
    "load_bbc",
    "load_community",
    "load_reuters",
    "load_scifact",
    "load_squad",
    "load_trecqa",
    "load_wikiqa",
    "load_wikiqa_train",
    "reuters_folder",
    "reuters_headlines",
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


def reuters_headlines(data_dir: Path) -> list[tuple[Path, dt.date, str]]:
    """Every Reuters article's path, date and headline, read from first lines only, sorted by file name.

    The first line is ``date YYYY-MM-DD HEADLINE``; a file whose first line has no valid date is left out.
    """
    found: list[tuple[Path, dt.date, str]] = []
    for path in sorted(reuters_folder(data_dir).glob("*.txt")):
        with open(path, encoding="utf-8", errors="replace") as handle:
            line = handle.readline().lstrip("\ufeff").rstrip("\r\n")
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[0] == "date":
            try:
                found.append((path, dt.date.fromisoformat(parts[1]), parts[2].strip()))
            except ValueError:
                continue
    return found


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


# ---------------------------------------------------------------------------------------------- WikiQA


def load_wikiqa(data_dir: Path) -> tuple[list[Page], list[PageQuestion]]:
    """WikiQA dev: every dev page, and the questions of the answer-sentence-selection subset.

    Each ``DocumentID`` is one Wikipedia summary page (a few pages serve two questions: one page each):
    its title the ``DocumentTitle``, its sentences the candidates in ``SentenceID`` order, id
    ``wikiqa/<DocumentID>.md``. Questions: those listed in ``WikiQA-dev-filtered.ref`` (at least one correct
    and one wrong candidate; 122 of 296), each with its correct sentences.

    Raises
    ------
    FileNotFoundError
        A file is missing.
    ValueError
        The reference file's labels disagree with the TSV's (the files do not belong together).
    """
    root = _need(data_dir / "wikiqa", "WikiQA")
    rows: dict[str, list[list[str]]] = {}
    with open(_need(root / "WikiQA-dev.tsv", "WikiQA dev"), encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == len(header):
                rows.setdefault(parts[col["QuestionID"]], []).append(parts)
    order = list(rows)
    pages: dict[str, Page] = {}
    for candidates in rows.values():
        doc = candidates[0][col["DocumentID"]]
        if doc not in pages:
            ordered = sorted(candidates, key=lambda r: int(r[col["SentenceID"]].rsplit("-", 1)[1]))
            pages[doc] = Page(f"wikiqa/{doc}.md", ordered[0][col["DocumentTitle"]],
                              tuple(r[col["Sentence"]].strip() for r in ordered))
    labels: dict[int, list[int]] = {}
    with open(_need(root / "WikiQA-dev-filtered.ref", "WikiQA dev reference"), encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 4:
                labels.setdefault(int(parts[0]), []).append(int(parts[3]))
    questions: list[PageQuestion] = []
    for number, ref in labels.items():
        candidates = rows[order[number - 1]]
        if ref != [int(r[col["Label"]]) for r in candidates]:
            raise ValueError(f"WikiQA: reference question {number} does not match the TSV's labels")
        first = candidates[0]
        questions.append(PageQuestion(first[col["QuestionID"]], first[col["Question"]].strip(),
                                      pages[first[col["DocumentID"]]].id,
                                      tuple(r[col["Sentence"]].strip() for r in candidates if r[col["Label"]] == "1")))
    return list(pages.values()), questions


def load_wikiqa_train(data_dir: Path) -> tuple[list[Page], list[PageQuestion]]:
    """WikiQA train, for tuning: one page per question (the train file has no titles or document ids).

    ``WikiQA-train.txt`` lists each question's candidates consecutively; a question's page is its candidates
    in file order, untitled, id ``wikiqa-train/<n>.txt`` (``n`` the 1-based question number, as in
    ``WikiQA-train.ref``). Two questions about one Wikipedia page give two pages. The file's tokenized text
    is turned back into prose by :func:`detokenize`, so it reads like dev's. Questions: those with at least
    one correct and one wrong candidate.

    Raises
    ------
    FileNotFoundError
        The file is missing.
    """
    root = _need(data_dir / "wikiqa", "WikiQA")
    groups: list[tuple[str, list[tuple[str, int]]]] = []
    with open(_need(root / "WikiQA-train.txt", "WikiQA train"), encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            question, sentence, label = parts
            if not groups or groups[-1][0] != question:
                groups.append((question, []))
            groups[-1][1].append((detokenize(sentence), int(label)))
    pages: list[Page] = []
    questions: list[PageQuestion] = []
    for n, (question, candidates) in enumerate(groups, start=1):
        page = Page(f"wikiqa-train/{n:04d}.txt", None, tuple(s for s, _ in candidates))
        pages.append(page)
        correct = tuple(s for s, label in candidates if label)
        if correct and len(correct) < len(candidates):
            questions.append(PageQuestion(str(n), detokenize(question), page.id, correct))
    return pages, questions


# ---------------------------------------------------------------------------------------------- TrecQA

_PTB_BRACKETS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}


@lru_cache(maxsize=1)
def _detokenizer() -> object:
    from nltk.tokenize.treebank import TreebankWordDetokenizer  # a bench/test extra; no data download

    return TreebankWordDetokenizer()


def detokenize(tokens: str) -> str:
    """Lower-cased Penn Treebank tokens back to prose: brackets restored, spacing by NLTK's
    :class:`TreebankWordDetokenizer`, "i" as "I", and the first letter capitalised. Other capitals
    (names) cannot be restored and stay lower case."""
    words = ["I" if w == "i" else _PTB_BRACKETS.get(w, w) for w in tokens.split()]
    text: str = _detokenizer().detokenize(words)  # type: ignore[attr-defined]
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


def load_trecqa(data_dir: Path, split: str = "raw-dev", seed: int = SEED) -> tuple[list[Page], list[PageQuestion]]:
    """TrecQA ``split`` (``raw-dev`` or ``train``) as one page per question.

    A question's page holds its candidate sentences, detokenized (:func:`detokenize`), in an order shuffled
    by ``random.Random(f"{seed}:{question id}")`` (the source lists correct candidates first, so file order
    would give the answer away), untitled, id ``trecqa-<split>/<question id>.txt``. Questions: those with at
    least one correct candidate (raw-dev: 78 of 81; a few have only correct candidates).

    Raises
    ------
    FileNotFoundError
        A file is missing.
    """
    root = _need(data_dir / "trecqa" / split, f"TrecQA {split}")

    def lines(name: str) -> list[str]:
        with open(_need(root / name, f"TrecQA {split} {name}"), encoding="utf-8") as handle:
            return handle.read().split("\n")

    ids, questions_raw, sentences_raw, labels = lines("id.txt"), lines("a.toks"), lines("b.toks"), lines("sim.txt")
    groups: dict[str, tuple[str, list[tuple[str, bool]]]] = {}
    for qid, question, sentence, label in zip(ids, questions_raw, sentences_raw, labels):
        if qid.strip() and sentence.strip():
            groups.setdefault(qid.strip(), (question, []))[1].append((detokenize(sentence), label.strip() == "1"))
    pages: list[Page] = []
    questions: list[PageQuestion] = []
    for qid, (question, candidates) in groups.items():
        shuffled = list(candidates)
        random.Random(f"{seed}:{qid}").shuffle(shuffled)
        page = Page(f"trecqa-{split}/{qid}.txt", None, tuple(s for s, _ in shuffled))
        pages.append(page)
        correct = tuple(s for s, good in shuffled if good)
        if correct:
            questions.append(PageQuestion(qid, detokenize(question), page.id, correct))
    return pages, questions


# ------------------------------------------------------------------------------------------ community


@dataclass(frozen=True)
class CommunityQuestion:
    """One community-dev question: text, expected document (``None``: unanswerable), ``must`` strings, kind."""

    text: str
    doc: str | None
    must: tuple[str, ...]
    kind: str


def load_community(data_dir: Path) -> tuple[Path, list[CommunityQuestion]]:
    """community-dev: the documents folder and the 90 questions, in file order.

    Raises
    ------
    FileNotFoundError
        The folder or the questions file is missing.
    """
    root = _need(data_dir / "community-dev", "community-dev")
    folder = _need(root / "docs", "community-dev documents")
    questions: list[CommunityQuestion] = []
    with open(_need(root / "questions.jsonl", "community-dev questions"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                questions.append(CommunityQuestion(row["q"], row.get("doc"), tuple(row.get("must") or ()),
                                                   row.get("kind") or ""))
    return folder, questions
