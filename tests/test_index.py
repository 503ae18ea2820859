"""BM25 over passages: rank-bm25's failure modes on tiny corpora are fixed, scores match rank-bm25."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval import Analyzer, BM25Index, LuceneIdfBM25

analyze = Analyzer()


def _index(*texts: str) -> BM25Index:
    return BM25Index([analyze(t) for t in texts])


def test_two_documents_windy_london() -> None:
    index = _index("Hello there good man!", "It is quite windy in London")
    scores = index.scores(analyze("windy London"))
    assert scores[1] > 0
    assert scores[1] > scores[0]
    assert index.top_k(analyze("windy London"), 2)[0][0] == 1


def test_four_documents_keyword_term() -> None:
    index = _index(
        "This text contains keyword1 and Keyword2",
        "That is a text that contains keyword1 and term1",
        "Page contains no keywords but contains term1 and term2",
        "This text contains no keywords",
    )
    scores = index.scores(analyze("keyword1 term1"))
    assert int(np.argmax(scores)) == 1
    assert scores[2] > scores[3]


def test_plain_rank_bm25_fails_these_cases() -> None:
    """The reason for the fix: BM25Okapi scores the windy-London case 0 or below."""
    from rank_bm25 import BM25Okapi

    plain = BM25Okapi([analyze("Hello there good man!"), analyze("It is quite windy in London")])
    assert plain.get_scores(analyze("windy London"))[1] <= 0


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_a_passage_with_a_query_term_always_beats_one_without(n: int) -> None:
    # The term "common" is in every passage but the last; "rare" only in the first.
    texts = [f"common words number {i}" for i in range(n - 1)] + ["nothing shared here"]
    if n == 1:
        texts = ["common words"]
    index = _index(*texts)
    scores = index.scores(analyze("common"))
    holding = [s for t, s in zip(texts, scores) if "common" in t]
    others = [s for t, s in zip(texts, scores) if "common" not in t]
    assert all(s > 0 for s in holding)
    assert all(s == 0 for s in others)


def test_scores_equal_rank_bm25_get_scores() -> None:
    corpus = [analyze(t) for t in [
        "The quick brown fox jumps over the lazy dog",
        "A fox is quick and brown and quick again",
        "Dogs are lazy in the summer heat",
        "Nothing about animals at all in this one",
        "fox fox fox",
    ]]
    ours = BM25Index(corpus, k1=1.2, b=0.75)
    reference = LuceneIdfBM25(corpus, k1=1.2, b=0.75)
    query = analyze("quick fox lazy unknownword")
    np.testing.assert_allclose(ours.scores(query), reference.get_scores(query), rtol=1e-12)


def test_empty_corpus_and_bad_parameters_raise_value_error() -> None:
    with pytest.raises(ValueError, match="no passages"):
        BM25Index([])
    with pytest.raises(ValueError, match="k1"):
        BM25Index([["a"]], k1=0)
    with pytest.raises(ValueError, match="k must be"):
        BM25Index([["a"]]).top_k(["a"], 0)


def test_all_empty_passages_score_zero_without_error() -> None:
    index = BM25Index([[], []])
    assert index.scores(["anything"]).tolist() == [0.0, 0.0]
    assert index.top_k(["anything"], 3) == []


def test_top_k_breaks_ties_by_lower_index_even_at_the_cut() -> None:
    # Every third passage holds the term twice, the rest once: many ties on each score level. A plain
    # argpartition cut returns an arbitrary subset of the tied passages (here 6, 384, 387 rather than 0, 3, 6).
    texts = ["harbour harbour quay" if i % 3 == 0 else "harbour quay" for i in range(1000)]
    index = _index(*texts)
    assert [i for i, _ in index.top_k(analyze("harbour"), 3)] == [0, 3, 6]
    assert [i for i, _ in index.top_k(analyze("harbour"), 5)] == [0, 3, 6, 9, 12]


def test_a_large_index_maps_its_postings_when_it_opens(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """From PREFAULT_PASSAGES passages on, opening an index reads one number per page of its postings (so
    queries do not fault them in one by one); below it, nothing is read."""
    from retrieval import index as index_module

    monkeypatch.setattr(index_module, "PREFAULT_PASSAGES", 50)
    read: list[int] = []
    original = index_module.Part.prefault

    def counting(self):  # type: ignore[no-untyped-def]
        read.append(len(self.pid))
        original(self)

    monkeypatch.setattr(index_module.Part, "prefault", counting)
    BM25Index([["storm", "harbour"]] * 49)
    assert read == []
    BM25Index([["storm", "harbour"]] * 50)
    assert read == [100]


@pytest.mark.parametrize("seed", range(6))
def test_live_document_frequencies_by_search_equal_a_count_of_every_posting(  # type: ignore[no-untyped-def]
        seed: int, monkeypatch) -> None:
    """A segment with a few deleted documents (runs of passages): each term's live postings, found by binary
    searches of the runs' ends, equal those counted posting by posting (the way with many runs)."""
    from retrieval import index as index_module

    rng = np.random.default_rng(seed)
    corpus = [[f"w{t}" for t in rng.integers(0, 40, size=int(rng.integers(0, 12)))] for _ in range(500)]
    postings = index_module.Postings.from_corpus(corpus)
    mapping = np.arange(len(corpus), dtype=np.int64)
    for start in rng.integers(0, len(corpus), size=int(rng.integers(1, 6))):
        mapping[start:start + int(rng.integers(1, 30))] = -1
    expected = np.array([int((mapping[postings.pid[a:b]] >= 0).sum())
                         for a, b in zip(postings.off[:-1], postings.off[1:])])
    searched = index_module._live_counts(postings.off, postings.pid, mapping)
    monkeypatch.setattr(index_module, "SEARCHED_RUNS", 0)
    counted = index_module._live_counts(postings.off, postings.pid, mapping)
    assert searched.tolist() == expected.tolist() == counted.tolist()
