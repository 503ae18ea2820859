"""``python -m benchmarks``: every measure in one run, printed as Markdown tables and written to a file.

Measures (``--only`` picks some, comma-separated):

* ``retrieval``: BEIR SciFact nDCG@10 / recall@100 (:mod:`benchmarks.scifact`);
* ``answers``: SQuAD v1.1 dev, answer in the quoted excerpts (:mod:`benchmarks.squad`);
* ``summaries``: BBC News Summary ROUGE (:mod:`benchmarks.summary_rouge`);
* ``speed``: build time, memory, latency, end to end and start-up (:mod:`benchmarks.speed`);
* ``wikiqa``: WikiQA dev, first excerpt holds a correct sentence (:mod:`benchmarks.wikiqa`);
* ``trecqa``: TrecQA raw-dev, the same over shuffled candidate sentences (:mod:`benchmarks.trecqa`);
* ``community``: community-dev, first excerpt right by kind, as of 2025-02-12 (:mod:`benchmarks.community`);
* ``newsquiz``: a dated "this week" quiz over 200 Reuters-21578 articles (:mod:`benchmarks.newsquiz`).
* ``followups``: follow-up questions alone vs with context, on pairs shipped in benchmarks/followup_fixture/
  (:mod:`benchmarks.followup`; needs no evaluation data).
* ``persistence``: the saved index: first build, restart, one edited file, 1M passages with bm25s and
  tantivy (:mod:`benchmarks.persistence`).

``--quick`` runs a reduced version of each (under two minutes on two cores). Every table is printed under a
line naming the machine; the file starts with the date, the command, the git commit and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import Table
from .data import DEFAULT_DATA, SEED
from .machine import machine_info, machine_line

log = logging.getLogger(__name__)

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.md"
#: BBC articles summarised in ``--quick`` mode (all 2,225 otherwise).
QUICK_SUMMARIES = 100
MEASURES = ("retrieval", "answers", "summaries", "speed", "wikiqa", "trecqa", "community", "newsquiz", "followups",
            "persistence")
#: Measures that bring their own data (they run without --data).
NO_DATA = frozenset({"followups"})

Section = Callable[[Path, bool], str]


def _tables(tables: Sequence[Table]) -> str:
    machine = machine_line()
    return "\n".join(table.markdown(machine) for table in tables)


def _retrieval(data: Path, quick: bool) -> str:
    from . import scifact

    return _tables(scifact.run(data, quick=quick))


def _answers(data: Path, quick: bool) -> str:
    from . import squad

    results = squad.run(data, quick=quick)
    sample = ("a fixed-seed sample of 1,000 of the 10,570 questions (--quick)" if quick
              else "all 10,570 questions")
    return ("### Answer quality: SQuAD v1.1 dev (answer string inside the quoted excerpts)\n\n"
            f"{machine_line()}\n\n{squad.format_tables(results)}\n\n"
            f"- {sample}; see benchmarks/squad.py for the set-ups.\n")


def _summaries(data: Path, quick: bool) -> str:
    from . import summary_rouge

    limit = QUICK_SUMMARIES if quick else None
    rows = summary_rouge.run(data, limit=limit, seed=SEED)
    sample = (f"a fixed-seed sample (seed {SEED}) of {limit} of the 2,225 articles (--quick)" if limit
              else "all 2,225 articles")
    return (f"### Summary quality: BBC News Summary (ROUGE F1 against the extractive references)\n\n"
            f"{machine_line()}\n\n{summary_rouge.format_table(rows)}\n\n"
            f"- {sample}; see benchmarks/summary_rouge.py.\n")


def _speed(data: Path, quick: bool) -> str:
    from . import speed

    return _tables(speed.run(data, quick=quick))


def _wikiqa(data: Path, quick: bool) -> str:
    from . import wikiqa

    return _tables(wikiqa.run(data, quick=quick))


def _trecqa(data: Path, quick: bool) -> str:
    from . import trecqa

    return _tables(trecqa.run(data, quick=quick))


def _community(data: Path, quick: bool) -> str:
    from . import community

    return _tables(community.run(data, quick=quick))


def _newsquiz(data: Path, quick: bool) -> str:
    from . import newsquiz

    return _tables(newsquiz.run(data, quick=quick))


def _followups(data: Path, quick: bool) -> str:
    from . import followup

    return _tables([followup.run()])


def _persistence(data: Path, quick: bool) -> str:
    from . import persistence

    return _tables(persistence.run(data, quick=quick))


SECTIONS: dict[str, tuple[str, Section]] = {
    "retrieval": ("Retrieval quality", _retrieval),
    "answers": ("Answer quality", _answers),
    "summaries": ("Summary quality", _summaries),
    "speed": ("Speed and memory", _speed),
    "wikiqa": ("Answer quality: WikiQA dev", _wikiqa),
    "trecqa": ("Answer quality: TrecQA raw-dev", _trecqa),
    "community": ("Answer quality: community-dev", _community),
    "newsquiz": ("Answer quality: dated news quiz", _newsquiz),
    "followups": ("Follow-up questions", _followups),
    "persistence": ("Saved index: start-up, updates and scale", _persistence),
}


def _commit() -> str:
    try:
        root = Path(__file__).resolve().parent.parent
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=root, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=root, check=True, timeout=10).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def header(argv: Sequence[str], quick: bool) -> str:
    """The file's opening: date, command, commit and machine."""
    m = machine_info()
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "quick (reduced sizes and samples)" if quick else "full"
    return "\n".join([
        "# seedbot benchmarks",
        "",
        f"- Date: {now}; mode: {mode}; command: `python -m benchmarks {' '.join(argv)}`".rstrip(),
        f"- Commit: {_commit()}",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM; {m['python']} on {m['os']}",
        f"- BLAS: {m['blas']}; packages: {m['packages']}",
        "",
    ])


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``python -m benchmarks``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help=f"folder holding the evaluation sets (default {DEFAULT_DATA})")
    parser.add_argument("--quick", action="store_true", help="a reduced run, under two minutes")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="FILE",
                        help="Markdown file to write (default benchmarks/results/latest.md)")
    parser.add_argument("--only", metavar="NAMES",
                        help=f"comma-separated measures among {', '.join(MEASURES)}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen measures; returns 0, or 1 when a measure failed (its error is in the output)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("bm25s", "retrieval"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    chosen = list(MEASURES)
    if args.only:
        chosen = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in chosen if name not in SECTIONS]
        if unknown:
            print(f"error: unknown measure(s) {', '.join(unknown)}; choose from {', '.join(MEASURES)}",
                  file=sys.stderr)
            return 2
    if not args.data.is_dir() and not set(chosen) <= NO_DATA:
        print(f"error: the evaluation folder {args.data} does not exist (pass --data DIR)", file=sys.stderr)
        return 2
    parts = [header(argv, args.quick)]
    print(parts[0], flush=True)
    failed = False
    started = time.perf_counter()
    for name in chosen:
        title, section = SECTIONS[name]
        t0 = time.perf_counter()
        try:
            text = section(args.data, args.quick)
        except Exception as error:  # noqa: BLE001 - one failing measure must not lose the others
            failed = True
            log.debug("%s failed", name, exc_info=True)
            text = (f"### {title}\n\nFAILED: {type(error).__name__}: {error}\n\n```\n"
                    f"{traceback.format_exc(limit=3).strip()}\n```\n")
        text += f"\n*{title}: {time.perf_counter() - t0:.0f} s.*\n"
        parts.append(f"## {title}\n\n{text}")
        print(parts[-1], flush=True)
    parts.append(f"*Total: {time.perf_counter() - started:.0f} s.*\n")
    print(parts[-1], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(parts), encoding="utf-8")
    print(f"Written to {args.out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
