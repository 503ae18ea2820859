"""The catalog: finding a document by name, autocomplete choices, typed dates and the list of sources."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval import Retriever
from retrieval.catalog import DateRange, document_choices, parse_date, resolve_document, sources
from retrieval.errors import DateRangeError, UnknownDocumentError
from test_summary import make_retriever  # the same four documents: a harbour, a ferry, a festival, notes

@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return make_retriever()


def test_parse_date_accepts_blank_and_dates() -> None:
    assert parse_date(None) is None and parse_date("  ") is None
    assert parse_date(" 2022-09-02 ") == dt.date(2022, 9, 2)
    assert parse_date(dt.datetime(2022, 9, 2, 10, 0)) == dt.date(2022, 9, 2)


def test_documents_are_found_by_id_file_name_stem_title_or_unique_part(retriever: Retriever) -> None:
    for name in ("notes/garden.txt", "garden.txt", "GARDEN", "Garden notes", "  garden   NOTES ", "garden no"):
        assert resolve_document(retriever, name).id == "notes/garden.txt"
    with pytest.raises(UnknownDocumentError, match="2 documents match 'fe'") as caught:
        resolve_document(retriever, "fe")  # ferry.txt and festival.txt
    assert sorted(caught.value.suggestions) == ["ferry.txt", "festival.txt"]
    with pytest.raises(UnknownDocumentError, match="empty"):
        resolve_document(retriever, " ")


def test_a_path_with_the_seeds_folder_in_front_finds_the_document(retriever: Retriever) -> None:
    """What shell tab completion writes: ``seeds/notes/garden.txt``, or a Windows path."""
    assert resolve_document(retriever, "seeds/notes/garden.txt").id == "notes/garden.txt"
    assert resolve_document(retriever, "C:\\docs\\seeds\\ferry.txt").id == "ferry.txt"
    nested = make_retriever({"x.txt": "Top level notes.", "a/x.txt": "Nested notes."})
    assert resolve_document(nested, "seeds/a/x.txt").id == "a/x.txt"
    assert resolve_document(nested, "seeds/x.txt").id == "x.txt"


def test_titles_match_without_their_markdown_accents_or_punctuation() -> None:
    other = make_retriever({"minutes.md": "---\ntitle: Team **meeting** minutes\n---\nWe met.",
                            "Mes notes é.txt": "Notes about the café."})
    assert resolve_document(other, "Team meeting minutes").id == "minutes.md"
    assert resolve_document(other, "mes notes e").id == "Mes notes é.txt"


def many_documents(n: int) -> Retriever:
    return make_retriever({f"report-{i:02d}.txt": f"date 2020-01-{i % 28 + 1:02d} Report {i} on the water "
                           f"supply. The reservoir level was {i} metres." for i in range(n)})


def test_autocomplete_filters_by_typed_text_prefix_first(retriever: Retriever) -> None:
    assert [d.id for d in document_choices(retriever, "fe")] == ["ferry.txt", "festival.txt"]
    assert [d.id for d in document_choices(retriever, "FESTIVAL")] == ["festival.txt"]
    assert [d.id for d in document_choices(retriever, "notes")] == ["notes/garden.txt"]
    assert [d.id for d in document_choices(retriever, "timetable")] == ["ferry.txt"]  # inside the title
    assert [d.id for d in document_choices(retriever, "ferr timetabel")] == ["ferry.txt"]  # typo: closest
    assert document_choices(retriever, "qqqqqq") == []


def test_autocomplete_has_at_most_25_choices_newest_first() -> None:
    retriever = many_documents(40)
    empty = document_choices(retriever, "")
    assert len(empty) == 25
    dates = [d.date for d in empty]
    assert dates == sorted(dates, reverse=True)
    assert len(document_choices(retriever, "report")) == 25
    assert [d.id for d in document_choices(retriever, "report-3")] == (  # "Report 3 on ..." and report-3x.txt
        ["report-03.txt"] + [f"report-{i}.txt" for i in range(30, 40)])
    assert len(document_choices(retriever, "report", limit=5)) == 5


def test_sources_newest_first_undated_last_with_passage_counts(retriever: Retriever) -> None:
    listed = sources(retriever)
    assert [s.document.id for s in listed] == ["festival.txt", "ferry.txt", "harbour.md", "notes/garden.txt"]
    for source in listed:
        doc = retriever.documents.index(source.document)
        assert source.passages == sum(p.doc == doc for p in retriever.passages) >= 1
    assert listed[-1].to_dict() == {"document": "notes/garden.txt", "title": "Garden notes", "date": None,
                                    "passages": listed[-1].passages}
    assert listed[0].to_dict()["date"] == "2023-08-20"


def test_date_range_holds_documents_inclusively_and_says_itself() -> None:
    ferry = make_retriever().documents[1]
    assert DateRange.parse("2022-06-15", "2022-06-15").holds(ferry)
    assert not DateRange.parse("2022-06-16", None).holds(ferry)
    assert DateRange().holds(ferry) and not DateRange().given
    undated = make_retriever().documents[3]
    assert DateRange().holds(undated) and not DateRange.parse(None, "2030-01-01").holds(undated)
    assert DateRange.parse("2022-01-01", " 2022-12-31 ").text() == "2022-01-01 to 2022-12-31"
    assert DateRange.parse(None, "2022-12-31").text() == "until 2022-12-31"
    with pytest.raises(DateRangeError, match=r"since \(2023-01-01\) is after until \(2022-01-01\)"):
        DateRange.parse("2023-01-01", "2022-01-01")
