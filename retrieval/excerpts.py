"""Choosing excerpts: the one to three consecutive sentences of a passage that answer a question best.

A question is a list of :class:`Concept` objects: one per distinct content word, weighted by its idf, with
the other forms of the word the documents use (:mod:`retrieval.variants`) at a lower factor. A window of
sentences is scored by the share of the question's weight it covers (each concept once, at its best form),
plus whether it holds the kind of value the question asks for (:mod:`retrieval.answer_types`), less a mild
length penalty. A window grows by a sentence only when that sentence adds evidence or brings the answer
type the shorter window lacks: "Why ...?" quotes the sentence that names the subject *and* the next one
that gives the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["WINDOW_MAX_SENTENCES", "Concept", "Coverage", "Window", "WindowRow", "coverage", "window_rows"]

#: An excerpt quotes at most this many consecutive sentences.
WINDOW_MAX_SENTENCES = 3
#: Each extra sentence in a window must add at least this share of the question's weight (or the answer type).
EXTRA_SENTENCE_GAIN = 0.06
#: Characters after which a window's score starts to shrink (see :func:`window_rows`).
SOFT_LENGTH = 300
#: Score lost per :data:`SOFT_LENGTH` characters beyond :data:`SOFT_LENGTH`.
LENGTH_PENALTY = 0.15
#: Type share a window earns when its second sentence holds a "followed" type (see :func:`window_rows`).
FOLLOW_BONUS = 0.5
#: Score a window earns for holding the expected answer type.
TYPE_BONUS = 0.22


@dataclass(frozen=True)
class Concept:
    """One content word of a question.

    Attributes
    ----------
    term:
        The word's own index term.
    weight:
        Its weight (> 0): the idf of the term, or of its best variant, or the unknown-word weight.
    forms:
        ``(term, factor)`` pairs that count as the concept, the word's own term first with factor 1.
    absent_name:
        The word is a name (capitalised inside the question) that no passage contains in any form: the
        documents do not talk about it.
    """

    term: str
    weight: float
    forms: tuple[tuple[str, float], ...]
    absent_name: bool = False


def coverage(concepts: Sequence[Concept], terms: frozenset[str] | set[str]) -> float:
    """Weight of ``concepts`` found in ``terms`` (each at its best form's factor), not normalised."""
    total = 0.0
    for concept in concepts:
        best = 0.0
        for term, factor in concept.forms:
            if factor > best and term in terms:
                best = factor
        total += concept.weight * best
    return total


class Coverage:
    """:func:`coverage` of one question's concepts over many term sets, through bit masks.

    Every distinct term of the concepts' forms is one bit; :meth:`mask` reduces a term set to the bits of
    the question terms it holds (the only terms coverage looks at), the mask of a union of sets is the ``|``
    of their masks, and :meth:`weight` gives a mask's coverage, computed once per distinct mask with the same
    operations as :func:`coverage`, so ``weight(mask(terms)) == coverage(concepts, terms)`` exactly.
    ``total``: the concepts' summed weight.
    """

    __slots__ = ("concepts", "bits", "terms", "total", "_weights", "_numbers", "_concept_masks")

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = concepts
        bits: dict[str, int] = {}
        for concept in concepts:
            for term, _ in concept.forms:
                if term not in bits:
                    bits[term] = 1 << len(bits)
        self.bits = bits
        self.terms = frozenset(bits)
        self.total = sum(c.weight for c in concepts)
        self._weights: dict[int, float] = {}
        self._numbers: dict[int, tuple[dict[str, int], frozenset[int], dict[int, int]]] = {}
        self._concept_masks: list[int] | None = None

    def mask(self, terms: frozenset[str] | set[str]) -> int:
        """The bits of the question terms in ``terms`` (0 when it holds none)."""
        if not terms:
            return 0
        bits = self.bits
        found = 0
        for term in self.terms.intersection(terms):
            found |= bits[term]
        return found

    def numbers(self, number: dict[str, int]) -> tuple[dict[str, int], frozenset[int], dict[int, int]]:
        """The question terms as numbers of a vocabulary (``number``: term to number): ``(number, numbers,
        bits)``, the numbers of the question terms it holds and each one's bit, so the mask of a set of term
        numbers is the ``|`` of the bits of those among them (made once per vocabulary)."""
        found = self._numbers.get(id(number))
        if found is None or found[0] is not number:
            get = number.get
            bits = {t: bit for term, bit in self.bits.items() if (t := get(term)) is not None}
            found = self._numbers[id(number)] = (number, frozenset(bits), bits)
        return found

    def weight(self, mask: int) -> float:
        """``coverage(concepts, terms)`` of any term set whose :meth:`mask` is ``mask`` (not normalised)."""
        found = self._weights.get(mask)
        if found is None:
            found = self._weights[mask] = self.partial(self.concepts, mask)
        return found

    def untitled(self, title: int) -> tuple[list[Concept], int]:
        """The concepts none of whose forms is among the bits of ``title`` (a title's mask: the concepts the
        title does not name), in order, and the bits of their forms (a mask without any of those bits
        covers none of them: :meth:`partial` gives 0)."""
        masks = self._concept_masks
        if masks is None:
            bits = self.bits
            masks = self._concept_masks = [sum(set(bits[t] for t, _ in c.forms)) for c in self.concepts]
        kept = [(c, m) for c, m in zip(self.concepts, masks) if not m & title]
        union = 0
        for _, m in kept:
            union |= m
        return [c for c, _ in kept], union

    def partial(self, concepts: Sequence[Concept], mask: int) -> float:
        """``coverage(concepts, terms)`` for some of the question's ``concepts`` and any term set whose
        :meth:`mask` is ``mask`` (the same operations, so the same float)."""
        bits = self.bits
        total = 0.0
        for concept in concepts:
            best = 0.0
            for term, factor in concept.forms:
                if factor > best and bits[term] & mask:
                    best = factor
            total += concept.weight * best
        return total


@dataclass(frozen=True)
class Window:
    """Sentences ``first..last`` (inclusive, indexes into the document's sentence list) and their score.

    ``matched`` is the share (0 to 1) of the question's weight covered; ``typed`` whether the window holds
    the expected answer type; ``type_share`` the share of the expected types it holds (0 to 1); ``lead`` the
    share of the weight its first sentence covers alone; ``chars`` its length; ``score`` combines covered
    share and types, less the length penalty; ``semantic`` its similarity to the question (-1 to 1), which
    the ranking sets for its best windows (:mod:`retrieval.semantic`; 0 until then).
    """

    first: int
    last: int
    score: float
    matched: float
    typed: bool = False
    type_share: float = 0.0
    lead: float = 0.0
    chars: int = 0
    semantic: float = 0.0


#: One window as :func:`window_rows` gives it: the first fields of :class:`Window`, in order
#: ``(first, last, score, matched, typed, type_share, lead, chars)``.
WindowRow = tuple[int, int, float, float, bool, float, float, int]


def window_rows(
    first: int,
    last: int,
    own: Sequence[int],
    sections: Sequence[int] | None,
    sentence_chars: Sequence[int],
    weights: Coverage,
    typed: Callable[[int], frozenset[object]] | None = None,
    quotable: Sequence[bool] | None = None,
    wanted: int = 1,
    followed: frozenset[object] = frozenset(),
    joins: Callable[[int], bool] | None = None,
    filler: Sequence[bool] | None = None,
    outer: int = 0,
    prose: Sequence[bool] | None = None,
    introduces: Sequence[bool] | None = None,
) -> list[WindowRow]:
    """For each sentence in ``first..last`` that may start a quote, its best window of 1 to
    :data:`WINDOW_MAX_SENTENCES` consecutive sentences, as a :data:`WindowRow`.

    Sentences are numbered in the document; ``own`` and ``sections`` are indexed ``i - first``, the other
    sequences ``i``. :class:`retrieval.structure.SentenceStructure` gives the lists and the masks.

    Parameters
    ----------
    first, last:
        The passage's sentence range (inclusive) in the document.
    own:
        :meth:`Coverage.mask` of each sentence's index terms (``own[i - first]``; shape ``(last + 1 - first,)``).
    sections:
        :meth:`Coverage.mask` of the terms of each sentence's section heading (see
        :func:`retrieval.corpus.excerpt_terms`), indexed as ``own``: they count towards the window's
        coverage, not its ``lead``.
    sentence_chars:
        The length in characters of every sentence of the document.
    weights:
        :class:`Coverage` of the question's concepts (see :class:`Concept`), shared by the calls for one
        question.
    typed:
        ``typed(i)``: the expected answer types that sentence ``i`` holds; ``None`` when the question
        expects no particular type.
    quotable:
        ``quotable[i]``: whether sentence ``i`` may be quoted (headings may not); default all.
    wanted:
        How many answer types the question expects ("When and where ...?" expects two); the type bonus is
        shared among them.
    followed:
        Answer types that often come in the sentence *after* the one naming the subject (a reason, an
        instruction): a window may grow by one sentence that holds one of them even when the first does.
    joins:
        ``joins(j)``: whether sentence ``j`` may continue a quote of sentence ``j - 1`` (not when a code
        block stands between them, which a quote would otherwise include); default always.
    filler:
        ``filler[j]``: sentence ``j`` holds no index term but is prose, not a heading ("What now?" after
        "I forgot the admin password."): a quote may run through it to the next sentence, never end on it.
    outer:
        :meth:`Coverage.mask` of the terms of the document's own title, the outermost heading (0: none
        counts). They count towards the coverage of a window that starts with a prose sentence
        (``prose[i]``; default every sentence), and such a sentence may start a window on the title's words
        alone when it holds an expected answer type.
    introduces:
        ``introduces[j]``: sentence ``j`` ends with a colon, introducing what follows ("Back up two things
        separately:"): a window never ends on it when the sentence after it may join.

    Returns
    -------
    list[WindowRow]
        In sentence order; a sentence starts a window only when it is quotable and holds a question term.
        ``score`` is the covered share plus the type bonus less the length penalty.
    """
    total = weights.total
    found: list[WindowRow] = []
    if total <= 0:
        return found
    # Coverage is only ever asked of unions of term sets, and only the question's terms count: each set is
    # a bit mask of the question terms it holds, a union is an ``|`` of masks, and the weight of a mask is
    # computed once per question (the same floats as :func:`coverage` of the set itself).
    covered_weight = weights.weight
    no_types: frozenset[object] = frozenset()
    end = last + 1
    for i in range(first, end):
        if quotable is not None and not quotable[i]:
            continue
        covered = own[i - first]
        if sections is not None:
            covered |= sections[i - first]
        titled = outer != 0 and (prose is None or prose[i])
        if not covered and not titled:
            continue  # no question term at all (the weight of mask 0 is 0): the test below, without its lookups
        lead = covered_weight(own[i - first]) / total
        if lead <= 0 and covered_weight(covered) <= 0 and not (
                titled and typed is not None and typed(i) and covered_weight(outer) > 0):
            continue  # a quote starts with a sentence that holds a question term, or under a heading that does
            # (or holds the answer type in a document whose title names the subject: "- **Time:** 14:00")
        if titled:
            covered |= outer
        best: WindowRow | None = None
        best_score = 0.0
        chars = 0
        previous = 0.0
        types: frozenset[object] = no_types
        stop = min(last, i + WINDOW_MAX_SENTENCES - 1)  # the last sentence a window from i may take
        for j in range(i, stop + 1):
            if j > i:
                if joins is not None and not joins(j):
                    break  # never run a quote across a code block
                if filler is not None and filler[j] and j < last:
                    chars += sentence_chars[j]
                    continue  # through "What now?" to the answer after it
                if quotable is not None and not quotable[j]:
                    break  # never run a quote across a heading
                covered |= own[j - first]
            matched = covered_weight(covered) / total
            held = typed(j) if typed is not None else no_types
            more = held - types
            follows = i < j <= i + 2 and bool(held & followed)  # the reason or the steps come after the subject
            continues = j > i and introduces is not None and introduces[j - 1]
            if j > i and matched - previous < EXTRA_SENTENCE_GAIN and not more and not follows and not continues:
                if j == i + 1 and j < stop and typed is not None \
                        and (typed(j + 1) & followed or wanted > 1 and typed(j + 1) - types - held) \
                        and (joins is None or joins(j + 1)) \
                        and (quotable is None or quotable[j + 1]):
                    chars += sentence_chars[j]
                    continue  # through one sentence to the decision or the reason right after it, or to
                    # the other kind a two-part question asks for ("When and where ...?": date, time, venue)
                break  # a sentence that adds little evidence only makes the quote longer
            types |= more
            chars += sentence_chars[j]
            previous = matched
            penalty = LENGTH_PENALTY * max(0, chars - SOFT_LENGTH) / SOFT_LENGTH
            share = min(1.0, len(types) / max(1, wanted))
            if follows:
                share = min(1.0, share + FOLLOW_BONUS)
            score = matched + TYPE_BONUS * share - penalty
            if introduces is not None and introduces[j] and j < stop \
                    and (joins is None or joins(j + 1)) and (quotable is None or quotable[j + 1]):
                continue  # "Back up two things separately:" is quoted with what it introduces
            if best is None or score > best_score:
                best = (i, j, score, matched, bool(types), share, lead, chars)
                best_score = score
        if best is not None:
            found.append(best)
    return found
