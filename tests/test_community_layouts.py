"""Failure classes a third new-user trial met on a community folder of its own: FAQ ``Q:``/``A:`` lines and
chat questions quoted without their answer, "What was decided at the March call?" declined, agenda labels
("1. Release manager.") quoted as sentences, a pasted link sinking the question, a sentence that repeats the
page's title word beating the one that answers, a successor named as "Ines takes over", and "From October on"
not read as the new state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from filler import filler_notes, first_quote
from retrieval import Document, Retriever

AS_OF = dt.date(2026, 12, 1)

FOLDER = [
    Document(id="faq.txt", title="Driftwood FAQ", date=None, text=(
        "Driftwood frequently asked questions\n\n"
        "Q: Which file formats are supported?\n"
        "A: FLAC, MP3, Ogg Vorbis and Opus are supported. WMA files must be converted first.\n\n"
        "Q: Where are my settings stored?\n"
        "A: All settings live in config.toml in the data folder.\n")),
    Document(id="chatlog.txt", title="chatlog.txt", date=dt.date(2026, 11, 18), text=(
        "[14:15] lena.k: is transcoding to opus possible for the android app?\n"
        "[14:16] yuki (maintainer): yes, set transcode_format = \"opus\" in config.toml, bitrate 96 is plenty.\n"
        "[14:17] lena.k: perfect, saves a lot of mobile data.\n")),
    Document(id="minutes-2026-03-10.txt", title="Maintainers' call, March 2026", date=dt.date(2026, 3, 10), text=(
        "Maintainers' call, March 2026\n\n"
        "Present: Ines, Tobias, Kwame, Yuki. Chair: Tobias.\n\n"
        "1. Port change. Kwame proposed moving the default port away from 4533. Decision: postponed until "
        "after 2.3 ships, so existing users are not surprised.\n\n"
        "2. Next call: 14 April 2026 at 18:00 UTC on Jitsi.\n")),
    Document(id="minutes-2026-11-03.txt", title="Maintainers' call, November 2026", date=dt.date(2026, 11, 3), text=(
        "Maintainers' call, November 2026\n\n"
        "Present: Ines, Tobias, Kwame. Chair: Ines.\n\n"
        "1. Release manager. Tobias is stepping back as release manager after 2.4.1. Ines takes over as release "
        "manager from 2.5 onwards.\n\n"
        "2. Calls. From December on, maintainers' calls move to the first Tuesday of the month.\n")),
    Document(id="meetup.md", title="Utrecht meetup", date=dt.date(2026, 11, 20), text=(
        "# Utrecht meetup\n\n"
        "Register on the meetup page at driftwood.community/meetup.\n\n"
        "- Date: Saturday 16 January 2027\n"
        "- Venue: De Bibliotheek Neude, Neude 11, Utrecht\n")),
    *filler_notes(),
]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.from_documents(FOLDER)


def first(retriever: Retriever, question: str) -> str:
    return first_quote(retriever, question, AS_OF)


def test_an_faq_question_line_is_quoted_with_its_answer(retriever: Retriever) -> None:
    text = first(retriever, "Which file formats are supported?")
    assert text.startswith("Q: Which file formats") and "FLAC, MP3" in text


def test_a_question_in_a_chat_is_quoted_with_the_reply_after_it(retriever: Retriever) -> None:
    assert "transcode_format" in first(retriever, "can the android app stream opus?")


def test_what_was_decided_at_a_named_call_quotes_the_decision(retriever: Retriever) -> None:
    assert "Decision: postponed" in first(retriever, "What was decided at the March call?")
    assert "Decision: postponed" in first(retriever, "What did the March 2026 call decide?")


def test_an_agenda_label_is_not_quoted_as_a_sentence(retriever: Retriever) -> None:
    text = first(retriever, "What about the port change?")
    assert not text.startswith("1. Port change.") and "Kwame proposed" in text


def test_who_holds_a_role_now_quotes_the_successor_named_with_a_plain_verb(retriever: Retriever) -> None:
    from retrieval.answer_types import has_answer_type
    from retrieval.question import AnswerType

    assert first(retriever, "Who is the release manager now?").startswith("Ines takes over")
    asked = frozenset("who is the release manager now".split())
    for text in ("Ines takes over as release manager.", "Priya organises the meetup.", "Kwame proposed it."):
        assert has_answer_type(text, AnswerType.PERSON, asked), text


def test_a_pasted_link_in_the_question_is_not_searched_for(retriever: Retriever) -> None:
    plain = first(retriever, "when is the meetup")
    assert "16 January 2027" in plain
    assert first(retriever, "https://discord.com/channels/1/2/3 when is the meetup") == plain
    assert first(retriever, "see <https://example.com/x> when is the meetup") == plain


def test_the_page_title_stands_over_every_sentence_so_the_labelled_answer_wins(retriever: Retriever) -> None:
    # "Register on the meetup page at driftwood.community/meetup." repeats the title's word and has an
    # address; the venue line answers "where".
    assert "De Bibliotheek Neude" in first(retriever, "where is the meetup?")


def test_from_a_month_on_reports_the_new_state() -> None:
    from retrieval.recency import state_change

    assert state_change("From October on, community calls move to the second Tuesday.") == 1
    assert state_change("From 1 March onwards, backups run every night.") == 1
    assert state_change("Calls happen on the first Thursday of every month.") == 0


def test_a_short_form_chat_writes_finds_the_spelled_out_word() -> None:
    docs = [Document(id="team.md", title="Moderation team", date=None, text=(
                "# Moderation team\n\nSasha moderates #help from the UTC+1 time zone. Dev covers #bug-reports.\n")),
            Document(id="install.md", title="Install", date=None, text=(
                "# Install\n\nPython 3.11 or newer is required. The database lives in the data folder.\n")),
            *filler_notes()]
    retriever = Retriever.from_documents(docs)
    assert "UTC+1" in first(retriever, "which tz is sasha in?")
    assert "3.11" in first(retriever, "what py do i need?")
    assert "data folder" in first(retriever, "where does the db live?")


def test_a_how_to_quote_shows_the_command_the_next_sentence_introduces(tmp_path: Path) -> None:
    (tmp_path / "install.md").write_text(
        "# Installing Driftwood\n\n## Docker\n\nDocker is the recommended way to run Driftwood. Start it with:\n\n"
        "```sh\ndocker run -d -p 8460:8460 driftwood/driftwood:2.4\n```\n\n"
        "Mount your music folder read-only if you do not want tags written.\n", encoding="utf-8")
    for n in range(4):
        (tmp_path / f"note-{n}.md").write_text(f"# Note {n}\n\nThe pump ran {n} hours.\n", encoding="utf-8")
    retriever = Retriever.from_folder(tmp_path, index_dir=tmp_path.parent / "index")
    for question in ("hey so how do i get driftwood running in docker??", "What is the Docker command to run Driftwood?"):
        text = retriever.ask(question, as_of=AS_OF).excerpts[0].text
        assert text.startswith("Docker is the recommended way") and "docker run -d" in text, question


def test_a_two_part_question_quotes_both_parts() -> None:
    from retrieval.documents import parse_document

    folder = [parse_document("faq.txt", FAQ), parse_document("release-2.4.txt", RELEASE), *filler_notes()]
    text = first(Retriever.from_documents(folder), "Which Android app is official and is there an iOS app?")
    assert "Driftwood Go" in text and "iOS" in text


FAQ = """Driftwood frequently asked questions

