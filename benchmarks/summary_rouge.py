"""Summary quality on BBC News Summary: ROUGE-1, ROUGE-2 and ROUGE-L F1 against extractive references.

Every article is summarised with as many sentences as its reference summary has, by the product and, in the
same run on the same articles, by taking the first sentences (lead) and by the four classic summarisers of the
``sumy`` package (Luhn, TextRank, LexRank, LSA). Scores are the mean F1 of ``rouge-score``'s ``rouge1``,
``rouge2`` and ``rougeL`` (Lin 2004) with its Porter stemmer on.

How the data is read
--------------------
* The first line of each article is its title. The references never quote it, so no method may quote it:
  the product leaves title lines out of every summary on its own (a line that stands alone and does not end
  like a sentence is a heading, see ``retrieval/summary.py``), and the baselines get the article's sentences
  without the title.
* Every method chooses among the same sentences: the product's own splitting (sentencex, via
  :class:`retrieval.Retriever`). sumy gets them through its document model, with its English stop words and
  Snowball stemmer, and NLTK's Treebank word tokenizer (sumy's default word tokenizer, which needs no data
  download; sumy's Punkt sentence splitter is not used).
* The references are article sentences concatenated with no space after the full stop
  (``"...$10.9bn.For the full-year..."``). :func:`split_reference` cuts them where a sentence end is followed
  at once by a capital letter or an opening quote, and not after a one-letter abbreviation such as the
  ``U.`` of ``U.S.``; the number of pieces is the number of sentences each method quotes.
* The product is called through :func:`retrieval.summary.summarise` on a :class:`retrieval.Retriever` built
  from the article as a :class:`retrieval.Document` (:func:`retrieval.documents.parse_document`), exactly as
  ``python -m bot summary`` would summarise a one-document folder.

Run: ``python -m benchmarks.summary_rouge --data ../shared/eval [--limit 300] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from retrieval import Retriever
from retrieval.documents import parse_document
from retrieval.summary import is_heading, summarise

from .data import BBCArticle, load_bbc

__all__ = ["METHODS", "format_table", "main", "run", "split_reference"]

#: Methods in table order.
METHODS = ("seedbot (BM25 TextRank)", "lead", "sumy Luhn", "sumy TextRank", "sumy LexRank", "sumy LSA")

# A sentence end (. ! ?) glued to the next sentence's capital (or opening quote and capital), not after a
# single capital letter ("U.S.", "J.K."); or a sentence end and closing quote glued to the next sentence.
_GLUED = re.compile(r"(?<![\s.][A-Z])(?<=[^\s][.!?])(?=[\"“‘']?[A-Z])|(?<=[.!?][\"”])(?=[\"“A-Z0-9])")

# A sentence end, optionally closing quotes, then white space and a capital or an opening quote.
_SPACED = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[\"“‘']?[A-Z])")


def split_reference(text: str) -> list[str]:
    """Split a reference summary into its sentences.

    The references are article sentences concatenated without a space (``"...rose 2%.For the year..."``);
    sentences that do have a space or a line break between them are split there too.

    Returns
    -------
    list[str]
        Stripped pieces holding at least one letter or digit, in order (a stray closing quote is not a
        sentence).
    """
    pieces: list[str] = []
    for chunk in _GLUED.split(text):
        pieces += [p.strip() for p in _SPACED.split(chunk)]
    return [p for p in pieces if any(c.isalnum() for c in p)]


# ----------------------------------------------------------------------------------------------- methods

Summariser = Callable[[Retriever, int], list[str]]


def _sentences(retriever: Retriever) -> list[str]:
    """The article's quotable sentences: the product's split, title (heading) lines left out."""
    document = retriever.documents[0]
    return [document.text[s:e] for s, e in retriever.sentences[0].spans if not is_heading(document, s, e)]


def _product(retriever: Retriever, count: int) -> list[str]:
    summary = summarise(retriever, sentences=count, max_sentences=max(count, 10))
    return [s.text for s in summary.sentences]


def _lead(retriever: Retriever, count: int) -> list[str]:
    return _sentences(retriever)[:count]


class _WordTokenizer:
    """sumy's tokenizer interface over NLTK's Treebank word tokenizer (no Punkt data needed)."""

    language = "english"

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer
        from sumy.nlp.tokenizers import Tokenizer

        self._tokenize = NLTKWordTokenizer().tokenize
        self._is_word = Tokenizer._WORD_PATTERN.search

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._tokenize(sentence) if self._is_word(w))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:  # pragma: no cover - not used by the models
        return (paragraph,)


def _sumy(name: str) -> Summariser:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {"Luhn": LuhnSummarizer, "TextRank": TextRankSummarizer, "LexRank": LexRankSummarizer,
               "LSA": LsaSummarizer}
    summariser = classes[name](Stemmer("english"))
    summariser.stop_words = get_stop_words("english")
    tokenizer = _WordTokenizer()

    def summarise_with_sumy(retriever: Retriever, count: int) -> list[str]:
        sentences = [Sentence(s, tokenizer) for s in _sentences(retriever)]
        document = ObjectDocumentModel([Paragraph(sentences)])
        return [str(s) for s in summariser(document, count)]

    return summarise_with_sumy


def _methods() -> dict[str, Summariser]:
    methods: dict[str, Summariser] = {METHODS[0]: _product, "lead": _lead}
    for name in ("Luhn", "TextRank", "LexRank", "LSA"):
        methods[f"sumy {name}"] = _sumy(name)
    return methods


def _retriever(article: BBCArticle) -> Retriever:
    return Retriever.from_documents([parse_document(f"bbc/{article.id}", article.text)])


def run(data_dir: Path, limit: int | None = None, seed: int = 0,
        methods: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Score every method on the same articles.

    Parameters
    ----------
    data_dir:
        The evaluation folder holding ``bbc-news-summary/`` (or that folder itself).
    limit:
        Score a random sample of this many articles (``random.Random(seed).sample``); ``None`` for all.
    seed:
        Seed of the sample.
    methods:
        Names from :data:`METHODS` to run (default: all).

    Returns
    -------
    list[dict]
        One row per method, in :data:`METHODS` order: ``method``, ``rouge1``, ``rouge2``, ``rougeL`` (mean F1,
        0 to 1), ``n`` (articles), ``ms_per_article`` (mean time to summarise one article, index building
        excluded).
    """
    from rouge_score import rouge_scorer

    articles = load_bbc(data_dir)
    if limit is not None and limit < len(articles):
        articles = random.Random(seed).sample(articles, limit)
    available = _methods()
    chosen = [m for m in METHODS if methods is None or m in methods]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {m: {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0, "seconds": 0.0} for m in chosen}
    for article in articles:
        retriever = _retriever(article)
        count = max(1, len(split_reference(article.reference)))
        for method in chosen:
            started = time.perf_counter()
            picked = available[method](retriever, count)
            totals[method]["seconds"] += time.perf_counter() - started
            scores = scorer.score(article.reference, " ".join(picked))
            for key in ("rouge1", "rouge2", "rougeL"):
                totals[method][key] += scores[key].fmeasure
    n = len(articles)
    return [{"method": m, "rouge1": totals[m]["rouge1"] / n, "rouge2": totals[m]["rouge2"] / n,
             "rougeL": totals[m]["rougeL"] / n, "n": n, "ms_per_article": 1000 * totals[m]["seconds"] / n}
            for m in chosen]


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of :func:`run`'s rows."""
    lines = ["| method | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | articles | ms/article |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['method']} | {r['rouge1']:.3f} | {r['rouge2']:.3f} | {r['rougeL']:.3f} | {r['n']:,} | "
                     f"{r['ms_per_article']:.1f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m benchmarks.summary_rouge [--data DIR] [--limit N] [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"),
                        help="evaluation folder holding bbc-news-summary/ (default ../shared/eval)")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="score a random sample of N articles (default: all 2,225)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random sample (default 0)")
    parser.add_argument("--method", action="append", choices=METHODS, metavar="NAME",
                        help="run only this method (repeatable; default: all)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run(args.data, limit=args.limit, seed=args.seed, methods=args.method)
    print(format_table(rows))
    print(f"\n{rows[0]['n']:,} articles, seed {args.seed}, {time.perf_counter() - started:.0f} s in all.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
