"""Which state a sentence reports, for questions about the present ("Who's the current release manager?").

Document dates rank a newer document above an older one (:mod:`retrieval.retriever`), but minutes and
announcements often report a change inside one document: "Tobias is stepping back as release manager ...
Ines Carvalho takes over as release manager starting with 2.2." Both sentences name the role; only the second
gives the state that holds now. :func:`state_change` reads the cue words of such a change: the new state
("takes over", "replaces", "from now on", "is now") or the old one ("steps down", "no longer", "formerly",
"last release as"), in the manner of the temporal-status cues of TimeML's event attributes (Pustejovsky et
al. 2003) reduced to a lexicon.
"""

from __future__ import annotations

import re

__all__ = ["reports_new_state", "state_change"]

_NEW = re.compile(
    r"\b(?:takes? over|took over|taking over|replaces|replacing|succeeds|successor|has been (?:appointed|elected|"
    r"named)|(?:was|were|is|are|has been|have been) (?:appointed|elected|named)|steps? in|stepping in|starting with|"
    r"from now on|going forward|(?:is|are) now|now (?:is|are)|new (?:default|owner|lead|maintainer|manager|chair|host|home)|"
    r"new (?:[\w-]+ )?(?:coach|captain|treasurer|secretary|president|leader|officer|coordinator|conductor|organi[sz]er)|"
    r"(?:appointed|elected) (?:[A-Z]\w+ ){1,3}(?:as|to)\b|"
    r"(?:from|starting|beginning) (?:\w+ ){1,2}(?:on|onwards)|(?:calls?|meetings?|releases?|it|they) (?:moves?|moved) to)\b",
    re.IGNORECASE,
)
_OLD = re.compile(
    r"\b(?:steps? (?:down|back|aside)|stepping (?:down|back|aside)|stepped (?:down|back|aside)|no longer|formerly|"
    r"former|previously|used to|retir(?:es|ed|ing)|leaves|leaving|left (?:the|as)|last (?:release|term|day|call) as|"
    r"was replaced|is replaced|replaced by|until (?:now|recently))\b",
    re.IGNORECASE,
)


def state_change(text: str) -> int:
    """``1`` when ``text`` reports a new state and not an old one, ``-1`` for the reverse, else ``0``.

    Examples: "Ines takes over as release manager" → 1; "Tobias is stepping back as release manager" → -1;
    "Tobias steps down and Ines takes over" → 0 (both).
    """
    new = _NEW.search(text) is not None
    old = _OLD.search(text) is not None
    return int(new) - int(old)


def reports_new_state(text: str) -> bool:
    """Whether ``text`` reports a new state, with or without the old one ("Tobias steps down and Ines takes
    over" does; "Tobias steps down" does not)."""
    return _NEW.search(text) is not None
