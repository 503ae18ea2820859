"""Answer quality on SQuAD v1.1 dev: does the quoted excerpt contain the gold answer?

Every one of the 2,067 paragraphs becomes a document in a temporary folder, and every question goes through
:meth:`retrieval.Retriever.ask`, the same code path as ``python -m bot ask``. Measures, for the product and, in
the same run, for two plain set-ups on the same paragraphs and sentences:

* **first**: share of questions whose first excerpt contains a gold answer string (a declined question is a miss);
* **any**: share whose excerpts (up to 3) contain one;
* **chars**: mean length of the first excerpt, in characters.

Plain set-ups: ``rank-bm25`` ``BM25Okapi`` over lower-cased whitespace splits, and ``bm25s`` with its default
settings; each quotes the best single sentence (most distinct question words) of its top paragraph.

No-answer split: only the first 24 articles are indexed; questions about them should be answered,
questions about the other 24 declined. Measured at the product's threshold
(:data:`retrieval.retriever.MIN_EVIDENCE`) and at the neighbouring values it was chosen from.

Run: ``python -m benchmarks.squad --data ../shared/eval``.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from retrieval import Retriever
from retrieval.retriever import MIN_EVIDENCE
from retrieval.sentences import split_sentences

from .data import Question, load_squad

__all__ = ["format_tables", "main", "no_answer_split", "run"]

NO_ANSWER_ARTICLES = 24
#: No-answer thresholds measured next to the product's own.
THRESHOLDS = (0.78, 0.80, 0.84, 0.86)
_WORD = re.compile(r"\w+")


def _write_folder(folder: Path, paragraphs: Sequence[tuple[int, str]]) -> None:
    for p, (a, context) in enumerate(paragraphs):
        path = folder / f"article-{a:02d}" / f"paragraph-{p:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(context, encoding="utf-8")


def _contains(text: str | None, answers: Sequence[str]) -> bool:
    return text is not None and any(ans in text for ans in answers)


Quoter = Callable[[str], list[str]]


def _product(folder: Path) -> Quoter:
    retriever = Retriever.from_folder(folder)

    def quote(question: str) -> list[str]:
        return [e.text for e in retriever.ask(question).excerpts]

    return quote


def _plain(paragraphs: Sequence[tuple[int, str]], library: str) -> Quoter:
    """Best single sentence of the top paragraph, the way a newcomer would wire the library."""
    texts = [context for _, context in paragraphs]
    sentences = [[context[s:e] for s, e in split_sentences(context)] for context in texts]
    if library == "rank-bm25":
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi([_WORD.findall(t.lower()) for t in texts])

        def top(question: str) -> int:
            return int(np.argmax(bm25.get_scores(_WORD.findall(question.lower()))))
    else:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
        model = bm25s.BM25()
        model.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)

        def top(question: str) -> int:
            docs, _ = model.retrieve(bm25s.tokenize([question], show_progress=False), k=1, show_progress=False)
            return int(docs[0, 0])

    def quote(question: str) -> list[str]:
        words = set(_WORD.findall(question.lower()))
        candidates = sentences[top(question)]
        if not candidates:
            return []
        return [max(candidates, key=lambda s: len(words & set(_WORD.findall(s.lower()))))]

    return quote


def _measure(name: str, quote: Quoter, questions: Sequence[Question]) -> dict[str, Any]:
    first = any_ = answered = 0
    chars: list[int] = []
    started = time.perf_counter()
    for q in questions:
        excerpts = quote(q.text)
        if excerpts:
            answered += 1
            chars.append(len(excerpts[0]))
            first += _contains(excerpts[0], q.answers)
            any_ += any(_contains(e, q.answers) for e in excerpts)
    n = len(questions)
    return {"method": name, "questions": n, "first": first / n, "any": any_ / n,
            "chars": sum(chars) / max(1, len(chars)), "answered": answered / n,
            "ms_per_question": 1000 * (time.perf_counter() - started) / n}


def run(data_dir: Path, quick: bool = False, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Run the answer-quality measures.

    Parameters
    ----------
    data_dir:
        The evaluation folder holding ``squad-v1.1-dev/``.
    quick:
        Ask a fixed random sample of 1,000 questions instead of all 10,570.
    seed:
        Seed for the quick sample.

    Returns
    -------
    dict
        ``{"answers": rows, "no_answer": rows}``; each row is a dict of the measures above.
    """
    paragraphs, questions = load_squad(data_dir)
    if quick:
        questions = random.Random(seed).sample(questions, min(1000, len(questions)))
    results: dict[str, list[dict[str, Any]]] = {"answers": [], "no_answer": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "all"
        _write_folder(folder, paragraphs)
        results["answers"].append(_measure("seedbot (this project)", _product(folder), questions))
    for library in ("rank-bm25", "bm25s"):
        label = f"plain {library} (lower-cased word split)" if library == "rank-bm25" else "bm25s (defaults)"
        results["answers"].append(_measure(label, _plain(paragraphs, library), questions))
    results["no_answer"] = no_answer_split(paragraphs, questions)
    return results


def no_answer_split(paragraphs: Sequence[tuple[int, str]], questions: Sequence[Question]) -> list[dict[str, Any]]:
    """Index only the first 24 articles; report answered rate (in-corpus) and declined rate (out-of-corpus).

    Returns
    -------
    list[dict]
        One row per no-answer threshold: the product's own (:data:`MIN_EVIDENCE`) first, then
        :data:`THRESHOLDS`, each with ``answerable``, ``answered``, ``unanswerable``, ``declined``.
    """
    inside = [(a, c) for a, c in paragraphs if a < NO_ANSWER_ARTICLES]
    answerable = [q for q in questions if q.article < NO_ANSWER_ARTICLES]
    others = [q for q in questions if q.article >= NO_ANSWER_ARTICLES]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "half"
        _write_folder(folder, inside)
        retriever = Retriever.from_folder(folder)
        for threshold in [MIN_EVIDENCE, *(t for t in THRESHOLDS if t != MIN_EVIDENCE)]:
            retriever.min_evidence = threshold
            answered = sum(retriever.ask(q.text).answered for q in answerable)
            declined = sum(not retriever.ask(q.text).answered for q in others)
            label = "seedbot (this project)" if threshold == MIN_EVIDENCE else "seedbot, other threshold"
            rows.append({"method": f"{label}: min evidence {threshold:g}", "answerable": len(answerable),
                         "answered": answered / max(1, len(answerable)), "unanswerable": len(others),
                         "declined": declined / max(1, len(others))})
    return rows


def format_tables(results: dict[str, list[dict[str, Any]]]) -> str:
    """Markdown tables for :func:`run`'s results."""
    lines = ["| method | questions | answer in first excerpt | answer in any excerpt | mean first excerpt (chars) | ms/question |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in results["answers"]:
        lines.append(f"| {r['method']} | {r['questions']:,} | {r['first']:.3f} | {r['any']:.3f} | {r['chars']:.0f} | "
                     f"{r['ms_per_question']:.2f} |")
    lines += ["", "| no-answer split (first 24 articles indexed) | answerable | answered | unanswerable | declined |",
              "|---|---:|---:|---:|---:|"]
    for r in results["no_answer"]:
        lines.append(f"| {r['method']} | {r['answerable']:,} | {r['answered']:.3f} | {r['unanswerable']:,} | "
                     f"{r['declined']:.3f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.squad [--data DIR] [--quick]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(format_tables(run(args.data, quick=args.quick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
