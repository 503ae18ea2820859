"""First-excerpt answer quality over sets of candidate sentences: the shared half of the WikiQA, TrecQA,
community-dev and dated-news benchmarks.

A set is a list of :class:`Page` (a document made of given sentences, in order) and of
:class:`PageQuestion` (a question, the page it is about and the sentences that answer it). The product answers
through :meth:`retrieval.Retriever.ask` over the pages written to a temporary folder, the same path as
``python -m bot ask``; the plain set-ups see the same pages and the same given sentences.

Plain set-ups (:func:`plain_answerer`), the way a newcomer would wire the library, never declining:

* rank the units (pages with their title, or 3-sentence passages) with ``rank_bm25.BM25Okapi`` (k1=1.5, b=0.75,
  epsilon=0.25), or with ``bm25s.BM25()`` (k1=1.5, b=0.75, Lucene idf), over :func:`plain_tokens`:
  lower-cased runs of letters and digits, NLTK English stop words dropped, Snowball (Porter 2) stemmed by
  PyStemmer; the top unit wins (ties to the earlier unit);
* quote the top unit's best single sentence: the largest sum of rank-bm25 idf over the distinct question
  tokens it contains (the same idf table for both libraries), ties to the earlier sentence.

A first excerpt "holds" a sentence when the sentence, whitespace-normalised, is a substring of the excerpt,
whitespace-normalised (:func:`holds`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import logging
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer

from retrieval import ENGLISH_STOP_WORDS, Answer, QuestionError, Retriever

from . import Table

__all__ = [
    "PLAIN_BM25S",
    "PLAIN_RANK_BM25",
    "Answerer",
    "Page",
    "PageQuestion",
    "Pick",
    "Unit",
    "command_line",
    "holds",
    "measure",
    "normalise",
    "page_judge",
    "page_text",
    "plain_answerer",
    "plain_tokens",
    "product_answerer",
    "results_table",
    "run_pages",
    "write_dump",
    "write_pages",
]

log = logging.getLogger(__name__)

PLAIN_RANK_BM25 = "plain stemmed rank-bm25 (top {unit}, best sentence by idf overlap)"
PLAIN_BM25S = "bm25s (top {unit} by bm25s, same sentence pick)"

_TOKEN = re.compile(r"[^\W_]+")
_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class Page:
    """A document built from given sentences.

    Attributes
    ----------
    id:
        File path relative to the folder, ``/`` separators (``.md`` for a titled page, ``.txt`` otherwise);
        also the product's document id.
    title:
        Written as a ``# title`` heading above the sentences (``None``: no heading).
    sentences:
        The sentences, in document order; written joined by one space, as one paragraph.
    date:
        Written as a ``date YYYY-MM-DD`` first line when set (the product's date header).
    """

    id: str
    title: str | None
    sentences: tuple[str, ...]
    date: dt.date | None = None


@dataclass(frozen=True)
class PageQuestion:
    """A question about one page.

    Attributes
    ----------
    id:
        The set's own question id.
    text:
        The question as asked.
    page:
        :attr:`Page.id` of the page that answers it.
    correct:
        The page's sentences that answer it (at least one).
    kind:
        A group label for per-kind tables (empty when the set has none).
    """

    id: str
    text: str
    page: str
    correct: tuple[str, ...]
    kind: str = ""


@dataclass(frozen=True)
class Pick:
    """What a system quoted first: the excerpt text and the id of its document."""

    text: str
    document: str


#: A system under test: (question, "today" or ``None``) to its first excerpt, or ``None`` when it declines.
Answerer = Callable[[str, "dt.date | None"], "Pick | None"]


def normalise(text: str) -> str:
    """``text`` with every run of white space made one space, stripped."""
    return " ".join(text.split())


def holds(excerpt: str, sentences: Iterable[str]) -> bool:
    """Whether ``excerpt`` contains one of ``sentences`` (both whitespace-normalised)."""
    flat = normalise(excerpt)
    return any(normalise(s) and normalise(s) in flat for s in sentences)


def plain_tokens(text: str) -> list[str]:
    """The plain set-ups' tokens: lower-cased letter/digit runs, NLTK English stop words out, Snowball stems."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    stems: list[str] = _STEMMER.stemWords(words)
    return stems


def page_text(page: Page) -> str:
    """The file text of ``page``: optional date line, optional ``# title`` heading, then the sentences."""
    parts: list[str] = []
    if page.date is not None:
        parts.append(f"date {page.date.isoformat()}\n")
    if page.title:
        parts.append(f"# {page.title}\n")
    parts.append(" ".join(page.sentences) + "\n")
    return "\n".join(parts)


def write_pages(folder: Path, pages: Sequence[Page]) -> None:
    """Write every page to ``folder / page.id`` (UTF-8)."""
    for page in pages:
        path = folder / page.id
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_text(page), encoding="utf-8")


