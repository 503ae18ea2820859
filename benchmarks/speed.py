"""Speed and memory: index build time, peak memory, query latency, end to end, and start-up.

Corpora
    1k, 10k, 100k and 1M passages of real prose from Reuters-21578 (see
    :func:`benchmarks.data.build_speed_corpus`): the product's own passages of the articles first, then, for
    the sizes above the ~30k real passages, passages built by sampling the articles' sentences (fixed seed).
    Each size is a prefix of the next.

Configurations, each in a fresh process (so its peak resident set size is its own), single-threaded
(``OMP_NUM_THREADS=1`` and friends), on the same passages and questions:

* ``seedbot index``: the product's :class:`retrieval.Analyzer` and :class:`retrieval.BM25Index`; a query is
  ``index.top_k(analyzer(question), 10)``.
* ``plain rank-bm25``: ``BM25Okapi`` over ``text.lower().split()``; a query is ``get_scores`` then the top 10
  by ``numpy.argpartition``.
* ``bm25s``: default settings; a query is ``retrieve(bm25s.tokenize([question]), k=10)``.
* ``seedbot end to end``: :class:`retrieval.Retriever` over the passages (one document each); a query is
  ``Retriever.ask`` then formatting the reply text, everything but the network. Sentence splitting is
  replaced by the passages' known sentence offsets (splitting would add the time shown in its column).

Build time runs from the passage texts in memory to an index ready to answer (tokenising included). Latency:
10 warm-up questions, then 200 timed ones, one at a time (Reuters headlines, lower-cased). A configuration
whose estimate (from the size below) exceeds 10 minutes runs with fewer questions, or is skipped; one that
would need more than 70% of the free memory is skipped; the table says which.

Start-up: wall time of ``python -m bot ask --seeds DIR QUESTION`` (interpreter start, imports, loading,
indexing, one answer) for the seeds folder and the 19k-article Reuters folder.

Run alone: ``python -m benchmarks.speed [--data DIR] [--quick] [--sizes 1000,10000]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import Table

__all__ = ["SIZES", "QUICK_SIZES", "SYSTEMS", "ChildResult", "run", "run_child", "startup", "main"]

log = logging.getLogger(__name__)

SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
#: Reuters articles read in ``--quick`` mode (all 19,043 otherwise).
QUICK_ARTICLES = 2_000
QUESTIONS = 200
WARMUP = 10
#: Most wall time a configuration may take, in seconds.
BUDGET_S = 600.0
#: Fewest timed questions worth reporting when a configuration has to be cut short.
MIN_QUESTIONS = 20
#: Share of the currently available memory a configuration may be estimated to need.
MEMORY_SHARE = 0.7
TOP_K = 10
#: Systems in table order; the first is the reference for the ratios.
SYSTEMS = ("seedbot index", "plain rank-bm25", "bm25s", "seedbot end to end")
_REPO = Path(__file__).resolve().parent.parent
_RESULT = "BENCH-RESULT "


# ------------------------------------------------------------------------------------------ child side


def _rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except ImportError:  # pragma: no cover
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    """This process's peak resident set size in MB: ``VmHWM`` from ``/proc/self/status``.

    ``getrusage(RUSAGE_SELF).ru_maxrss`` is not used on Linux: a child process starts with its parent's
    high-water mark, so a small configuration would report the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


Query = Callable[[str], Any]


def _build_product(texts: list[str], _: Path | None) -> tuple[Query, dict[str, Any]]:
    from retrieval import Analyzer, BM25Index

    analyzer = Analyzer()
    index = BM25Index([analyzer(t) for t in texts])
    return (lambda q: index.top_k(analyzer(q), TOP_K)), {}


def _build_rank_bm25(texts: list[str], _: Path | None) -> tuple[Query, dict[str, Any]]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    bm25 = BM25Okapi([t.lower().split() for t in texts])

    def query(q: str) -> list[int]:
        scores = bm25.get_scores(q.lower().split())
        top = np.argpartition(-scores, TOP_K - 1)[:TOP_K]
        return top[np.argsort(-scores[top])].tolist()

    return query, {}


def _build_bm25s(texts: list[str], _: Path | None) -> tuple[Query, dict[str, Any]]:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    model = bm25s.BM25()
    model.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)

    def query(q: str) -> Any:
        return model.retrieve(bm25s.tokenize([q], show_progress=False), k=TOP_K, show_progress=False,
                              n_threads=0)

    return query, {}


