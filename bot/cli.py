"""The terminal front end: ``python -m bot ask|summary|sources``.

Argument parsing is argparse's; answers come from :class:`retrieval.Retriever`, the same code path the
Discord bot uses. Exit codes: 0 when the command ran (answered or not), 2 for usage errors (argparse's
convention), with the message on standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from retrieval import Answer, Retriever
from retrieval.catalog import Source, parse_date, sources
from retrieval.errors import (
    CorpusError,
    DateRangeError,
    NothingToSummariseError,
    QuestionError,
    SummaryError,
    UnknownDocumentError,
)
from retrieval.heap import settle as settle_heap
from retrieval.retriever import DEFAULT_TOP_K, MAX_TOP_K
from retrieval.summary import DIGEST_DOCUMENTS, MAX_SENTENCES, MIN_SENTENCES, Summary, summarise

from .formatting import NOT_FOUND, code_segments, page_label
from .progress import TerminalProgress
from .settings import Settings

__all__ = [
    "USAGE_ERROR",
    "build_parser",
    "format_answer_text",
    "format_sources_text",
    "format_summary_text",
    "run_cli",
]

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
  python -m bot unanswered
"""


class UsageError(Exception):
    """A mistake in how the command was called; printed on stderr, exit code 2."""


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` that accepts a whole number from ``low`` to ``high`` inclusive."""

    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {value!r}")
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {n}")
        return n

    return parse


def _day(value: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value (argparse type), read as ``--since``/``--until`` are
    (:func:`retrieval.catalog.parse_date`)."""
    try:
        return parse_date(value, "--as-of")
    except DateRangeError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser(prog: str = "python -m bot") -> argparse.ArgumentParser:
    """The argparse parser for ``python -m bot`` (or ``seedbot``: ``prog``), with one sub-parser per command.

    ``--seeds`` and ``--json`` are accepted before the command as well as after it
    (``python -m bot --seeds DIR ask ...``).
    """
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Answer questions about a folder of documents with verbatim, dated excerpts. "
        "With no command, starts the Discord bot (needs DISCORD_TOKEN).",
    )
    _common(parser, default=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    ask = commands.add_parser("ask", help="answer a question (or a file of questions) in the terminal",
                              description="Answer a question with verbatim excerpts from the documents.")
    ask.add_argument("question", nargs="?", help="the question, in quotes")
    ask.add_argument("--batch", metavar="FILE", help="answer one question per line of FILE ('-' for stdin)")
    _common(ask)
    ask.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                     help="ask as of this day: 'latest', 'next' and 'this week' count from it "
                     "(default: AS_OF, else today)")
    ask.add_argument("--top-k", type=_whole_number(1, MAX_TOP_K), default=DEFAULT_TOP_K, metavar="K",
                     help=f"most excerpts to quote, 1 to {MAX_TOP_K} (default {DEFAULT_TOP_K})")
    summary = commands.add_parser(
        "summary", help="summarise the documents, one document or a topic, with verbatim sentences",
        description="Summarise with whole sentences quoted verbatim: the whole collection (a dated digest when "
        "there are several documents), one document, or what the documents say about a topic.")
    summary.add_argument("--document", metavar="DOC", help="a document's file name or title")
    summary.add_argument("--topic", metavar="TEXT", help="summarise what the documents say about this")
    summary.add_argument("--since", metavar="DATE", help="only documents dated on or after DATE (YYYY-MM-DD)")
    summary.add_argument("--until", metavar="DATE", help="only documents dated on or before DATE (YYYY-MM-DD)")
    summary.add_argument("--sentences", type=_whole_number(MIN_SENTENCES, MAX_SENTENCES), metavar="N",
                         help=f"how many sentences, {MIN_SENTENCES} to {MAX_SENTENCES} (default: one for each "
                         f"of the {DIGEST_DOCUMENTS} newest documents in a digest, else 3 to 5 by length)")
    _common(summary)
    listing = commands.add_parser("sources", help="list every document with its title, date, file and size",
                                  description="List every document, newest first.")
    _common(listing)
    _add_unanswered_parser(commands)
    return parser


def _common(parser: argparse.ArgumentParser, default: bool = False) -> None:
    """``--seeds`` and ``--json``: on the main parser with their defaults, on each sub-parser without
    (``SUPPRESS``), so a value given before the command is not reset by the sub-parser."""
    parser.add_argument("--seeds", type=Path, metavar="DIR", default=None if default else argparse.SUPPRESS,
                        help="documents folder (default: SEEDS_DIR or seeds/)")
    parser.add_argument("--json", action="store_true", default=False if default else argparse.SUPPRESS,
                        help="print JSON instead of text")
    parser.add_argument("--quiet", action="store_true", default=False if default else argparse.SUPPRESS,
                        help="no progress bar while indexing, and one line for the files with problems")


def _quote(text: str) -> str:
    """``text`` quoted for a terminal: white space collapsed, wrapped at 88 columns, each line ``  > ...``; a
    fenced code block keeps its lines as written, so a command can be copied."""
    if "```" not in text and "~~~" not in text:
        return textwrap.fill(" ".join(text.split()), width=88, initial_indent="  > ", subsequent_indent="  > ")
    return "\n".join(
        "\n".join(f"  > {row}".rstrip() for row in part.split("\n")) if is_code else
        textwrap.fill(" ".join(part.split()), width=88, initial_indent="  > ", subsequent_indent="  > ")
        for is_code, part in code_segments(text))


