"""Failure classes of a seventh round of member questions (four new community folders written by people who
never saw the code): chat words ("total noob here", "goin") weighing as the subject, an FAQ answer in the
imperative ("Fill in the form") not read as an instruction, a paragraph's label ("Lockers.") quoted alone, a
month alone ("in August") answering *when* over the day, a list entry's label ("**Summer picnic**:") not
read as naming the subject, "Next call:" losing a "next" question to another date, a meeting's attendance
line quoted for what someone said, the next event on a page whose entries never say "event", and the
minutes of 2025 setting next year's fee answering for the fee of 2025."""

from __future__ import annotations

import datetime as dt

from filler import filler_notes, first_quote
from retrieval import Document, Retriever
from retrieval.answer_types import has_answer_type
from retrieval.question import AnswerType, read_question

AS_OF = dt.date(2026, 3, 10)


def _coop() -> Retriever:
    return Retriever.from_documents([
        Document(id="faq.md", title="Workshop FAQ", date=None,
                 text=("# Workshop FAQ\n\n"
                       "## How do I join the waiting list?\n\n"
                       "Fill in the form on our website, ridewell.org/join. Places open each April.\n\n"
                       "## Who can come to a repair night?\n\n"
                       "Everyone is welcome at a repair night, beginners included. Bring your bike and "
                       "we show you how to fix it yourself.\n\n"
                       "## Is there a summer picnic?\n\n"
                       "The summer picnic in July is the one event where children are welcome.\n")),
        Document(id="waiting-list.txt", title="Waiting list", date=None,
                 text=("Our waiting list is long because the workshop has only twelve benches. People on the "
                       "waiting list are offered a bench in order of sign-up. The waiting list is "
                       "reviewed by the committee twice a year.\n\n"
                       "Lockers. A locker costs $5 a month and holds one bike. Spare locker keys are kept at "
                       "the front desk.\n")),
        Document(id="events-2026.md", title="Workshop events 2026", date=None,
                 text=("# Workshop events 2026\n\n"
                       "All events are free for members unless a note says otherwise.\n\n"
                       "## Wheel building class\n\n"
                       "- **Date:** Saturday, March 28, 2026\n"
                       "- **Place:** the back room\n\n"
                       "## Spring swap meet\n\n"
                       "- **Date:** Sunday, April 19, 2026\n"
                       "- **Place:** the car park\n\n"
                       "## Summer picnic\n\n"
                       "- **Summer picnic**: Sunday, July 12, 2026, Elm Park shelter 2.\n")),
        Document(id="call-2026-03-05.txt", title="Volunteer call, 5 March 2026", date=dt.date(2026, 3, 5),
                 text=("Volunteer call, 5 March 2026\n\n"
                       "Present: Marta, Jonas, Ife, 11 volunteers.\n\n"
                       "- Jonas said he may have less time after May because of a new job.\n"
                       "- Livestream: Ife will stream a brake-bleeding demo on Saturday March 14 at 16:00.\n"
                       "- Next call: Thursday March 19, 18:00.\n")),
        Document(id="newsletter-2025-03.txt", title="Newsletter, March 2025", date=dt.date(2025, 3, 4),
                 text=("Welcome back, riders.\n\n"
                       "Membership. The fee for 2025 is $45 a year, due by April 1.\n")),
        Document(id="minutes-2025-10-14.md", title="Members' meeting, 14 October 2025", date=dt.date(2025, 10, 14),
                 text=("# Members' meeting, 14 October 2025\n\n"
                       "Decision: the membership fee for 2026 will be $55 a year.\n")),
        *filler_notes(),
    ])


def test_a_member_calling_themselves_a_noob_is_not_the_subject() -> None:
    # "noob" is in no document and rare in English: it weighed as the question's subject and sank the answer.
    quote = first_quote(_coop(), "hey yall, noob question lol, whens the next call", AS_OF)
    assert "March 19" in quote, quote


def test_a_word_without_its_final_g_is_read_as_the_full_word() -> None:
    # "somethin" is "something", a word the question's subject does not hang on.
    quote = first_quote(_coop(), "somethin wrong with my locker key, where are spare keys", AS_OF)
    assert "front desk" in quote, quote


def test_an_answer_in_the_imperative_is_an_instruction() -> None:
    # "Fill in the form" tells how, as "Run ..." does: a *how do I* question's answer type.
    for said in ("Fill in the form on our website.", "Bring your bike and a lock.", "Book a bench in the app.",
                 "- Drop off your seedlings on Friday.", "Join the #repairs channel."):
        assert has_answer_type(said, AnswerType.INSTRUCTION), said
    assert not has_answer_type("Bookings open each April.", AnswerType.INSTRUCTION)
    quote = first_quote(_coop(), "how do i join the waiting list", AS_OF)
    assert "Fill in the form" in quote, quote


