"""Fit the excerpt ranker's weights (:data:`retrieval.ranking.WEIGHTS`) on the train splits.

For every question of WikiQA train and TrecQA train that has a correct sentence, the product's own candidate
windows are collected with their feature vectors (:meth:`retrieval.Retriever._rank`), and a window is a
positive when it is on the question's page and holds a correct sentence. The weights minimise the listwise
softmax loss (ListNet's top-one probability, Cao et al. 2007: ``-log sum_pos softmax(X w)``) plus an L2
penalty, by L-BFGS (scipy). Questions without a positive among the candidates teach nothing and are skipped.
The coverage weight is held at 1, and the length weights at their hand-set values (:data:`FIXED`): fitted
freely, they learn that longer quotes more often contain the right sentence, which is true and useless.

The dev splits and community-dev are never seen by the fit; ``--check`` reports them with the new weights.

Run: ``python -m benchmarks.train_ranker --data ../shared/eval`` (about a minute); copy the printed
``WEIGHTS`` into ``retrieval/ranking.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from retrieval import Retriever, ranking
from retrieval.errors import QuestionError
from retrieval.question import read_question
from retrieval.retriever import DATE_SCALE

from .data import load_community, load_trecqa, load_wikiqa, load_wikiqa_train
from .sentence_qa import Page, PageQuestion, holds, write_pages

__all__ = ["collect", "fit", "main"]

#: L2 penalty on the fitted weights.
L2 = 0.02
#: Features whose weights are not fitted, with their values.
FIXED = {"coverage": 1.0, "sentences": 0.0, "length": -0.3}
#: Passages fetched per question, as the product does for the default top-k.
CANDIDATES = 24
AS_OF = dt.date(2025, 1, 1)
#: community-dev is asked as of the day after its newest document (its README).
COMMUNITY_AS_OF = dt.date(2025, 2, 12)


def collect(pages: Sequence[Page], questions: Sequence[PageQuestion]
            ) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]]:
    """Per question: the feature matrix of its candidate windows and which of them are right."""
    groups: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_pages(folder, pages)
        retriever = Retriever.from_folder(folder)
        for question in questions:
            try:
                plan = read_question(question.text, AS_OF)
                concepts = retriever.concepts(plan)
            except QuestionError:
                continue
            hits, documents = retriever._candidates(concepts, plan, CANDIDATES)
            if not hits:
                continue
            rows: list[list[float]] = []
            ranked = retriever._rank(hits, concepts, plan, documents, rows)
            labels = []
            for _, window, p, _ in ranked:
                doc = retriever.passages[p].doc
                spans = retriever.sentences[doc].spans
                document = retriever.documents[doc]
                text = document.text[spans[window.first][0]:spans[window.last][1]]
                labels.append(document.id == question.page and holds(text, question.correct))
            if any(labels):
                groups.append((np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=bool)))
    return groups


def collect_community(data_dir: Path) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]]:
    """community-dev's answerable questions as groups: a window is right when it is from the expected
    document and holds every ``must`` entry (the set's own rule), asked as of 2025-02-12."""
    folder, questions = load_community(data_dir)
    retriever = Retriever.from_folder(folder)
    groups: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]] = []
    for question in questions:
        if question.doc is None:
            continue
        plan = read_question(question.text, COMMUNITY_AS_OF)
        concepts = retriever.concepts(plan)
        hits, documents = retriever._candidates(concepts, plan, CANDIDATES)
        rows: list[list[float]] = []
        ranked = retriever._rank(hits, concepts, plan, documents, rows) if hits else []
        labels = []
        for _, window, p, _ in ranked:
            doc = retriever.passages[p].doc
            spans = retriever.sentences[doc].spans
            text = retriever.documents[doc].text[spans[window.first][0]:spans[window.last][1]]
            labels.append(retriever.documents[doc].id == question.doc
                          and all(any(alt in text for alt in must.split("|")) for must in question.must))
        if rows:
            groups.append((np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=bool)))
    return groups


