"""Answers: verbatim excerpts with dates, the no-answer path, question errors, and the user's seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from retrieval import MAX_QUESTION_CHARS, Document, QuestionError, Retriever, make_passages
from retrieval.passages import MAX_WORDS, MIN_WORDS

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds() -> Retriever:
    return Retriever.from_folder(SEEDS)


def test_seed_answers_how_long_is_the_un_report(seeds: Retriever) -> None:
    answer = seeds.ask("How long is the UN report?")
    assert answer.answered
    first = answer.excerpts[0]
    assert "45-page" in first.text
    assert first.document.date == dt.date(2022, 9, 2)
    assert first.text == first.document.text[first.start : first.end]
    assert len(first.text) < 300


def test_every_excerpt_is_an_exact_slice_of_whole_sentences(seeds: Retriever) -> None:
    for question in ["What did Blinken say?", "Who is the UN High Commissioner?", "What did China say?"]:
        for excerpt in seeds.ask(question).excerpts:
            text = excerpt.document.text
            assert excerpt.text == text[excerpt.start : excerpt.end]
            assert not text[excerpt.start].isspace() and not text[excerpt.end - 1].isspace()
            # never cut a word: the characters around the excerpt are not letters
            assert excerpt.start == 0 or not text[excerpt.start - 1].isalnum()
            assert excerpt.end == len(text) or not text[excerpt.end].isalnum()
            assert excerpt.score > 0


def test_date_header_is_never_quoted(seeds: Retriever) -> None:
    for excerpt in seeds.ask("ongoing tensions between US and China, 2022-09-02").excerpts:
        assert not excerpt.text.startswith("date")


def _docs(*texts: str) -> list[Document]:
    return [Document(id=f"doc{i}.txt", text=t, title=f"Doc {i}", date=None) for i, t in enumerate(texts)]


def test_best_sentence_is_quoted_not_the_whole_passage() -> None:
    text = ("The museum opened in 1901. It has three floors of paintings. "
            "The library next door holds forty thousand books. Tickets cost twelve euros on weekdays.")
    retriever = Retriever.from_documents(_docs(text, "Unrelated notes about gardening and tomatoes."))
    answer = retriever.ask("How much do tickets cost?")
    assert answer.excerpts[0].text == "Tickets cost twelve euros on weekdays."


def test_up_to_top_k_excerpts_from_different_passages_best_first() -> None:
    texts = [f"The lighthouse keeper number {i} logged the storm on day {i}. " + "Filler sentence here. " * 40
             for i in range(5)]
    retriever = Retriever.from_documents(_docs(*texts))
    answer = retriever.ask("lighthouse keeper storm", top_k=3)
    assert len(answer.excerpts) == 3
    assert len({(e.document.id, e.start) for e in answer.excerpts}) == 3
    scores = [e.score for e in answer.excerpts]
    assert scores[0] >= scores[-1]


def test_no_answer_names_the_closest_document() -> None:
    retriever = Retriever.from_documents(_docs(
        "The ferry timetable changes in winter. Boats leave at nine.",
        "Our office is closed on public holidays.",
    ))
    answer = retriever.ask("When does the Zanzibar ferry timetable change for monsoon?")
    assert not answer.answered
    assert answer.excerpts == []
    assert answer.closest is not None and answer.closest.id == "doc0.txt"
    assert answer.to_dict()["closest"] == "doc0.txt"


def test_no_shared_word_means_no_closest_document() -> None:
    answer = Retriever.from_documents(_docs("Cats sleep a lot.")).ask("quantum chromodynamics lattice")
    assert not answer.answered and answer.closest is None


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   ", "empty"), ("?!?", "no words"), ("what is the", "very common words"),
     ("x" * 5000, "5,000 characters")],
)
def test_questions_that_cannot_be_asked_raise_question_error(seeds: Retriever, question: str, message: str) -> None:
    with pytest.raises(QuestionError, match=message):
        seeds.ask(question)


def test_longest_allowed_question_is_answered_without_error(seeds: Retriever) -> None:
    question = ("How long is the UN report? " * 100)[:MAX_QUESTION_CHARS]
    assert seeds.ask(question).answered


def test_top_k_out_of_range(seeds: Retriever) -> None:
    with pytest.raises(ValueError):
        seeds.ask("report", top_k=0)


def test_markdown_and_mentions_in_documents_are_quoted_verbatim() -> None:
    text = "**Alert** @everyone: the `deploy` is at <@123> noon, ||spoiler|| and # not a heading."
    answer = Retriever.from_documents(_docs(text, "Something else entirely.")).ask("When is the deploy?")
    assert answer.excerpts[0].text == text


def test_passages_overlap_and_respect_word_limits() -> None:
    sentences, counts, pos = [], [], 0
    for i in range(30):
        words = 20 + (i % 3) * 5
        sentences.append((pos, pos + words * 5))
        counts.append(words)
        pos += words * 5 + 1
    passages = make_passages(0, sentences, counts)
    covered = set()
    for p in passages:
        covered.update(range(p.first, p.last + 1))
        words = sum(counts[p.first : p.last + 1])
        assert words <= MAX_WORDS
        assert words >= MIN_WORDS
        assert (p.start, p.end) == (sentences[p.first][0], sentences[p.last][1])
    assert covered == set(range(30))
    for a, b in zip(passages, passages[1:]):
        assert a.first < b.first <= a.last  # at least one shared sentence


def test_a_single_very_long_sentence_is_its_own_passage() -> None:
    passages = make_passages(0, [(0, 10), (11, 5000), (5001, 5010)], [2, 900, 2])
    assert any(p.first == p.last == 1 for p in passages)


def test_a_file_without_sentence_punctuation_is_never_quoted_whole() -> None:
    from retrieval.sentences import MAX_SENTENCE_CHARS

    text = "lorem ipsum dolor " * 40_000 + "the narwhal tusk senses water temperature"
    answer = Retriever.from_documents(_docs(text, "Other notes.")).ask("What does the narwhal tusk sense?")
    first = answer.excerpts[0]
    assert "narwhal tusk" in first.text
    assert len(first.text) <= MAX_SENTENCE_CHARS
    assert first.text == text[first.start : first.end]
    assert text[first.start - 1] == " "  # cut between words


def test_a_heading_above_a_rule_lends_its_words_to_the_first_real_sentence() -> None:
    text = "# Harbour report\n\n***\n\nThe harbour reopened on Monday after the storm."
    answer = Retriever.from_documents(_docs(text, "Farms keep cows.")).ask("What is in the harbour report?")
    assert answer.excerpts[0].text == "The harbour reopened on Monday after the storm."


def test_a_markdown_heading_is_not_quoted_alone() -> None:
    text = "# Moon base\n\nThe base sits in Shackleton crater. It has four modules.\n\n## Power\n\nSolar panels feed it."
    retriever = Retriever.from_documents(_docs(text, "Farms keep cows and sheep."))
    assert retriever.ask("Where is the moon base?").excerpts[0].text == "The base sits in Shackleton crater."
    assert retriever.ask("What is the power source?").excerpts[0].text == "Solar panels feed it."


@pytest.mark.parametrize("markup", ["![](photo-2023.jpg)", "[PDF](https://example.com/tides.pdf)",
                                    "```\n$ pip install tides\n```", "***"])
def test_a_heading_never_lends_its_words_to_an_image_link_or_code_line(markup: str) -> None:
    text = f"# Crane repairs\n\n{markup}\n\nWork on the quay starts in May."
    answer = Retriever.from_documents(_docs(text, "Farms keep cows.")).ask("When are the crane repairs?")
    assert answer.excerpts[0].text == "Work on the quay starts in May."


def test_documents_sorted_by_date_as_sorted_sorts_them() -> None:
    import random

    from retrieval.retriever import _sorted_dates

    rng = random.Random(4)
    dates = [None if rng.random() < 0.2 else dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(500)]
    expected = sorted((d, i) for i, d in enumerate(dates) if d is not None)
    found, docs = _sorted_dates(dates)
    assert found == [d for d, _ in expected] and docs.tolist() == [i for _, i in expected]
