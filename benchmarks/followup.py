"""Follow-up questions: asked alone, glued to the previous question, or with :class:`retrieval.FollowUp`.

The set is small and hand-written (``benchmarks/followup_fixture/``: ten short documents and ``pairs.json``,
14 question pairs): each pair is a first question and a follow-up that lacks its own subject ("and how long
does it last?"), plus one control pair whose second question has a subject of its own and one follow-up the
documents do not answer ("what about on Linux?"). The documents are written so that a follow-up alone is
ambiguous: two documents say how long something lasts, two how to install something on Windows, two who
requests go to.

For every pair the first question is asked for real and its first excerpt's document becomes
``previous_document`` (no oracle). Set-ups, side by side:

* **follow-up alone** - ``Retriever.ask(follow_up)``;
* **glued** - ``Retriever.ask(first + " " + follow_up)``, the obvious no-model alternative;
* **with context** - ``Retriever.ask(follow_up, follow_up=FollowUp(first, previous_document))``;
* **plain rank-bm25 / bm25s** - the top passage (our passages, lower-cased word split / bm25s defaults) for
  the follow-up alone and glued: the libraries have no notion of a conversation.

Columns: ``first`` - the expected answer text is in the first excerpt (for the libraries: the top passage);
``any`` - in any excerpt; ``document`` - the first excerpt is from the expected document; ``answered`` - not
"not found"; these four over the answerable pairs. ``declined`` - unanswerable follow-ups answered "not
found" (the libraries always return a passage); ``ms`` - median milliseconds per follow-up.
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from retrieval import FollowUp, Retriever

from . import Table

__all__ = ["FIXTURE", "Pair", "load_pairs", "run"]

#: The documents and question pairs, shipped with the benchmarks (no evaluation data needed).
FIXTURE = Path(__file__).resolve().parent / "followup_fixture"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Pair:
    """A first question, its follow-up, the text that answers the follow-up and the document holding it.

    ``answer`` and ``document`` are ``None`` when the documents do not answer the follow-up: the right reply is
    then "not found".
    """

    first: str
    follow_up: str
    answer: str | None
    document: str | None


def load_pairs(folder: Path = FIXTURE) -> list[Pair]:
    """Read ``pairs.json`` of ``folder``.

    Raises
    ------
    FileNotFoundError, json.JSONDecodeError, KeyError
        The file is missing or malformed.
    """
    rows = json.loads((folder / "pairs.json").read_text(encoding="utf-8"))
    return [Pair(r["first"], r["follow_up"], r.get("answer"), r.get("document")) for r in rows]


#: A set-up: a pair -> (quoted texts best first, document id of the first or None).
Asker = Callable[[Pair], tuple[list[str], str | None]]


def _ours(retriever: Retriever, mode: str) -> Asker:
    def ask(pair: Pair) -> tuple[list[str], str | None]:
        if mode == "alone":
            answer = retriever.ask(pair.follow_up)
        elif mode == "glued":
            answer = retriever.ask(f"{pair.first} {pair.follow_up}")
        else:
            first = retriever.ask(pair.first)
            previous = first.excerpts[0].document.id if first.excerpts else None
            answer = retriever.ask(pair.follow_up, follow_up=FollowUp(pair.first, previous))
        texts = [e.text for e in answer.excerpts]
        return texts, answer.excerpts[0].document.id if answer.excerpts else None

    return ask


def _plain(retriever: Retriever, library: str, glued: bool) -> Asker:
    """The top passage by a plain BM25 library over the same passages."""
    texts = [retriever.documents[p.doc].text[p.start : p.end] for p in retriever.passages]
    owners = [retriever.documents[p.doc].id for p in retriever.passages]
    if library == "rank-bm25":
        from rank_bm25 import BM25Okapi

        bm25 = BM25Okapi([_WORD.findall(t.lower()) for t in texts])

        def top(query: str) -> int:
            return int(np.argmax(bm25.get_scores(_WORD.findall(query.lower()))))
    else:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        model = bm25s.BM25()
        model.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)

        def top(query: str) -> int:
            docs, _ = model.retrieve(bm25s.tokenize([query], show_progress=False), k=1, show_progress=False)
            return int(docs[0, 0])

    def ask(pair: Pair) -> tuple[list[str], str | None]:
        p = top(f"{pair.first} {pair.follow_up}" if glued else pair.follow_up)
        return [texts[p]], owners[p]

    return ask


def _measure(name: str, ask: Asker, pairs: Sequence[Pair]) -> dict[str, Any]:
    first = any_ = document = answered = declined = 0
    times: list[float] = []
    answerable = [p for p in pairs if p.answer is not None]
    for pair in pairs:
        started = time.perf_counter()
        texts, doc = ask(pair)
        times.append(1000 * (time.perf_counter() - started))
        if pair.answer is None:
            declined += not texts
            continue
        answered += bool(texts)
        first += bool(texts) and pair.answer in texts[0]
        any_ += any(pair.answer in t for t in texts)
        document += doc == pair.document
    n = max(1, len(answerable))
    unanswerable = len(pairs) - len(answerable)
    return {"set-up": name, "pairs": len(answerable), "first": first / n, "any": any_ / n,
            "document": document / n, "answered": answered / n,
            f"declined (of {unanswerable})": declined, "ms": statistics.median(times)}


def run(folder: Path = FIXTURE) -> Table:
    """Measure every set-up on the pairs of ``folder``; return the table (see the module docstring)."""
    retriever = Retriever.from_folder(folder)
    pairs = load_pairs(folder)
    rows = [
        _measure("follow-up alone", _ours(retriever, "alone"), pairs),
        _measure("glued to the previous question", _ours(retriever, "glued"), pairs),
        _measure("with context (FollowUp)", _ours(retriever, "context"), pairs),
    ]
    for library in ("rank-bm25", "bm25s"):
        for glued in (False, True):
            label = f"plain {library}, top passage, {'glued' if glued else 'follow-up alone'}"
            rows.append(_measure(label, _plain(retriever, library, glued), pairs))
    notes = [
        (f"{len(pairs)} hand-written pairs over {len(retriever.documents)} documents in "
         "benchmarks/followup_fixture/ (one control pair whose second question has its own subject; one "
         "follow-up the documents do not answer)."),
        ("first/any: the expected text in the first/any excerpt (libraries: in the top passage); document: the "
         "first excerpt is from the expected document; ms: median per follow-up (with context: includes asking "
         "the first question, which the bot does not repeat)."),
        ("Not held out: CARRY_WEIGHT and the rule that an excerpt holds one of the follow-up's own words were "
         "chosen on these pairs."),
    ]
    return Table.from_dicts("Follow-up questions: alone vs with the previous question as context", rows, notes)
