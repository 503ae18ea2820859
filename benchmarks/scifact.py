"""Retrieval quality on BEIR SciFact: nDCG@10 and recall@100, the product against the plain alternatives.

Every system ranks the same 5,183 passages (one per abstract: title and text joined by a space, BEIR's "flat"
form) for the same 300 test claims, and every ranking is scored by the same code:

* **nDCG@10** as trec_eval / pytrec_eval compute it for BEIR (Järvelin & Kekäläinen 2002): gain = the
  graded relevance, discount ``log2(rank + 1)``, ideal ranking from the judgements; documents ranked by
  score, ties broken by document id in decreasing order (trec_eval's rule).
* **recall@100**: share of a query's relevant documents in its first 100, averaged over queries.

Systems, in one run:

* ``seedbot index``: the product's :class:`retrieval.Analyzer` (NFKC, case and accent folding, stop words,
  Snowball stemming) and :class:`retrieval.BM25Index` (Lucene idf, the product's default k1 and b), one passage per abstract.
* ``seedbot Retriever``: the product end to end: each abstract a document, cut into its ~120-word passages;
  an abstract scores its best passage's score.
* ``plain rank-bm25``: ``BM25Okapi`` (k1=1.5, b=0.75, epsilon=0.25) over ``text.lower().split()``, the way a
  newcomer uses the library.
* ``bm25s (defaults)``: ``bm25s.tokenize`` (lower case, English stop words, no stemmer) and ``bm25s.BM25()``
  (k1=1.5, b=0.75, Lucene).
* ``rank-bm25 over the product's analyzer``: ``BM25Okapi`` with its defaults over the product's terms, to
  separate what the analyzer adds from what the index adds.

Also: a k1/b grid on the product's index (not in ``--quick``). Run alone: ``python -m benchmarks.scifact``.
"""

from __future__ import annotations

import argparse
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retrieval import Analyzer, BM25Index, Document, Retriever
from retrieval.index import DEFAULT_B, DEFAULT_K1

from . import Table
from .data import DEFAULT_DATA, SciFact, load_scifact
from .machine import machine_line

__all__ = ["ndcg_at_k", "recall_at_k", "evaluate", "rank", "run", "PUBLISHED", "main"]

log = logging.getLogger(__name__)

#: Published BM25 nDCG@10 x 100 on BEIR SciFact test (see the data folder's SOURCE.txt).
PUBLISHED: dict[str, float] = {
    "rank-bm25 (k1=1.5, b=0.75; xhluca/bm25-benchmarks)": 68.5,
    "Lucene (k1=1.2, b=0.75; xhluca/bm25-benchmarks)": 68.0,
    "Elasticsearch (xhluca/bm25-benchmarks)": 69.0,
    "Pyserini BM25 flat (Pyserini beir.yaml; R@100 92.53)": 67.89,
}
#: The k1/b grid tried on the product's index in a full run.
GRID_K1 = (0.9, 1.2, 1.5, 2.0)
GRID_B = (0.4, 0.6, 0.75, 0.9, 1.0)

Scorer = Callable[[str], npt.NDArray[np.floating]]


def ndcg_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of one ranking, trec_eval's ``ndcg_cut`` (linear gain = grade, ``log2(rank + 1)`` discount).

    Parameters
    ----------
    ranked:
        Document ids, best first.
    relevance:
        Graded judgements for the query; grades <= 0 count as not relevant.

    Returns
    -------
    float
        0 to 1; 0 when the query has no relevant document.
    """
    dcg = sum(relevance.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k])
              if relevance.get(d, 0) > 0)
    ideal = sorted((g for g in relevance.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], relevance: Mapping[str, int], k: int = 100) -> float:
    """Share of the relevant documents (grade > 0) found in the first ``k`` of ``ranked``."""
    relevant = {d for d, g in relevance.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def evaluate(runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Mean nDCG@10 and recall@100 (x 100) over the judged queries; one missing from ``runs`` scores 0."""
    ndcg = [ndcg_at_k(runs.get(q, []), rel, 10) for q, rel in qrels.items()]
    recall = [recall_at_k(runs.get(q, []), rel, 100) for q, rel in qrels.items()]
    return {"ndcg@10": 100 * float(np.mean(ndcg)), "recall@100": 100 * float(np.mean(recall))}