def format_answer_text(answer: Answer) -> str:
    """Render an answer for a person reading a terminal: each excerpt quoted, then its source line."""
    if not answer.answered:
        lines = [NOT_FOUND]
        if answer.closest is not None:
            lines.append(f"The closest document is “{answer.closest.title}” "
                         f"({answer.closest.date_label}, {answer.closest.id}).")
        return "\n".join(lines)
    blocks = []
    for number, excerpt in enumerate(answer.excerpts, 1):
        document = excerpt.document
        titled = f"{document.title} · " if document.title != document.id else ""  # an untitled file is named once
        source = f"  — {titled}{document.date_label} · {document.id}"
        if excerpt.page is not None:
            source += f" · {page_label([excerpt.page])}"
        blocks.append(f"{number}.\n{_quote(excerpt.text)}\n{source}")
    return "\n\n".join(blocks)


def load_retriever(seeds: Path | None, err: TextIO, settings: Settings | None = None, quiet: bool = False
                   ) -> Retriever:
    """Build the retriever for ``seeds`` (or the ``SEEDS_DIR`` setting), printing load warnings to ``err``
    (with ``quiet``, one line counting them when there are several).

    The index is the saved one in ``INDEX_DIR`` (brought up to date first, with a progress bar on a
    terminal unless ``quiet``); when ``INDEX_DIR`` is empty, or cannot be written, it is built in memory.

    Raises
    ------
    UsageError
        The folder is missing or holds no loadable document.
    """
    settings = settings or Settings()
    folder = seeds if seeds is not None else settings.seeds_dir
    progress = TerminalProgress(err, quiet=quiet)
    index_messages = _IndexMessages()
    try:
        with index_messages:
            retriever = Retriever.from_folder(folder, index_dir=settings.index_dir, progress=progress)
    except CorpusError as error:
        raise UsageError(str(error)) from error
    finally:
        progress.close()
        for line in index_messages.lines:  # even with --quiet: each says once why a start is slow
            print(f"warning: {line}", file=err)
    if quiet and len(retriever.warnings) > 1:  # a saved index repeats them on every ask: one line instead
        print(f"warning: {len(retriever.warnings)} warnings about the documents (files skipped, undated or "
              "decoded with a fallback); run without --quiet to see them", file=err)
    else:
        for warning in retriever.warnings:
            print(f"warning: {warning}", file=err)
    return retriever