def reply_formatter() -> tuple[Callable[[Any], Any], Callable[[str], Any], str]:
    """The functions that turn an answer, and a question error, into the bot's reply; and their name.

    ``bot.formatting.render_answer`` / ``render_mistake`` (the Discord replies) when they exist, else the
    terminal's ``bot.cli.format_answer_text``.
    """
    try:
        from bot.formatting import render_answer, render_mistake

        return render_answer, render_mistake, "bot.formatting.render_answer"
    except ImportError:
        from bot.cli import format_answer_text

        return format_answer_text, str, "bot.cli.format_answer_text"


def _build_end_to_end(texts: list[str], spans_file: Path | None) -> tuple[Query, dict[str, Any]]:
    import retrieval.indexing as retriever_module
    from retrieval import Document, Retriever
    from retrieval.errors import QuestionError

    if spans_file is None:
        raise ValueError("the end-to-end configuration needs the passages' sentence offsets")
    with open(spans_file, "rb") as handle:
        spans, dates = pickle.load(handle)
    known = {id(t): s for t, s in zip(texts, spans)}
    real_split = retriever_module.split_sentences

    def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        found = known.get(id(text))
        return list(found) if found is not None else real_split(text, start, end)

    documents = [Document(id=f"passage-{i:07d}.txt", text=t, title=t[:80], date=d)
                 for i, (t, d) in enumerate(zip(texts, dates))]
    retriever_module.split_sentences = split  # type: ignore[assignment]
    try:
        retriever = Retriever.from_documents(documents)
    finally:
        retriever_module.split_sentences = real_split  # type: ignore[assignment]
    known.clear()
    del spans, dates
    formatter, mistake, name = reply_formatter()
    answered = [0]

    def query(q: str) -> Any:
        try:
            answer = retriever.ask(q)
        except QuestionError as error:
            return mistake(str(error))
        answered[0] += answer.answered
        return formatter(answer)

    return query, {"formatter": name, "answered": answered}


BUILDERS: dict[str, Callable[[list[str], Path | None], tuple[Query, dict[str, Any]]]] = {
    "seedbot index": _build_product,
    "plain rank-bm25": _build_rank_bm25,
    "bm25s": _build_bm25s,
    "seedbot end to end": _build_end_to_end,
}


def run_child(system: str, corpus: Path, questions_file: Path, queries: int, warmup: int,
              spans: Path | None = None) -> dict[str, Any]:
    """Build one configuration and time its queries, in this process. Returns the measurements as a dict.

    Keys: ``system, passages, load_s, corpus_rss_mb, build_s, ready_rss_mb, peak_rss_mb, latencies_ms``
    (one per timed question) and, for the end-to-end configuration, ``formatter`` and ``answered``.
    """
    import gc

    started = time.perf_counter()
    with open(corpus, "rb") as handle:
        texts: list[str] = pickle.load(handle)
    with open(questions_file, encoding="utf-8") as handle:
        all_questions: list[str] = json.load(handle)
    load_s = time.perf_counter() - started
    gc.collect()
    corpus_rss = _rss_mb()
    started = time.perf_counter()
    query, extra = BUILDERS[system](texts, spans)
    build_s = time.perf_counter() - started
    gc.collect()
    ready_rss = _rss_mb()
    for q in all_questions[:warmup]:
        query(q)
    timed = all_questions[warmup:warmup + queries]
    if "answered" in extra:
        extra["answered"][0] = 0
    latencies: list[float] = []
    for q in timed:
        t0 = time.perf_counter()
        query(q)
        latencies.append((time.perf_counter() - t0) * 1000)
    result: dict[str, Any] = {
        "system": system, "passages": len(texts), "load_s": load_s, "corpus_rss_mb": corpus_rss,
        "build_s": build_s, "ready_rss_mb": ready_rss, "peak_rss_mb": _peak_rss_mb(),
        "latencies_ms": latencies,
    }
    if "formatter" in extra:
        result["formatter"] = extra["formatter"]
        result["answered"] = extra["answered"][0] / max(1, len(timed))
    return result


# ----------------------------------------------------------------------------------------- parent side


@dataclass
class ChildResult:
    """One configuration's measurements, or why it was not measured."""

    system: str
    size: int
    build_s: float | None = None
    peak_rss_mb: float | None = None
    ready_rss_mb: float | None = None
    corpus_rss_mb: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int = 0
    answered: float | None = None
    formatter: str | None = None
    wall_s: float | None = None
    note: str = ""

    @property
    def measured(self) -> bool:
        """True when the configuration ran."""
        return self.build_s is not None


