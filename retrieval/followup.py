"""Follow-up questions: asking "and when does it start?" with the subject of the question before it.

No language model: a follow-up that lacks a subject of its own borrows the previous question's terms at a
lower weight (:data:`CARRY_WEIGHT`), and the document the previous answer quoted gets a small ranking bonus
(:data:`DOCUMENT_BONUS`). The excerpt is still a window of sentences holding the follow-up's *own* words (so
"what about on Linux?" over documents that never mention Linux is "not found" rather than a repeat of the
previous answer), chosen and ranked by all the words, carried ones included (:func:`keep_window`); it
answers when either share, of its own words or of all, reaches the no-answer rule
(:data:`retrieval.retriever.MIN_EVIDENCE`): a sentence under the subject's heading need not repeat the
subject, and in "what time does it start?" the word "time" alone must not sink the answer.

A follow-up lacks its own subject (:func:`needs_context`) when it refers back (a pronoun such as "it" or
"they", or it starts like "and ...", "what about ...") or has at most :data:`SHORT_FOLLOW_UP` content terms.
A longer question with no reference back is a new question and is asked as it stands.

Everything here is pure: the retriever calls :func:`plan` from :meth:`retrieval.Retriever.ask`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .errors import QuestionError
from .excerpts import Window

__all__ = [
    "CARRY_WEIGHT",
    "DOCUMENT_BONUS",
    "MAX_SUBJECT_CHARS",
    "SHORT_FOLLOW_UP",
    "FollowUp",
    "FollowUpPlan",
    "coverage",
    "document_bonus",
    "follow_up_weights",
    "keep_window",
    "needs_context",
    "plan",
]

#: A carried term (from the previous question, absent from the follow-up) weighs this share of its own weight.
#: On the pairs of ``python -m benchmarks --only followups`` (answer in the first excerpt) 0.25 scores 0.92 and
#: 0.5 and 1.0 both 1.00; 0.5 keeps a follow-up's own words heavier than the subject it borrows.
CARRY_WEIGHT = 0.5
#: Added to the ranking score (about 0 to 1.5: the window's matched share plus half the relative BM25 score) of
#: an excerpt from the document the previous answer quoted first.
DOCUMENT_BONUS = 0.1
#: A follow-up with at most this many distinct content terms lacks a subject of its own.
SHORT_FOLLOW_UP = 2
#: Longest carried subject, in characters; the oldest words of a long conversation are dropped first.
MAX_SUBJECT_CHARS = 600

#: Words that refer back to something said before.
_BACK_REFERENCES = frozenset(
    "it its itself they them their theirs this that these those there he him his she her one ones same "
    "else too either another other".split()
)
#: First words (or first two words) that continue the previous question.
_CONTINUATIONS = frozenset("and also but or so then plus".split())
_CONTINUATION_PAIRS = frozenset({("what", "about"), ("how", "about"), ("and", "what"), ("what", "if")})


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up question is asked with: the conversation before it.

    Attributes
    ----------
    previous_question:
        The question (or, in a longer conversation, the questions) before the follow-up, as asked.
    previous_document:
        The id of the document the previous answer quoted first, or ``None`` (nothing was found).
    """

    previous_question: str
    previous_document: str | None

    def then(self, question: str, document: str | None) -> FollowUp:
        """The follow-up context for the question after ``question`` (whose answer quoted ``document`` first).

        The subject grows with the conversation, keeping the newest :data:`MAX_SUBJECT_CHARS` characters (cut
        at a space), so a third question still knows what the first was about.
        """
        return FollowUp(_tail(f"{self.previous_question} {question}", MAX_SUBJECT_CHARS), document)


