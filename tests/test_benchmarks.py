"""The benchmark code runs: every measure's code path on tiny fixtures written here (no evaluation data).

These tests check that the benchmarks work, not what they measure; the figures come from
``python -m benchmarks`` on the real evaluation sets.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks import Table, format_value
from benchmarks import __main__ as driver
from benchmarks import scifact, speed
from benchmarks.data import (build_speed_corpus, load_bbc, load_reuters, load_scifact, reuters_questions,
                             sample)
from benchmarks.machine import machine_info, machine_line

TOPICS = [
    ("cocoa", "Cocoa farmers in Bahia expect a larger harvest after the rains. Exporters said prices fell."),
    ("oil", "Crude oil prices rose sharply as OPEC members agreed to cut output. Traders bought futures."),
    ("bank", "The central bank raised interest rates to curb inflation. Bond yields climbed in response."),
    ("grain", "Wheat and corn shipments to the Soviet Union increased this month. Farmers welcomed it."),
    ("steel", "Steel makers reported lower profits because imports undercut domestic prices last quarter."),
    ("coffee", "Coffee growers in Brazil held back exports, waiting for the quota talks in London."),
]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def eval_dir(tmp_path: Path) -> Path:
    """A miniature evaluation folder: SciFact (BEIR layout), Reuters documents, BBC pairs, SQuAD."""
    root = tmp_path / "eval"
    corpus = [{"_id": f"d{i}", "title": f"{name.title()} report", "text": text}
              for i, (name, text) in enumerate(TOPICS)]
    _write(root / "scifact" / "corpus.jsonl", "\n".join(json.dumps(row) for row in corpus) + "\n")
    queries = [{"_id": "1", "text": "Did cocoa harvest in Bahia grow?"},
               {"_id": "2", "text": "OPEC cut oil output"}, {"_id": "3", "text": "unjudged query"}]
    _write(root / "scifact" / "queries.jsonl", "\n".join(json.dumps(q) for q in queries) + "\n")
    _write(root / "scifact" / "qrels" / "test.tsv",
           "query-id\tcorpus-id\tscore\n1\td0\t1\n2\td1\t2\n2\td2\t1\n")
    for i, (name, text) in enumerate(TOPICS * 3):
        _write(root / "reuters-21578" / "documents" / f"{i:05d}.txt",
               f"date 1987-03-{1 + i % 28:02d} {name.upper()} NEWS {i}\n\n{text} More on {name} follows.\n")
    for i, (name, text) in enumerate(TOPICS[:3]):
        _write(root / "bbc-news-summary" / "News Articles" / "business" / f"{i:03d}.txt",
               f"{name.title()} news\n\n{text} A third sentence about {name} ends here.")
        _write(root / "bbc-news-summary" / "Summaries" / "business" / f"{i:03d}.txt",
               text.split(". ")[0] + ".")
    # 30 articles: the no-answer split indexes the first 24 and asks about the rest too.
    squad = {"version": "1.1", "data": [
        {"title": f"{name}-{i}", "paragraphs": [{"context": text, "qas": [
            {"id": f"q{i}", "question": f"What happened to {name}?",
             "answers": [{"text": text.split()[0], "answer_start": 0}]}]}]}
        for i, (name, text) in enumerate(TOPICS * 5)]}
    _write(root / "squad-v1.1-dev" / "dev-v1.1.json", json.dumps(squad))
    return root


# ----------------------------------------------------------------------------------------- metrics


def test_ndcg_matches_hand_computed_values() -> None:
    relevance = {"a": 2, "b": 1}
    assert scifact.ndcg_at_k(["a", "b", "c"], relevance) == pytest.approx(1.0)
    ideal = 2 + 1 / math.log2(3)
    assert scifact.ndcg_at_k(["c", "a", "b"], relevance) == pytest.approx((2 / math.log2(3) + 1 / 2) / ideal)
    assert scifact.ndcg_at_k(["c"], relevance) == 0.0
    assert scifact.ndcg_at_k(["b", "a"], {"a": 1}, k=1) == 0.0
    assert scifact.ndcg_at_k(["a"], {}) == 0.0


def test_recall_and_evaluate() -> None:
    assert scifact.recall_at_k(["x", "a"], {"a": 1, "b": 1, "z": 0}, k=2) == 0.5
    result = scifact.evaluate({"q": ["a", "b"]}, {"q": {"a": 1}, "missing": {"b": 1}})
    assert result == {"ndcg@10": pytest.approx(50.0), "recall@100": pytest.approx(50.0)}


def test_rank_breaks_ties_by_decreasing_id() -> None:
    import numpy as np

    ids = [f"d{i}" for i in range(50)]
    scores = np.zeros(50)
    scores[[3, 7, 12]] = 1.0
    assert scifact.rank(scores, ids, 2) == ["d7", "d3"]
    assert scifact.rank(scores, ids, 5)[:3] == ["d7", "d3", "d12"]
    assert len(scifact.rank(scores, ids, 100)) == 50


# ------------------------------------------------------------------------------------------- loaders


def test_loaders_read_the_fixture(eval_dir: Path) -> None:
    data = load_scifact(eval_dir)
    assert data.doc_ids[0] == "d0" and set(data.queries) == {"1", "2"}
    assert data.qrels["2"] == {"d1": 2, "d2": 1}
    assert data.passages()[0].startswith("Cocoa report Cocoa farmers")
    assert [a.id.split("/")[-1] for a in load_bbc(eval_dir)] == ["000.txt", "001.txt", "002.txt"]
    assert len(load_bbc(eval_dir, limit=2)) == 2
    documents = load_reuters(eval_dir)
    assert len(documents) == 18 and documents[0].date is not None
    assert load_reuters(eval_dir, limit=5) == load_reuters(eval_dir, limit=5)
    with pytest.raises(FileNotFoundError, match="--data"):
        load_scifact(eval_dir / "nowhere")


def test_speed_corpus_is_reproducible_and_extends_with_sampled_sentences(eval_dir: Path) -> None:
    documents = load_reuters(eval_dir)
    corpus = build_speed_corpus(documents, 60)
    assert len(corpus.texts) == 60 and corpus.real == 18
    assert corpus.texts == build_speed_corpus(documents, 60).texts
    for text, spans in zip(corpus.texts, corpus.spans):
        assert spans and all(text[s:e].strip() == text[s:e] and text[s:e] for s, e in spans)
    assert "sampling" in corpus.describe(60) and "sample" in corpus.describe(10)
    questions = reuters_questions(documents, 40)
    assert len(questions) == 40 and questions == reuters_questions(documents, 40)
    assert questions[0] == questions[0].lower()
    assert sample(range(10), 3) == sample(range(10), 3)


# ------------------------------------------------------------------------------------------ measures


def test_scifact_run_on_the_fixture(eval_dir: Path) -> None:
    tables = scifact.run(eval_dir, quick=True)
    assert len(tables) == 1
    rows = tables[0].rows
    measured = [r for r in rows if not str(r[0]).startswith("published")]
    assert len(measured) == 5  # product index, product Retriever, plain, bm25s, analyzer
    assert all(0 <= r[1] <= 100 and 0 <= r[2] <= 100 for r in measured)
    assert measured[0][1] == pytest.approx(100.0 * (1 + 1.0) / 2, abs=30)  # the product finds both
    grid = scifact.grid(load_scifact(eval_dir))
    assert len(grid.rows) == len(scifact.GRID_K1)


def test_speed_children_and_tables(eval_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "speed"
    folder.mkdir()
    meta = speed.prepare(load_reuters(eval_dir), folder, [24], questions=4)
    results = speed.measure_sizes(folder, [24], queries=4, warmup=1, budget=120)
    assert {r.system for r in results} == set(speed.SYSTEMS)
    assert all(r.measured and r.queries == 4 and r.p50_ms is not None for r in results), results
    assert all(0 < (r.peak_rss_mb or 0) < 2000 for r in results)
    tables = speed.speed_tables(results, meta)
    text = "\n".join(t.markdown(machine_line()) for t in tables)
    assert "plain rank-bm25" in text and "bm25s" in text and "question to formatted reply" in text
    assert "sampling" in text  # the 24-passage corpus is partly built from sampled sentences


def test_speed_plan_cuts_or_skips_what_would_exceed_the_budget() -> None:
    slow = speed.ChildResult("plain rank-bm25", 100_000, build_s=30.0, peak_rss_mb=10.0, p50_ms=230.0,
                             queries=200, wall_s=90.0)
    plan = speed._plan(slow, 1_000_000, 200, 10, budget=600)
    assert 0 < plan.queries < 200 and "not 200" in plan.note
    hopeless = speed.ChildResult("x", 1000, build_s=100.0, peak_rss_mb=1.0, p50_ms=1.0, queries=200,
                                 wall_s=101)
    assert speed._plan(hopeless, 100_000, 200, 10, budget=600).skip
    huge = speed.ChildResult("x", 1000, build_s=0.1, peak_rss_mb=10_000.0, p50_ms=1.0, queries=200, wall_s=1)
    assert "memory" in speed._plan(huge, 1_000_000, 200, 10, budget=600).skip
    assert speed._plan(None, 1000, 200, 10, budget=600).queries == 200


def test_startup_probe(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    _write(seeds / "note.txt", "date 2024-01-02\nThe harbour reopened on Tuesday after the storm.")
    table = speed.startup([("tiny", seeds, "When did the harbour reopen?", 1)], timeout=60)
    assert table.rows[1][1] == 1 and table.rows[1][2] is not None and table.rows[1][3] > 0, table.rows


def test_driver_writes_markdown(eval_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "latest.md"
    code = driver.main(["--data", str(eval_dir), "--quick", "--only", "retrieval", "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert code == 0, text
    assert "# seedbot benchmarks" in text and "nDCG@10" in text and "cores" in text
    assert "nDCG@10" in capsys.readouterr().out
    assert driver.main(["--data", str(eval_dir), "--only", "nonsense", "--out", str(out)]) == 2


def test_driver_wires_the_answer_and_summary_measures(eval_dir: Path) -> None:
    answers = driver._answers(eval_dir, False)
    assert "SQuAD" in answers and "seedbot" in answers
    summaries = driver._summaries(eval_dir, False)
    assert "ROUGE" in summaries and "lead" in summaries


def test_table_and_machine() -> None:
    table = Table.from_dicts("T", [{"a": 1, "b": 0.5}, {"a": 1234567, "c": "x|y"}], ["a note"])
    text = table.markdown("*machine*")
    assert "| a | b | c |" in text and "1,234,567" in text and "x\\|y" in text and "- a note" in text
    assert format_value(None) == "–" and format_value(float("nan")) == "–"
    assert format_value(12.345) == "12.35"
    info = machine_info()
    assert int(info["cores"]) >= 1
    assert "Python" in machine_line()
