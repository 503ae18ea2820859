"""A start from a saved index: the first answer needs no heavy library it can do without, and the word
frequencies saved beside the index are exactly wordfreq's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import wordfreq

from retrieval import Retriever, zipf
from retrieval import retriever as retriever_module

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "When did the harbour reopen after the storm?"


def _folder(tmp_path: Path) -> Path:
    """Two short documents, one of them dated."""
    seeds = tmp_path / "docs"
    seeds.mkdir()
    files = {"harbour.md": "# Harbour\n\nThe harbour reopened in March after the storm wall was rebuilt.\n",
             "fares.txt": "date 2023-04-02\nFerry fares rise by ten percent from May.\n"}
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return seeds


@pytest.fixture
def fresh_zipf(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if it had not opened a table yet."""
    monkeypatch.setattr(zipf, "_words", None)
    monkeypatch.setattr(zipf, "_values", None)
    monkeypatch.setattr(zipf, "_folder", None)
    retriever_module._zipf.cache_clear()  # the retriever's own cache of looked-up words


WORDS = ["interest", "rates", "the", "zebra", "moon", "qwxzv", "a" * 40, "Fed", "U.S.", "don't", "café", "x86",
         "naïve", "", "domes", "pneumonoultramicroscopicsilicovolcanoconiosis"]


def test_the_saved_table_gives_wordfreqs_values(tmp_path: Path, fresh_zipf: None) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    Retriever.from_folder(seeds, index_dir=index).ask(QUESTION)  # loads wordfreq once, saves the table
    assert (index / zipf.TABLE / "words.npy").is_file()
    zipf._words = zipf._values = None
    zipf.use_folder(index)
    assert zipf._words is not None
    words, _ = zipf._words, zipf._values
    sample = [w.decode() for w in words[:: max(1, len(words) // 3000)].tolist()] + WORDS
    assert [zipf.zipf_frequency(w) for w in sample] == [wordfreq.zipf_frequency(w, "en") for w in sample]


def test_without_a_table_plain_words_get_wordfreqs_values(fresh_zipf: None) -> None:
    import random

    rng = random.Random(7)
    listed = sorted(w for w in wordfreq.get_frequency_dict("en", "best") if zipf._plain(w))
    made_up = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(1, 14)))
               for _ in range(500)]
    sample = listed[:: max(1, len(listed) // 2000)] + made_up + WORDS
    assert [zipf.zipf_frequency(w) for w in sample] == [wordfreq.zipf_frequency(w, "en") for w in sample]


def test_a_table_made_from_another_wordfreq_is_made_again(tmp_path: Path, fresh_zipf: None) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    Retriever.from_folder(seeds, index_dir=index).ask(QUESTION)
    source = index / zipf.TABLE / "source.json"
    current = json.loads(source.read_text(encoding="utf-8"))
    source.write_text(json.dumps([0, [1, 2]]), encoding="utf-8")  # as if wordfreq had been upgraded since
    zipf._words = zipf._values = None
    zipf.use_folder(index)
    assert zipf._words is None  # not trusted
    assert zipf.zipf_frequency("moon") == wordfreq.zipf_frequency("moon", "en")
    assert json.loads(source.read_text(encoding="utf-8")) == current  # made again for this wordfreq


def test_a_restart_answers_alike_without_loading_heavy_libraries(tmp_path: Path) -> None:
    seeds, index = _folder(tmp_path), tmp_path / "index"
    env = dict(os.environ, INDEX_DIR=str(index), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "bot", "ask", "--quiet", "--json", "--seeds", str(seeds), QUESTION]
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=True, timeout=120)
    probe = ("import runpy, sys\nsys.argv = ['bot'] + sys.argv[1:]\ntry:\n    runpy.run_module('bot', run_name="
             "'__main__')\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('wordfreq', 'wordllama', 'langcodes', "
             "'yaml', 'frontmatter', 'charset_normalizer', 'dateutil', 'discord', 'tqdm', 'requests', "
             "'concurrent.futures.process', 'retrieval.summary_format') if m in sys.modules), file=sys.stderr)\n")
    again = subprocess.run([sys.executable, "-c", probe, *command[3:]], capture_output=True, text=True, env=env,
                           cwd=tmp_path, check=True, timeout=120)
    assert again.stdout == first.stdout
    assert json.loads(again.stdout)["answered"]
    assert again.stderr.strip().splitlines()[-1] == "[]"  # none of them was imported


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads through Linux's /proc")
def test_the_terminal_starts_no_blas_thread_pool_unless_asked() -> None:
    # numpy's OpenBLAS would start a thread per CPU at import: start-up time, and on 2 cores CPU taken from the
    # indexing workers. `python -m bot` keeps to its one thread; a thread count the user sets is kept.
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    env["PYTHONPATH"] = str(ROOT)
    probe = ("import os, sys\nsys.argv = ['bot']\nimport bot.__main__, numpy\n"
             "print(len(os.listdir('/proc/self/task')))\n")
    alone = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True,
                           timeout=120)
    assert alone.stdout.split() == ["1"]
    chosen = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120,
                            env=dict(env, OPENBLAS_NUM_THREADS="2"))
    assert int(chosen.stdout.split()[0]) >= 2


def test_a_big_first_build_saves_the_word_table_before_the_first_answer(tmp_path: Path, fresh_zipf: None,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Made on the other core while the build's last steps run, so the first answer needs no wordfreq.
    from retrieval import indexing, store

    seeds = tmp_path / "docs"
    seeds.mkdir()
    for i in range(12):
        (seeds / f"n{i}.txt").write_text(f"Note {i}: the harbour reopened after storm number {i}.\n", encoding="utf-8")
    for module in (indexing, store):
        monkeypatch.setattr(module, "POOL_MIN_FILES", 4)
    monkeypatch.setattr(store, "workers", lambda: 2)
    monkeypatch.setattr(indexing, "workers", lambda: 2)
    index = tmp_path / "index"
    store.IndexStore(index, seeds).update()
    assert (index / zipf.TABLE / "words.npy").is_file()
    assert zipf._words is not None  # in use, not made on demand
    assert zipf.zipf_frequency("harbour") == wordfreq.zipf_frequency("harbour", "en")
