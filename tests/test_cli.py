"""The terminal command line: text and JSON output, batches, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import run_cli

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(list(argv), out=out, err=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ferry.txt").write_text(
        "date 2023-04-01 The ferry to the island leaves at nine every morning. Tickets cost twelve euros.",
        encoding="utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "office.md").write_text("# Office\n\nThe office is closed on public holidays.",
                                                  encoding="utf-8")
    return tmp_path


def test_ask_prints_quote_title_date_and_file(folder: Path) -> None:
    code, out, _ = run("ask", "When does the ferry leave?", "--seeds", str(folder))
    assert code == 0
    assert "> The ferry to the island leaves at nine every morning." in out
    assert "2023-04-01" in out and "ferry.txt" in out


def test_a_quoted_command_keeps_its_lines_in_the_terminal(tmp_path: Path) -> None:
    (tmp_path / "backup.md").write_text(
        "# Backups\n\nBack up the database with the built-in command. Run it like this:\n\n"
        "```sh\ndocker compose exec app app backup --output /backups/app.sql.gz\n```\n\nKeep 14 copies.\n",
        encoding="utf-8")
    for n in range(3):
        (tmp_path / f"note-{n}.md").write_text(f"# Note {n}\n\nThe pump ran {n} hours.", encoding="utf-8")
    code, out, _ = run("ask", "What command backs up the database?", "--seeds", str(tmp_path), "--top-k", "1")
    assert code == 0
    assert "\n  > docker compose exec app app backup --output /backups/app.sql.gz\n" in out, out


def test_ask_json_shape_and_exact_slices(folder: Path) -> None:
    code, out, _ = run("ask", "When is the office closed?", "--seeds", str(folder), "--json", "--top-k", "2")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"question", "answered", "excerpts"}
    assert data["answered"] is True
    excerpt = data["excerpts"][0]
    assert set(excerpt) == {"text", "document", "title", "date", "page", "score", "start", "end"}
    assert excerpt["page"] is None  # pages are for PDFs
    assert excerpt["document"] == "notes/office.md"
    assert excerpt["title"] == "Office"
    assert excerpt["date"] is None
    assert excerpt["score"] > 0
    decoded = (folder / "notes" / "office.md").read_text(encoding="utf-8")
    assert decoded[excerpt["start"] : excerpt["end"]] == excerpt["text"]


def test_unanswered_json_has_no_excerpts_and_names_closest(folder: Path) -> None:
    code, out, _ = run("ask", "How much does the Zanzibar ferry cost in monsoon season?", "--seeds", str(folder),
                       "--json")
    data = json.loads(out)
    assert code == 0
    assert data["answered"] is False and data["excerpts"] == []
    assert data["closest"] == "ferry.txt"


def test_unanswered_text_says_so(folder: Path) -> None:
    code, out, _ = run("ask", "quantum chromodynamics?", "--seeds", str(folder))
    assert code == 0
    assert "I couldn't find that in the documents" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", "", "--seeds", "{folder}"], "empty"),
        (["ask", "What?", "--seeds", "{folder}/missing"], "does not exist"),
        (["ask", "What?", "--seeds", "{empty}"], "No documents"),
        (["ask", "--seeds", "{folder}"], "question"),
        (["ask", "the", "--seeds", "{folder}"], "common words"),
        (["ask", "ferry", "--top-k", "0", "--seeds", "{folder}"], "top-k"),
    ],
)
def test_usage_errors_exit_2_with_message_on_stderr(folder: Path, tmp_path_factory: pytest.TempPathFactory,
                                                    argv: list[str], message: str) -> None:
    empty = tmp_path_factory.mktemp("empty")
    code, out, err = run(*[a.format(folder=folder, empty=empty) for a in argv])
    assert code == 2
    assert message in err
    assert out == ""


@pytest.mark.parametrize("question", ["", "\U0001f52d", "the"])
def test_single_question_error_with_json_is_json_on_stdout_and_exit_2(folder: Path, question: str) -> None:
    code, out, err = run("ask", question, "--json", "--seeds", str(folder))
    assert code == 2 and err  # the message stays on stderr too
    line = json.loads(out)
    assert line["question"] == question and line["error"]


def test_batch_json_one_line_per_question_in_order_with_errors_inline(folder: Path) -> None:
    questions = "When does the ferry leave?\n\n" + "x" * 5000 + "\n?!\nWhen is the office closed?\n"
    code, out, _ = run("ask", "--batch", "-", "--json", "--seeds", str(folder), stdin=questions)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4
    assert lines[0]["answered"] and lines[0]["excerpts"][0]["document"] == "ferry.txt"
    assert "error" in lines[1] and "characters" in lines[1]["error"]
    assert "error" in lines[2]
    assert lines[3]["excerpts"][0]["document"] == "notes/office.md"


def test_batch_from_file(folder: Path, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("ferry tickets price\n", encoding="utf-8")
    code, out, _ = run("ask", "--batch", str(questions), "--seeds", str(folder))
    assert code == 0 and "Tickets cost twelve euros." in out


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "SEEDS_DIR", "GUILD_ID"}}
    env.update(extra)
    return env


def test_python_m_bot_without_token_explains_and_exits_non_zero(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env=_env(PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "DISCORD_TOKEN" in result.stderr and "python -m bot ask" in result.stderr


def test_python_m_bot_ask_reads_seeds_dir_from_env_file(folder: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".env").write_text(f"SEEDS_DIR={folder}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "When does the ferry leave?", "--json"],
                            cwd=work, env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["excerpts"][0]["document"] == "ferry.txt"


@pytest.mark.parametrize(
    ("env_file", "named", "argv"),
    [("GUILD_ID=abc\n", "GUILD_ID", []), ("ANSWER_CHANNEL_IDS=12,abc\n", "ANSWER_CHANNEL_IDS", []),
     ("LOG_LEVEL=verbose\n", "LOG_LEVEL", ["ask", "report"])],
)
def test_invalid_settings_give_a_clear_message_not_a_traceback(tmp_path: Path, env_file: str, named: str,
                                                               argv: list[str]) -> None:
    (tmp_path / ".env").write_text(env_file + "DISCORD_TOKEN=secret-token-value\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=tmp_path,
                            env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret-token-value" not in result.stderr + result.stdout


def test_output_piped_into_a_program_that_stops_reading_ends_quietly(folder: Path) -> None:
    questions = "When does the ferry leave?\n" * 300
    script = f"{sys.executable} -m bot ask --batch - --json --seeds {folder} | head -c 10 > /dev/null"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", script], input=questions, cwd=ROOT,
                            env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr


def test_an_env_file_that_is_not_utf8_gives_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes("SEEDS_DIR=seeds\n".encode("utf-16"))
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "report"], cwd=tmp_path,
                            env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_discord_only_setting_does_not_stop_a_terminal_command(folder: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / ".env").write_text(f"GUILD_ID=abc\nSEEDS_DIR={folder}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "ask", "When does the ferry leave?"], cwd=work,
                            env=_env(PYTHONPATH=str(ROOT)), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "The ferry to the island leaves at nine" in result.stdout
    assert "GUILD_ID" in result.stderr and "Traceback" not in result.stderr


def test_options_may_come_before_the_command(folder: Path) -> None:
    code, out, err = run("--seeds", str(folder), "--json", "ask", "When does the ferry leave?")
    assert code == 0, err
    assert json.loads(out)["excerpts"][0]["document"] == "ferry.txt"
    code, out, err = run("--seeds", str(folder), "sources")
    assert code == 0 and "ferry.txt" in out
    code, out, err = run("--seeds", str(folder))  # no command: say what to add, not "no token"
    assert code == 2 and "ask" in err and "DISCORD_TOKEN" not in err


def test_help_names_the_command_it_was_started_as() -> None:
    script = "import sys; sys.argv[0] = '/venv/bin/seedbot'; from bot.__main__ import main; sys.exit(main())"
    result = subprocess.run([sys.executable, "-c", script, "--help"], cwd=ROOT, env=_env(PYTHONPATH=str(ROOT)),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: seedbot ")
    code, out, _ = run("--help")
    assert out.startswith("usage: python -m bot ")


def test_python_without_the_virtual_environment_says_to_activate_it() -> None:
    # -S: no site-packages, as with a system Python in a new terminal where the venv is not active.
    result = subprocess.run([sys.executable, "-S", "-m", "bot", "ask", "report"], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "activate" in result.stderr and "not installed" in result.stderr


def test_quiet_sums_up_the_file_warnings_in_one_line(folder: Path) -> None:
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / "undated.txt").write_text("Date: 02/09/2026\nThe board met on a Tuesday.\n", encoding="utf-8")
    code, _, err = run("ask", "When does the ferry leave?", "--seeds", str(folder))
    assert code == 0 and "broken.txt" in err and "undated.txt" in err
    code, out, err = run("ask", "When does the ferry leave?", "--seeds", str(folder), "--quiet")
    assert code == 0 and "ferry" in out.lower()
    lines = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(lines) == 1 and "2 warnings" in lines[0] and "broken.txt" not in err


def test_a_damaged_or_misplaced_index_says_so_once_in_the_terminal(
        folder: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path_factory.mktemp("index")
    monkeypatch.setenv("INDEX_DIR", str(index))
    code, first, err = run("ask", "When does the ferry leave?", "--seeds", str(folder))
    assert code == 0 and "warning" not in err
    [segment] = [p for p in index.iterdir() if p.name.startswith("seg-")]
    (segment / "post_pid.npy").write_bytes(b"\x93NUMPY garbage")
    code, out, err = run("ask", "When does the ferry leave?", "--seeds", str(folder), "--quiet")
    assert code == 0 and out == first
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"warning: Rebuilding the index in {index}: a segment is damaged")
    code, out, err = run("ask", "When does the ferry leave?", "--seeds", str(folder))
    assert code == 0 and out == first and err == ""  # rebuilt whole: nothing more to say
    monkeypatch.setenv("INDEX_DIR", str(folder / "inside"))
    code, out, err = run("ask", "When does the ferry leave?", "--seeds", str(folder))
    assert code == 0 and out == first
    assert len(err.splitlines()) == 1 and "inside the documents folder" in err
    assert not (folder / "inside").exists()