Q: What is Driftwood?
A: Driftwood is a free, open-source music server that streams your own music library to your phone, browser or smart speaker.

Q: Does Driftwood cost anything?
A: Driftwood is free and licensed under the AGPL-3.0. The optional Driftwood Relay service, which lets you reach your server from outside your home without opening ports, costs €3 a month.

Q: Which file formats are supported?
A: FLAC, MP3, Ogg Vorbis, Opus, AAC and ALAC are supported. WMA files are not supported and must be converted first.

Q: What hardware do I need?
A: A Raspberry Pi 4 with 2 GB of RAM is enough for a library of up to 50,000 tracks. Transcoding for several listeners at once needs a faster CPU.

Q: Where are my settings stored?
A: All settings live in the file config.toml in the data folder, which is /var/lib/driftwood on Linux and %APPDATA%\\Driftwood on Windows.

Q: How do I reset the admin password?
A: Stop the server and run `driftwood admin reset-password`, then start the server again. The command prints a one-time password that you must change at the first login.

Q: Can several people use the same server?
A: Yes. Each user gets their own playlists, favourites and listening history, and an admin can limit a user to some libraries.

Q: Is there a mobile app?
A: The official Android app is called Driftwood Go and is available on F-Droid and Google Play. There is no official iOS app yet; the third-party app Tidepool works with Driftwood's API.

Q: How do I get my music scanned faster?
A: Turn off waveform generation in Settings → Library while the first scan runs; it can be turned on again afterwards.
"""


RELEASE = """date 2026-09-02
Driftwood 2.4 release notes

