"""More excerpts: the order in which an answer's excerpts are shown, page after page.

The first answer quotes ``ask(question)`` (the default top-k). Further pages come from one larger request
(:data:`retrieval.retriever.MAX_TOP_K` excerpts), minus what the first answer already quoted or overlaps it, so
a page never repeats a sentence. The same question over the same documents always gives the same pages.
"""

from __future__ import annotations

from .retriever import Answer, Excerpt

__all__ = ["shown_excerpts"]


def _overlaps(a: Excerpt, b: Excerpt) -> bool:
    return a.document.id == b.document.id and a.start < b.end and b.start < a.end


def shown_excerpts(first: Answer, full: Answer) -> list[Excerpt]:
    """Every excerpt in the order the bot shows them: ``first``'s, then ``full``'s other ones.

    Parameters
    ----------
    first:
        The answer as first sent (``ask(question)``).
    full:
        The same question asked for more excerpts (``ask(question, MAX_TOP_K)``).

    Returns
    -------
    list[Excerpt]
        ``first.excerpts``, then the excerpts of ``full`` that overlap none of them, best first. Excerpt
        ``i`` of this list is the one shown at position ``i`` (page after page).
    """
    rest = [e for e in full.excerpts if not any(_overlaps(e, shown) for shown in first.excerpts)]
    return list(first.excerpts) + rest
