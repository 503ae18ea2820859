"""A dated news quiz: "what happened this week ...?" over ~200 dated Reuters-21578 articles.

Does the first excerpt come from the article the question was made from, when the same topic recurs in other
weeks? Made here from ``reuters-21578/documents`` (first line ``date YYYY-MM-DD HEADLINE``), all with
:class:`random.Random` seeded by ``--seed`` (default 0):

* **Articles** (:func:`select_articles`): a headline's *topic* is its first three plain tokens (stemmed, stop
  words out: "FED ADDS RESERVES VIA CUSTOMER REPURCHASES" and "FED ADDS RESERVES" share "fed add reserv"),
  so a recurring topic is a weekly series (money-market operations, crop weather, slaughter guesses). Half of the articles
  come from recurring topics: topics are drawn at random, and from each, up to 3 articles in date order at
  least 8 days apart. The other half are drawn at random from the remaining articles with new topics. Only
  headlines of 3 or more plain tokens; never two articles of one topic within 8 days of each other, so the
  week before a question holds only its own article of that topic.
* **Questions** (:func:`make_questions`): one per article, the headline's topic words (its leading words
  up to the third plain token, lower-cased: "brazilian coffee rainfall", "fed adds reserves") in a "this
  week" frame drawn from :data:`FRAMES`, asked as of 1 to 6 days (drawn) after the article's date. Within
  a recurring topic the words alone cannot tell the articles apart: only the date can.

Honest limits: the questions are topic words in a frame, not questions a person would write ("which country
... this week?"), so they test whether dates decide between same-topic articles, not question
understanding; half of the articles have a recurring topic, far more than a random folder would; the
source article is the only right answer even when another article says the same.

Systems, side by side: the product (:meth:`retrieval.Retriever.ask` over the articles written to a folder,
``as_of`` the question's date when ``ask`` takes it), plain stemmed rank-bm25 and bm25s (top article, best
sentence by idf overlap; :mod:`benchmarks.sentence_qa`), and plain rank-bm25 limited to the articles dated in
the week before the question (from as-of minus 7 days to as-of). Right: the first excerpt comes from the
source article (a declined question is a miss).

Run alone: ``python -m benchmarks.newsquiz --data ../shared/eval [--articles 200] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from retrieval import parse_document
from retrieval.sentences import split_sentences

from . import Table
from .data import SEED, reuters_headlines
from .sentence_qa import (
    PLAIN_BM25S,
    PLAIN_RANK_BM25,
    Pick,
    Unit,
    command_line,
    measure,
    plain_answerer,
    plain_tokens,
    product_answerer,
    results_table,
    write_dump,
)

__all__ = ["FRAMES", "Article", "QuizQuestion", "main", "make_questions", "run", "run_articles", "select_articles"]

#: A headline's topic: its first this many plain tokens.
TOPIC_TOKENS = 3
#: Articles in the quiz folder by default (the issue's hidden set has 203).
ARTICLES = 200
#: Two articles of one topic are at least this many days apart.
MIN_GAP_DAYS = 8
#: At most this many articles per recurring topic.
PER_TOPIC = 3
#: "The week before" a question: from as-of minus this many days to as-of.
WEEK_DAYS = 7
#: Question frames; ``{h}`` is the headline.
FRAMES = (
    "What was reported this week about {h}?",
    "Any news this week on {h}?",
    "What happened with {h} this week?",
    "What's the latest this week on {h}?",
)


@dataclass(frozen=True)
class Article:
    """A quiz article: its file, date, headline, topic (first plain headline tokens) and whether the topic recurs."""

    path: Path
    date: dt.date
    headline: str
    topic: str
    recurring: bool


@dataclass(frozen=True)
class QuizQuestion:
    """One quiz question: text, the source article's file name, the as-of date and its kind."""

    text: str
    page: str
    as_of: dt.date
    kind: str


def _topic(headline: str) -> tuple[str, int]:
    tokens = plain_tokens(headline)
    return " ".join(tokens[:TOPIC_TOKENS]), len(tokens)