def coordinate_ascent(sets: Sequence[Sequence[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]]],
                      start: npt.NDArray[np.float64], rounds: int = 3) -> npt.NDArray[np.float64]:
    """Maximise the mean top-1 share over ``sets`` one weight at a time (Metzler & Croft 2007's coordinate
    ascent for linear ranking models), the coverage weight held at 1 and the length weights at :data:`FIXED`.
    Ties keep the current value, so the search only moves for a real gain."""
    w = start.copy()
    names = (*ranking.FEATURES, "date")
    steps = (-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0)

    def objective(v: npt.NDArray[np.float64]) -> float:
        return float(np.mean([top1(groups, v) for groups in sets]))

    best = objective(w)
    for _ in range(rounds):
        for i, name in enumerate(names):
            if name in FIXED:
                continue
            for value in steps:
                trial = w.copy()
                trial[i] = value
                score = objective(trial)
                if score > best + 1e-9:
                    best, w = score, trial
    return w


def fit(groups: Sequence[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]], l2: float = L2
        ) -> npt.NDArray[np.float64]:
    """Weights minimising the listwise softmax loss plus ``l2 * |w|^2`` (coverage weight fixed at 1)."""
    names = ranking.FEATURES
    free_at = [i for i, name in enumerate(names) if name not in FIXED]
    fixed = np.array([FIXED.get(name, 0.0) for name in names])

    def full(free: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        w = fixed.copy()
        w[free_at] = free
        return w

    def loss(free: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        w = full(free)
        total = l2 * float(free @ free)
        grad = np.zeros(len(names))
        for x, y in groups:
            s = x @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            pos = p[y].sum()
            total -= float(np.log(max(pos, 1e-300)))
            q = np.where(y, p / max(pos, 1e-300), 0.0)
            grad += x.T @ (p - q)
        g = grad[free_at] / len(groups) + 2 * l2 * free
        return total / len(groups), g

    start = np.asarray(ranking.WEIGHTS, dtype=np.float64)[free_at]
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return full(result.x)


def top1(groups: Sequence[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]], w: npt.NDArray[np.float64]
         ) -> float:
    """Share of groups whose best-scored window is right (ties: the earlier window)."""
    return sum(bool(y[int(np.argmax(x @ w))]) for x, y in groups) / max(1, len(groups))


def main(argv: Sequence[str] | None = None) -> int:
    """Collect, fit, print the weights and the top-1 share on train and dev before and after."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.train_ranker", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--cache", type=Path, help="keep the collected features in this .npz and reuse them")
    args = parser.parse_args(argv)
    names = ("wikiqa-train", "trecqa-train", "community-dev", "wikiqa-dev", "trecqa-dev")
    if args.cache and args.cache.exists():
        stored = np.load(args.cache, allow_pickle=False)
        sets = [[(stored[f"{k}x{i}"], stored[f"{k}y{i}"]) for i in range(int(stored[f"n{k}"]))] for k in range(5)]
    else:
        sets = [collect(*load_wikiqa_train(args.data)), collect(*load_trecqa(args.data, split="train")),
                collect_community(args.data), collect(*load_wikiqa(args.data)),
                collect(*load_trecqa(args.data, split="raw-dev"))]
        if args.cache:
            arrays: dict[str, npt.NDArray[np.float64] | npt.NDArray[np.bool_] | int] = {}
            for k, groups in enumerate(sets):
                arrays[f"n{k}"] = len(groups)
                for i, (x, y) in enumerate(groups):
                    arrays[f"{k}x{i}"], arrays[f"{k}y{i}"] = x, y
            np.savez(args.cache, **arrays)  # type: ignore[arg-type]
    current = np.concatenate([ranking.WEIGHTS, [DATE_SCALE]])
    w = coordinate_ascent(sets[:3], current)
    for name, groups in zip(names, sets):
        print(f"{name:14} {len(groups):4} questions  top-1 {top1(groups, current):.3f} -> {top1(groups, w):.3f}")
    print("WEIGHTS = [" + ", ".join(f"{v:.4f}" for v in w[:-1]) + "]  # " + ", ".join(ranking.FEATURES))
    print(f"DATE_SCALE = {w[-1]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
