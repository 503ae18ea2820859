"""What the question log says went unanswered: the :class:`Report` and how questions are grouped.

Pure: :func:`group_key` and the grouping functions work on plain rows (as
:meth:`bot.questions_log.QuestionLog.report` reads them), so the same log always gives the same report.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FeedbackGroup", "QuestionGroup", "Report", "feedback_groups", "group_key", "unanswered_groups"]


def group_key(question: str) -> str:
    """The key that groups questions differing only in case, punctuation and white space.

    Case-folded (Unicode ``casefold``), NFKC-normalised, every punctuation character (Unicode category
    ``P*``) replaced by a space, white space collapsed: ``"How long is the UN report?"`` and
    ``"how long is the UN report"`` share the key ``"how long is the un report"``.
    """
    text = unicodedata.normalize("NFKC", question).casefold()
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class QuestionGroup:
    """Questions asked and not answered, grouped by :func:`group_key`.

    Attributes
    ----------
    question:
        The most frequent wording in the group (on a tie, the most recently asked).
    count:
        How many times it was asked in the period.
    last_asked:
        Unix seconds (UTC) of the latest time.
    document:
        The document most often named as closest to it, or ``None``.
    """

    question: str
    count: int
    last_asked: float
    document: str | None


@dataclass(frozen=True)
class FeedbackGroup:
    """Answered questions people marked as not helpful, grouped by :func:`group_key`.

    Attributes
    ----------
    question:
        The most frequent wording in the group.
    not_helpful, helpful:
        Clicks in the period on answers to this question.
    last_asked:
        Unix seconds (UTC) of the latest time it was asked.
    document:
        The document most often quoted first in those answers.
    """

    question: str
    not_helpful: int
    helpful: int
    last_asked: float
    document: str | None


@dataclass(frozen=True)
class Report:
    """What went unanswered in the last ``days`` days (see :meth:`QuestionLog.report`).

    Attributes
    ----------
    days:
        Length of the period, in days.
    questions, answered:
        Questions asked in the period, and how many of them were answered.
    unanswered:
        Most frequent unanswered questions first.
    not_helpful:
        Answers with the most "not helpful" clicks first (only those with at least one).
    """

    days: int
    questions: int
    answered: int
    unanswered: list[QuestionGroup]
    not_helpful: list[FeedbackGroup]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as printed by ``python -m bot unanswered --json`` (times as ISO 8601, UTC)."""

        def stamped(group: QuestionGroup | FeedbackGroup) -> dict[str, Any]:
            data = asdict(group)
            data["last_asked"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(group.last_asked))
            return data

        return {
            "days": self.days,
            "questions": self.questions,
            "answered": self.answered,
            "unanswered": [stamped(g) for g in self.unanswered],
            "not_helpful": [stamped(g) for g in self.not_helpful],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as one line of JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _representative(wordings: dict[str, tuple[int, float]]) -> str:
    """The wording asked most often; on a tie the latest, then the alphabetically first (deterministic)."""
    return min(wordings.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))[0]


def _most_common(counts: dict[str | None, int]) -> str | None:
    named = {k: v for k, v in counts.items() if k is not None}
    if not named:
        return None
    return min(named.items(), key=lambda item: (-item[1], item[0]))[0]


def unanswered_groups(rows: Sequence[tuple[Any, ...]], limit: int) -> list[QuestionGroup]:
    groups: dict[str, dict[str, Any]] = {}
    for key, question, document, count, last in rows:
        group = groups.setdefault(key, {"count": 0, "last": 0.0, "wordings": {}, "documents": {}})
        group["count"] += count
        group["last"] = max(group["last"], last)
        n, latest = group["wordings"].get(question, (0, 0.0))
        group["wordings"][question] = (n + count, max(latest, last))
        group["documents"][document] = group["documents"].get(document, 0) + count
    ordered = sorted(groups.items(), key=lambda item: (-item[1]["count"], -item[1]["last"], item[0]))
    return [
        QuestionGroup(_representative(g["wordings"]), g["count"], g["last"], _most_common(g["documents"]))
        for _, g in ordered[:limit]
    ]


def feedback_groups(rows: Sequence[tuple[Any, ...]], limit: int) -> list[FeedbackGroup]:
    groups: dict[str, dict[str, Any]] = {}
    for key, question, document, _id, asked_at, not_helpful, helpful in rows:
        group = groups.setdefault(key, {"bad": 0, "good": 0, "last": 0.0, "wordings": {}, "documents": {}})
        group["bad"] += int(not_helpful or 0)
        group["good"] += int(helpful or 0)
        group["last"] = max(group["last"], asked_at)
        n, latest = group["wordings"].get(question, (0, 0.0))
        group["wordings"][question] = (n + 1, max(latest, asked_at))
        group["documents"][document] = group["documents"].get(document, 0) + 1
    kept = [(k, g) for k, g in groups.items() if g["bad"] > 0]
    kept.sort(key=lambda item: (-item[1]["bad"], -item[1]["last"], item[0]))
    return [
        FeedbackGroup(_representative(g["wordings"]), g["bad"], g["good"], g["last"],
                      _most_common(g["documents"]))
        for _, g in kept[:limit]
    ]