Driftwood 2.4 replaces the 2.3 series and is the recommended version for all users.

Breaking changes:
- The default web port changed from 4533 to 8460, because 4533 clashed with another popular music server. Set port = 4533 in config.toml to keep the old port.
- Python 3.11 or newer is now required; Python 3.9 and 3.10 are no longer supported.
- The old REST API v1 was removed. Clients must use API v2.

New features:
- Podcasts: subscribe to RSS feeds and download episodes automatically.
- Lyrics are shown next to the player when an .lrc file sits beside the track.
- A new dark theme called Midnight.

Fixed:
- Embedded WebP album art now shows in the Android app.

Upgrade with `pip install --upgrade driftwood` or pull driftwood/driftwood:2.4. Back up your data folder before upgrading, because the database is migrated and cannot be downgraded.
"""


def test_a_version_the_quoted_document_never_names_is_not_answered_from_it() -> None:
    from retrieval.documents import parse_document

    folder = [parse_document("faq.txt", FAQ), parse_document("release-2.4.txt", RELEASE),
              Document(id="minutes.txt", title="Maintainers' call", date=dt.date(2026, 11, 3), text=(
                  "Maintainers' call\n\nThe 2.5 release is planned for 15 January 2027 and adds multi-room playback.\n")),
              *filler_notes()]
    retriever = Retriever.from_documents(folder)
    assert not retriever.ask("How much RAM does the 2.5 release need?", as_of=AS_OF).answered
    assert "2 GB of RAM" in first(retriever, "How much RAM does Driftwood need?")


def test_a_slash_command_is_where_to_report() -> None:
    from retrieval.documents import parse_document

    retriever = Retriever.from_documents([parse_document("rules.txt", RULES), *filler_notes()])
    assert "/report command" in first(retriever, "someone keeps sending me creepy dms, where do i report that")


RULES = """date 2026-01-15
Driftwood community rules

These rules apply to the Driftwood Discord server, the forum and the issue tracker.

1. Be kind. Personal attacks, slurs and harassment are not tolerated, whether in public channels or in direct messages.
2. Keep it on topic. Driftwood is a self-hosted music server; general tech chat belongs in #off-topic.
3. No piracy. Do not share links to copyrighted music, cracked software or ripped albums. Asking where to download pirated music gets a warning on the first time and a ban on the second.
4. No advertising. Promoting your own server, product or paid service requires approval from a moderator first.
5. Use the right channel. Bug reports go to #bug-reports, setup questions to #help, and feature ideas to #ideas.
6. Do not ping the maintainers directly for support. Post in #help and wait at least 24 hours before bumping your thread.
7. English only in the main channels. Other languages are welcome in #international.

Enforcement: a first breach gets a warning, a second one a 7-day timeout, and a third one a permanent ban. Moderators may skip steps for serious abuse.

To report a rule breach, use the /report command or send a direct message to the ModMail bot. Reports are read by the moderation team within 12 hours.

Appeals against a ban can be sent by email to appeals@driftwood.community; an appeal is decided by two moderators who were not involved in the ban.
"""


def test_chat_interjections_contractions_and_any_ideas_are_not_searched_for() -> None:
    guide = Document(id="install.md", title="Installing Driftwood", date=None, text=(
        "# Installing Driftwood\n\n## Reverse proxy\n\nPut it behind Caddy or nginx and forward traffic to port "
        "8460.\n\n## Troubleshooting\n\nIf the web page does not load, check that nothing else is listening on "
        "port 8460 and look at the log in the data folder.\n"))
    retriever = Retriever.from_documents([guide, *filler_notes()])
    assert "does not load" in first(retriever, "ugh the web ui wont load at all, any ideas")
    from retrieval.question import read_question

    assert "ideas" not in read_question("the web ui wont load, any ideas?", AS_OF).text
    assert "tips" not in read_question("scan is slow, got any tips?", AS_OF).text


def test_the_may_call_is_a_month_and_declined_when_no_document_is_from_it() -> None:
    minutes = Document(id="minutes-2026-10-06.txt", title="Community call, October 2026", date=dt.date(2026, 10, 6),
                       text=("Community call, October 2026\n\n1. Call schedule. It was decided that calls move from "
                             "Wednesdays to Thursdays at 17:00 UTC.\n\nNext call: 12 November 2026.\n"))
    retriever = Retriever.from_documents([minutes, *filler_notes()])
    assert not retriever.ask("What was decided at the May call?", as_of=AS_OF).answered
    assert "Thursdays" in first(retriever, "What was decided at the October call?")
