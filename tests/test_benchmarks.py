"""The benchmark code runs: every measure's code path on tiny fixtures written here (no evaluation data).

These tests check that the benchmarks work, not what they measure; the figures come from
``python -m benchmarks`` on the real evaluation sets.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from benchmarks import Table, community, format_value, newsquiz, scifact, speed, trecqa, wikiqa
from benchmarks import __main__ as driver
from benchmarks.data import (
    build_speed_corpus,
    detokenize,
    load_bbc,
    load_community,
    load_reuters,
    load_scifact,
    load_trecqa,
    load_wikiqa,
    load_wikiqa_train,
    reuters_headlines,
    reuters_questions,
    sample,
)
from benchmarks.machine import machine_info, machine_line
from benchmarks.sentence_qa import PageQuestion, Pick, Unit, holds, page_judge, plain_answerer
from retrieval import Retriever

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


# ------------------------------------------------------- first-excerpt sets: WikiQA, TrecQA, community, news

WIKIQA_PAGES = {
    "D1": ("Coffee", ["Coffee is a brewed drink prepared from roasted coffee beans.",
                      "Brazil is the largest producer of coffee in the world.",
                      "Coffee plants grow in tropical climates."]),
    "D2": ("Steel", ["Steel is an alloy of iron and carbon.", "China produces the most steel of any country."]),
    "D3": ("Tea", ["Tea is an aromatic beverage.", "Tea originated in southwest China."]),
    "D4": ("Copper", ["Copper is a soft metal with high thermal conductivity."]),
}
# (question id, question, page, {sentence index: label}, row order in the TSV); Q4 has no correct sentence
# and Q5 a single candidate: neither is in the filtered reference, as in WikiQA's own files.
WIKIQA_QUESTIONS = [
    ("Q1", "which country is the largest producer of coffee", "D1", {1: 1}, [2, 0, 1]),
    ("Q2", "what is steel an alloy of", "D2", {0: 1}, [0, 1]),
    ("Q3", "where did tea come from", "D3", {1: 1}, [0, 1]),
    ("Q4", "what is iron ore", "D2", {}, [0, 1]),
    ("Q5", "what is copper", "D4", {0: 1}, [0]),
    ("Q6", "are coffee plants tropical", "D1", {2: 1}, [0, 1, 2]),
]


def _write_wikiqa(root: Path) -> None:
    lines = ["QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel"]
    ref: list[str] = []
    for number, (qid, question, doc, labels, order) in enumerate(WIKIQA_QUESTIONS, start=1):
        title, sentences = WIKIQA_PAGES[doc]
        row_labels = [labels.get(i, 0) for i in order]
        for i in order:
            lines.append(f"{qid}\t{question}\t{doc}\t{title}\t{doc}-{i}\t{sentences[i]}\t{labels.get(i, 0)}")
        if any(row_labels) and not all(row_labels):
            ref += [f"{number} 0 {k} {label}" for k, label in enumerate(row_labels)]
    _write(root / "wikiqa" / "WikiQA-dev.tsv", "\n".join(lines) + "\n")
    _write(root / "wikiqa" / "WikiQA-dev-filtered.ref", "\n".join(ref) + "\n")


TREC = [  # (question id, question tokens, candidate tokens, label); correct candidates first, as in the source
    ("1.1", "who founded the red cross ?", "henri dunant founded the red cross in 1863 .", 1),
    ("1.1", "who founded the red cross ?", "the red cross -lrb- icrc -rrb- is based in geneva .", 0),
    ("1.1", "who founded the red cross ?", "`` it 's a neutral body , '' he said .", 0),
    ("1.1", "who founded the red cross ?", "volunteers of the red cross helped after the flood .", 0),
    ("1.2", "when did the museum open ?", "the museum is closed on mondays .", 0),
    ("1.2", "when did the museum open ?", "tickets cost ten francs .", 0),
]


def _write_trecqa(root: Path) -> None:
    folder = root / "trecqa" / "raw-dev"
    for name, column in (("id.txt", 0), ("a.toks", 1), ("b.toks", 2), ("sim.txt", 3)):
        _write(folder / name, "\n".join(str(row[column]) for row in TREC) + "\n")


COMMUNITY_DOCS = {
    "releases/v1.md": "---\ntitle: Release 1.0\ndate: 2024-01-10\n---\n\n# Release 1.0\n\n"
                      "The default port is 8420. Uploads are limited to 2 GB per file.\n",
    "releases/v2.md": "---\ntitle: Release 2.0\ndate: 2024-06-01\n---\n\n# Release 2.0\n\n"
                      "The default port is now 7440. Python 3.11 is required from this release on.\n",
    "faq.txt": "date 2023-12-01\nThe server runs on Linux and macOS. Ask the Moderator role for help.\n",
}
COMMUNITY_QUESTIONS = [
    {"q": "Which operating systems does the server run on?", "doc": "faq.txt", "must": ["Linux", "macOS|Mac"],
     "kind": "lexical"},
    {"q": "What is the default port now?", "doc": "releases/v2.md", "must": ["7440"], "kind": "recency"},
    {"q": "Does it support Wear OS watches?", "doc": None, "must": [], "kind": "unanswerable"},
]


def _write_community(root: Path) -> None:
    for name, text in COMMUNITY_DOCS.items():
        _write(root / "community-dev" / "docs" / name, text)
    _write(root / "community-dev" / "questions.jsonl",
           "\n".join(json.dumps(q) for q in COMMUNITY_QUESTIONS) + "\n")


NEWS = [  # (date, headline, body): one weekly series, and articles on other topics
    ("1987-03-02", "BRAZILIAN COFFEE RAINFALL", "Rains of 20 mm fell in Parana, exporters said on Monday."),
    ("1987-03-10", "BRAZILIAN COFFEE RAINFALL", "Dry weather persisted in Minas Gerais, traders said."),
    ("1987-03-13", "BRAZILIAN COFFEE RAINFALL", "Light rain fell in Bahia, growers said on Friday."),
    ("1987-03-18", "BRAZILIAN COFFEE RAINFALL", "Heavy showers in Sao Paulo eased fears of a poor crop in the region."),
    ("1987-03-05", "BANK OF JAPAN SELLS BILLS", "The central bank sold 800 billion yen of bills to drain funds."),
    ("1987-03-06", "OPEC OIL OUTPUT CUT AGREED", "Ministers agreed to cut crude output by a million barrels."),
    ("1987-03-12", "STEEL IMPORTS FALL SHARPLY", "Imports of steel fell 20 pct in February, the institute said."),
    ("1987-03-14", "WHEAT SHIPMENTS RISE AGAIN", "Wheat shipments to the Soviet Union rose again."),
    ("1987-03-16", "GOLD PRICES CLIMB IN LONDON", "Gold closed at 405 dlrs an ounce in London."),
    ("1987-03-09", "COCOA EXPORTS DECLINE FURTHER", "Ivory Coast cocoa exports fell for the season."),
]


def _write_news(root: Path) -> None:
    for i, (date, headline, body) in enumerate(NEWS, start=1):
        _write(root / "reuters-21578" / "documents" / f"{i:05d}.txt", f"date {date} {headline}\n\n{body}\n")


@pytest.fixture
def qa_dir(tmp_path: Path) -> Path:
    """A miniature evaluation folder for the first-excerpt sets: WikiQA, TrecQA, community-dev, Reuters."""
    root = tmp_path / "qa"
    _write_wikiqa(root)
    _write_trecqa(root)
    _write_community(root)
    _write_news(root)
    return root


def _row(table: Table, prefix: str) -> list[object]:
    return next(r for r in table.rows if str(r[0]).startswith(prefix))


def test_holds_compares_whitespace_normalised_text() -> None:
    assert holds("Intro.  Brazil is the\nlargest producer.  More.", ["Brazil is the largest producer."])
    assert not holds("Brazil is the largest", ["Brazil is the largest producer."])
    assert not holds("anything", [" "])
    question = PageQuestion("q", "?", "a.md", ("Tea is grown here.",))
    assert page_judge(question, Pick("Tea is grown here. More.", "a.md"))
    assert not page_judge(question, Pick("Tea is grown here.", "b.md"))  # the same words on another page
    assert not page_judge(question, None)


def test_plain_set_up_ties_go_to_the_earlier_sentence_and_unit_and_the_window_limits_dates() -> None:
    units = [Unit("a.txt", ("Tea is grown here.", "Tea is drunk there."), date=dt.date(1987, 3, 1)),
             Unit("b.txt", ("Tea is grown here.", "Tea is drunk there."), date=dt.date(1987, 3, 20))]
    assert plain_answerer(units, "rank-bm25")("tea", None) == Pick("Tea is grown here.", "a.txt")
    assert plain_answerer(units, "bm25s")("tea", None) == Pick("Tea is grown here.", "a.txt")
    week = plain_answerer(units, "rank-bm25", window_days=7)
    assert week("tea", dt.date(1987, 3, 22)) == Pick("Tea is grown here.", "b.txt")
    assert week("tea", dt.date(1987, 3, 12)) is None  # nothing dated in the week before


def test_wikiqa_loader_groups_pages_and_keeps_only_the_reference_questions(qa_dir: Path) -> None:
    pages, questions = load_wikiqa(qa_dir)
    assert [p.id for p in pages] == ["wikiqa/D1.md", "wikiqa/D2.md", "wikiqa/D3.md", "wikiqa/D4.md"]
    assert pages[0].title == "Coffee" and list(pages[0].sentences) == WIKIQA_PAGES["D1"][1]  # SentenceID order
    assert [q.id for q in questions] == ["Q1", "Q2", "Q3", "Q6"]
    assert questions[0].correct == ("Brazil is the largest producer of coffee in the world.",)
    assert questions[3].page == "wikiqa/D1.md"
    ref = qa_dir / "wikiqa" / "WikiQA-dev-filtered.ref"
    ref.write_text(ref.read_text().replace("1 0 2 1", "1 0 2 0"))  # labels no longer match the TSV
    with pytest.raises(ValueError, match="does not match"):
        load_wikiqa(qa_dir)


def test_train_loaders_give_one_page_per_question_for_tuning(qa_dir: Path) -> None:
    _write(qa_dir / "wikiqa" / "WikiQA-train.txt", "".join(f"{q}\t{s}\t{label}\n" for q, s, label in [
        ("how are glacier caves formed ?", "A partly submerged glacier cave .", 0),
        ("how are glacier caves formed ?", "A glacier cave is a cave formed within the ice of a glacier .", 1),
        ("what is a tarn ?", "A tarn is a mountain lake .", 1),  # only correct candidates: left out
        ("who wrote hamlet ?", "Hamlet is a tragedy .", 0),  # no correct candidate: left out
        ("who wrote hamlet ?", "It is set in Denmark .", 0)]))
    pages, questions = load_wikiqa_train(qa_dir)
    assert [len(p.sentences) for p in pages] == [2, 1, 2] and pages[0].sentences[0] == "A partly submerged glacier cave."
    assert [(q.id, q.text, q.page) for q in questions] == [("1", "How are glacier caves formed?", pages[0].id)]
    assert questions[0].correct == ("A glacier cave is a cave formed within the ice of a glacier.",)
    folder = qa_dir / "trecqa" / "train"
    for name in ("id.txt", "a.toks", "b.toks", "sim.txt"):
        _write(folder / name, (qa_dir / "trecqa" / "raw-dev" / name).read_text())
    pages, questions = load_trecqa(qa_dir, "train")
    assert [p.id for p in pages] == ["trecqa-train/1.1.txt", "trecqa-train/1.2.txt"] and len(questions) == 1
    assert wikiqa.run(qa_dir, split="train")[0].rows[0][1] == 1


def test_wikiqa_run_judges_first_excerpts_side_by_side(qa_dir: Path) -> None:
    table = wikiqa.run(qa_dir)[0]
    assert [str(r[0]).split(" (")[0] for r in table.rows] == ["seedbot", "plain stemmed rank-bm25", "bm25s"]
    plain = _row(table, "plain")
    # Q3 ties "tea" in both sentences and takes the earlier, wrong one; the other three are right.
    assert plain[1:4] == [4, 3, 0.75] and plain[5] == 0.0
    assert _row(table, "seedbot")[1] == 4 and "Machine" in table.markdown(machine_line())


def test_trecqa_detokenizes_and_shuffles_candidates_with_a_fixed_seed(qa_dir: Path) -> None:
    assert detokenize("`` he said -lrb- i think -rrb- it 's fine . ''") == "\"He said (I think) it's fine.\""
    pages, questions = load_trecqa(qa_dir)
    assert [p.id for p in pages] == ["trecqa-raw-dev/1.1.txt", "trecqa-raw-dev/1.2.txt"]
    assert [q.id for q in questions] == ["1.1"] and questions[0].text == "Who founded the red cross?"
    file_order = [detokenize(row[2]) for row in TREC[:4]]
    assert sorted(pages[0].sentences) == sorted(file_order)
    assert load_trecqa(qa_dir)[0] == pages  # same seed, same order
    orders = {load_trecqa(qa_dir, seed=s)[0][0].sentences for s in range(6)}
    assert len(orders) > 1 and any(list(o) != file_order for o in orders)
    table = trecqa.run(qa_dir, quick=True)[0]
    assert _row(table, "plain")[1:4] == [1, 1, 1.0]
    assert any("floor" in note and "+ 0.08" in note for note in table.notes)


def test_community_judge_follows_the_readme_rule() -> None:
    q = community.CommunityQuestion("q", "faq.txt", ("Linux", "macOS|Mac"), "lexical")
    assert community.judge(q, Pick("Runs on Linux and Mac.", "faq.txt"))
    assert not community.judge(q, Pick("Runs on linux and Mac.", "faq.txt"))  # case-sensitive
    assert not community.judge(q, Pick("Runs on Linux and Mac.", "other.txt"))  # wrong document
    assert not community.judge(q, None)
    unanswerable = community.CommunityQuestion("q", None, (), "unanswerable")
    assert community.judge(unanswerable, None) and not community.judge(unanswerable, Pick("x", "faq.txt"))


def test_community_run_by_kind_with_never_declining_baselines(qa_dir: Path) -> None:
    _, questions = load_community(qa_dir)
    assert [q.kind for q in questions] == ["lexical", "recency", "unanswerable"] and questions[2].doc is None
    table = community.run(qa_dir)[0]
    assert table.columns[4:7] == ["lexical", "recency", "unanswerable"]
    plain = _row(table, "plain")
    assert plain[3] == 1.0 and plain[4] == "1/1" and plain[6] == "0/1"  # finds the FAQ sentence; never declines
    assert any(note.startswith("Issue 8 floors") for note in table.notes)


def test_community_asks_as_of_the_set_date_when_ask_takes_it(qa_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    original = Retriever.ask

    def ask_with_date(self: Retriever, question: str, top_k: int = 3, *, as_of: dt.date | None = None):  # type: ignore[no-untyped-def]
        seen.append(as_of)
        return original(self, question, top_k)

    monkeypatch.setattr(Retriever, "ask", ask_with_date)
    table = community.run(qa_dir)[0]
    assert seen == [dt.date(2025, 2, 12)] * 3
    assert any("asked as of 2025-02-12" in note for note in table.notes)


def test_news_quiz_picks_dated_series_and_only_the_week_window_tells_them_apart(qa_dir: Path) -> None:
    headlines = reuters_headlines(qa_dir)
    assert len(headlines) == len(NEWS) and headlines[0][1] == dt.date(1987, 3, 2)
    articles = newsquiz.select_articles(headlines, n=8)
    assert len(articles) == 8 and sum(a.recurring for a in articles) == 3
    series = sorted(a.date for a in articles if a.recurring)  # 03-13 is 3 days after 03-10: left out
    assert series == [dt.date(1987, 3, 2), dt.date(1987, 3, 10), dt.date(1987, 3, 18)]
    questions = newsquiz.make_questions(articles)
    assert questions == newsquiz.make_questions(articles)
    by_name = {a.path.name: a for a in articles}
    assert all(1 <= (q.as_of - by_name[q.page].date).days <= 6 and "this week" in q.text for q in questions)
    assert sum("brazilian coffee rainfall" in q.text for q in questions) == 3
    table = newsquiz.run_articles(articles, questions)
    assert _row(table, "plain stemmed rank-bm25 limited")[2] == 8
    assert _row(table, "plain stemmed rank-bm25 (")[2] <= 6  # one article wins all three series questions


def test_driver_wires_the_first_excerpt_sets(qa_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "latest.md"
    code = driver.main(["--data", str(qa_dir), "--only", "wikiqa,trecqa,community", "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert code == 0, text
    for title in ("WikiQA dev (first excerpt", "TrecQA raw-dev (first excerpt", "community-dev (first excerpt"):
        assert f"### Answer quality: {title}" in text
    assert text.count("*Machine:") == 3 and "newsquiz" in driver.SECTIONS
