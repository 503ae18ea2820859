"""Sentences that lean on the one before them: an opening pronoun, demonstrative or connective.

"He is also the oldest quarterback ever to play in a Super Bowl." names its subject in the sentence before
it. Summaries avoid such sentences (:func:`retrieval.summary.stands_alone`); answers quote them together
with the sentence they lean on (:mod:`retrieval.retriever`). A cheap, rule-based stand-in for anaphora
resolution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["ANAPHORIC_OPENERS", "OPENING_WORDS", "leans_back", "opens_leaning"]

#: Openings (one to four words, case-folded) by which a sentence leans on the one before it (see
#: :func:`opens_leaning`): personal and demonstrative pronouns, connectives, and phrases pointing back.
ANAPHORIC_OPENERS = frozenset({
    "it", "its", "it's", "they", "them", "their", "theirs", "they're", "they'll", "they've", "he", "him",
    "his",
    "she", "her", "hers", "this", "these", "those", "that", "such", "here", "both", "another", "the latter",
    "the former", "the same", "the other", "the others", "others", "other than that",
    "but", "and", "or", "so", "yet", "also", "then", "thus", "hence", "therefore", "however", "still",
    "instead", "otherwise", "meanwhile", "moreover", "furthermore", "besides", "nevertheless",
    "nonetheless", "likewise", "similarly", "consequently", "accordingly", "additionally", "finally",
    "yes", "no", "since then", "after that", "before that", "until then", "by then", "even so", "as a result",
    "in addition", "in turn", "in that case", "in this case", "for example", "for instance",
    "on the other hand", "at that time", "at the time", "at the same time", "because of this",
    "because of that", "apart from that", "as well",
})

#: Words at a sentence's start (letters and apostrophes), after quotes, brackets, list marks and the like.
OPENING_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: A sentence that opens with a short phrase and a comma ("In a newborn infant, this ..."), then a word.
_FRONTED = re.compile(r"(?:in|at|on|for|by|after|before|during|from|of|with|under|over|since|until)\b"
                      r"[^,.;:!?]{1,40},\s+([a-z']+)")
#: The words after such a phrase that point back: personal and demonstrative pronouns.
_FRONTED_PRONOUNS = frozenset({"it", "its", "they", "their", "he", "his", "she", "her", "this", "these",
                               "those", "such"})
#: Openers that lean back only in a summary, not in an answer ("Yes." answers the question).
_ANSWER_OPENERS = frozenset({"yes", "no"})


def opens_leaning(words: Sequence[str]) -> bool:
    """Whether a sentence whose first words (case-folded, from :data:`OPENING_WORDS`) are ``words`` opens
    with one of :data:`ANAPHORIC_OPENERS` (one to four words)."""
    return any(" ".join(words[:n]) in ANAPHORIC_OPENERS for n in range(1, min(4, len(words)) + 1))


def leans_back(sentence: str) -> bool:
    """Whether ``sentence`` (its text; only the first 80 characters are read) opens by leaning on the
    sentence before it: a pronoun or demonstrative ("He", "This", "The latter"), a connective ("However",
    "Also"), or a pronoun after a short phrase put in front ("In her third season, she ..."). "Yes" and "No"
    do not count: they answer, and need no sentence before them."""
    head = sentence[:80].casefold().replace("’", "'")
    words = OPENING_WORDS.findall(head)
    if not words or words[0] in _ANSWER_OPENERS:
        return False
    if opens_leaning(words):
        return True
    # A short phrase put in front, then the pronoun: "In a newborn infant, this may be ...".
    fronted = _FRONTED.match(head)
    return fronted is not None and fronted.group(1) in _FRONTED_PRONOUNS