def _tie_order(doc_ids: Sequence[str]) -> npt.NDArray[np.int64]:
    """For each document, its position when ids are sorted in decreasing order (trec_eval's tie rule)."""
    order = sorted(range(len(doc_ids)), key=lambda i: doc_ids[i], reverse=True)
    position = np.empty(len(doc_ids), dtype=np.int64)
    position[order] = np.arange(len(doc_ids))
    return position


def rank(scores: npt.NDArray[np.floating], doc_ids: Sequence[str], k: int,
         tie: npt.NDArray[np.int64] | None = None) -> list[str]:
    """The ``k`` best document ids by score, ties broken by decreasing id."""
    tie = _tie_order(doc_ids) if tie is None else tie
    scores = np.asarray(scores, dtype=np.float64)
    if len(scores) > 4 * k:
        # Everything scoring at least the k-th best score, then an exact sort of those.
        kth = np.partition(-scores, k - 1)[k - 1]
        candidates = np.flatnonzero(-scores <= kth)
    else:
        candidates = np.arange(len(scores))
    order = candidates[np.lexsort((tie[candidates], -scores[candidates]))]
    return [doc_ids[i] for i in order[:k]]


def _run(scorer: Scorer, data: SciFact, k: int = 100) -> tuple[dict[str, list[str]], float]:
    tie = _tie_order(data.doc_ids)
    started = time.perf_counter()
    runs = {q: rank(scorer(text), data.doc_ids, k, tie) for q, text in data.queries.items()}
    return runs, (time.perf_counter() - started) * 1000 / max(1, len(data.queries))


def product_index(passages: Sequence[str], k1: float = DEFAULT_K1, b: float = DEFAULT_B,
                  analyzer: Analyzer | None = None) -> Scorer:
    """The product's analyzer and :class:`BM25Index`, one passage per document."""
    analyzer = analyzer or Analyzer()
    index = BM25Index([analyzer(p) for p in passages], k1=k1, b=b)
    return lambda question: index.scores(analyzer(question))


def product_retriever(data: SciFact) -> Scorer:
    """The product end to end: each abstract a document cut into passages, scored by its best passage."""
    documents = [Document(id=d, text=text, title=title or d, date=None)
                 for d, title, text in zip(data.doc_ids, data.titles, data.passages())]
    retriever = Retriever.from_documents(documents)
    doc_of = np.fromiter((p.doc for p in retriever.passages), dtype=np.int64, count=len(retriever.passages))

    def score(question: str) -> npt.NDArray[np.float64]:
        passage_scores = retriever.index.scores(retriever.analyzer(question))
        best = np.zeros(len(documents), dtype=np.float64)
        np.maximum.at(best, doc_of, passage_scores)
        return best

    return score


def plain_rank_bm25(passages: Sequence[str]) -> Scorer:
    """``rank_bm25.BM25Okapi`` with its defaults over lower-cased whitespace splits."""
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([p.lower().split() for p in passages])
    return lambda question: np.asarray(bm25.get_scores(question.lower().split()))


def rank_bm25_analyzed(passages: Sequence[str]) -> Scorer:
    """``rank_bm25.BM25Okapi`` with its defaults over the product's analyzer terms (the analyzer's share)."""
    from rank_bm25 import BM25Okapi

    analyzer = Analyzer()
    bm25 = BM25Okapi([analyzer(p) for p in passages])
    return lambda question: np.asarray(bm25.get_scores(analyzer(question)))


