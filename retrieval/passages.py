"""Passages: windows of whole sentences, with overlap, that BM25 ranks.

Each passage remembers the character offsets of its sentences in the document's text, so an excerpt is
always an exact slice of the original. Passages aim at :data:`TARGET_WORDS` words, never grow past
:data:`MAX_WORDS` unless one sentence is longer than that on its own, and overlap by one sentence so that
an answer that straddles a boundary is still whole in one passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MAX_WORDS", "MIN_WORDS", "TARGET_WORDS", "Passage", "make_passages"]

MIN_WORDS = 60
TARGET_WORDS = 120
MAX_WORDS = 200


@dataclass(frozen=True)
class Passage:
    """A run of consecutive sentences of one document.

    Attributes
    ----------
    doc:
        Index of the document in the retriever's document list.
    first, last:
        Indexes of the passage's first and last sentence in that document's sentence list (inclusive).
    start, end:
        Character offsets of the passage in the document's text (``text[start:end]``).
    """

    doc: int
    first: int
    last: int
    start: int
    end: int


def _window_end(counts: Sequence[int], first: int) -> int:
    """Index of the last sentence of a window starting at ``first``."""
    words = counts[first]
    last = first
    while last + 1 < len(counts) and words < TARGET_WORDS and words + counts[last + 1] <= MAX_WORDS:
        last += 1
        words += counts[last]
    return last


def make_passages(doc: int, sentences: Sequence[tuple[int, int]], word_counts: Sequence[int]) -> list[Passage]:
    """Group a document's sentences into overlapping passages.

    Parameters
    ----------
    doc:
        The document's index, stored on each passage.
    sentences:
        ``(start, end)`` offsets of the document's sentences, in order.
    word_counts:
        Number of words in each sentence (same length as ``sentences``).

    Returns
    -------
    list[Passage]
        In document order. Every sentence belongs to at least one passage; consecutive passages share one
        sentence when the first has more than one. A final passage shorter than :data:`MIN_WORDS` is
        extended backwards (more overlap) rather than left too short to rank well. Empty only when
        ``sentences`` is empty.
    """
    if len(sentences) != len(word_counts):
        raise ValueError("sentences and word_counts must have the same length")
    windows: list[tuple[int, int]] = []
    first = 0
    n = len(sentences)
    while first < n:
        last = _window_end(word_counts, first)
        if last == n - 1 and windows:
            # Last window: reach back for context if it is short.
            words = sum(word_counts[first : last + 1])
            while first > windows[-1][0] + 1 and words < MIN_WORDS and words + word_counts[first - 1] <= MAX_WORDS:
                first -= 1
                words += word_counts[first]
        windows.append((first, last))
        if last == n - 1:
            break
        first = last if last > first else last + 1
    return [Passage(doc, f, l, sentences[f][0], sentences[l][1]) for f, l in windows]