class _IndexMessages(logging.Handler):
    """While a terminal command loads, collects the saved index's warnings (rebuilt, and why; moved out of
    the documents folder; not usable, so indexed in memory) from :data:`INDEX_LOGGERS`, to be printed
    as ``warning:`` lines like the file warnings, whatever ``LOG_LEVEL`` says. Records below WARNING
    go on to the root logger's handlers as usual."""

    #: The loggers of the saved index (``retrieval.store``) and of the fallback to memory.
    INDEX_LOGGERS = ("retrieval.store", "retrieval.retriever")

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._saved: list[tuple[logging.Logger, bool, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a WARNING or worse; hand anything else to the root logger's handlers."""
        if record.levelno >= logging.WARNING:
            self.lines.append(record.getMessage())
        else:
            logging.getLogger().handle(record)

    def __enter__(self) -> _IndexMessages:
        for name in self.INDEX_LOGGERS:
            logger = logging.getLogger(name)
            self._saved.append((logger, logger.propagate, logger.level))
            logger.setLevel(min(logger.getEffectiveLevel(), logging.WARNING))
            logger.propagate = False
            logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for logger, propagate, level in self._saved:
            logger.removeHandler(self)
            logger.propagate = propagate
            logger.setLevel(level)  # through setLevel: it clears the loggers' cached levels
        self._saved.clear()


def _questions(source: str, stdin: TextIO) -> Iterable[str]:
    """The lines of the batch file (``-``: standard input). A file that cannot be opened is a usage error,
    raised here at once, before the documents are indexed."""
    if source == "-":
        return (line.rstrip("\n") for line in stdin)
    try:
        handle = open(source, encoding="utf-8", errors="replace")  # noqa: SIM115 - read lazily, closed below
    except OSError as error:
        raise UsageError(f"cannot read questions from {source!r}: {error.strerror or error}") from error

    def lines() -> Iterable[str]:
        with handle:
            yield from (line.rstrip("\n") for line in handle)

    return lines()


def _json_error(args: argparse.Namespace, question: str, error: str, out: TextIO) -> None:
    """With ``--json``, a question that cannot be asked is one JSON line on ``out`` as well,
    ``{"question": ..., "error": ...}`` (as in ``--batch``), so a script reading stdout always gets JSON."""
    if args.json:
        print(json.dumps({"question": question, "error": error}, ensure_ascii=False), file=out)


def _ask(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.batch is None and args.question is None:
        raise UsageError("give a question in quotes, or --batch FILE")
    if args.batch is not None and args.question is not None:
        raise UsageError("give either a question or --batch FILE, not both")
    if args.question is not None and not args.question.strip():
        _json_error(args, args.question, "the question is empty", out)
        raise UsageError("the question is empty")
    batch = _questions(args.batch, stdin) if args.batch is not None else None
    retriever = load_retriever(args.seeds, err, args.settings, args.quiet)
    as_of = args.as_of or (args.settings.as_of if args.settings is not None else None)
    if batch is None:
        try:
            answer = retriever.ask(args.question, top_k=args.top_k, as_of=as_of)
        except QuestionError as error:
            _json_error(args, args.question, str(error), out)
            raise UsageError(str(error)) from error
        print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer_text(answer),
              file=out)
        return 0
    settle_heap()  # many questions on one loaded index, as in the bot
    first = True
    for line in batch:
        question = line.strip()
        if not question:
            continue
        try:
            answer = retriever.ask(question, top_k=args.top_k, as_of=as_of)
        except QuestionError as error:
            if args.json:
                _json_error(args, question, str(error), out)
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


def format_summary_text(summary: Summary) -> str:
    """Render a summary for a terminal: a heading, then each document's quoted sentences under its source line.

    From several documents (a digest), the documents come oldest first, each under a line with its date,
    title and file. A note says how many undated documents a date range left out.
    """
    count = len(summary.sentences)
    noun = "sentence" if count == 1 else "sentences"
    digest = summary.digest_heading()
    if summary.topic is not None:
        heading = f"What the documents say about “{summary.topic.strip()}” ({count} {noun}"
    elif digest is not None:
        heading = f"{digest} ({count} {noun}, oldest first"
    else:
        heading = f"Summary ({count} {noun}"
    dates = summary.range_text()
    if dates:
        heading += f", {dates}"
    blocks = [heading + "):"]
    for document, quoted in summary.groups():
        lines = [f"{document.date_label} · {document.title} · {document.id}"]
        pages = page_label(s.page for s in quoted)
        if pages:
            lines[0] += f" · {pages}"
        lines.append("\n  >\n".join(_quote(s.text) for s in quoted))
        blocks.append("\n".join(lines))
    note = summary.left_out_note()
    if note is not None:
        blocks.append(f"({note})")
    return "\n\n".join(blocks)


def format_sources_text(listed: Sequence[Source]) -> str:
    """Render the document list for a terminal: date, size in passages, title and file, newest first."""
    lines = [f"{len(listed):,} document{'s' if len(listed) != 1 else ''}, newest first:", "",
             f"{'date':<10}  {'passages':>8}  title · file"]
    for source in listed:
        document = source.document
        lines.append(f"{document.date_label:<10}  {source.passages:>8,}  {document.title} · {document.id}")
    return "\n".join(lines)


def _summary(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    retriever = load_retriever(args.seeds, err, args.settings, args.quiet)
    try:
        summary = summarise(retriever, document=args.document, topic=args.topic, since=args.since,
                            until=args.until, sentences=args.sentences)
    except NothingToSummariseError as error:  # a fine request that finds nothing: not a usage error
        if args.json:
            print(json.dumps({"sentences": []}), file=out)
            print(f"note: {error}", file=err)
        else:
            print(str(error), file=out)
        return 0
    except UnknownDocumentError as error:
        raise UsageError(f"{error} List the documents with: python -m bot sources") from error
    except SummaryError as error:
        raise UsageError(str(error)) from error
    if args.json:
        print(json.dumps(summary.to_dict(), ensure_ascii=False), file=out)
        note = summary.left_out_note()
        if note is not None:
            print(f"note: {note}", file=err)
    else:
        print(format_summary_text(summary), file=out)
    return 0


def _sources(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    retriever = load_retriever(args.seeds, err, args.settings, args.quiet)
    listed = sources(retriever)
    if args.json:
        print(json.dumps({"sources": [s.to_dict() for s in listed]}, ensure_ascii=False), file=out)
    else:
        print(format_sources_text(listed), file=out)
        if retriever.updated_at is not None:
            print(f"\nIndex updated {retriever.updated_at:%Y-%m-%d %H:%M} UTC.", file=out)
    return 0


def _add_unanswered_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``unanswered`` sub-command: what the bot's question log says went unanswered."""
    parser = commands.add_parser(
        "unanswered", help="list the questions the documents could not answer, and answers marked not helpful",
        description="From the Discord bot's question log (QUESTIONS_DB): the most frequent unanswered "
        "questions and the answers people marked as not helpful, grouped when they differ only in case and "
        "punctuation. This is how to learn which document to write next.")
    parser.add_argument("--days", type=_whole_number(1, 3650), default=30, metavar="N",
                        help="how many days back to look (default 30)")
    parser.add_argument("--limit", type=_whole_number(1, 1000), default=20, metavar="K",
                        help="most questions in each list (default 20)")
    parser.add_argument("--db", type=Path, metavar="FILE",
                        help="the question log (default: QUESTIONS_DB or .seedbot-index/questions.sqlite3)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _unanswered(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    from .admin_format import format_unanswered_text
    from .questions_log import QuestionLog, QuestionLogError, Report

    path = args.db if args.db is not None else Settings().questions_db
    if path is None:
        raise UsageError("the question log is off (QUESTIONS_DB is empty); give one with --db FILE")
    if not path.is_file():
        # Not created by reading: the bot creates it when it logs its first question.
        report = Report(args.days, 0, 0, [], [])
        print(f"note: no questions logged yet ({str(path)!r} does not exist; the Discord bot creates it).",
              file=err)
    else:
        try:
            store = QuestionLog(path)
            try:
                report = store.report(args.days, limit=args.limit)
            finally:
                store.close()
        except QuestionLogError as error:
            raise UsageError(str(error)) from error
    print(report.to_json() if args.json else format_unanswered_text(report), file=out)
    return 0


Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]
COMMANDS: dict[str, Handler] = {"ask": _ask, "summary": _summary, "sources": _sources,
                                "unanswered": _unanswered}


def run_cli(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None,
            stdin: TextIO | None = None, *, settings: Settings | None = None, prog: str = "python -m bot") -> int:
    """Run a terminal command (``argv`` without the program name) and return its exit code.

    ``settings`` (default: read from the environment when needed) and ``prog`` (the name shown in help and
    usage messages) come from the entry point.

    Returns
    -------
    int
        0 on success (answered or not), 2 for usage errors, 1 when no command is given and no token is set.
    """
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    parser = build_parser(prog)
    parser.set_defaults(settings=settings)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(list(argv))
    except SystemExit as exit_:  # argparse exits on --help (0) and on bad arguments (2)
        return int(exit_.code or 0)
    if args.command is None and argv:  # options only: they belong to a terminal command
        print(f"error: {' '.join(argv)} needs a command after it, for example: {prog} {' '.join(argv)} ask "
              "\"your question\" (or sources, or summary). To run the Discord bot on another folder, set "
              "SEEDS_DIR.", file=err)
        return USAGE_ERROR
    if args.command is None:
        print(NO_TOKEN_HELP, file=err)
        return 1
    try:
        return COMMANDS[args.command](args, out, err, stdin)
    except UsageError as error:
        print(f"error: {error}", file=err)
        return USAGE_ERROR