def _tail(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    return cut.split(" ", 1)[1] if " " in cut else cut


def needs_context(words: Sequence[str], weights: Mapping[str, float]) -> bool:
    """Whether a follow-up lacks its own subject and should borrow the previous question's.

    Parameters
    ----------
    words:
        The follow-up's normalised words, stop words included (:meth:`retrieval.Analyzer.words`).
    weights:
        Its distinct content terms and their weights (:meth:`retrieval.Retriever.question_weights`).

    Returns
    -------
    bool
        True when it refers back (a word like "it", "they", "that"; or it starts with "and", "also", "what
        about", ...) or has at most :data:`SHORT_FOLLOW_UP` distinct content terms.
    """
    if len(weights) <= SHORT_FOLLOW_UP:
        return True
    if words and (words[0] in _CONTINUATIONS or tuple(words[:2]) in _CONTINUATION_PAIRS):
        return True
    return any(word in _BACK_REFERENCES for word in words)


def follow_up_weights(
    weights: Mapping[str, float], previous: Mapping[str, float], carry: float = CARRY_WEIGHT
) -> dict[str, float]:
    """The follow-up's own term weights plus the previous question's other terms at ``carry`` times theirs.

    Parameters
    ----------
    weights:
        The follow-up's distinct terms mapped to weights > 0 (kept as they are, in their order).
    previous:
        The previous question's distinct terms mapped to weights > 0.
    carry:
        Share (0 to 1) of its weight a carried term keeps.

    Returns
    -------
    dict[str, float]
        ``weights`` first, then each term of ``previous`` not in ``weights``, in ``previous``'s order.
    """
    combined = dict(weights)
    for term, weight in previous.items():
        if term not in combined:
            combined[term] = carry * weight
    return combined


def coverage(weights: Mapping[str, float], term_sets: Iterable[frozenset[str]]) -> float:
    """Share (0 to 1) of the total of ``weights`` whose terms occur in any of ``term_sets`` (sentences)."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    found: set[str] = set()
    for terms in term_sets:
        found |= terms & weights.keys()
    return sum(weights[t] for t in found) / total


def document_bonus(document_id: str, preferred: str | None) -> float:
    """:data:`DOCUMENT_BONUS` for an excerpt of the ``preferred`` document, else 0."""
    return DOCUMENT_BONUS if preferred is not None and document_id == preferred else 0.0


@dataclass(frozen=True)
class FollowUpPlan:
    """How to ask one question: the weights that rank excerpts, and those that decide whether it is answered.

    Attributes
    ----------
    weights:
        Terms that choose and rank excerpts (the question's own, plus carried ones for a follow-up).
    own:
        The question's own terms: an excerpt must hold at least one (see :func:`keep_window`).
    preferred_document:
        The document id that gets :data:`DOCUMENT_BONUS`, or ``None``.
    """

    weights: dict[str, float]
    own: dict[str, float]
    preferred_document: str | None = None

    @property
    def carries(self) -> bool:
        """True when terms of the previous question were carried."""
        return len(self.weights) != len(self.own)


def plan(
    words: Sequence[str],
    weights: dict[str, float],
    follow_up: FollowUp | None,
    weigh: Callable[[str], dict[str, float]],
    carry: float = CARRY_WEIGHT,
) -> FollowUpPlan:
    """Plan a question, with its follow-up context if any.

    Parameters
    ----------
    words, weights:
        The question's normalised words and its term weights (see :func:`needs_context`).
    follow_up:
        The conversation before it, or ``None`` for a question on its own.
    weigh:
        Weighs a question's terms (:meth:`retrieval.Retriever.question_weights`); called on the previous
        question. A previous question it refuses (:class:`~retrieval.errors.QuestionError`) carries nothing.
    carry:
        See :func:`follow_up_weights`.

    Returns
    -------
    FollowUpPlan
        The question alone when there is no follow-up context or it has a subject of its own.
    """
    if follow_up is None or not needs_context(words, weights):
        return FollowUpPlan(weights, weights)
    try:
        previous = weigh(follow_up.previous_question)
    except QuestionError:
        previous = {}
    return FollowUpPlan(follow_up_weights(weights, previous, carry), weights, follow_up.previous_document)




def keep_window(window: Window, sentence_terms: Sequence[frozenset[str]], asked: FollowUpPlan) -> Window | None:
    """A candidate window of a follow-up, if it holds some of the follow-up's own words.

    Parameters
    ----------
    window:
        A window scored with ``asked.weights`` (carried terms included), e.g. one of the windows the retriever
        considers in a passage.
    sentence_terms:
        The term sets of the window's document's sentences.
    asked:
        The follow-up's plan.

    Returns
    -------
    Window or None
        ``None`` when the window holds none of ``asked.own``'s terms; otherwise the same window (all its other
        fields kept) with ``matched`` the larger of its share of the own weight and its share of all the weight
        (see the module docstring).
    """
    own = coverage(asked.own, sentence_terms[window.first : window.last + 1])
    if not own:
        return None
    return replace(window, matched=max(own, window.matched))
