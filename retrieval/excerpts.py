"""Choosing excerpts: the one to three consecutive sentences of a passage that answer a question best.

A window of sentences is scored by the idf mass of the distinct question terms it contains (each term once,
so a sentence that repeats one word does not beat one that matches several), divided by a mild length
penalty so that a single short sentence wins when it holds the same terms as a longer window. This is the
sentence-level reading of BM25's idf weighting: rare question words are the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["WINDOW_MAX_SENTENCES", "Window", "best_window"]

#: An excerpt quotes at most this many consecutive sentences.
WINDOW_MAX_SENTENCES = 3
#: Each extra sentence in a window must add at least this share of the question's idf mass.
EXTRA_SENTENCE_GAIN = 0.12
#: Characters after which a window's score starts to shrink (see :func:`best_window`).
SOFT_LENGTH = 300
#: Score lost per :data:`SOFT_LENGTH` characters beyond :data:`SOFT_LENGTH`.
LENGTH_PENALTY = 0.15


@dataclass(frozen=True)
class Window:
    """Sentences ``first..last`` (inclusive, indexes into the document's sentence list) and their score."""

    first: int
    last: int
    score: float
    matched: float


def best_window(
    first: int,
    last: int,
    sentence_terms: Sequence[frozenset[str]],
    sentence_chars: Sequence[int],
    question_idf: Mapping[str, float],
) -> Window | None:
    """Pick the best window of 1 to :data:`WINDOW_MAX_SENTENCES` consecutive sentences in ``first..last``.

    Parameters
    ----------
    first, last:
        The passage's sentence range (inclusive) in the document.
    sentence_terms:
        The set of index terms of every sentence of the document.
    sentence_chars:
        The length in characters of every sentence of the document.
    question_idf:
        Distinct question terms mapped to their idf (> 0). Terms found in no passage may be included with
        the index's maximum idf; they can never match.

    Returns
    -------
    Window or None
        The best window, or ``None`` when no sentence in the range holds a question term. ``score`` is the
        matched idf share (0 to 1) less the length penalty; ``matched`` is the matched idf share alone.
    """
    total = sum(question_idf.values())
    if total <= 0:
        return None
    best: Window | None = None
    wanted = question_idf.keys()
    for i in range(first, last + 1):
        if not sentence_terms[i] & wanted:
            continue  # a quote starts with a sentence that holds a question term
        covered: set[str] = set()
        chars = 0
        previous = 0.0
        for j in range(i, min(i + WINDOW_MAX_SENTENCES, last + 1)):
            covered |= sentence_terms[j] & wanted
            chars += sentence_chars[j]
            matched = sum(question_idf[t] for t in covered) / total
            if j > i and matched - previous < EXTRA_SENTENCE_GAIN:
                break  # a sentence that adds little evidence only makes the quote longer
            previous = matched
            penalty = LENGTH_PENALTY * max(0, chars - SOFT_LENGTH) / SOFT_LENGTH
            score = matched - penalty
            if best is None or score > best.score:
                best = Window(i, j, score, matched)
    return best
