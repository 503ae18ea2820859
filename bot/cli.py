"""The terminal front end: ``python -m bot ask|summary|sources``.

Argument parsing is argparse's; answers come from :class:`retrieval.Retriever`, the same code path the
Discord bot uses. Exit codes: 0 when the command ran (answered or not), 2 for usage errors (argparse's
convention), with the message on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from retrieval import Answer, Retriever
from retrieval.errors import CorpusError, QuestionError
from retrieval.retriever import DEFAULT_TOP_K, MAX_TOP_K

from .settings import Settings

__all__ = ["build_parser", "run_cli", "format_answer_text", "USAGE_ERROR"]

log = logging.getLogger(__name__)

USAGE_ERROR = 2

NO_TOKEN_HELP = """\
No DISCORD_TOKEN is set, so the Discord bot cannot start.

To run the Discord bot: copy .env.example to .env, put your bot token in DISCORD_TOKEN
(see README.md, "Run it in Discord"), then run:  python -m bot

To ask in the terminal instead, no token needed:
  python -m bot ask "How long is the UN report?"
  python -m bot ask --batch questions.txt --json
  python -m bot sources
  python -m bot summary
"""


class UsageError(Exception):
    """A mistake in how the command was called; printed on stderr, exit code 2."""


def _top_k(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}")
    if not 1 <= k <= MAX_TOP_K:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_TOP_K}, got {k}")
    return k


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser for ``python -m bot``, with one sub-parser per command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Answer questions about a folder of documents with verbatim, dated excerpts. "
        "With no command, starts the Discord bot (needs DISCORD_TOKEN).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = commands.add_parser("ask", help="answer a question (or a file of questions) in the terminal",
                              description="Answer a question with verbatim excerpts from the documents.")
    ask.add_argument("question", nargs="?", help="the question, in quotes")
    ask.add_argument("--batch", metavar="FILE", help="answer one question per line of FILE ('-' for stdin)")
    _common(ask)
    ask.add_argument("--top-k", type=_top_k, default=DEFAULT_TOP_K, metavar="K",
                     help=f"most excerpts to quote, 1 to {MAX_TOP_K} (default {DEFAULT_TOP_K})")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seeds", type=Path, metavar="DIR", help="documents folder (default: SEEDS_DIR or seeds/)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def format_answer_text(answer: Answer) -> str:
    """Render an answer for a person reading a terminal: each excerpt quoted, then its source line."""
    if not answer.answered:
        lines = [f"I couldn't find that in the documents: {answer.question}"]
        if answer.closest is not None:
            lines.append(f"The closest document is “{answer.closest.title}” "
                         f"({answer.closest.date_label}, {answer.closest.id}).")
        return "\n".join(lines)
    blocks = []
    for number, excerpt in enumerate(answer.excerpts, 1):
        quote = textwrap.fill(" ".join(excerpt.text.split()), width=88, initial_indent="  > ",
                              subsequent_indent="  > ")
        document = excerpt.document
        blocks.append(f"{number}.\n{quote}\n  — {document.title} · {document.date_label} · {document.id}")
    return "\n\n".join(blocks)


def load_retriever(seeds: Path | None, err: TextIO) -> Retriever:
    """Build the retriever for ``seeds`` (or the ``SEEDS_DIR`` setting), printing load warnings to ``err``.

    Raises
    ------
    UsageError
        The folder is missing or holds no loadable document.
    """
    folder = seeds if seeds is not None else Settings().seeds_dir
    try:
        retriever = Retriever.from_folder(folder)
    except CorpusError as error:
        raise UsageError(str(error)) from error
    for warning in retriever.warnings:
        print(f"warning: {warning}", file=err)
    return retriever


def _questions(source: str, stdin: TextIO) -> Iterable[str]:
    if source == "-":
        yield from (line.rstrip("\n") for line in stdin)
        return
    try:
        with open(source, encoding="utf-8", errors="replace") as handle:
            yield from (line.rstrip("\n") for line in handle)
    except OSError as error:
        raise UsageError(f"cannot read questions from {source!r}: {error.strerror or error}") from error


def _ask(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.batch is None and args.question is None:
        raise UsageError("give a question in quotes, or --batch FILE")
    if args.batch is not None and args.question is not None:
        raise UsageError("give either a question or --batch FILE, not both")
    if args.question is not None and not args.question.strip():
        raise UsageError("the question is empty")
    retriever = load_retriever(args.seeds, err)
    if args.question is not None:
        try:
            answer = retriever.ask(args.question, top_k=args.top_k)
        except QuestionError as error:
            raise UsageError(str(error)) from error
        print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer_text(answer),
              file=out)
        return 0
    first = True
    for line in _questions(args.batch, stdin):
        question = line.strip()
        if not question:
            continue
        try:
            answer = retriever.ask(question, top_k=args.top_k)
        except QuestionError as error:
            if args.json:
                print(json.dumps({"question": question, "error": str(error)}, ensure_ascii=False), file=out)
            else:
                print(f"{'' if first else chr(10)}Q: {question}\nerror: {error}", file=out)
        else:
            if args.json:
                print(json.dumps(answer.to_dict(), ensure_ascii=False), file=out)
            else:
                print(f"{'' if first else chr(10)}Q: {question}\n{format_answer_text(answer)}", file=out)
        out.flush()
        first = False
    return 0


Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]
COMMANDS: dict[str, Handler] = {"ask": _ask}


def run_cli(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None,
            stdin: TextIO | None = None) -> int:
    """Run a terminal command (``argv`` without the program name) and return its exit code.

    Returns
    -------
    int
        0 on success (answered or not), 2 for usage errors, 1 when no command is given and no token is set.
    """
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(list(argv))
    except SystemExit as exit_:  # argparse exits on --help (0) and on bad arguments (2)
        return int(exit_.code or 0)
    if args.command is None:
        print(NO_TOKEN_HELP, file=err)
        return 1
    try:
        return COMMANDS[args.command](args, out, err, stdin)
    except UsageError as error:
        print(f"error: {error}", file=err)
        return USAGE_ERROR
