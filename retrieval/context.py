"""The passage around a quote: the sentences before and after it, for readers who want to check the context.

Pure: works on a :class:`retrieval.Retriever`'s documents and sentence spans, never on Discord.
"""

from __future__ import annotations

from dataclasses import dataclass

from .documents import Document
from .quotes import Quote

__all__ = ["AROUND", "MAX_CONTEXT_CHARS", "QuoteContext", "context_of"]

#: Sentences shown before and after the quoted ones, at most.
AROUND = 2
#: Most characters of context (quoted sentences included) before fewer neighbours are shown.
MAX_CONTEXT_CHARS = 1200


@dataclass(frozen=True)
class QuoteContext:
    """A quote with the sentences around it.

    Attributes
    ----------
    document:
        The quoted document.
    sentences:
        ``(start, end, quoted)`` for each sentence shown, in document order: character offsets into
        ``document.text`` and whether the sentence is part of the quote.
    """

    document: Document
    sentences: tuple[tuple[int, int, bool], ...]

    @property
    def starts_document(self) -> bool:
        """True when nothing of the document's body (after any front matter) comes before the first sentence."""
        start = min(self.document.body_start, self.sentences[0][0]) if self.sentences else 0
        return not self.sentences or not self.document.text[start : self.sentences[0][0]].strip()

    @property
    def ends_document(self) -> bool:
        """True when nothing of the document's text comes after the last sentence shown."""
        return not self.sentences or not self.document.text[self.sentences[-1][1] :].strip()


def context_of(
    quote: Quote,
    spans: list[tuple[int, int]],
    around: int = AROUND,
    max_chars: int = MAX_CONTEXT_CHARS,
) -> QuoteContext:
    """The sentences around ``quote``.

    Parameters
    ----------
    quote:
        An excerpt (any :class:`~retrieval.quotes.Quote`) of a document.
    spans:
        That document's sentence offsets (``retriever.sentences[d].spans``), in order.
    around:
        Most neighbouring sentences shown on each side.
    max_chars:
        Neighbours are added one at a time, alternately before and after the quote, while the sentences
        shown stay within this many characters; the quoted sentences are always shown.

    Returns
    -------
    QuoteContext
        With the quoted sentences marked. When ``spans`` has no sentence inside the quote (the document
        changed since), the quote alone is returned as one quoted sentence.
    """
    quoted = [i for i, (s, e) in enumerate(spans) if s >= quote.start and e <= quote.end]
    if not quoted:
        return QuoteContext(quote.document, ((quote.start, quote.end, True),))
    first, last = quoted[0], quoted[-1]
    size = spans[last][1] - spans[first][0]
    for _ in range(around):
        grown = False
        for index in (first - 1, last + 1):
            if 0 <= index < len(spans) and size + spans[index][1] - spans[index][0] <= max_chars:
                size += spans[index][1] - spans[index][0]
                first, last = min(first, index), max(last, index)
                grown = True
        if not grown:
            break
    shown = tuple((s, e, quote.start <= s and e <= quote.end) for s, e in spans[first : last + 1])
    return QuoteContext(quote.document, shown)
