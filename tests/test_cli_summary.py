"""``python -m bot summary`` and ``python -m bot sources`` in the terminal: text, JSON, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import format_sources_text, format_summary_text, run_cli
from retrieval import Retriever
from retrieval.summary import sources, summarise

ROOT = Path(__file__).resolve().parent.parent

REPORT = ("date 2022-09-02\r\nThe committee published its report on the river on Monday.\r\n"
          "The report says the river is cleaner than ten years ago.\r\n"
          "Fish have returned to the river since the report's first edition.\r\n"
          "The committee will publish the next report in five years.\r\n")
STORM = ("date 2023-01-10 Storm closes the bridge\n\nThe storm closed the old bridge for two days. "
         "Engineers inspected the bridge after the storm. The bridge reopened on Thursday morning.")
NOTES = "\ufeff# Reading notes\n\nThe library lends books for three weeks. Late books cost ten cents a day."


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(list(argv), out=out, err=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "river-report.txt").write_bytes(REPORT.encode("utf-8"))
    (tmp_path / "storm.txt").write_text(STORM, encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "reading.md").write_bytes(NOTES.encode("utf-8"))
    return tmp_path


def test_summary_json_sentences_are_exact_slices_of_the_decoded_files(folder: Path) -> None:
    for args in ([], ["--document", "river-report.txt"], ["--topic", "bridge storm"], ["--sentences", "10"]):
        code, out, _ = run("summary", "--seeds", str(folder), "--json", *args)
        assert code == 0
        data = json.loads(out)
        assert set(data) == {"sentences"} and data["sentences"]
        for item in data["sentences"]:
            assert set(item) == {"text", "document", "title", "date", "page", "start", "end"}
            decoded = (folder / item["document"]).read_bytes().decode("utf-8-sig")
            assert decoded[item["start"] : item["end"]] == item["text"]


def test_summary_of_a_document_in_text(folder: Path) -> None:
    code, out, _ = run("summary", "--seeds", str(folder), "--document", "river report", "--sentences", "2")
    assert code == 0
    assert out.startswith("Summary (2 sentences):\n\n2022-09-02 · The committee published its report on the river")
    assert "· river-report.txt\n  > " in out
    assert out.count("\n  >\n") == 1  # two quotes, one separator


def test_digest_in_text_is_oldest_first_with_sources(folder: Path) -> None:
    code, out, _ = run("summary", "--seeds", str(folder), "--sentences", "6")
    assert code == 0
    assert out.startswith("Digest of 3 documents (6 sentences, oldest first):")
    river, storm, notes = (out.index("2022-09-02 ·"), out.index("2023-01-10 · Storm closes the bridge · storm.txt"),
                           out.index("undated · Reading notes · notes/reading.md"))
    assert river < storm < notes


def test_date_range_notes_undated_documents_left_out(folder: Path) -> None:
    code, out, err = run("summary", "--seeds", str(folder), "--since", "2023-01-01")
    assert code == 0
    assert "(1 undated document was left out of the date range.)" in out
    assert "storm.txt" in out and "river-report.txt" not in out
    code, out, err = run("summary", "--seeds", str(folder), "--until", "2022-12-31", "--json")
    assert {s["document"] for s in json.loads(out)["sentences"]} == {"river-report.txt"}
    assert "note: 1 undated document was left out of the date range." in err


def test_topic_summary_in_text(folder: Path) -> None:
    code, out, _ = run("summary", "--seeds", str(folder), "--topic", "late library books")
    assert code == 0
    assert out.startswith("What the documents say about “late library books”")
    assert "Late books cost ten cents a day." in out


@pytest.mark.parametrize("args, message", [
    (["--sentences", "0"], "argument --sentences: must be between 1 and 20, got 0"),
    (["--sentences", "50"], "argument --sentences: must be between 1 and 20, got 50"),
    (["--sentences", "many"], "argument --sentences: must be a whole number"),
    (["--since", "2023-02-30"], "error: since 2023-02-30 is not a real date"),
    (["--until", "last week"], "error: until 'last week' is not a date: write it as YYYY-MM-DD"),
    (["--since", "2023-05-01", "--until", "2023-01-01"], "error: since (2023-05-01) is after until (2023-01-01)"),
    (["--document", "storm closes the brige"], ("error: No document is called 'storm closes the brige'. Did you "
                                                "mean “Storm closes the bridge” (storm.txt)? List the documents "
                                                "with: python -m bot sources")),
    (["--topic", "the of and"], "error: That topic only has very common words"),
])
def test_bad_input_is_a_usage_error_with_a_clear_message(folder: Path, args: list[str], message: str) -> None:
    code, out, err = run("summary", "--seeds", str(folder), *args)
    assert code == 2 and out == ""
    assert message in err


def test_nothing_in_range_or_topic_is_said_plainly(folder: Path) -> None:
    code, out, _ = run("summary", "--seeds", str(folder), "--since", "2030-01-01")
    assert code == 0
    assert out.strip() == ("No document is dated since 2030-01-01. The dated documents run from 2022-09-02 to "
                           "2023-01-10. 1 undated document was left out.")
    code, out, err = run("summary", "--seeds", str(folder), "--topic", "volcano", "--json")
    assert code == 0 and json.loads(out) == {"sentences": []}
    assert "Nothing in the documents mentions 'volcano'." in err


def test_sources_text_and_json(folder: Path) -> None:
    code, out, _ = run("sources", "--seeds", str(folder))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "3 documents, newest first:"
    assert lines[3].startswith("2023-01-10") and lines[3].endswith("Storm closes the bridge · storm.txt")
    assert lines[4].startswith("2022-09-02") and lines[5].startswith("undated ")
    code, out, _ = run("sources", "--seeds", str(folder), "--json")
    data = json.loads(out)
    assert list(data) == ["sources"]
    assert data["sources"][0] == {"document": "storm.txt", "title": "Storm closes the bridge", "date": "2023-01-10",
                                  "passages": 1}
    assert [s["document"] for s in data["sources"]] == ["storm.txt", "river-report.txt", "notes/reading.md"]
    assert data["sources"][2]["date"] is None


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    for command in ("summary", "sources"):
        code, _, err = run(command, "--seeds", str(tmp_path / "nope"))
        assert code == 2 and "does not exist" in err


def test_formatters_are_pure(folder: Path) -> None:
    retriever = Retriever.from_folder(folder)
    text = format_summary_text(summarise(retriever, document="storm.txt", sentences=1))
    assert text.startswith("Summary (1 sentence):\n\n2023-01-10 · Storm closes the bridge · storm.txt\n  > ")
    assert text.count("\n  > ") == 1
    assert format_sources_text(sources(retriever)).count("\n") == 5


def test_python_dash_m_bot_summary_runs(folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": ""}
    result = subprocess.run([sys.executable, "-m", "bot", "summary", "--seeds", str(folder), "--json",
                             "--document", "storm"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert {s["document"] for s in json.loads(result.stdout)["sentences"]} == {"storm.txt"}


def test_a_ranged_digest_counts_the_documents_it_quotes(tmp_path: Path) -> None:
    for day in (1, 2, 3):
        (tmp_path / f"note-{day}.txt").write_text(
            f"date 2023-03-0{day} Note {day}\n\nThe committee met on day {day} to plan the river report. "
            f"It agreed on chapter {day} of the report. The members of the committee read chapter {day} aloud.",
            encoding="utf-8")
    (tmp_path / "old.txt").write_text("date 2022-01-01 Old\n\nThe committee was founded in January.",
                                      encoding="utf-8")
    code, out, _ = run("summary", "--seeds", str(tmp_path), "--since", "2023-01-01")
    assert code == 0
    assert out.startswith("Digest of 3 documents (3 sentences, oldest first, since 2023-01-01):")
    assert [line.split(" · ")[-1] for line in out.splitlines() if line.startswith("2023-")] == [
        "note-1.txt", "note-2.txt", "note-3.txt"]
    code, out, _ = run("summary", "--seeds", str(tmp_path), "--since", "2023-01-01", "--sentences", "2")
    assert out.startswith("Digest of the 2 newest of 3 documents (2 sentences, oldest first, since 2023-01-01):")
    assert "note-1.txt" not in out and "note-3.txt" in out