def test_a_paragraphs_label_is_a_heading_not_a_quote() -> None:
    # "Lockers." labels its paragraph: its words stand over the sentence after it, which is quoted.
    quote = first_quote(_coop(), "how much is a locker", AS_OF)
    assert quote.startswith("A locker costs $5"), quote


def test_a_day_answers_when_before_a_month_alone() -> None:
    # "in July" is vaguer than the list entry named for the picnic with its day.
    quote = first_quote(_coop(), "when is the summer picnic", AS_OF)
    assert "July 12" in quote, quote


def test_next_call_answers_when_is_the_next_call() -> None:
    # The livestream on March 14 is sooner, but "Next call:" names what was asked.
    quote = first_quote(_coop(), "when's the next call", AS_OF)
    assert "March 19" in quote, quote


def test_an_attendance_line_is_not_what_someone_said() -> None:
    quote = first_quote(_coop(), "what did jonas say at the march 2026 call", AS_OF)
    assert "new job" in quote, quote
    # ... but it may answer who was there.
    for asked in ("who was at the september meeting", "how many people came to the call", "who attended"):
        assert read_question(asked, AS_OF).attendance, asked


def test_the_next_event_is_known_by_its_date() -> None:
    # The entries under their own headings never say "event": the page's title does, and the date decides.
    quote = first_quote(_coop(), "what's the next event", AS_OF)
    assert "March 28" in quote, quote


def test_a_sentence_naming_the_year_asked_answers_for_it() -> None:
    # The minutes of October 2025 set the fee for 2026: the newsletter's "The fee for 2025" answers.
    quote = first_quote(_coop(), "how much was the membership fee in 2025", AS_OF)
    assert "$45" in quote, quote


def _club() -> Retriever:
    return Retriever.from_documents([
        Document(id="fees-2026.txt", title="Club fees 2026", date=dt.date(2026, 2, 2),
                 text=("# 2026 renewal: fees are going up\n\n"
                       "Hi everyone. After the vote in January, club fees are rising for the first time since 2019. The hall "
                       "rent nearly doubled, and the new fees cover that.\n\n"
                       "A deposit is asked when you borrow a kit from the club.\n\n"
                       "- **Deposit:** $40 for a borrowed kit\n")),
        Document(id="kit-list.md", title="Kit list", date=dt.date(2025, 3, 1),
                 text=("# Kit list\n\n"
                       "## Big tent\n\n"
                       "- **Poles included:** six steel poles\n"
                       "- **Weight:** 18 kg packed\n\n"
                       "## Small tent\n\n"
                       "- **Poles included:** two poles\n\n"
                       "Members can borrow any tent on the list free of charge.\n")),
        Document(id="faq.md", title="FAQ", date=None,
                 text=("# FAQ\n\n"
                       "## Which tent is best for a first trip?\n\n"
                       "We usually recommend the big tent for a first trip, as its poles are easy to set up.\n")),
        Document(id="roles.md", title="Who's who", date=dt.date(2025, 3, 1),
                 text=("# Who's who\n\n"
                       "- **Facilities lead:** Marcus Lee\n"
                       "- **Tent section leader:** Helen Marsh\n"
                       "- **Trips team**, led by Lena Brandt. Plans the summer trips.\n")),
        Document(id="minutes-2026-03.md", title="Committee, March 2026", date=dt.date(2026, 3, 17),
                 text=("# Committee, March 2026\n\n"
                       "- The new hall rent was agreed.\n"
                       "- Helen Marsh has stepped down as tent section leader after five years; Rosa Delgado takes "
                       "over from April 1.\n")),
        Document(id="trip-2026.md", title="Spring trip 2026", date=dt.date(2026, 4, 2),
                 text=("# Spring trip 2026\n\n"
                       "Our spring trip is back!\n\n"
                       "- **Rain date:** Sunday 17 May\n")),
        *filler_notes(),
    ])


def test_a_greeting_is_never_quoted() -> None:
    answer = _club().ask("why are the fees going up?", as_of=AS_OF)
    quotes = [" ".join(e.text.split()) for e in answer.excerpts]
    assert quotes and not any(q.startswith("Hi everyone") for q in quotes), quotes


def test_a_label_in_bold_with_its_colon_inside_names_the_field() -> None:
    # "- **Rain date:** Sunday 17 May" over "Our spring trip is back!" (a *what's the date* question).
    assert "17 May" in first_quote(_club(), "what's the rain date for the spring trip", AS_OF)


def test_a_label_naming_the_subject_answers_an_untyped_question() -> None:
    quote = first_quote(_club(), "what poles come with the big tent", AS_OF)
    assert "six steel poles" in quote, quote


def test_how_heavy_asks_for_the_weight() -> None:
    assert "18 kg" in first_quote(_club(), "how heavy is the big tent", AS_OF)


