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


def test_a_chat_log_is_named_by_its_file_not_by_its_first_message() -> None:
    for text in ("[14:15] lena.k: does the android app play offline?\n[14:18] yuki: yes.",
                 "14:02 <dario> anyone around?\n14:03 <priya> yes",
                 "[2026-11-18 09:30] yuki (maintainer): the 2.5 beta is out\n"):
        assert parse_document("logs/chat-2026-11.txt", text).title == "logs/chat-2026-11.txt"
    assert parse_document("agenda.txt", "Time: 14:00 in room 2.").title == "Time: 14:00 in room 2."


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


# --- Dates as people write them -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "date 2022-9-2\nThe report was published.",
        "Date: 2 September 2022\nThe report was published.",
        "date: September 2, 2022\nThe report was published.",
        "date 2022/09/02 The report was published.",
        "Date: Friday, 2nd Sept. 2022\n\nThe report was published.",
        "date: 2022-09-02T10:30:00Z\nThe report was published.",
    ],
)
def test_date_lines_as_people_write_them(text: str) -> None:
    warnings: list[str] = []
    doc = parse_document("a.txt", text, warnings)
    assert doc.date == dt.date(2022, 9, 2)
    assert doc.body == "The report was published."
    assert warnings == []


def test_an_ambiguous_day_month_date_is_not_guessed(caplog: pytest.LogCaptureFixture) -> None:
    warnings: list[str] = []
    with caplog.at_level(logging.WARNING):
        doc = parse_document("minutes.txt", "Date: 02/09/2022\nThe board met.", warnings)
    assert doc.date is None
    assert doc.body == "The board met." and doc.title == "The board met."
    (warning,) = warnings
    assert "minutes.txt" in warning and "'02/09/2022'" in warning and "2022-09-02" in warning
    assert "minutes.txt" in caplog.text


def test_a_numeric_date_that_can_only_be_read_one_way_is_read() -> None:
    assert parse_document("a.txt", "date 13/09/2022\nText.").date == dt.date(2022, 9, 13)


def test_a_date_line_that_cannot_be_read_is_warned_never_quoted_nor_a_title() -> None:
    warnings: list[str] = []
    doc = parse_document("plan.txt", "Date: sometime in spring\nThe garden plan for the year.", warnings)
    assert doc.date is None
    assert doc.body == "The garden plan for the year."
    assert doc.title == "The garden plan for the year."
    (warning,) = warnings
    assert "plan.txt" in warning and "'sometime in spring'" in warning


def test_a_sentence_that_starts_with_the_word_date_is_text() -> None:
    doc = parse_document("palms.txt", "Date palms grow in the desert.")
    assert (doc.date, doc.body) == (None, "Date palms grow in the desert.")


@pytest.mark.parametrize(
    ("value", "date", "quoted"),
    [("September 2, 2022", dt.date(2022, 9, 2), None), ("2 September 2022", dt.date(2022, 9, 2), None),
     ("2022/9/2", dt.date(2022, 9, 2), None), ("02/09/2022", None, "'02/09/2022'"),
     ("next week sometime", None, "'next week sometime'")],
)
def test_front_matter_dates_follow_the_same_rules_and_warnings_quote_the_whole_value(
    value: str, date: dt.date | None, quoted: str | None
) -> None:
    warnings: list[str] = []
    doc = parse_document("n.md", f"---\ntitle: Notes\ndate: {value}\n---\nBody.", warnings)
    assert doc.date == date
    assert (doc.title, doc.body) == ("Notes", "Body.")
    if quoted is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and quoted in warnings[0] and "n.md" in warnings[0]


# --- Bad input a new user finds ---------------------------------------------------------------------------


def test_an_unreadable_sub_folder_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    write(tmp_path, "good.txt", "The good document.")
    write(tmp_path, "locked/secret.txt", "Locked away.")
    real_scandir = os.scandir

    def scandir(path: object) -> object:  # tests run as root, who can read a chmod 000 folder
        if Path(str(path)).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["good.txt"]
    (warning,) = result.warnings
    assert "locked" in warning and "Permission denied" in warning


def test_a_dangling_link_is_warned(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "The good document.")
    (tmp_path / "gone.md").symlink_to(tmp_path / "deleted.md")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["good.txt"]
    (warning,) = result.warnings
    assert "gone.md" in warning and "does not exist" in warning


