"""Loading the seeds folder: dates, titles, bad files."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from retrieval import NoDocumentsError, SeedsFolderNotFound, load_documents, parse_document


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "date 2022-09-02 The report was published.",
        "  DATE: 2022-09-02\nThe report was published.",
        "Date 2022-09-02\n\nThe report was published.",
        "\ndate:2022-09-02 The report was published.",
    ],
)
def test_date_header_forms(text: str) -> None:
    doc = parse_document("a.txt", text)
    assert doc.date == dt.date(2022, 9, 2)
    assert doc.body == "The report was published."
    assert "2022" not in doc.body


def test_front_matter_date_and_title_in_markdown() -> None:
    text = "---\ntitle: Quarterly notes\ndate: 2023-01-05T10:30:00\n---\n\n# Heading\n\nThe body text.\n"
    doc = parse_document("notes/q1.md", text)
    assert doc.date == dt.date(2023, 1, 5)
    assert doc.title == "Quarterly notes"
    assert doc.body.startswith("# Heading")
    assert doc.text[doc.body_start :] == doc.body


def test_date_in_file_name() -> None:
    doc = parse_document("reports/2022-09-02-report.md", "# UN report\n\nIt has 45 pages.")
    assert doc.date == dt.date(2022, 9, 2)
    assert doc.title == "UN report"


def test_undated_document_says_so() -> None:
    doc = parse_document("faq.txt", "How do I reset my password? Use the link on the login page.")
    assert doc.date is None
    assert doc.date_label == "undated"
    assert doc.title == "How do I reset my password?"


def test_long_first_sentence_title_is_cut_at_a_word() -> None:
    sentence = "This " + "remarkably " * 15 + "long sentence ends here."
    title = parse_document("x.txt", sentence).title
    assert len(title) <= 81
    assert title.endswith("…")
    assert title[:-1] in sentence


def test_impossible_date_warns_and_leaves_document_undated(caplog: pytest.LogCaptureFixture) -> None:
    warnings: list[str] = []
    with caplog.at_level(logging.WARNING):
        doc = parse_document("bad.txt", "date 2022-02-30 Text here.", warnings)
    assert doc.date is None
    assert doc.body == "Text here."
    assert len(warnings) == 1 and "bad.txt" in warnings[0]
    assert "bad.txt" in caplog.text


def test_folder_loads_recursively_in_stable_order_with_relative_ids(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "date 2021-01-01 Second.")
    write(tmp_path, "notes/faq.md", "# FAQ\n\nAnswers.")
    write(tmp_path, "a.md", "First.")
    write(tmp_path, "ignored.xlsx", "not a document")
    write(tmp_path, ".hidden/secret.txt", "hidden")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["a.md", "b.txt", "notes/faq.md"]
    assert result.warnings == []


def test_bad_files_are_skipped_with_one_warning_each_and_the_rest_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "good.txt", "date 2022-09-02 The good document.")
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "only-header.txt", "date 2022-09-02\n")
    write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path, "latin1.txt", "Le café était fermé à Genève.".encode("cp1252"))
    write(tmp_path, "bad-front.md", "---\ntitle: [unclosed\n---\nBody of the bad front matter file.")
    write(tmp_path, "feb30.txt", "date 2022-02-30 Impossible date.")
    with caplog.at_level(logging.WARNING):
        result = load_documents(tmp_path)
    ids = [d.id for d in result.documents]
    assert ids == ["bad-front.md", "feb30.txt", "good.txt", "latin1.txt"]
    latin = next(d for d in result.documents if d.id == "latin1.txt")
    assert latin.text == "Le café était fermé à Genève."
    for name in ["empty.txt", "only-header.txt", "binary.txt", "latin1.txt", "bad-front.md", "feb30.txt"]:
        assert sum(name in w for w in result.warnings) == 1, name
        assert name in caplog.text
    assert "good.txt" not in " ".join(result.warnings)


def test_bom_is_dropped_and_offsets_index_decoded_text(tmp_path: Path) -> None:
    write(tmp_path, "bom.txt", "\ufeffdate 2020-05-01 Café opens.".encode("utf-8"))
    (doc,) = load_documents(tmp_path).documents
    assert doc.text.startswith("date")
    assert doc.date == dt.date(2020, 5, 1)
    assert doc.text[doc.body_start :] == "Café opens."


def test_missing_folder_and_empty_folder_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SeedsFolderNotFound, match="does not exist"):
        load_documents(tmp_path / "nope")
    with pytest.raises(NoDocumentsError, match="No documents"):
        load_documents(tmp_path)
    write(tmp_path, "empty.md", "   \n")
    with pytest.raises(NoDocumentsError, match="could not be used"):
        load_documents(tmp_path)


def test_sentences_survive_abbreviations_quotes_and_urls() -> None:
    from retrieval import split_sentences

    text = ('The U.S. Sec. of State spoke on Thursday. He said "serious violations have been committed." '
            "See https://t.co/MQmI8mFoxo for the post. Dr. Smith agreed.")
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "The U.S. Sec. of State spoke on Thursday.",
        'He said "serious violations have been committed."',
        "See https://t.co/MQmI8mFoxo for the post.",
        "Dr. Smith agreed.",
    ]


def test_impossible_front_matter_date_keeps_the_title_and_hides_the_block() -> None:
    warnings: list[str] = []
    doc = parse_document("octopus.md", "---\ntitle: Bad Date\ndate: 2023-13-45\n---\nThe octopus has three hearts.",
                         warnings)
    assert doc.title == "Bad Date"
    assert doc.date is None
    assert doc.body == "The octopus has three hearts."
    assert warnings == ["octopus.md: the front-matter date '2023-13-45' is not a real date; the document is "
                        "treated as undated."]


def test_front_matter_needs_a_mapping_and_is_only_read_in_markdown() -> None:
    rule = "---\nIntro.\n---\nRest of the notes."
    assert parse_document("notes.md", rule).body == rule  # a horizontal rule, not metadata
    warnings: list[str] = []
    text_file = parse_document("notes.txt", "---\ntitle: X\n---\nBody.", warnings)
    assert (text_file.body, text_file.title) == ("Body.", "Body.")  # hidden, not read, never a title
    assert len(warnings) == 1 and "notes.txt" in warnings[0] and ".md" in warnings[0]


def test_front_matter_body_offset_is_exact_when_the_body_repeats_the_title() -> None:
    doc = parse_document("n.md", "---\ntitle: Notes\n---\nNotes")
    assert (doc.title, doc.body) == ("Notes", "Notes")


def test_a_markdown_file_that_opens_with_a_rule_takes_its_title_from_the_first_words() -> None:
    assert parse_document("hr.md", "---\n\nThe lighthouse was repainted.\n").title == "The lighthouse was repainted."