def bm25s_defaults(passages: Sequence[str]) -> Scorer:
    """``bm25s`` with its default tokenizer and model settings."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    model = bm25s.BM25()
    model.index(bm25s.tokenize(list(passages), show_progress=False), show_progress=False)
    size = len(passages)

    def score(question: str) -> npt.NDArray[np.float32]:
        tokens = bm25s.tokenize([question], return_ids=False, show_progress=False)[0]
        if not tokens:
            return np.zeros(size, dtype=np.float32)
        return np.asarray(model.get_scores(list(tokens)))

    return score


def run(data_dir: Path, quick: bool = False, data: SciFact | None = None) -> list[Table]:
    """Score every system on SciFact; in a full run also the product's k1/b grid.

    Parameters
    ----------
    data_dir:
        The evaluation folder holding ``scifact/``.
    quick:
        Skip the k1/b grid (the systems are all measured on the full set either way: it takes seconds).
    data:
        Use this data set instead of loading it (tests pass a tiny one).

    Returns
    -------
    list[Table]
        The systems table, and in a full run the grid table.
    """
    data = data or load_scifact(data_dir)
    passages = data.passages()
    builders: list[tuple[str, Callable[[], Scorer]]] = [
        (f"seedbot index (this project: analyzer + BM25Index, k1={DEFAULT_K1}, b={DEFAULT_B}), one passage "
         "per abstract", lambda: product_index(passages)),
        ("seedbot Retriever (this project end to end: ~120-word passages, best passage per abstract)",
         lambda: product_retriever(data)),
        ("plain rank-bm25 BM25Okapi (lower-cased whitespace split)", lambda: plain_rank_bm25(passages)),
        ("bm25s (default settings)", lambda: bm25s_defaults(passages)),
        ("rank-bm25 BM25Okapi (its defaults) over the product's analyzer terms",
         lambda: rank_bm25_analyzed(passages)),
    ]
    rows: list[list[object]] = []
    for name, build in builders:
        started = time.perf_counter()
        scorer = build()
        build_s = time.perf_counter() - started
        runs, ms = _run(scorer, data)
        result = evaluate(runs, data.qrels)
        log.info("SciFact %s: nDCG@10 %.2f recall@100 %.2f", name, result["ndcg@10"], result["recall@100"])
        rows.append([name, round(result["ndcg@10"], 2), round(result["recall@100"], 2), round(build_s, 2),
                     round(ms, 2)])
    for name, value in PUBLISHED.items():
        rows.append([f"published: {name}", value, None, None, None])
    judged = sum(len(r) for r in data.qrels.values())
    tables = [Table(
        "Retrieval quality: BEIR SciFact test (nDCG@10 and recall@100, x 100)",
        ["system", "nDCG@10", "recall@100", "index build (s)", "ms/query"],
        rows,
        [f"{len(passages):,} abstracts (title + text as one passage), {len(data.queries):,} claims, "
         f"{judged:,} judgements; the same passages, queries and scoring code for every measured system.",
         "nDCG@10 as trec_eval/pytrec_eval (BEIR): linear graded gain, log2 discount, ties by decreasing "
         "doc id.",
         "Published rows are quoted from the data folder's SOURCE.txt, not measured here."],
    )]
    if not quick:
        tables.append(grid(data, passages))
    return tables


def grid(data: SciFact, passages: Sequence[str] | None = None) -> Table:
    """nDCG@10 (recall@100) of the product's index over :data:`GRID_K1` x :data:`GRID_B`."""
    passages = passages if passages is not None else data.passages()
    analyzer = Analyzer()
    corpus = [analyzer(p) for p in passages]
    rows: list[list[object]] = []
    best = (-1.0, 0.0, 0.0)
    for k1 in GRID_K1:
        row: list[object] = [f"k1={k1}"]
        for b in GRID_B:
            index = BM25Index(corpus, k1=k1, b=b)
            runs, _ = _run(lambda q: index.scores(analyzer(q)), data)
            result = evaluate(runs, data.qrels)
            row.append(f"{result['ndcg@10']:.2f} ({result['recall@100']:.1f})")
            if result["ndcg@10"] > best[0]:
                best = (result["ndcg@10"], k1, b)
        rows.append(row)
    return Table(
        "SciFact: the product's index over a k1 x b grid (nDCG@10, recall@100 in brackets)",
        ["k1 \\ b"] + [f"b={b}" for b in GRID_B],
        rows,
        [f"Best cell: k1={best[1]}, b={best[2]} with nDCG@10 {best[0]:.2f}. The product's default is "
         f"k1={DEFAULT_K1}, b={DEFAULT_B}. One data set: a choice tuned here may not carry over to other "
         "text."],
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.scifact [--data DIR] [--quick]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for table in run(args.data, quick=args.quick):
        print(table.markdown(machine_line()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