def test_a_linked_folder_is_followed_once_and_a_loop_is_not(tmp_path: Path) -> None:
    seeds, elsewhere = tmp_path / "seeds", tmp_path / "elsewhere"
    write(seeds, "good.txt", "The good document.")
    write(elsewhere, "shared.md", "The shared notes.")
    (seeds / "linked").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "back").symlink_to(seeds, target_is_directory=True)  # a loop back to the seeds folder
    result = load_documents(seeds)
    assert [d.id for d in result.documents] == ["good.txt", "linked/shared.md"]
    (warning,) = result.warnings
    assert "linked/back" in warning and "already read" in warning


@pytest.mark.parametrize(
    ("name", "text"),
    [("unclosed.md", "---\ntitle: Garden notes\ndate: 2022-09-02\n\nThe roses need water."),
     ("unclosed-no-gap.md", "---\ntitle: Garden notes\nThe roses need water."),
     ("list.md", "---\n- garden\n- roses\n---\nThe roses need water."),
     ("front.txt", "---\ntitle: Garden notes\n---\nThe roses need water."),
     ("invalid.md", "---\ntitle: [Garden notes\n---\nThe roses need water.")],
)
def test_front_matter_that_is_not_read_is_warned_and_never_a_title_or_a_quote(name: str, text: str) -> None:
    warnings: list[str] = []
    doc = parse_document(name, text, warnings)
    assert doc.body == "The roses need water."
    assert doc.title == "The roses need water."
    assert len(warnings) == 1 and name in warnings[0]


def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    text = "The ferry to the island leaves at nine every morning. Tickets cost twelve euros."
    write(tmp_path, "le.txt", text.encode("utf-16-le"))
    write(tmp_path, "be.txt", text.encode("utf-16-be"))
    result = load_documents(tmp_path)
    assert [d.text for d in result.documents] == [text, text]
    assert result.warnings == []


def test_random_bytes_without_nul_are_skipped_as_binary(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    write(tmp_path, "noise.txt", bytes(rng.randrange(1, 256) for _ in range(4000)))
    write(tmp_path, "good.txt", "The good document.")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["good.txt"]
    (warning,) = result.warnings
    assert "noise.txt" in warning and "binary" in warning


def test_a_markdown_file_that_is_only_a_code_block_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "snippet.md", "```python\nprint('the ferry leaves at nine')\n```\n")
    write(tmp_path, "good.txt", "The good document.")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["good.txt"]
    (warning,) = result.warnings
    assert "snippet.md" in warning and "no text to quote" in warning


def test_a_fence_line_is_never_quoted(tmp_path: Path) -> None:
    from retrieval import Retriever

    write(tmp_path, "howto.md", "# Ferry script\n\nRun this to print the ferry time:\n\n```\n"
          "print('the ferry leaves at nine')\n```\n\nThe harbour office sells tickets.\n")
    retriever = Retriever.from_folder(tmp_path)
    (document,) = retriever.documents
    assert document.title == "Ferry script"
    answer = retriever.ask("print the ferry leaves at nine")
    for excerpt in answer.excerpts:
        assert "```" not in excerpt.text and "print(" not in excerpt.text
    assert all("```" not in document.text[s:e] for s, e in retriever.sentences[0].spans)


@pytest.mark.parametrize(
    "text",
    ["Intro text.\n\n```\nprint('code line')", "Intro text.\r\n```\r\nprint('code line')\r\n```\r\n",
     "Intro\u2028text.\n~~~\nprint('code line')\n~~~\n"],
)
def test_code_blocks_are_found_whatever_the_line_ends_and_when_left_open(text: str) -> None:
    doc = parse_document("c.md", text)
    regions = [doc.text[s:e] for s, e in doc.quotable_regions()]
    assert len(regions) == 1 and "code line" not in regions[0] and "text." in regions[0]


def test_a_date_warning_shows_both_readings_of_the_files_own_date() -> None:
    warnings: list[str] = []
    parse_document("minutes.txt", "Date: 02/09/2026\nThe board met.", warnings)
    (warning,) = warnings
    assert "2026-09-02 for 2 September 2026" in warning and "2026-02-09 for 9 February 2026" in warning
    assert "2022" not in warning
