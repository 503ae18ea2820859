"""The analyzer: each step is shown by a question that fails without it."""

from __future__ import annotations

import pytest

from retrieval import Analyzer, Document, Retriever


def _retriever(*texts: str, analyzer: Analyzer | None = None) -> Retriever:
    docs = [Document(id=f"d{i}.txt", text=t, title=f"d{i}", date=None) for i, t in enumerate(texts)]
    return Retriever.from_documents(docs, analyzer=analyzer)


FILLER = "A ferry leaves every hour from the north pier."


@pytest.mark.parametrize(
    ("document", "question", "step"),
    [
        ("The ﬁnance committee met on Monday.", "finance?", "NFKC"),
        ("STRASSE closures were announced for the weekend.", "Straße?", "casefold"),
        ("The café on the corner serves breakfast until noon.", "cafe?", "accents"),
        ("Inflation, said the minister, was falling.", "inflation", "punctuation"),
        ("Researchers were running new trials in spring.", "runs?", "stemming"),
    ],
)
def test_each_analyzer_step_lets_a_question_match(document: str, question: str, step: str) -> None:
    """The question's only word needs the step to meet the document's form of it."""
    answer = _retriever(document, FILLER).ask(question)
    assert answer.answered, step
    assert answer.excerpts[0].text == document


def test_without_stemming_the_inflected_question_misses() -> None:
    """The control for the stemming case above: the same question and document, no stemmer."""
    plain = Analyzer(stem=False)
    answer = _retriever("Researchers were running new trials in spring.", FILLER, analyzer=plain).ask("runs?")
    assert not answer.answered


def test_curly_and_straight_apostrophes_give_the_same_terms() -> None:
    analyzer = Analyzer()
    assert analyzer("China’s report") == analyzer("China's report") == analyzer("China report")


def test_accent_and_case_folding() -> None:
    analyzer = Analyzer()
    assert analyzer("Café") == analyzer("cafe")
    assert analyzer("ＡＢＣ") == analyzer("abc")  # full-width letters via NFKC


def test_stop_words_are_dropped_and_stems_kept() -> None:
    assert Analyzer()("The reports were being published") == ["report", "publish"]


def test_only_stop_words_or_punctuation_give_no_terms() -> None:
    analyzer = Analyzer()
    assert analyzer("what is the") == []
    assert analyzer("?!... —") == []