def select_articles(headlines: Sequence[tuple[Path, dt.date, str]], n: int = ARTICLES,
                    seed: int = SEED) -> list[Article]:
    """Pick ``n`` articles as the module docstring says, sorted by file name.

    Raises
    ------
    ValueError
        Fewer than ``n`` articles can be picked.
    """
    rng = random.Random(seed)
    by_topic: dict[str, list[tuple[Path, dt.date, str]]] = {}
    for path, date, headline in headlines:
        topic, size = _topic(headline)
        if size >= 3:
            by_topic.setdefault(topic, []).append((path, date, headline))
    chosen: list[Article] = []
    topics = sorted(by_topic)
    rng.shuffle(topics)
    used: set[str] = set()
    for topic in topics:
        if len(chosen) >= n // 2:
            break
        picked: list[tuple[Path, dt.date, str]] = []
        for item in sorted(by_topic[topic], key=lambda x: (x[1], x[0].name)):
            if not picked or (item[1] - picked[-1][1]).days >= MIN_GAP_DAYS:
                picked.append(item)
        take = min(PER_TOPIC, len(picked), n // 2 - len(chosen))
        if take >= 2:
            for path, date, headline in picked[:take]:
                chosen.append(Article(path, date, headline, topic, True))
            used.add(topic)
    rest = [t for t in topics if t not in used]
    for topic in rest:
        if len(chosen) >= n:
            break
        path, date, headline = rng.choice(by_topic[topic])
        chosen.append(Article(path, date, headline, topic, False))
    if len(chosen) < n:
        raise ValueError(f"only {len(chosen)} articles could be picked, not {n}")
    return sorted(chosen, key=lambda a: a.path.name)


def topic_words(headline: str) -> str:
    """The headline's leading words up to its topic's last token, lower-cased, ``<>`` dropped: what someone
    following the series would type ("BRAZILIAN COFFEE RAINFALL - MARCH 9" gives "brazilian coffee rainfall")."""
    words = headline.replace("<", " ").replace(">", " ").lower().split()
    kept: list[str] = []
    for word in words:
        kept.append(word)
        if len(plain_tokens(" ".join(kept))) >= TOPIC_TOKENS:
            break
    return " ".join(kept).strip(" .,:;-?!")


def make_questions(articles: Sequence[Article], seed: int = SEED) -> list[QuizQuestion]:
    """One question per article: its topic words (:func:`topic_words`) in a drawn frame, as of 1 to 6 drawn
    days after its date."""
    rng = random.Random(f"{seed}:questions")
    questions: list[QuizQuestion] = []
    for article in articles:
        frame = rng.choice(FRAMES)
        headline = topic_words(article.headline)
        as_of = article.date + dt.timedelta(days=rng.randint(1, WEEK_DAYS - 1))
        questions.append(QuizQuestion(frame.format(h=headline), article.path.name, as_of,
                                      "recurring topic" if article.recurring else "single topic"))
    return questions


def _judge(question: QuizQuestion, pick: Pick | None) -> bool:
    return pick is not None and pick.document == question.page


def run_articles(articles: Sequence[Article], questions: Sequence[QuizQuestion],
                 dump: Path | None = None) -> Table:
    """The product and the plain set-ups over ``articles`` for ``questions``: one row each.

    Raises
    ------
    ValueError
        ``articles`` or ``questions`` is empty.
    """
    if not articles or not questions:
        raise ValueError("no articles or no questions")
    units: list[Unit] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "news"
        folder.mkdir()
        for article in articles:
            text = article.path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
            (folder / article.path.name).write_text(text, encoding="utf-8")
            document = parse_document(article.path.name, text)
            sentences = tuple(text[s:e] for s, e in split_sentences(text, document.body_start))
            units.append(Unit(article.path.name, sentences, date=document.date))
        answer, note = product_answerer(folder, dated_questions=True)
        kind = lambda q: q.kind
        rows = [measure("seedbot (this project)", answer, questions, _judge, kind)]
    rows.append(measure(PLAIN_RANK_BM25.format(unit="article"), plain_answerer(units, "rank-bm25"), questions,
                        _judge, kind))
    rows.append(measure(PLAIN_BM25S.format(unit="article"), plain_answerer(units, "bm25s"), questions, _judge,
                        kind))
    rows.append(measure(f"plain stemmed rank-bm25 limited to the week before (as-of minus {WEEK_DAYS} days to "
                        "as-of)", plain_answerer(units, "rank-bm25", window_days=WEEK_DAYS), questions, _judge,
                        kind))
    if dump is not None:
        write_dump(dump, rows)
    recurring = sum(a.recurring for a in articles)
    by_kind = "; ".join(
        f"{r['method'].split(' (')[0]}: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(r["kinds"].items()))
        for r in rows)
    notes = [f"{len(articles)} Reuters-21578 articles ({recurring} from {len({a.topic for a in articles if a.recurring})} "
             f"recurring topics, at least {MIN_GAP_DAYS} days apart), {len(questions)} questions: each its "
             "headline's first words (3 plain tokens) in a 'this week' frame, asked 1-6 days after its article; "
             "see benchmarks/newsquiz.py.",
             "right = the first excerpt comes from the source article; a declined question is a miss.",
             f"By kind: {by_kind}.",
             f"seedbot: {note}."]
    return results_table("Answer quality: dated news quiz over Reuters-21578 (first excerpt from the source "
                         "article)", rows, notes, "first excerpt from the source article")


def run(data_dir: Path, quick: bool = False, n: int = ARTICLES, seed: int = SEED,
        dump: Path | None = None) -> list[Table]:
    """Build the quiz from ``data_dir/reuters-21578/documents`` and measure it. ``quick`` changes nothing.

    Raises
    ------
    FileNotFoundError
        The Reuters folder is missing.
    ValueError
        It has too few usable articles.
    """
    articles = select_articles(reuters_headlines(data_dir), n, seed)
    return [run_articles(articles, make_questions(articles, seed), dump=dump)]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.newsquiz [--data DIR] [--articles N] [--seed N] [--dump FILE]``."""
    def add(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--articles", type=int, default=ARTICLES, help=f"articles in the quiz (default {ARTICLES})")
        parser.add_argument("--seed", type=int, default=SEED, help="seed of every draw (default 0)")

    return command_line(argv, __doc__ or "", lambda a: run(a.data, a.quick, a.articles, a.seed, a.dump), add)


if __name__ == "__main__":
    raise SystemExit(main())
