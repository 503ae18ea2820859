"""Answer quality on WikiQA dev: does the first excerpt hold a correct sentence, on questions people typed?

WikiQA (Yang, Yih & Meek 2015) pairs real Bing questions with the summary paragraph of a Wikipedia page.
Documents: every one of the 293 dev pages becomes one Markdown file in one folder (``wikiqa/<DocumentID>.md``:
a ``# <page title>`` heading, then the page's candidate sentences in ``SentenceID`` order joined by single
spaces, as one paragraph). Questions: the 122 of the answer-sentence-selection subset
(``WikiQA-dev-filtered.ref``: at least one correct and one wrong sentence). All pages are indexed together,
so a system must find the page as well as the sentence.

Measure: a question is right when the first excerpt comes from its page and holds one of its correct
sentences (whitespace-normalised substring; a declined question is a miss). Also: share declined, mean and
median first-excerpt length in characters, and the ratio to the plain rank-bm25 set-up. Systems, side by side:
the product (:meth:`retrieval.Retriever.ask`), plain stemmed rank-bm25 and bm25s
(:mod:`benchmarks.sentence_qa`: top page, best given sentence by idf overlap, ties to the earlier sentence).

Run alone: ``python -m benchmarks.wikiqa --data ../shared/eval`` (``--split train`` for the train pages,
one untitled page per question: for tuning, not for reporting).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from . import Table
from .data import load_wikiqa, load_wikiqa_train
from .sentence_qa import command_line, run_pages

__all__ = ["FLOOR_CHARS", "FLOOR_SHARE", "main", "run"]

#: Issue 8's floor on dev: at least this share, with first excerpts averaging at most FLOOR_CHARS characters.
FLOOR_SHARE = 0.65
FLOOR_CHARS = 300


def run(data_dir: Path, quick: bool = False, split: str = "dev", dump: Path | None = None) -> list[Table]:
    """WikiQA dev (or train, ``split="train"``) as one table. ``quick`` changes nothing: it takes seconds.
    ``dump``: also write per-question outcomes there (:func:`benchmarks.sentence_qa.write_dump`).

    Raises
    ------
    FileNotFoundError
        The WikiQA files are missing.
    """
    if split == "train":
        pages, questions = load_wikiqa_train(data_dir)
        notes = [f"{len(pages):,} train pages (one untitled page per question, tokenized text as in "
                 f"WikiQA-train.txt), indexed together; {len(questions):,} questions with a correct and a "
                 "wrong candidate. For tuning only."]
        title = "Answer quality: WikiQA train (first excerpt holds a correct sentence)"
    else:
        pages, questions = load_wikiqa(data_dir)
        notes = [f"{len(pages):,} WikiQA dev pages indexed together, each '# title' + its candidate sentences "
                 f"in order; {len(questions):,} questions (WikiQA-dev-filtered.ref)."]
        title = "Answer quality: WikiQA dev (first excerpt holds a correct sentence)"
    table = run_pages(pages, questions, title, notes, dump=dump)
    if split == "dev":
        share, chars = table.rows[0][3], table.rows[0][6]
        met = share >= FLOOR_SHARE and chars <= FLOOR_CHARS
        table.notes.append(f"Issue 8 floor: seedbot >= {FLOOR_SHARE} with a mean first excerpt <= {FLOOR_CHARS} "
                           f"chars: {'met' if met else 'not met'} ({share:.3f}, {chars:.0f} chars).")
    return [table]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.wikiqa [--data DIR] [--split dev|train] [--dump FILE]``."""
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--split", choices=("dev", "train"), default="dev")

    return command_line(argv, __doc__ or "", lambda a: run(a.data, a.quick, a.split, a.dump), add)


if __name__ == "__main__":
    raise SystemExit(main())
