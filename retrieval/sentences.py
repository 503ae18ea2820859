"""Sentence splitting with exact character offsets, by syntok (segtok v2).

syntok keeps each token's offset into the input, so a sentence is the slice from its first token to the end
of its last token: quoting ``text[start:end]`` reproduces the sentence exactly as written. It handles
abbreviations (U.S., Sec., Dr.), quotes and URLs.
"""

from __future__ import annotations

import syntok.segmenter as segmenter

__all__ = ["split_sentences"]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences.

    Parameters
    ----------
    text:
        The full document text.
    start, end:
        The region to split, as offsets into ``text`` (``end`` defaults to ``len(text)``).

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` offsets into ``text`` of each sentence, in order, without surrounding white space.
        Empty when the region holds no token.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    starts: list[int] = []
    for paragraph in segmenter.analyze(region):
        for sentence in paragraph:
            if sentence:
                starts.append(sentence[0].offset)
    # A sentence runs from its first token to the next sentence's first token, trailing white space
    # removed. Using token starts only (not token values) keeps offsets exact even where syntok rewrites a
    # token's value, e.g. a word hyphenated across a line break.
    spans: list[tuple[int, int]] = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(region)
        piece = region[s:e].rstrip()
        if piece:
            spans.append((start + s, start + s + len(piece)))
    return spans
