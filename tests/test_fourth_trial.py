"""Failure classes of a fourth round of member questions: a quantifier ("several people") taken for the
number a *how many* question asks for; emoji short codes and quoted lines of a reply read as search words;
a question that is only a link told it has no words."""

from __future__ import annotations

import datetime as dt

import pytest

from filler import filler_notes
from retrieval import Document, Retriever

AS_OF = dt.date(2026, 12, 1)

FOLDER = [
    Document(id="minutes-2026-09.txt", title="Community call, September 2026", date=dt.date(2026, 9, 8), text=(
        "Community call, September 2026\n\n"
        "The Ghent meetup went well. Feedback was very positive, and several people asked for a meetup in "
        "Porto next year. Sanne will look into Porto or Valencia.\n")),
    Document(id="porto-meetup.md", title="Porto meetup", date=dt.date(2026, 11, 2), text=(
        "# Porto meetup\n\n"
        "After the Ghent meetup we are heading south! Entry is free, but please register on the event page. "
        "There is room for 60 people.\n")),
    *filler_notes(),
]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.from_documents(FOLDER)


def first(retriever: Retriever, question: str) -> str:
    answer = retriever.ask(question, as_of=AS_OF)
    assert answer.answered, f"declined: {question!r}"
    return " ".join(answer.excerpts[0].text.split())


def test_how_many_is_answered_by_a_number_not_by_several(retriever: Retriever) -> None:
    assert "60 people" in first(retriever, "How many people can attend the Porto meetup?")


@pytest.mark.parametrize(("message", "asked"), [
    ("what is the default port now :thinking:", "what is the default port now"),
    ("> quoted reply\nwhen is the meetup?", "when is the meetup?"),
    (">>> when is the meetup?", "when is the meetup?"),
    ("> when is the meetup?", "when is the meetup?"),
    ("meet at 14:30:00 :+1:", "meet at 14:30:00"),
    ("is 3 > 2?", "is 3 > 2?"),
])
def test_emoji_short_codes_and_quoted_lines_are_not_search_words(message: str, asked: str) -> None:
    from retrieval import clean_question

    assert clean_question(message) == asked


def test_a_question_that_is_only_a_link_is_told_to_use_words(retriever: Retriever) -> None:
    from retrieval.errors import QuestionError

    with pytest.raises(QuestionError, match="only a link"):
        retriever.ask("https://example.org/porto-meetup", as_of=AS_OF)