def product_answerer(folder: Path, as_of: dt.date | None = None,
                     dated_questions: bool = False) -> tuple[Answerer, str]:
    """The product over ``folder``: :meth:`Retriever.ask`'s first excerpt, ``None`` when it declines.

    "Today" is the question's own date when the caller gives one, else ``as_of``; it is passed as
    ``ask(..., as_of=...)`` only when ``ask`` has that parameter (the output says so). ``dated_questions``
    only changes the note: the questions bring their own dates.

    Returns
    -------
    (answerer, note)
        ``note`` says how "today" was set, for the table notes.
    """
    retriever = Retriever.from_folder(folder)
    ask: Callable[..., Answer] = retriever.ask  # ask(..., as_of=...) once the lead's branch adds it
    takes_as_of = "as_of" in inspect.signature(retriever.ask).parameters
    when = f"as of {as_of.isoformat()}" if as_of else "as of each question's date"
    if as_of is None and not dated_questions:
        note = "no date given to ask()"
    elif takes_as_of:
        note = f"asked {when} (ask(..., as_of=...))"
    else:
        note = f"ask() has no as_of parameter yet, so not asked {when} (today's clock; dates unused)"

    def answer(question: str, today: dt.date | None = None) -> Pick | None:
        today = today or as_of
        try:
            result = ask(question, as_of=today) if takes_as_of and today else ask(question)
        except QuestionError:
            return None
        if not result.excerpts:
            return None
        first = result.excerpts[0]
        return Pick(first.text, first.document.id)

    return answer, note


@dataclass(frozen=True)
class Unit:
    """What a plain set-up ranks: a document id, the given sentences of one page or passage, a heading
    (the page title: ranked with the sentences, never quoted) and the document's date."""

    document: str
    sentences: tuple[str, ...]
    heading: str = ""
    date: dt.date | None = None


def plain_answerer(units: Sequence[Unit], library: str, window_days: int | None = None) -> Answerer:
    """A plain set-up (module docstring): ``library`` ``"rank-bm25"`` or ``"bm25s"`` ranks ``units``.

    With ``window_days`` and a question date ("today"), only units dated from ``today - window_days`` to
    ``today`` (inclusive) can win; when none is, the system declines.

    Raises
    ------
    ValueError
        ``units`` is empty or ``library`` is unknown.
    """
    if not units:
        raise ValueError("no units to rank")
    from rank_bm25 import BM25Okapi

    unit_tokens = [plain_tokens(" ".join((u.heading, *u.sentences))) for u in units]
    okapi = BM25Okapi(unit_tokens)
    idf: dict[str, float] = okapi.idf
    sentence_tokens = [[set(plain_tokens(s)) for s in u.sentences] for u in units]
    if library == "rank-bm25":
        def scores(tokens: list[str]) -> np.ndarray:
            return np.asarray(okapi.get_scores(tokens))
    elif library == "bm25s":
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        model = bm25s.BM25()
        model.index([t or ["\u2205"] for t in unit_tokens], show_progress=False)

        def scores(tokens: list[str]) -> np.ndarray:
            return np.asarray(model.get_scores(tokens)) if tokens else np.zeros(len(units))
    else:
        raise ValueError(f"unknown library {library!r}")

    dates = [u.date for u in units]

    def answer(question: str, today: dt.date | None = None) -> Pick | None:
        tokens = plain_tokens(question)
        ranked = scores(tokens).astype(np.float64)
        if window_days is not None and today is not None:
            first = today - dt.timedelta(days=window_days)
            inside = np.array([d is not None and first <= d <= today for d in dates])
            if not inside.any():
                return None
            ranked[~inside] = -np.inf
        top = int(np.argmax(ranked))  # first maximum: ties to the earlier unit
        unit = units[top]
        if not unit.sentences:
            return None
        wanted = list(dict.fromkeys(tokens))  # distinct, in question order: sums never follow hash order
        gains = [sum(idf.get(t, 0.0) for t in wanted if t in s) for s in sentence_tokens[top]]
        best = max(range(len(gains)), key=lambda i: (gains[i], -i))  # ties to the earlier sentence
        return Pick(unit.sentences[best], unit.document)

    return answer


Judge = Callable[[Any, "Pick | None"], bool]


def page_judge(question: PageQuestion, pick: Pick | None) -> bool:
    """Right when the first excerpt comes from the question's page and holds a correct sentence."""
    return pick is not None and pick.document == question.page and holds(pick.text, question.correct)


