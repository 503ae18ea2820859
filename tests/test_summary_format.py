"""The pure Discord formatter for summaries and the document list: limits, escaping, grouping, paging."""

from __future__ import annotations

import datetime as dt
import re

from bot.formatting import MAX_MESSAGE_CHARS, discord_length
from bot.summary_format import (
    MAX_CHOICE_NAME,
    choice_name,
    render_nothing_found,
    render_source_pages,
    render_summary,
)
from retrieval import Document
from retrieval.summary import Source, Summary, SummarySentence


def document(text: str, doc_id: str, title: str, date: dt.date | None) -> Document:
    return Document(id=doc_id, text=text, title=title, date=date)


def sentence(doc: Document, text: str) -> SummarySentence:
    start = doc.text.index(text)
    return SummarySentence(doc, start, start + len(text), 1.0)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


OLD = document("The old bridge closed in May. Traffic moved to the ring road.", "bridge.txt", "Bridge", dt.date(2020, 5, 1))
NEW = document("The new bridge opened in June. Cyclists got their own lane.", "new.txt", "New bridge", dt.date(2021, 6, 1))
NOTE = document("Ping @everyone: the **bridge** party is <@123> at noon.", "notes/party.md", "Party", None)


def test_single_document_summary_quotes_each_sentence_then_the_source() -> None:
    summary = Summary([sentence(OLD, "The old bridge closed in May."), sentence(OLD, "Traffic moved to the ring road.")],
                      "document", document=OLD, documents=1)
    [content] = render_summary(summary)
    assert content == ("**Summary** · 2 sentences\n\n"
                       "> The old bridge closed in May.\n"
                       "> Traffic moved to the ring road.\n"
                       "— **Bridge** · 2020-05-01 · `bridge.txt`")


def test_digest_puts_a_date_line_above_each_date_oldest_first_and_notes_left_out() -> None:
    summary = Summary([sentence(OLD, "The old bridge closed in May."), sentence(NEW, "The new bridge opened in June."),
                       sentence(NOTE, NOTE.text)], "collection", documents=3, since=dt.date(2020, 1, 1),
                      undated_left_out=2)
    [content] = render_summary(summary)
    assert content.startswith("**Digest of 3 documents**, oldest first · 3 sentences · since 2020-01-01\n\n")
    assert content.index("**2020-05-01**\n> The old bridge") < content.index("**2021-06-01**\n> The new bridge")
    assert content.index("**2021-06-01**") < content.index("**undated**\n> Ping")
    assert content.endswith("*2 undated documents were left out of the date range.*")


def test_document_text_is_escaped_so_nothing_pings_or_formats() -> None:
    summary = Summary([sentence(NOTE, NOTE.text)], "topic", topic="**party** <@1>", documents=1)
    [content] = render_summary(summary)
    assert "\\@everyone" in content and "\\*\\*bridge\\*\\*" in content and "\\<@123>" in content
    assert content.startswith("**What the documents say about “\\*\\*party\\*\\* \\<@1>”** · 1 sentence")
    assert "@everyone" not in content.replace("\\@everyone", "")


def test_long_summary_is_split_within_discords_limit_without_losing_words() -> None:
    long_text = " ".join(f"Clause {i} of the treaty sets out duties for the harbour board." for i in range(300))
    doc = document(long_text, "treaty.txt", "Treaty", dt.date(1999, 1, 1))
    parts = [f"Clause {i} of the treaty sets out duties for the harbour board." for i in range(0, 300, 30)]
    summary = Summary([sentence(doc, p) for p in parts] + [SummarySentence(doc, 0, len(long_text), 1.0)],
                      "document", documents=1)
    contents = render_summary(summary)
    assert len(contents) >= 3
    assert all(discord_length(c) <= MAX_MESSAGE_CHARS for c in contents)
    quoted = " ".join(unescape(line[2:]).replace("…", " ") for c in contents for line in c.split("\n")
                      if line.startswith("> "))
    assert quoted.split() == " ".join(parts + [long_text]).split()
    assert contents[-1].endswith("— **Treaty** · 1999-01-01 · `treaty.txt`")


def test_nothing_found_is_escaped() -> None:
    assert render_nothing_found("Nothing mentions '**x**'.") == "Nothing mentions '\\*\\*x\\*\\*'."


def sources_of(n: int, title: str = "Report") -> list[Source]:
    return [Source(document("x", f"r-{i:03d}.txt", f"{title} {i}", dt.date(2020, 1, 1) - dt.timedelta(days=i)), i % 4 + 1)
            for i in range(n)]


def test_short_source_list_is_one_page() -> None:
    [page] = render_source_pages(sources_of(3))
    assert page.split("\n") == ["**3 documents**, newest first",
                                "**Report 0** · 2020-01-01 · `r-000.txt` · 1 passage",
                                "**Report 1** · 2019-12-31 · `r-001.txt` · 2 passages",
                                "**Report 2** · 2019-12-30 · `r-002.txt` · 3 passages"]


def test_long_source_list_pages_within_limits_and_keeps_every_document() -> None:
    pages = render_source_pages(sources_of(95))
    assert len(pages) == 10
    assert pages[0].startswith("**95 documents**, newest first · page 1/10\n")
    assert pages[-1].startswith("**95 documents**, newest first · page 10/10\n")
    entries = [line for page in pages for line in page.split("\n")[1:]]
    assert [e.split("`")[1] for e in entries] == [f"r-{i:03d}.txt" for i in range(95)]


def test_pages_with_very_long_titles_stay_under_the_limit() -> None:
    listed = sources_of(30, title="A very long title about the harbour " * 10)
    pages = render_source_pages(listed)
    assert all(discord_length(p) <= MAX_MESSAGE_CHARS for p in pages)
    assert sum(len(p.split("\n")) - 1 for p in pages) == 30
    assert len(pages) > 3  # fewer than ten long entries fit on a page


def test_choice_names_are_short_plain_labels() -> None:
    assert choice_name(OLD) == "Bridge · 2020-05-01"
    assert choice_name(NOTE) == "Party · undated"
    long = document("x", "l.txt", "Harbour " * 40, dt.date(2020, 1, 1))
    name = choice_name(long)
    assert len(name) <= MAX_CHOICE_NAME and name.endswith("… · 2020-01-01")
