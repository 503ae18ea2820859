"""Indexing progress: a bar on a terminal, nothing with --quiet or when the output is not a terminal; the
terminal commands answer from the saved index in INDEX_DIR."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

import bot.progress as progress
from bot.cli import run_cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _index(callback: progress.TerminalProgress | progress.LogProgress) -> None:
    for done in range(1, 4):
        callback(done, 3, done * 10)


def test_a_terminal_shows_files_and_passages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY_S", 0)
    stream = Terminal()
    bar = progress.TerminalProgress(stream)
    _index(bar)
    bar.close()
    shown = stream.getvalue()
    assert "3/3" in shown and "30 passages" in shown


@pytest.mark.parametrize("stream, quiet", [(Terminal(), True), (io.StringIO(), False)], ids=["quiet", "pipe"])
def test_quiet_and_pipes_stay_clean(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, quiet: bool) -> None:
    monkeypatch.setattr(progress, "DELAY_S", 0)
    bar = progress.TerminalProgress(stream, quiet=quiet)
    _index(bar)
    bar.close()
    assert stream.getvalue() == ""


def test_the_bot_logs_counts_and_rate(caplog: pytest.LogCaptureFixture) -> None:
    times = iter([0.0, 0.5, 6.0])
    with caplog.at_level(logging.INFO, logger="bot.progress"):
        _index(progress.LogProgress(clock=lambda: next(times)))
    [line] = [r.getMessage() for r in caplog.records]
    assert line == "Indexing: 3/3 files, 30 passages, 0 files/s"


def test_the_terminal_answers_from_the_saved_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    (seeds / "moon.txt").write_text("The moon base opened in 2031 with three domes.", encoding="utf-8")
    monkeypatch.setenv("INDEX_DIR", str(index))
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(["ask", "--seeds", str(seeds), "When did the moon base open?"], out, err) == 0
    assert "three domes" in out.getvalue() and err.getvalue() == ""
    assert (index / "manifest.json").is_file()
    out = io.StringIO()
    assert run_cli(["sources", "--seeds", str(seeds)], out, err) == 0
    assert "Index updated" in out.getvalue()
