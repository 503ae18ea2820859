"""Initialisms a question uses where the documents spell the name out: "jfk" for John F. Kennedy, "ny" for
New York, "uwa" for the University of Western Australia.

A question word that no passage contains would otherwise weigh as an unknown word and sink an answer that the
documents give under the full name. :func:`expansions` finds, in a few candidate documents, the runs of
capitalised words whose initials spell the word (function words such as "of" and "the" may stand between
them, and a one-letter initial may end with a full stop: "John F. Kennedy"). It is the acronym-definition
matching of Schwartz and Hearst (2003, "A simple algorithm for identifying abbreviation definitions in
biomedical text"), reduced to the case the question gives: the short form is known, its long form is looked
for as capitalised initials.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["MAX_LETTERS", "MIN_LETTERS", "could_be_initialism", "expansions", "spells_out"]

#: Letters an initialism may have.
MIN_LETTERS = 2
MAX_LETTERS = 5
#: Lower-case words that may stand between the capitalised words of a long form.
_JOINERS = r"(?:of|the|and|for|de|du|la|von|van|del|da)"


def could_be_initialism(word: str) -> bool:
    """Whether a question word may be an initialism: :data:`MIN_LETTERS` to :data:`MAX_LETTERS` ASCII
    letters and nothing else ("jfk", "NY"; not "k8s", not "x")."""
    return MIN_LETTERS <= len(word) <= MAX_LETTERS and word.isascii() and word.isalpha()


@lru_cache(maxsize=256)  # one pattern per asked word, looked for in many sentences
def _pattern(word: str, caseless: bool = False) -> re.Pattern[str]:
    letters = [re.escape(c.upper()) for c in word]
    parts = []
    for i, letter in enumerate(letters):
        # A word starting with the letter: "John", "F." (an initial), "Western"; no joiners before the first.
        part = rf"{letter}(?:[a-z'’]+|\.)"
        if i:
            part = rf"[ \t]+(?:{_JOINERS}[ \t]+){{0,2}}" + part
        parts.append(part)
    return re.compile(r"(?<![\w.])" + "".join(parts) + r"(?![\w-])", re.IGNORECASE if caseless else 0)


def expansions(word: str, texts: Iterable[str]) -> list[str]:
    """The long forms of initialism ``word`` found in ``texts``, most frequent first (ties: first found).

    Parameters
    ----------
    word:
        The question's word, any case (see :func:`could_be_initialism`).
    texts:
        Document texts to look in, as written (the long form must be capitalised).

    Returns
    -------
    list[str]
        Each distinct long form as written ("John F. Kennedy"), whitespace collapsed; empty when ``word``
        cannot be an initialism or no text spells it out. A long form made of one-letter initials alone
        ("J. F. K.") is the initialism itself, not its expansion, and is skipped.
    """
    if not could_be_initialism(word):
        return []
    pattern = _pattern(word)
    found: Counter[str] = Counter()
    order: dict[str, int] = {}
    for text in texts:
        for match in pattern.finditer(text):
            form = " ".join(match.group(0).split())
            if _initials_only(form):
                continue
            found[form] += 1
            order.setdefault(form, len(order))
    return sorted(found, key=lambda f: (-found[f], order[f]))


def spells_out(word: str, text: str) -> bool:
    """Whether ``text`` spells out initialism ``word`` in any case: "american association of retired
    persons" for "aarp" (lower-cased newswire writes long forms in lower case, too). Only for a question
    that asks what the initialism stands for; elsewhere :func:`expansions` asks for capitals.

    Returns ``False`` when ``word`` cannot be an initialism (see :func:`could_be_initialism`).
    """
    if not could_be_initialism(word):
        return False
    return any(not _initials_only(match.group(0)) for match in _pattern(word, caseless=True).finditer(text))


def _initials_only(form: str) -> bool:
    """Whether a matched long form is one-letter initials alone ("J. F. K."): the short form again."""
    return all(len(w.rstrip(".")) <= 1 for w in form.split())