def _percentile(values: Sequence[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def _child_env() -> dict[str, str]:
    from .machine import SINGLE_THREAD_ENV

    env = dict(os.environ)
    env.update(SINGLE_THREAD_ENV)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_REPO), env.get("PYTHONPATH", "")) if p)
    return env


def _spawn(system: str, size: int, corpus: Path, questions: Path, queries: int, warmup: int,
           spans: Path | None, timeout: float) -> ChildResult:
    command = [sys.executable, "-m", "benchmarks.speed", "--child", system, "--corpus", str(corpus),
               "--questions", str(questions), "--queries", str(queries), "--warmup", str(warmup)]
    if spans is not None:
        command += ["--spans", str(spans)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=_child_env(),
                              cwd=_REPO, check=False)
    except subprocess.TimeoutExpired:
        return ChildResult(system, size, note=f"skipped: stopped after {timeout / 60:.0f} min")
    wall = time.perf_counter() - started
    line = next((x for x in done.stdout.splitlines() if x.startswith(_RESULT)), None)
    if done.returncode != 0 or line is None:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        killed = done.returncode < 0
        reason = f"killed by signal {-done.returncode} (out of memory?)" if killed else tail
        log.warning("%s at %d passages failed: %s", system, size, reason)
        return ChildResult(system, size, note=f"failed: {reason}")
    data = json.loads(line[len(_RESULT):])
    latencies = data["latencies_ms"]
    return ChildResult(
        system, size, build_s=data["build_s"], peak_rss_mb=data["peak_rss_mb"],
        ready_rss_mb=data["ready_rss_mb"], corpus_rss_mb=data["corpus_rss_mb"],
        p50_ms=_percentile(latencies, 50) if latencies else None,
        p99_ms=_percentile(latencies, 99) if latencies else None, queries=len(latencies),
        answered=data.get("answered"), formatter=data.get("formatter"), wall_s=wall,
    )


@dataclass
class _Plan:
    queries: int
    skip: str = ""
    note: str = ""


def _plan(previous: ChildResult | None, size: int, queries: int, warmup: int, budget: float) -> _Plan:
    """How many questions a configuration can afford, estimated linearly from the size below it."""
    if previous is None or not previous.measured:
        return _Plan(queries)
    scale = size / previous.size
    build = (previous.build_s or 0.0) * scale * 1.2
    per_query = (previous.p50_ms or 0.0) / 1000 * scale
    overhead = ((previous.wall_s or 0.0) - (previous.build_s or 0.0)
                - per_query / scale * (previous.queries + warmup)) * scale
    overhead = max(overhead, 0.0)
    memory = (previous.peak_rss_mb or 0.0) * scale
    try:
        import psutil

        available = psutil.virtual_memory().available / 2**20
    except ImportError:  # pragma: no cover
        available = math.inf
    if memory > MEMORY_SHARE * available:
        return _Plan(0, skip=f"skipped: estimated peak memory {memory / 1024:.0f} GiB is over "
                             f"{MEMORY_SHARE:.0%} of the {available / 1024:.0f} GiB free")
    total = build + overhead + per_query * (queries + warmup)
    if total <= budget:
        return _Plan(queries)
    affordable = int((budget - build - overhead) / per_query) - warmup if per_query > 0 else queries
    estimate = f"{queries} questions would take ~{total / 60:.0f} min in all"
    if affordable < MIN_QUESTIONS:
        return _Plan(0, skip=f"skipped: {estimate} (build alone ~{build / 60:.1f} min), over the "
                             f"{budget / 60:.0f}-min budget")
    return _Plan(affordable, note=f"{affordable} questions, not {queries}: {estimate}")


def _ratio(value: float | None, reference: float | None) -> str | None:
    if value is None or reference is None or reference <= 0:
        return None
    ratio = value / reference
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.1f}×" if ratio >= 1 else f"{ratio:.2f}×"