def test_whats_the_deposit_asks_for_an_amount() -> None:
    quote = first_quote(_club(), "what's the deposit for borrowing a kit", AS_OF)
    assert "$40" in quote, quote


def test_a_label_sharing_one_word_is_not_the_subject() -> None:
    # "Facilities lead" shares only "lead" with the question: the trips team's entry answers.
    quote = first_quote(_club(), "who leads the trips team", AS_OF)
    assert quote.startswith("- **Trips team**"), quote


def test_an_older_lists_label_does_not_beat_a_newer_change() -> None:
    # "- **Tent section leader:** Helen Marsh" (2025) names the subject, but the 2026 minutes report who took
    # over.
    assert "Rosa Delgado" in first_quote(_club(), "who's the tent section leader now", AS_OF)


def test_when_is_asks_for_the_one_to_come() -> None:
    # Last year's concert page names its date and venue as well as this year's does.
    retriever = Retriever.from_documents([
        Document(id="spring-concert-2025.md", title="Spring concert 2025", date=dt.date(2025, 4, 1),
                 text=("Hello everyone! Our spring concert is on Saturday May 17, 2025 at 7:30 pm at St. Aidan's "
                       "Church.\n")),
        Document(id="spring-concert-2026.md", title="Spring concert 2026", date=dt.date(2026, 4, 20),
                 text=("Save the date: we sing on Saturday May 30, 2026 at the Town Hall, doors at 7 pm. "
                       "The spring concert has a new venue this year.\n")),
        *filler_notes(),
    ])
    quote = first_quote(retriever, "when and where is the spring concert", dt.date(2026, 5, 5))
    assert "May 30" in quote, quote


def test_an_announcement_before_the_month_asked_about_answers_for_it() -> None:
    # Written in November about "Saturday December 13, 2025", asked about the next May.
    retriever = Retriever.from_documents([
        Document(id="winter-concert-2025.txt", title="Winter concert", date=dt.date(2025, 11, 20),
                 text=("Here are the details for the winter concert.\n\n"
                       "Date: Saturday December 13, 2025\nTickets: $20, children under 12 free\n")),
        Document(id="spring-concert-2026.md", title="Spring concert 2026", date=dt.date(2026, 4, 14),
                 text="# Spring concert 2026\n\n- **Tickets:** $22 adults, $12 students\n"),
        *filler_notes(),
    ])
    quote = first_quote(retriever, "how much were tickets for the december 2025 concert", dt.date(2026, 5, 5))
    assert "$20" in quote, quote


def test_so_we_gives_the_reason_before_it() -> None:
    assert has_answer_type("St. Aidan's raised the hall hire, so we are moving.", AnswerType.REASON)
    assert not has_answer_type("So we met at the hall.", AnswerType.REASON)


def test_day_and_time_asks_for_both() -> None:
    kinds = read_question("what day and time is rehearsal now", AS_OF).answer_types
    assert AnswerType.DATE in kinds and AnswerType.TIME in kinds, kinds


def test_a_long_chatty_question_is_answered() -> None:
    # Twelve content words, of which the answer holds four: a long message spreads its weight thin.
    # ("sorry" and "dumb" frame it.)
    retriever = Retriever.from_documents([
        Document(id="door-access-changelog.md", title="Door access changelog", date=dt.date(2026, 3, 1),
                 text=("# Door access changelog\n\n## 2.3\n\n"
                       "- Fobs and app access now stop working 7 days after a membership payment fails (it used "
                       "to be 14 days).\n- Fixed a bug where the back door reader ignored fobs in cold weather.\n")),
        Document(id="membership.md", title="Membership", date=None,
                 text="# Membership\n\nMembership is paid by standing order on the 1st of the month.\n"),
        *filler_notes(),
    ])
    asked = ("sorry if this is a dumb question but my membership payment bounced because my bank swapped my card "
             "after a fraud scare, how long have i got before my fob stops letting me in??")
    assert not {"sorri", "dumb"} & set(retriever.question_weights(asked))  # the apology is not searched for
    quote = first_quote(retriever, asked, dt.date(2026, 6, 10))
    assert "7 days" in quote, quote


def test_a_who_question_prefers_the_newer_appointment_to_an_older_lists_label() -> None:
    retriever = Retriever.from_documents([
        Document(id="training-2025.md", title="Training 2025", date=dt.date(2025, 3, 1),
                 text="# Training 2025\n\n- **Head coach:** Mick Hollis\n- **Pitch:** Calder Road\n"),
        Document(id="minutes-2026-01-22.md", title="Committee, 22 January 2026", date=dt.date(2026, 1, 22),
                 text=("# Committee, 22 January 2026\n\n"
                       "1. Head coach: the committee appointed Sean Brennan as head coach from 1 March 2026.\n")),
        *filler_notes(),
    ])
    quote = first_quote(retriever, "who is the head coach", dt.date(2026, 7, 1))
    assert "Sean Brennan" in quote, quote
