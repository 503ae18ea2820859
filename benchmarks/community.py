"""Answer quality on community-dev: the product's own job, a Discord community's docs and 90 member questions.

The set (``community-dev/``: ``docs/``, 20 dated and undated documents of an invented project, and
``questions.jsonl``) is judged by the rule in its README ("How to judge"):

* an answerable question is right only if the system answers, its **first** excerpt comes from the expected
  document and contains every ``must`` entry (an entry counts if one of its ``|`` alternatives is an exact,
  case-sensitive substring of the excerpt); a declined question is a miss;
* an unanswerable question (``doc`` null) is right only if the system declines.

The product answers through :meth:`retrieval.Retriever.ask` over ``docs/`` as loaded by the product, asked as
of 2025-02-12 (``ask(..., as_of=...)`` when ``ask`` takes that parameter; the output says which). Side by
side, the README's plain baseline: each document's quotable text (front matter and date line removed, as the
product loads it) split into sentences by the product's splitter and cut into consecutive 3-sentence passages,
ranked with rank-bm25 (or bm25s) over stemmed, stop-worded tokens; the first excerpt is the best-overlapping
sentence of the top passage (:mod:`benchmarks.sentence_qa`); they never decline.

Reported by kind, overall, with the mean first-excerpt length, and checked against issue 8's floors (at
least 78/90, every kind at least two thirds, at least 9/10 declined).

Run alone: ``python -m benchmarks.community --data ../shared/eval``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retrieval import load_documents
from retrieval.sentences import split_sentences

from . import Table
from .data import CommunityQuestion, load_community
from .sentence_qa import (
    PLAIN_BM25S,
    PLAIN_RANK_BM25,
    Pick,
    Unit,
    command_line,
    measure,
    plain_answerer,
    product_answerer,
    write_dump,
)

__all__ = ["AS_OF", "KINDS", "judge", "main", "passages", "run", "run_folder"]

#: "Today" for the whole set (issue 8).
AS_OF = dt.date(2025, 2, 12)
#: Kinds in the README's order; other kinds found in a file follow in sorted order.
KINDS = ("lexical", "paraphrase", "answer-type", "how-why", "recency", "dated", "multi", "chatty", "unanswerable")
#: Sentences per baseline passage (the README's baseline).
PASSAGE_SENTENCES = 3
#: Issue 8's floors: right answers overall, share per kind, declined unanswerable questions.
FLOOR_TOTAL = 78
FLOOR_KIND_SHARE = 2 / 3
FLOOR_DECLINED = 9


def judge(question: CommunityQuestion, pick: Pick | None) -> bool:
    """The README's rule for one question (module docstring)."""
    if question.doc is None:
        return pick is None
    return (pick is not None and pick.document == question.doc
            and all(any(alt in pick.text for alt in entry.split("|")) for entry in question.must))


def passages(folder: Path, size: int = PASSAGE_SENTENCES) -> list[Unit]:
    """The baseline's units: consecutive ``size``-sentence passages of every document in ``folder``."""
    units: list[Unit] = []
    for document in load_documents(folder).documents:
        sentences = [document.text[s:e] for s, e in split_sentences(document.text, document.body_start)]
        for i in range(0, len(sentences), size):
            units.append(Unit(document.id, tuple(sentences[i:i + size])))
    return units


def run_folder(folder: Path, questions: Sequence[CommunityQuestion], as_of: dt.date = AS_OF,
               title: str = "Answer quality: community-dev (first excerpt right, by kind)",
               dump: Path | None = None) -> Table:
    """The product and both baselines over ``folder`` for ``questions``: one row per system, by kind.
    ``dump``: also write per-question outcomes there (:func:`benchmarks.sentence_qa.write_dump`).

    Raises
    ------
    ValueError
        ``questions`` is empty or the folder has no text.
    """
    if not questions:
        raise ValueError("no questions")
    answer, as_of_note = product_answerer(folder, as_of)
    units = passages(folder)
    systems = [("seedbot (this project)", answer),
               (PLAIN_RANK_BM25.format(unit="3-sentence passage"), plain_answerer(units, "rank-bm25")),
               (PLAIN_BM25S.format(unit="3-sentence passage"), plain_answerer(units, "bm25s"))]
    results = [measure(name, system, questions, judge, kind=lambda q: q.kind) for name, system in systems]
    if dump is not None:
        write_dump(dump, results)
    present = {q.kind for q in questions}
    kinds = [k for k in KINDS if k in present] + sorted(present - set(KINDS))
    rows: list[list[Any]] = []
    base = results[1]["right"]
    for r in results:
        cells = r["kinds"]
        rows.append([r["method"], f"{r['right']}/{r['questions']}", round(r["right"] / r["questions"], 3),
                     round(r["right"] / base, 3) if base else None,
                     *(f"{cells[k][0]}/{cells[k][1]}" for k in kinds), round(r["chars"], 0),
                     r["median_chars"], round(r["ms"], 2)])
    notes = [f"{len(questions)} questions over {folder.name}/ ({len(units)} baseline passages of "
             f"{PASSAGE_SENTENCES} sentences); right = the README's rule (first excerpt from the expected "
             "document holding every 'must' entry, case-sensitive; unanswerable: declined).",
             f"seedbot: {as_of_note}. The baselines never decline.",
             _floors(results[0], kinds)]
    return Table(title, ["method", "right", "share", "ratio to plain rank-bm25", *kinds, "mean first excerpt (chars)",
                         "median first excerpt (chars)", "ms/question"], rows, notes)


def _floors(result: dict[str, Any], kinds: Sequence[str]) -> str:
    cells = result["kinds"]
    low = [k for k in kinds if cells[k][0] < FLOOR_KIND_SHARE * cells[k][1] - 1e-9]
    declined = cells.get("unanswerable", [0, 0])[0]
    checks = [f"total {result['right']} >= {FLOOR_TOTAL}: {'met' if result['right'] >= FLOOR_TOTAL else 'not met'}",
              "every kind >= 2/3: " + ("met" if not low else f"not met ({', '.join(low)})"),
              f"declined {declined} >= {FLOOR_DECLINED}: {'met' if declined >= FLOOR_DECLINED else 'not met'}"]
    return "Issue 8 floors for seedbot: " + "; ".join(checks) + "."


def run(data_dir: Path, quick: bool = False, dump: Path | None = None) -> list[Table]:
    """community-dev as one table. ``quick`` changes nothing: it takes a second. ``dump``: as
    :func:`run_folder`.

    Raises
    ------
    FileNotFoundError
        The set is missing.
    """
    folder, questions = load_community(data_dir)
    return [run_folder(folder, questions, dump=dump)]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.community [--data DIR] [--dump FILE]``."""
    return command_line(argv, __doc__ or "", lambda a: run(a.data, a.quick, a.dump))


if __name__ == "__main__":
    raise SystemExit(main())