def _mb(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def _ms(value: float | None) -> float | None:
    if value is None:
        return None
    return round(value, 3 if value < 1 else 2 if value < 100 else 0)


def prepare(documents: Sequence[Any], folder: Path, sizes: Sequence[int], questions: int,
            seed: int | None = None) -> dict[str, Any]:
    """Write the corpora (one pickle of passage texts per size, and their sentence offsets) and the questions.

    Runs in its own process in a benchmark run (see :func:`run`), so the measuring process stays small.

    Returns
    -------
    dict
        ``describe`` (size → how the passages were made), ``words`` (size → word count), ``split_rate``
        (sentence splitter words per second on these articles), ``real``, ``articles``, ``example`` (a question).
    """
    from retrieval.sentences import split_sentences

    from .data import SEED, build_speed_corpus, reuters_questions

    seed = SEED if seed is None else seed
    started = time.perf_counter()
    split_words = 0
    for document in documents[:1000]:
        split_sentences(document.text, document.body_start)
        split_words += len(document.body.split())
    split_rate = split_words / max(time.perf_counter() - started, 1e-9)
    started = time.perf_counter()
    corpus = build_speed_corpus(documents, max(sizes), seed=seed)
    log.info("Built %d passages (%d real) in %.1f s", len(corpus.texts), corpus.real,
             time.perf_counter() - started)
    asked = reuters_questions(documents, questions + WARMUP, seed=seed)
    (folder / "questions.json").write_text(json.dumps(asked), encoding="utf-8")
    words: dict[str, int] = {}
    total = 0
    done = 0
    for size in sorted(sizes):
        total += sum(len(t.split()) for t in corpus.texts[done:size])
        done = size
        words[str(size)] = total
        with open(folder / f"passages-{size}.pkl", "wb") as handle:
            pickle.dump(corpus.texts[:size], handle, protocol=pickle.HIGHEST_PROTOCOL)
        with open(folder / f"spans-{size}.pkl", "wb") as handle:
            pickle.dump((corpus.spans[:size], corpus.dates[:size]), handle, protocol=pickle.HIGHEST_PROTOCOL)
    meta = {"describe": {str(s): corpus.describe(s) for s in sizes}, "words": words, "split_rate": split_rate,
            "real": corpus.real, "articles": corpus.articles, "example": asked[WARMUP] if len(asked) > WARMUP
            else asked[0], "seed": seed}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return meta


def _prepare_in_child(data_dir: Path, folder: Path, sizes: Sequence[int], questions: int,
                      articles: int | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.speed", "--prepare", str(folder), "--data", str(data_dir),
               "--sizes", ",".join(str(s) for s in sizes), "--queries", str(questions)]
    if articles is not None:
        command += ["--articles", str(articles)]
    done = subprocess.run(command, capture_output=True, text=True, env=_child_env(), cwd=_REPO, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"preparing the speed corpora failed: {done.stderr.strip()[-2000:]}")
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta


def measure_sizes(folder: Path, sizes: Sequence[int], queries: int = QUESTIONS, warmup: int = WARMUP,
                  budget: float = BUDGET_S, systems: Sequence[str] = SYSTEMS) -> list[ChildResult]:
    """Run every system at every size, each in a fresh process, on the corpora :func:`prepare` wrote."""
    results: list[ChildResult] = []
    last: dict[str, ChildResult] = {}
    questions_file = folder / "questions.json"
    for size in sizes:
        corpus = folder / f"passages-{size}.pkl"
        spans_file = folder / f"spans-{size}.pkl"
        for system in systems:
            plan = _plan(last.get(system), size, queries, warmup, budget)
            if plan.skip:
                log.info("%s at %d passages: %s", system, size, plan.skip)
                results.append(ChildResult(system, size, note=plan.skip))
                continue
            log.info("%s at %d passages: %d questions", system, size, plan.queries)
            result = _spawn(system, size, corpus, questions_file, plan.queries, warmup,
                            spans_file if system == "seedbot end to end" else None, timeout=budget * 1.5)
            result.note = result.note or plan.note
            log.info("%s at %d passages: build %s s, p50 %s ms, peak %s MB %s", system, size,
                     None if result.build_s is None else round(result.build_s, 2), _ms(result.p50_ms),
                     _mb(result.peak_rss_mb), result.note)
            results.append(result)
            if result.measured:
                last[system] = result
    return results


def speed_tables(results: Sequence[ChildResult], meta: dict[str, Any]) -> list[Table]:
    """The retrieval speed table (with ratios to the product's index) and the end-to-end table."""
    rows: list[list[Any]] = []
    notes: list[str] = []
    sizes = sorted({r.size for r in results})
    for size in sizes:
        reference = next((r for r in results if r.size == size and r.system == SYSTEMS[0] and r.measured),
                         None)
        for r in results:
            if r.size != size or r.system == "seedbot end to end":
                continue
            ref = reference or ChildResult(SYSTEMS[0], size)
            rows.append([f"{size:,}", r.system, None if r.build_s is None else round(r.build_s, 2),
                         _mb(r.peak_rss_mb), _mb(r.ready_rss_mb), _ms(r.p50_ms), _ms(r.p99_ms),
                         _ratio(r.build_s, ref.build_s), _ratio(r.peak_rss_mb, ref.peak_rss_mb),
                         _ratio(r.p50_ms, ref.p50_ms), _ratio(r.p99_ms, ref.p99_ms), r.queries or None,
                         r.note or ""])
        notes.append(meta["describe"][str(size)] + ".")
    corpus_rss = {r.size: r.corpus_rss_mb for r in results if r.corpus_rss_mb is not None}
    alone = ", ".join(f"{s:,}: {m:.0f} MB" for s, m in sorted(corpus_rss.items()))
    notes.append("Peak RSS: the high-water mark (VmHWM) of a fresh process that loads the passages "
                 f"(interpreter and passages alone: {alone}), builds the index and answers; ready RSS: after "
                 "the build.")
    notes.append("Ratios (×) are to the seedbot index at the same size: above 1 means slower or bigger. "
                 f"Latency: top-{TOP_K} for one question at a time, single thread, after {WARMUP} warm-up "
                 "questions; build includes tokenising the passages.")
    notes.append(f"Questions: Reuters headlines, lower-cased, fixed seed {meta.get('seed', 0)}, "
                 f"e.g. “{meta.get('example', '')}”.")
    speed = Table("Speed and memory: index build, peak memory, query latency (top 10)",
                  ["passages", "system", "build (s)", "peak RSS (MB)", "ready RSS (MB)", "p50 (ms)",
                   "p99 (ms)", "build ×", "memory ×", "p50 ×", "p99 ×", "questions", "note"], rows, notes)
    e2e_rows: list[list[Any]] = []
    formatter = None
    split_rate = meta.get("split_rate")
    for r in results:
        if r.system != "seedbot end to end":
            continue
        formatter = formatter or r.formatter
        split_s = round(meta["words"][str(r.size)] / split_rate, 1) if split_rate else None
        e2e_rows.append([f"{r.size:,}", None if r.build_s is None else round(r.build_s, 2), split_s,
                         _mb(r.peak_rss_mb), _mb(r.ready_rss_mb), _ms(r.p50_ms), _ms(r.p99_ms),
                         None if r.answered is None else round(r.answered, 3), r.queries or None,
                         r.note or ""])
    e2e_notes = [
        f"Question → formatted reply with {formatter or 'the reply formatter'}: Retriever.ask (validation, "
        "BM25 candidates, sentence windows, no-answer check) and formatting; the network is not included. "
        "'answered': share of questions not declined.",
        "Build: Retriever.from_documents with one document per passage, sentence splitting replaced by the "
        "passages' known sentence offsets; 'split (s)' is what splitting them would add, at the "
        + (f"{split_rate:,.0f} words/s measured on the Reuters articles in this run." if split_rate else
           "rate measured in this run."),
    ]
    e2e = Table("End to end: question to formatted reply",
                ["passages", "build (s)", "split (s)", "peak RSS (MB)", "ready RSS (MB)", "p50 (ms)",
                 "p99 (ms)", "answered", "questions", "note"], e2e_rows, e2e_notes)
    return [speed, e2e]


#: Runs a module as ``python -m`` would, then prints the process's peak RSS (VmHWM, kB) on standard error.
_HWM_WRAPPER = """
import atexit, runpy, sys
def _hwm():
    with open('/proc/self/status') as handle:
        for line in handle:
            if line.startswith('VmHWM:'):
                sys.stderr.write('BENCH-HWM ' + line.split()[1] + '\\n')
    sys.stderr.flush()
atexit.register(_hwm)
if len(sys.argv) > 1:
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)
"""


def _timed_run(arguments: Sequence[str], timeout: float) -> tuple[float, float | None, int]:
    """Run ``python -c WRAPPER arguments...``; return (wall seconds, peak RSS in MB or None, exit code)."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _HWM_WRAPPER, *arguments], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=_REPO, env=_child_env(),
                              check=False)
    except subprocess.TimeoutExpired:
        return math.inf, None, -9
    wall = time.perf_counter() - started
    peak = next((int(x.split()[1]) / 1024 for x in done.stderr.splitlines() if x.startswith("BENCH-HWM ")),
                None)
    return wall, peak, done.returncode


def startup(folders: Sequence[tuple[str, Path, str, int]], timeout: float = BUDGET_S) -> Table:
    """Start-up time: ``python -m bot ask --seeds DIR QUESTION`` from process start to the printed answer.

    Parameters
    ----------
    folders:
        ``(label, folder, question, repeats)``; the median wall time of ``repeats`` runs is reported.
    """
    from retrieval.documents import DOCUMENT_SUFFIXES

    rows: list[list[Any]] = []
    baseline = [_timed_run([], 60) for _ in range(3)]
    rows.append(["Python interpreter alone", None, round(_median([b[0] for b in baseline]), 3),
                 _mb(max((b[1] or 0.0) for b in baseline)), 3, ""])
    for label, folder, question, repeats in folders:
        files = sum(1 for p in folder.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES)
        runs = []
        for _ in range(repeats):
            runs.append(_timed_run(["bot", "ask", "--seeds", str(folder), question], timeout))
            log.info("start-up %s: %.2f s", label, runs[-1][0])
            if runs[-1][2] != 0:
                break
        failed = [r for r in runs if r[2] != 0]
        note = "" if not failed else (f"stopped after {timeout / 60:.0f} min" if failed[0][2] == -9
                                      else f"exit code {failed[0][2]}")
        ok = [r for r in runs if r[2] == 0]
        rows.append([label, files, round(_median([r[0] for r in ok]), 2) if ok else None,
                     _mb(max((r[1] or 0.0) for r in ok)) if ok else None, len(ok), note])
    return Table("Start-up: process start to answer", ["folder", "files", "seconds (median)", "peak RSS (MB)",
                                                       "runs", "note"], rows,
                 ["`python -m bot ask --seeds DIR QUESTION`: interpreter start, imports, loading and "
                  "indexing every document, one answer printed; the Discord bot does the same work before it "
                  "connects. Peak RSS: the process's VmHWM."])


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def run(data_dir: Path, quick: bool = False, sizes: Sequence[int] | None = None, queries: int = QUESTIONS,
        seeds: Path | None = None, budget: float = BUDGET_S) -> list[Table]:
    """Build the corpora, measure every configuration and start-up; returns the tables.

    Parameters
    ----------
    data_dir:
        The evaluation folder holding ``reuters-21578/``.
    quick:
        Sizes 1k and 10k from a 2,000-article sample; start-up on the seeds folder only.
    sizes:
        Override the corpus sizes.
    queries:
        Timed questions per configuration.
    seeds:
        The seeds folder for the start-up measure (default: the repository's ``seeds/``).
    budget:
        Most seconds a configuration may take (estimated from the size below; see the module docstring).
    """
    from .data import reuters_folder

    sizes = sorted(sizes or (QUICK_SIZES if quick else SIZES))
    with tempfile.TemporaryDirectory(prefix="seedbot-speed-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        meta = _prepare_in_child(data_dir, folder, sizes, queries, QUICK_ARTICLES if quick else None)
        log.info("Prepared the corpora in %.1f s", time.perf_counter() - started)
        results = measure_sizes(folder, sizes, queries=queries, budget=budget)
    tables = speed_tables(results, meta)
    seeds = seeds or _REPO / "seeds"
    folders: list[tuple[str, Path, str, int]] = [
        ("seeds/ (the project's sample folder)", seeds, "What did the UN report say about Xinjiang?", 3)]
    if not quick:
        folders.append(("Reuters-21578 (19k articles)", reuters_folder(data_dir),
                        "What did the Bahia cocoa review say about the temporao crop?", 1))
    table = startup(folders, timeout=budget)
    if quick:
        table.notes.append("--quick: the 19k-article Reuters folder is not timed.")
    tables.append(table)
    return tables


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.speed [--data DIR] [--quick] [--sizes N,N]``, or a child run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 1000,10000,100000,1000000)")
    parser.add_argument("--queries", type=int, default=QUESTIONS)
    parser.add_argument("--child", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spans", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warmup", type=int, default=WARMUP, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else None
    if args.child:
        result = run_child(args.child, args.corpus, args.questions, args.queries, args.warmup, args.spans)
        print(_RESULT + json.dumps(result), flush=True)
        return 0
    from .data import DEFAULT_DATA, load_reuters

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    data_dir = args.data or DEFAULT_DATA
    if args.prepare:
        documents = load_reuters(data_dir, limit=args.articles)
        prepare(documents, args.prepare, sizes or list(SIZES), args.queries)
        return 0
    from .machine import machine_line

    for table in run(data_dir, quick=args.quick, sizes=sizes, queries=args.queries):
        print(table.markdown(machine_line()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
