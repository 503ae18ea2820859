"""Indexing analyzes whole batches of documents at once: the postings equal those of the plain rule (each
sentence analyzed on its own, a passage's terms counted over its sentences), whatever the text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval import Analyzer, Document
from retrieval.indexing import _SENTINEL, analyze_documents
from retrieval.passages import make_passages
from retrieval.sentences import split_sentences


def _plain_postings(document: Document, analyzer: Analyzer) -> list[dict[str, int]]:
    """Per passage, term -> frequency, by the one-sentence-at-a-time rule."""
    text = document.text
    spans = [span for start, end in document.quotable_regions() for span in split_sentences(text, start, end)]
    terms = [analyzer(text[s:e]) for s, e in spans]
    passages = make_passages(0, spans, [len(text[s:e].split()) for s, e in spans])
    return [dict(Counter(t for i in range(p.first, p.last + 1) for t in terms[i])) for p in passages]


def _postings(analyzed: object) -> list[dict[str, int]]:
    a = analyzed
    out, at = [], 0
    for count in a.distinct.tolist():  # type: ignore[attr-defined]
        out.append({a.vocab[t]: f for t, f in zip(a.tids[at:at + count].tolist(),  # type: ignore[attr-defined]
                                                  a.tfs[at:at + count].tolist())})  # type: ignore[attr-defined]
        at += count
    return out


def _check(texts: list[str], analyzer: Analyzer) -> None:
    documents = [Document(id=f"d{i}.txt", text=t, title="", date=None) for i, t in enumerate(texts)]
    documents = [d for d in documents if d.quotable_regions()]
    analyzed = analyze_documents(documents, analyzer)
    for document, item in zip(documents, analyzed):
        expected = _plain_postings(document, analyzer)
        assert _postings(item) == expected, document.text
        assert item.lengths.tolist() == [sum(p.values()) for p in expected]


# Words that stress the analyzer: possessives, versions, accents, ligatures, full-width letters, combining
# marks, apostrophes of every kind, sentence ends glued to the next word.
_WORDS = st.sampled_from([
    "China's", "China’s", "'s", "s", "v2.1.1", "2.1", "3.", "U.S.", "Dr.", "café", "cafe\u0301", "\u0301x",
    "ﬁle",
    "ＡＢＣ", "Straße", "ΣΟΦΙΑ", "don't", "it`s", "‘quoted’", "«word»", "the", "and", "Running", "runners",
    "45-page", "e.g.", "http://x.org/a.b", "#", "## Head", "1.", "end.", "Next", "\u00a8", "x_y", "__", "…",
    "?!", "—", "A", "ok", _SENTINEL, _SENTINEL.upper(),
])
_GAPS = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", "! ", "", "\t", "\u00a0", "\r\n"])
_TEXT = st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=60).map(lambda xs: "".join(w + g for w, g in xs))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_batch_analysis_equals_one_sentence_at_a_time(texts: list[str]) -> None:
    _check(texts, Analyzer())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=3))
def test_batch_analysis_equals_one_sentence_at_a_time_on_any_unicode(texts: list[str]) -> None:
    _check(texts, Analyzer())


def test_other_analyzers_and_a_text_holding_the_separator_word() -> None:
    texts = [f"The {_SENTINEL} report. Reports ran on Monday.\n\nIt's v2.1 now.", "Running runners ran.",
             "Only stop words: the and of. Then a café."]

    class Lower(Analyzer):
        def __call__(self, text: str) -> list[str]:
            return text.lower().split()

    for analyzer in (Analyzer(), Analyzer(stop_words=()), Analyzer(stem=False), Lower()):
        _check(texts, analyzer)


_ASCII_PIECES = st.sampled_from(["a", "Z", "v", "s", "'", "'s", "_", ".", "1", "2.5", "v3.1.4", " ", "\n", "-",
                                 "x_1.2", "1.2.3a", "it's", "'s'", "s's"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ASCII_PIECES, max_size=40).map("".join), st.text(max_size=60))
def test_fast_analyzer_patterns_match_the_plain_ones(ascii_text: str, any_text: str) -> None:
    import re

    from retrieval import analyzer

    possessive = re.compile(r"(?<=\w)'s\b")  # the rule as first written
    for text in (ascii_text, any_text, ascii_text + any_text):
        assert analyzer._POSSESSIVE.sub("", text) == possessive.sub("", text)
    assert analyzer._TOKEN_ASCII.findall(ascii_text) == analyzer._TOKEN.findall(ascii_text)




def test_a_first_build_keeps_its_segments_on_disk_not_on_the_heap(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import Retriever, store

    monkeypatch.setattr(store, "BATCH_PASSAGES", 2)  # several batches, each a segment, then joined into one
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, topic in enumerate(["moon base domes", "river bridge tax", "garden tomatoes beans"]):
        (seeds / f"{i}.txt").write_text(f"The {topic} opened in 203{i}. " * 40, encoding="utf-8")
    snapshot, _, _, report = store.IndexStore(tmp_path / "index", seeds).update()
    assert report.rebuilt and len(snapshot.segments) == 1
    for segment in snapshot.segments:  # read back memory-mapped, as a restart reads them
        assert isinstance(segment.arrays["post_pid"], np.memmap)
        assert isinstance(segment.arrays["texts_blob"], np.memmap)
    answer = Retriever.from_snapshot(snapshot).ask("When did the moon base open?")
    assert answer.answered
    assert answer.to_dict() == Retriever.from_folder(seeds).ask("When did the moon base open?").to_dict()


def test_files_indexed_by_worker_processes_equal_those_indexed_here(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # Workers send a chunk's results back packed into a few arrays: what arrives must be what they made.
    from retrieval import indexing

    words = ["harbour", "ferry", "storm", "U.S.", "v2.1", "café", "reports", "Dr.", "the", "opened"]
    files = []
    for i in range(40):
        text = " ".join(words[(i + k) % len(words)] for k in range(5 + i % 17)) + ".\n\n" + "Next line here. " * (i % 4)
        path = tmp_path / f"f{i:02d}.md"
        path.write_text(f"# Note {i}\n\n{text}" if i % 3 else text, encoding="utf-8")
        files.append((path, path.name))
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    files += [(tmp_path / "empty.txt", "empty.txt"), (tmp_path / "binary.txt", "binary.txt"),
              (tmp_path / "gone.txt", "gone.txt")]
    analyzer = Analyzer()
    here = list(indexing.analyze_files(files, analyzer))
    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 5)
    monkeypatch.setattr(indexing, "CHUNK", 4)
    monkeypatch.setattr(indexing, "workers", lambda: 2)
    pooled = list(indexing.analyze_files(files, analyzer))
    assert [r.doc_id for r in pooled] == [r.doc_id for r in here]
    for a, b in zip(here, pooled):
        assert (a.stat, a.warnings) == (b.stat, b.warnings)
        assert (a.analyzed is None) == (b.analyzed is None)
        if a.analyzed is None or b.analyzed is None:
            continue
        assert a.analyzed.document == b.analyzed.document and a.analyzed.stat == b.analyzed.stat
        assert _postings(a.analyzed) == _postings(b.analyzed)
        for name in ("spans", "passages", "lengths", "distinct"):
            x, y = getattr(a.analyzed, name), getattr(b.analyzed, name)
            assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name
    assert sum(r.analyzed is not None for r in pooled) == 40
