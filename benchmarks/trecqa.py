"""Answer quality on TrecQA raw-dev: does the first excerpt hold a correct sentence (who / when / how many)?

TrecQA (Wang, Smith & Mitamura 2007) pairs TREC 8-13 QA-track questions with candidate sentences from AQUAINT
newswire, lower-cased and Penn-tokenized. Documents, built from the candidates: one untitled ``.txt`` page per
question (``trecqa-raw-dev/<question id>.txt``), all 81 indexed together; a page holds that question's
candidates, detokenized (brackets restored, spacing by NLTK's Treebank detokenizer, "i" as "I", first letter
capitalised; other capitals cannot be restored), joined by single spaces as one paragraph, in an order
shuffled with ``random.Random(f"{seed}:{question id}")`` (``--seed``, default 0). The source lists correct
candidates first, so file order would give the answer away. Questions: the 78 with at least one correct
candidate (13 of them have only correct candidates).

Measure, systems and table as :mod:`benchmarks.wikiqa`: right when the first excerpt comes from the question's
page and holds a correct sentence; the product against plain stemmed rank-bm25 and bm25s (top page, best
given sentence by idf overlap). Issue 8's floor: the product at least 0.08 above plain rank-bm25.

A full run also measures shuffle seeds ``seed`` to ``seed + 4`` and notes each system's median, min and max
(``--quick`` skips that). Run alone: ``python -m benchmarks.trecqa --data ../shared/eval [--split train]
[--seed N] [--quick] [--dump FILE]``.
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from pathlib import Path

from . import Table
from .data import SEED, load_trecqa
from .sentence_qa import command_line, run_pages

__all__ = ["FLOOR_MARGIN", "SPREAD_SEEDS", "main", "run"]

#: Issue 8: the product's share must be at least this much above plain rank-bm25's.
FLOOR_MARGIN = 0.08
#: Further shuffle seeds measured in a full run, to show how much the figure moves with the order.
SPREAD_SEEDS = 5


def run(data_dir: Path, quick: bool = False, split: str = "raw-dev", seed: int = SEED,
        dump: Path | None = None) -> list[Table]:
    """TrecQA ``split`` (``raw-dev`` or ``train``) as one table; unless ``quick``, a note on how the
    shares move over :data:`SPREAD_SEEDS` shuffle seeds.
    ``dump``: also write per-question outcomes there (:func:`benchmarks.sentence_qa.write_dump`).

    Raises
    ------
    FileNotFoundError
        The TrecQA files are missing.
    """
    pages, questions = load_trecqa(data_dir, split, seed)
    sizes = {p.id: len(p.sentences) for p in pages}
    only_correct = sum(1 for q in questions if len(q.correct) == sizes[q.page])
    notes = [f"{len(pages):,} pages (one per question: its candidates, detokenized, shuffled with "
             f"random.Random(f'{seed}:<question id>'), joined as one paragraph), indexed together; "
             f"{len(questions):,} questions with a correct candidate ({only_correct} with only correct ones)."]
    table = run_pages(pages, questions, f"Answer quality: TrecQA {split} (first excerpt holds a correct sentence)",
                      notes, dump=dump)
    product, plain = (row[3] for row in table.rows[:2])
    verdict = "met" if product >= plain + FLOOR_MARGIN - 1e-9 else "not met"
    table.notes.append(f"Issue 8 floor: seedbot >= plain rank-bm25 + {FLOOR_MARGIN} = {plain + FLOOR_MARGIN:.3f}: "
                       f"{verdict} ({product:.3f}).")
    if not quick:
        table.notes.append(_spread(data_dir, split, seed))
    return [table]


def _spread(data_dir: Path, split: str, seed: int) -> str:
    """One note: each system's share over :data:`SPREAD_SEEDS` shuffle seeds (median, min, max)."""
    shares: dict[str, list[float]] = {}
    seeds = range(seed, seed + SPREAD_SEEDS)
    for s in seeds:
        pages, questions = load_trecqa(data_dir, split, s)
        for row in run_pages(pages, questions, "spread").rows:
            shares.setdefault(str(row[0]).split(" (")[0], []).append(float(row[3]))
    parts = [f"{name} median {statistics.median(v):.3f} (min {min(v):.3f}, max {max(v):.3f})"
             for name, v in shares.items()]
    return f"Over shuffle seeds {seeds.start}-{seeds.stop - 1}: " + "; ".join(parts) + "."


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.trecqa [--data DIR] [--split raw-dev|train] [--seed N] [--quick]
    [--dump FILE]``."""
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--split", choices=("raw-dev", "train"), default="raw-dev")
        parser.add_argument("--seed", type=int, default=SEED, help="seed of the candidate shuffle (default 0)")

    return command_line(argv, __doc__ or "", lambda a: run(a.data, a.quick, a.split, a.seed, a.dump), add,
                        quick_help="skip the spread over other shuffle seeds")


if __name__ == "__main__":
    raise SystemExit(main())
