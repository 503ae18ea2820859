"""The saved index: after any sequence of additions, edits and deletions it scores exactly as rank-bm25 built
fresh over the current passages, and it survives damage, setting changes and relocation."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval import Analyzer, LuceneIdfBM25, Retriever
from retrieval.segments import FILES
from retrieval.store import IndexStore

WORDS = ["moon", "base", "report", "garden", "dome", "river", "tax", "vote", "storm", "bridge", "cat", "seed"]
analyze = Analyzer()


def _text(words: list[str]) -> str:
    sentences = [" ".join(words[i:i + 5]).capitalize() + "." for i in range(0, len(words), 5)]
    return " ".join(sentences) or "Empty."


def _reference(seeds: Path) -> tuple[Retriever, list[list[str]]]:
    fresh = Retriever.from_folder(seeds)
    corpus = []
    for p in fresh.passages:
        text = fresh.documents[p.doc].text
        spans = fresh.sentences[p.doc].spans
        corpus.append([t for i in range(p.first, p.last + 1) for t in analyze(text[spans[i][0]:spans[i][1]])])
    return fresh, corpus


def assert_equals_fresh(saved: Retriever, seeds: Path) -> None:
    fresh, corpus = _reference(seeds)
    assert [d.id for d in saved.documents] == [d.id for d in fresh.documents]
    assert [d.text for d in saved.documents] == [d.text for d in fresh.documents]
    assert list(saved.passages) == list(fresh.passages)
    reference = LuceneIdfBM25(corpus, k1=saved.index.k1, b=saved.index.b)
    for query in (["moon"], ["report", "tax", "tax"], WORDS[:6], ["unknown", "seed"]):
        terms = analyze(" ".join(query))
        np.testing.assert_allclose(saved.index.scores(terms), reference.get_scores(terms), rtol=1e-9, atol=1e-12)
        assert saved.index.top_k(terms, 5) == fresh.index.top_k(terms, 5)
    assert sorted(saved.index.vocabulary) == sorted(fresh.index.vocabulary)
    _assert_document_scores_agree(saved, fresh)


def _assert_document_scores_agree(saved: Retriever, fresh: Retriever) -> None:
    """Whole-document BM25 by binary search of the candidates' passages equals reading every posting, on the
    saved index (several segments, tombstones) and against the fresh build."""
    from retrieval import ranking

    terms = sorted(set(analyze(" ".join(WORDS))))
    docs = list(range(len(saved.documents)))
    looked_up = ranking.document_scores(saved.index, saved._document_lengths(), terms, docs)
    read = ranking.document_scores(fresh.index, fresh._document_lengths(), terms, docs)
    original = ranking.LOOKUP_PASSAGES
    ranking.LOOKUP_PASSAGES = -1  # every posting read, as before the lookups
    try:
        assert ranking.document_scores(saved.index, saved._document_lengths(), terms, docs) == looked_up
    finally:
        ranking.LOOKUP_PASSAGES = original
    assert looked_up.keys() == read.keys()
    np.testing.assert_allclose([looked_up[d] for d in docs], [read[d] for d in docs], rtol=1e-9, atol=1e-12)


operation = st.tuples(st.sampled_from(["add", "edit", "delete", "touch"]), st.integers(0, 5),
                      st.lists(st.sampled_from(WORDS), min_size=0, max_size=30))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), min_size=1, max_size=5),
       changes=st.lists(st.lists(operation, min_size=1, max_size=3), min_size=1, max_size=5),
       batch=st.sampled_from([1, 3, 200_000]))
def test_scores_after_any_changes_equal_a_fresh_rank_bm25(tmp_path_factory: pytest.TempPathFactory,
                                                          start: list[list[str]],
                                                          changes: list[list[tuple[str, int, list[str]]]],
                                                          batch: int) -> None:
    """``batch``: passages per segment an update writes (small: an update writes several, then joins them)."""
    from retrieval import store

    saved_batch = store.BATCH_PASSAGES
    store.BATCH_PASSAGES = batch
    try:
        _changes_equal_fresh(tmp_path_factory, start, changes)
    finally:
        store.BATCH_PASSAGES = saved_batch


def _changes_equal_fresh(tmp_path_factory: pytest.TempPathFactory, start: list[list[str]],
                         changes: list[list[tuple[str, int, list[str]]]]) -> None:
    root = tmp_path_factory.mktemp("store")
    seeds, index = root / "seeds", root / "index"
    seeds.mkdir()
    for i, words in enumerate(start):
        (seeds / f"doc{i}.txt").write_text(_text(words), encoding="utf-8")
    assert_equals_fresh(Retriever.from_folder(seeds, index_dir=index), seeds)
    for batch in changes:  # several changes between two updates, like a burst of saves
        for kind, n, words in batch:
            path = seeds / f"doc{n}.txt"
            if kind == "add" or (kind == "edit" and path.exists()):
                path.write_text(_text(words + [WORDS[n]]), encoding="utf-8")
            elif kind == "delete" and len(list(seeds.iterdir())) > 1:
                path.unlink(missing_ok=True)
            elif kind == "touch" and path.exists():
                os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        assert_equals_fresh(Retriever.from_folder(seeds, index_dir=index), seeds)


def _folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "moon.md").write_text("# Moon base\n\nThe moon base opened in 2031 with three domes.\n", encoding="utf-8")
    (seeds / "tax.txt").write_text("date 2022-01-05\nThe new tax applies to bridges and rivers.\n", encoding="utf-8")
    return seeds


def test_an_unchanged_folder_reads_no_file_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = _folder(tmp_path)
    first = Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    from retrieval import store

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(store, "analyze_files", fail)
    monkeypatch.setattr(store, "RACY_NS", -10**18)  # the files were just written: trust their times anyway
    again = Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    assert again.ask("When did the moon base open?").excerpts[0].text == first.ask("When did the moon base open?").excerpts[0].text
    assert again.updated_at == first.updated_at


def test_files_modified_about_the_first_build_are_hashed_once_then_only_stat_ed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import store

    seeds, index = _folder(tmp_path), tmp_path / "index"
    monkeypatch.setattr(store, "RACY_NS", 300_000_000)  # file times this close to a scan are not trusted
    first = Retriever.from_folder(seeds, index_dir=index)  # the files were written just now: racily clean
    hashed: list[str] = []
    same_bytes = store._same_bytes

    def spy(path: str | Path, expected: bytes) -> bool:
        hashed.append(Path(path).name)
        return same_bytes(path, expected)

    monkeypatch.setattr(store, "_same_bytes", spy)
    time.sleep(0.35)
    again = Retriever.from_folder(seeds, index_dir=index)
    assert sorted(hashed) == ["moon.md", "tax.txt"]  # their bytes are checked, found unchanged
    assert again.updated_at == first.updated_at  # nothing changed in the index
    hashed.clear()
    third = Retriever.from_folder(seeds, index_dir=index)
    assert hashed == []  # the next start only stats them
    assert third.ask("When did the moon base open?").excerpts[0].text == first.ask("When did the moon base open?").excerpts[0].text


@pytest.mark.parametrize("damage", ["manifest garbage", "truncated array", "missing segment", "foreign json",
                                    "old format", "missing manifest", "garbage array"])
def test_a_damaged_index_is_rebuilt_with_one_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     damage: str) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    Retriever.from_folder(seeds, index_dir=index)
    manifest = index / "manifest.json"
    [segment] = [p for p in index.iterdir() if p.name.startswith("seg-")]
    if damage == "manifest garbage":
        manifest.write_bytes(b"\x00{not json")
    elif damage == "truncated array":
        target = segment / "post_pid.npy"
        target.write_bytes(target.read_bytes()[:140])
    elif damage == "missing segment":
        shutil.rmtree(segment)
    elif damage == "foreign json":
        manifest.write_text('{"hello": "world"}', encoding="utf-8")
    elif damage == "missing manifest":
        manifest.unlink()
    elif damage == "garbage array":  # no .npy header: numpy takes it for a pickle
        (segment / "post_pid.npy").write_bytes(b"\x80\x04garbage, not an array " * 200)
    else:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["version"] = 0
        manifest.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="retrieval"):
        rebuilt = Retriever.from_folder(seeds, index_dir=index)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "Rebuilding the index" in warnings[0].getMessage()
    assert "allow_pickle" not in warnings[0].getMessage()  # numpy's advice to load it unsafely is not ours
    assert_equals_fresh(rebuilt, seeds)


def test_a_settings_change_rebuilds_with_one_line_saying_why(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    Retriever.from_folder(seeds, index_dir=index)
    with caplog.at_level(logging.INFO, logger="retrieval"):
        rebuilt = Retriever.from_folder(seeds, index_dir=index, k1=1.2)
    lines = [r for r in caplog.records if "Rebuilding" in r.getMessage()]
    assert len(lines) == 1 and "k1" in lines[0].getMessage()
    assert lines[0].levelno == logging.WARNING  # shown in the terminal, whatever LOG_LEVEL says
    assert rebuilt.index.k1 == 1.2
    with caplog.at_level(logging.INFO, logger="retrieval"):
        Retriever.from_folder(seeds, index_dir=index, analyzer=Analyzer(stop_words=()), k1=1.2)
    assert any("analyzer" in r.getMessage() and "stop words" in r.getMessage() for r in caplog.records)


def test_an_index_dir_inside_the_documents_folder_is_moved_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seeds = _folder(tmp_path)
    with caplog.at_level(logging.WARNING, logger="retrieval"):
        store = IndexStore(seeds / "index", seeds)
    assert seeds not in store.root.parents and store.root != seeds
    assert "inside the documents folder" in caplog.text
    retriever = store.retriever()
    assert {d.id for d in retriever.documents} == {"moon.md", "tax.txt"}
    assert not (seeds / "index").exists()


def test_many_updates_keep_few_segments(tmp_path: Path) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    for i in range(12):
        (seeds / f"note{i}.txt").write_text(f"Note {i} mentions the river storm number {i}.", encoding="utf-8")
        Retriever.from_folder(seeds, index_dir=index)
    segments = [p for p in index.iterdir() if p.name.startswith("seg-")]
    assert 1 <= len(segments) <= 8
    assert_equals_fresh(Retriever.from_folder(seeds, index_dir=index), seeds)


def test_a_build_in_several_batches_equals_one_in_a_single_batch(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import store

    seeds = _folder(tmp_path)
    for i in range(5):
        (seeds / f"note{i}.txt").write_text(f"Note {i} mentions the river storm and the tax number {i}.",
                                            encoding="utf-8")
    single = Retriever.from_folder(seeds, index_dir=tmp_path / "single")
    written: list[str] = []
    original = store.IndexStore._write

    def counting(self, segment):  # type: ignore[no-untyped-def]
        written.append(segment.name)
        return original(self, segment)

    monkeypatch.setattr(store.IndexStore, "_write", counting)
    monkeypatch.setattr(store, "BATCH_PASSAGES", 2)  # a segment every two passages: the heap stays small
    saved = Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    assert len(written) > 1  # several batches, then joined: one segment, as a single batch writes it
    [joined] = [p for p in (tmp_path / "index").iterdir() if p.name.startswith("seg-")]
    [whole] = [p for p in (tmp_path / "single").iterdir() if p.name.startswith("seg-")]
    for key in FILES:
        a, b = np.load(joined / f"{key}.npy"), np.load(whole / f"{key}.npy")
        assert a.dtype == b.dtype and np.array_equal(a, b), key
    assert_equals_fresh(saved, seeds)
    assert [saved.index.top_k(analyze(w), 3) for w in WORDS] == [single.index.top_k(analyze(w), 3) for w in WORDS]
    # Files added later in several batches join one another, not the segment already there.
    for i in range(5, 9):
        (seeds / f"note{i}.txt").write_text(f"Note {i} is about the garden vote {i}.", encoding="utf-8")
    assert_equals_fresh(Retriever.from_folder(seeds, index_dir=tmp_path / "index"), seeds)
    assert len([p for p in (tmp_path / "index").iterdir() if p.name.startswith("seg-")]) == 2


def test_sentence_terms_analyzed_on_demand_equal_the_whole_document_rule() -> None:
    from retrieval import Document
    from retrieval.corpus import excerpt_terms
    from retrieval.sentences import split_sentences

    text = ("# Moon base\n\n## Where\n\n![a dome](dome.png)\n\nThe base sits in a crater. It has domes.\n\n"
            "# Garden\n\n---\n\nTomatoes grow there.\n\n# Empty heading at the end\n")
    retriever = Retriever.from_documents([Document("moon.md", text, "Moon base", None)])
    spans = split_sentences(text)
    eager, sections = excerpt_terms(text, spans, [analyze(text[s:e]) for s, e in spans])
    lazy = retriever.sentences[0].terms
    lazy_sections = retriever.sentences[0].sections
    assert [lazy[i] for i in reversed(range(len(spans)))] == list(reversed(eager))  # any access order
    assert [lazy_sections[i] for i in reversed(range(len(spans)))] == list(reversed(sections))
    tomatoes = next(i for i, (s, e) in enumerate(spans) if text[s:e].startswith("Tomatoes"))
    assert not lazy[0] and "tomato" in lazy[tomatoes] and "garden" in lazy_sections[tomatoes]


def test_stored_sentence_terms_are_the_analyzed_term_sets_in_their_order(tmp_path: Path) -> None:
    """The term sets read from a saved (and merged) index's sentence terms equal those of analyzing each
    sentence, down to their iteration order (answers iterate over them), headings and repeats included."""
    from retrieval.corpus import _headings_above
    from retrieval.termcache import term_cache

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.md").write_text("# Moon base\n\nThe base, the base and the dome. Domes 2.0.1 ship.\n\n"
                                "Tomatoes grow there. Grow, grow, grow!\n", encoding="utf-8")
    (seeds / "b.txt").write_text("Release v1.2 is out. It fixes the v1.2 upload bug and the login bug.",
                                 encoding="utf-8")
    Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    (seeds / "c.txt").write_text("A third note about the dome and the moon.", encoding="utf-8")
    retriever = Retriever.from_folder(seeds, index_dir=tmp_path / "index")  # a second segment
    analyze_set = term_cache(retriever.analyzer).term_set
    checked = 0
    for d, document in enumerate(retriever.documents):
        sentences = retriever.sentences[d]
        above = _headings_above(document.text, sentences.spans)
        for i, (s, e) in enumerate(sentences.spans):
            expected = frozenset() if above[i] == -2 else analyze_set(document.text[s:e])
            assert list(sentences.terms[i]) == list(expected)
            checked += 1
    assert checked >= 7


def test_an_unwritable_index_dir_still_answers_from_memory(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seeds = _folder(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="retrieval"):
        retriever = Retriever.from_folder(seeds, index_dir=blocker / "index")
    assert retriever.ask("When did the moon base open?").answered
    assert "Cannot use the saved index" in caplog.text


def test_folder_warnings_reach_the_user_through_the_saved_index(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "note.txt").write_text("The moon base opened in 2031.", encoding="utf-8")
    (seeds / "gone.md").symlink_to(tmp_path / "nowhere.md")
    retriever = Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    assert any("gone.md" in w and "does not exist" in w for w in retriever.warnings)


def test_a_short_opening_line_is_a_title_never_quoted_alone(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "maintenance.txt").write_text(
        "Server maintenance notice.\n\nThe forum is offline for maintenance every first Sunday of the month.\n",
        encoding="utf-8")
    (seeds / "other.txt").write_text("Cows graze in the field behind the barn.\n", encoding="utf-8")
    answer = Retriever.from_folder(seeds, index_dir=tmp_path / "index").ask("When is the server maintenance?")
    assert answer.excerpts[0].text.startswith("The forum is offline")


def test_a_folder_without_usable_documents_names_each_file_and_why(tmp_path: Path) -> None:
    from retrieval.errors import NoDocumentsError

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "empty.md").write_text("   \n", encoding="utf-8")
    (seeds / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(NoDocumentsError) as raised:
        Retriever.from_folder(seeds, index_dir=tmp_path / "index")
    message = str(raised.value)
    assert "empty.md" in message and "photo.md" in message and ".pdf" in message