def measure(method: str, answer: Answerer, questions: Sequence[Any], judge: Judge = page_judge,
            kind: Callable[[Any], str] | None = None) -> dict[str, Any]:
    """Ask every question once; count right first excerpts (overall and by kind), declines and lengths.

    A question with an ``as_of`` attribute is asked as of that date.

    Returns
    -------
    dict
        ``method, questions, right, declined, chars (mean first excerpt, characters), median_chars,
        ms (per question), kinds ({kind: [right, asked]}), details (one dict per question, see
        :func:`write_dump`)``.
    """
    right = declined = 0
    lengths: list[int] = []
    kinds: dict[str, list[int]] = {}
    details: list[dict[str, Any]] = []
    started = time.perf_counter()
    for q in questions:
        pick = answer(q.text, getattr(q, "as_of", None))
        good = judge(q, pick)
        details.append({"method": method, "question": q.text, "expected": getattr(q, "page", None) or getattr(q, "doc", None),
                        "document": pick.document if pick else None, "excerpt": pick.text if pick else None,
                        "right": good, "kind": kind(q) if kind else None})
        right += good
        if pick is None:
            declined += 1
        else:
            lengths.append(len(pick.text))
        if kind is not None:
            cell = kinds.setdefault(kind(q), [0, 0])
            cell[0] += good
            cell[1] += 1
    n = max(1, len(questions))
    return {"method": method, "questions": len(questions), "right": right, "declined": declined,
            "chars": sum(lengths) / max(1, len(lengths)), "median_chars": float(statistics.median(lengths)) if lengths else None,
            "ms": 1000 * (time.perf_counter() - started) / n, "kinds": kinds, "details": details}


def write_dump(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    """Write every system's per-question outcome to ``path`` as JSON lines (``method, question, expected,
    document, excerpt, right, kind``), for reading misses and tuning."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.writelines(json.dumps(detail, ensure_ascii=False) + "\n" for detail in row["details"])


def results_table(title: str, rows: Sequence[dict[str, Any]], notes: Sequence[str], metric: str) -> Table:
    """One row per system: share right, ratio to the plain rank-bm25 row (the second), declines, lengths."""
    base = rows[1]["right"] / max(1, rows[1]["questions"]) if len(rows) > 1 else None
    table_rows: list[list[Any]] = []
    for r in rows:
        share = r["right"] / max(1, r["questions"])
        table_rows.append([r["method"], r["questions"], r["right"], round(share, 3),
                           round(share / base, 3) if base else None,
                           round(r["declined"] / max(1, r["questions"]), 3), round(r["chars"], 0),
                           r["median_chars"], round(r["ms"], 2)])
    return Table(title, ["method", "questions", "right", metric, "ratio to plain rank-bm25", "declined",
                         "mean first excerpt (chars)", "median first excerpt (chars)", "ms/question"],
                 table_rows, list(notes))


def run_pages(pages: Sequence[Page], questions: Sequence[PageQuestion], title: str,
              notes: Sequence[str] = (), unit: str = "page", dump: Path | None = None) -> Table:
    """The product and both plain set-ups over ``pages`` (written to a temporary folder) for ``questions``.

    Returns
    -------
    Table
        One row per system (:func:`results_table`), judged by :func:`page_judge`; per-question outcomes
        go to ``dump`` (:func:`write_dump`) when given.

    Raises
    ------
    ValueError
        ``pages`` or ``questions`` is empty.
    """
    if not pages or not questions:
        raise ValueError("no pages or no questions")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        write_pages(folder, pages)
        answer, as_of_note = product_answerer(folder)
        rows.append(measure("seedbot (this project)", answer, questions))
    units = [Unit(p.id, p.sentences, p.title or "") for p in pages]
    rows.append(measure(PLAIN_RANK_BM25.format(unit=unit), plain_answerer(units, "rank-bm25"), questions))
    rows.append(measure(PLAIN_BM25S.format(unit=unit), plain_answerer(units, "bm25s"), questions))
    if dump is not None:
        write_dump(dump, rows)
    right = "right = the first excerpt is from the question's page and holds a correct sentence " \
            "(whitespace-normalised substring); a declined question is a miss."
    return results_table(title, rows, [*notes, right, f"seedbot: {as_of_note}."], "first excerpt holds a correct sentence")


def command_line(argv: Sequence[str] | None, doc: str, run: Callable[[argparse.Namespace], Sequence[Table]],
                 add: Callable[[argparse.ArgumentParser], None] = lambda parser: None,
                 quick_help: str = "accepted for symmetry; the run is already quick") -> int:
    """The shared command line of these benchmarks: ``--data DIR``, ``--quick``, ``--dump FILE``, plus what
    ``add`` adds; prints each table of ``run(args)`` under the machine line. Returns the exit code, 0."""
    from .data import DEFAULT_DATA
    from .machine import machine_line

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the evaluation folder")
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--dump", type=Path, metavar="FILE",
                        help="also write each system's per-question outcome to FILE (JSON lines)")
    add(parser)
    args = parser.parse_args(argv)
    for table in run(args):
        print(table.markdown(machine_line()))
    return 0
