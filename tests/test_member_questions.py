"""Failure classes a new user met on a folder and questions of their own (second round of issue 8): field
lines and a chat's last message taken for titles, a successor named with an accented name, "voted on" taken
for the result, a version no document has, "What is an RFC?", and "thanks!"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from retrieval import Document, Retriever
from filler import filler_notes

AS_OF = dt.date(2026, 5, 20)


def test_a_field_line_and_a_chats_last_message_are_quoted_not_taken_for_titles(tmp_path: Path) -> None:
    (tmp_path / "sprint.txt").write_text(
        "date 2026-05-01\nAutumn sprint\n\nDate: 3 October 2026\n\nVenue: Casa do Porto\n\nCapacity: 30 people\n\n"
        "We will fix docs all day.\n", encoding="utf-8")
    (tmp_path / "chat.txt").write_text(
        "[18:20] mira: who runs the schedule for the sprint day\n[18:21] ana: dm henrik, he does.\n"
        "[18:30] jun: the matrix bridge is live now, room is #lanternfish:matrix.org\n", encoding="utf-8")
    (tmp_path / "faq.md").write_text("# FAQ\n\nThe docs site is rebuilt every night.\n", encoding="utf-8")
    retriever = Retriever.from_folder(tmp_path, index_dir=tmp_path.parent / "index")
    assert "Casa do Porto" in retriever.ask("Where is the autumn sprint?", as_of=AS_OF).excerpts[0].text
    assert "30 people" in retriever.ask("How many people can come to the autumn sprint?", as_of=AS_OF).excerpts[0].text
    assert "matrix.org" in retriever.ask("do we have a matrix room?", as_of=AS_OF).excerpts[0].text


MINUTES = [
    Document(id="minutes-2026-03.md", title="Community call, March 2026", date=dt.date(2026, 3, 17), text=(
        "# Community call, March 2026\n\n## Release manager\n\n"
        "Priya Raman steps down as release manager after the v2.4 release. Tomasz Wójcik (TW) is the new release "
        "manager, starting with v3.0.\n\n## Matrix\n\n"
        "The group voted on bridging the Discord server to Matrix. The vote was 5 in favour and 2 against; the "
        "bridge will be set up by Jun Park.\n")),
    Document(id="release-v2.4.md", title="Release 2.4", date=dt.date(2026, 3, 10), text=(
        "# Release 2.4\n\nThe default port of the development server changes from 8000 to 4173.\n")),
    Document(id="governance.md", title="Governance", date=None, text=(
        "# Governance\n\nAn RFC passes with a simple majority of the TSC. An RFC is opened as a pull request and "
        "stays open for 14 days.\n\n## Process\n\nBig changes go through a Request for Comments (RFC).\n")),
    *filler_notes(),
]


def test_who_holds_a_role_now_quotes_the_successor_even_with_an_accented_name() -> None:
    text = Retriever.from_documents(MINUTES).ask("Who is the release manager now?", as_of=AS_OF).excerpts[0].text
    assert "Tomasz Wójcik" in text


def test_voted_on_is_the_debate_the_result_in_the_next_sentence_is_quoted_with_it() -> None:
    text = Retriever.from_documents(MINUTES).ask("What was decided about the Matrix bridge?", as_of=AS_OF).excerpts[0].text
    assert "5 in favour" in text


def test_a_version_no_document_names_is_declined() -> None:
    retriever = Retriever.from_documents(MINUTES)
    assert not retriever.ask("What is the default port in v5.0?", as_of=AS_OF).answered
    assert "4173" in retriever.ask("What is the default port in v2.4?", as_of=AS_OF).excerpts[0].text


def test_what_is_an_abbreviation_quotes_where_it_is_spelled_out() -> None:
    text = Retriever.from_documents(MINUTES).ask("What is an RFC?", as_of=AS_OF).excerpts[0].text
    assert "Request for Comments" in text


def test_thanks_and_hi_are_not_asked_of_the_documents() -> None:
    pages = [*MINUTES, Document(id="contributing.md", title="Contributing", date=None, text=(
        "# Contributing\n\nThank you for wanting to help! Hi there, new contributors are welcome.\n"))]
    retriever = Retriever.from_documents(pages)
    for said in ("thanks!", "hi", "ok thanks"):
        assert not retriever.ask(said, as_of=AS_OF).answered, said


def test_a_title_line_with_a_colon_is_still_a_title() -> None:
    from retrieval.corpus import _is_heading

    text = "Chapter 2: Installation\n\nRun the installer and follow the prompts.\n"
    assert _is_heading(text, (0, len("Chapter 2: Installation")))
    field = "Venue: Casa do Porto\n\nCapacity: 30 people\n"
    assert not _is_heading(field, (0, len("Venue: Casa do Porto")))


def test_a_field_line_is_one_labelled_for_any_answer_type() -> None:
    from retrieval.answer_types import field_line, labelled
    from retrieval.question import AnswerType

    for line in ("Venue: Casa", "- **Date:** 3 Oct", "Capacity: 30", "**Getting there:** by metro",
                 "Chapter 2: Install", "[18:30] jun: the room", "Note: bring a laptop"):
        assert field_line(line) == labelled(line, tuple(AnswerType)), line


def test_a_day_and_month_without_a_year_name_a_period(tmp_path: Path) -> None:
    pages = [
        Document(id="chat-2026-04-28.txt", title="chat", date=dt.date(2026, 4, 28), text=(
            "[18:02] mira: why does serve say address already in use?\n"
            "[18:03] ana: something else is on port 4173, try serve --port 4174.\n")),
        Document(id="faq.md", title="FAQ", date=None, text="# FAQ\n\nThe docs site is rebuilt every night.\n"),
        Document(id="event.md", title="Porto meetup", date=dt.date(2026, 2, 3), text=(
            "# Porto meetup\n\n- **Date:** Saturday, 26 April 2026\n- **Time:** 14:00 to 19:00\n")),
        *filler_notes(),
    ]
    retriever = Retriever.from_documents(pages)
    answer = retriever.ask("what was said in the 28 April chat about address already in use?", as_of=AS_OF)
    assert answer.answered and answer.excerpts[0].document.id == "chat-2026-04-28.txt"
    # A day still to come: the page announcing it, written before it, answers.
    answer = retriever.ask("What time does the meetup on 26 April start?", as_of=dt.date(2026, 2, 12))
    assert answer.answered and "14:00" in answer.excerpts[0].text


def test_a_field_labelled_venue_holds_the_place_a_two_part_question_asks_for() -> None:
    pages = [
        Document(id="sprint.md", title="Porto sprint 2026", date=dt.date(2026, 4, 10), text=(
            "# Porto sprint 2026\n\nJoin us for a day of talks and a documentation "
            "sprint.\n\n- **Date:** Saturday 13 June 2026\n- **Time:** 10:00 to 17:00\n"
            "- **Venue:** Biblioteca de Marvila, Rua Direita 5\n- **Tickets:** free\n")),
        *filler_notes(),
    ]
    text = Retriever.from_documents(pages).ask("When and where is the Porto sprint?", as_of=AS_OF).excerpts[0].text
    assert "13 June 2026" in text and "Biblioteca de Marvila" in text


def test_an_evening_is_no_date_for_when_and_a_past_question_means_the_last_such_day() -> None:
    pages = [
        Document(id="summit-2027.md", title="Mossbell Summit 2027", date=dt.date(2026, 11, 2), text=(
            "# Mossbell Summit 2027\n\nThe first in-person Mossbell Summit: talks, a plugin hack table and an evening "
            "jam session.\n\n- **Date:** Saturday, 13 February 2027\n- **Time:** 10:00 to 17:30\n"
            "- **Venue:** Hall B, Kulturfabrik Oerlikon, Zurich\n")),
        Document(id="chat-2026-05-03.txt", title="chat", date=dt.date(2026, 5, 3), text=(
            "[10:02] reedbird: anyone else getting crackles on the 0.8 build?\n"
            "[10:04] lars: yes, try raising the buffer to 512 in preferences.\n")),
        Document(id="release-v0.9.md", title="Release 0.9", date=dt.date(2026, 6, 1), text=(
            "# Release 0.9\n\n- The default audio buffer size is now 128 samples.\n")),
        *filler_notes(),
    ]
    retriever = Retriever.from_documents(pages)
    assert "13 February 2027" in retriever.ask("When is the Mossbell Summit?", as_of=dt.date(2026, 12, 1)).excerpts[0].text
    answer = retriever.ask("In the 3 May chat, what buffer size was suggested for crackles?", as_of=dt.date(2026, 12, 1))
    assert answer.answered and answer.excerpts[0].document.id == "chat-2026-05-03.txt"


def test_the_next_meeting_named_without_a_year_is_read_in_the_coming_year() -> None:
    # Minutes of November name "13 January": January of the next year, so still to come in December.
    from retrieval.documents import parse_document

    november = ("date 2026-11-11\nMinutes of the Friends of Elm Park meeting on 11 November.\n"
                "Present: Rosa Lind (chair) and seven members.\n\nThe bench repairs cost £310.\n"
                "The next meeting will be on 13 January at 19:00 in the library.\n")
    october = ("date 2026-10-14\nMinutes of the Friends of Elm Park meeting on 14 October.\n"
               "The next meeting will be on 11 November at 19:00 in the pavilion.\n")
    retriever = Retriever.from_documents([parse_document("minutes-11.txt", november),
                                          parse_document("minutes-10.txt", october), *filler_notes(8)])
    answer = retriever.ask("When is the next meeting?", as_of=dt.date(2026, 12, 3))
    assert "13 January" in answer.excerpts[0].text, answer.excerpts[0].text
