"""An initialism in the question ("jfk", "ny") where the documents spell the name out."""

from __future__ import annotations

from retrieval import Document, Retriever
from retrieval.acronyms import could_be_initialism, expansions


def test_expansions_find_capitalised_long_forms_with_initials_and_joiners() -> None:
    text = ("The state funeral of John F. Kennedy took place in Washington. The University of Western Australia "
            "was founded in 1911. New York Governor Eliot Spitzer resigned; New York voters were surprised.")
    assert expansions("jfk", [text]) == ["John F. Kennedy"]
    assert expansions("UWA", [text]) == ["University of Western Australia"]
    assert expansions("ny", [text]) == ["New York"]
    # Lower-case words, a long form of bare initials, and words that are not initialisms do not count.
    assert expansions("sf", ["the state funeral"]) == []
    assert expansions("jfk", ["J. F. K. landed."]) == []
    assert not could_be_initialism("k8s") and not could_be_initialism("x")


PAGES = [
    Document(id="kennedy.md", title="John F. Kennedy", date=None, text=(
        "# John F. Kennedy\n\nJohn F. Kennedy was the 35th president of the United States.\n\n"
        "After the funeral mass, the late president was buried at Arlington National Cemetery in Virginia.")),
    Document(id="lincoln.md", title="Abraham Lincoln", date=None, text=(
        "# Abraham Lincoln\n\nAbraham Lincoln was the 16th president of the United States. He was buried in "
        "Springfield, Illinois.")),
    *(Document(id=f"city-{n}.md", title=f"City {n}", date=None, text=f"# City {n}\n\nThe city has {n} bridges.")
      for n in range(5)),
]


def test_a_question_naming_a_person_by_initials_is_answered_from_the_spelled_out_name() -> None:
    answer = Retriever.from_documents(PAGES).ask("where was jfk buried")
    assert answer.answered and answer.excerpts[0].document.id == "kennedy.md"
    # An initialism no document spells out still counts as a word the documents lack.
    assert not Retriever.from_documents(PAGES).ask("where was zqx buried").answered


ABBREVIATIONS = [
    Document(id="apollo.md", title="Apollo", date=None, text=(
        "# Apollo\n\nThe LEM carried two astronauts to the surface. Grumman built the LEM in Bethpage, and the LEM "
        "flew ten times.\n\nNASA asked firms to bid for the Lunar Excursion Module (LEM) in 1962.")),
    Document(id="wire.txt", title="wire.txt", date=None, text=(
        "for aarp, there's a lot at stake this year. members of the american association of retired persons "
        "(aarp) qualify for discounts at many hotels.")),
    *(Document(id=f"note-{n}.md", title=f"Note {n}", date=None, text=f"# Note {n}\n\nThe pump ran {n} hours.")
      for n in range(5)),
]


def test_what_an_abbreviation_stands_for_quotes_the_sentence_that_spells_it_out() -> None:
    retriever = Retriever.from_documents(ABBREVIATIONS)
    assert "Lunar Excursion Module" in retriever.ask("What does the acronym LEM stand for?").excerpts[0].text
    # Lower-cased newswire spells the name out in lower case.
    assert "american association" in retriever.ask("What does aarp stand for?").excerpts[0].text
