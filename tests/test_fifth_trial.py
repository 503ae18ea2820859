"""Failure classes of a fifth round of member questions (an astronomy club's folder): a chat question at the
end of a passage quoted without the reply on the next line, and "What's the deadline ...?" not read as
asking for a date."""

from __future__ import annotations

import datetime as dt

from filler import filler_notes, first_quote
from retrieval import Document, Retriever

AS_OF = dt.date(2026, 1, 15)

_CHATTER = [
    "[19:0{0}] mara_v: the seeing was rough last night, lots of thin cloud drifting over the eastern hills again",
    "[19:1{0}] olu_b: same here, I gave up after an hour and packed the dobsonian back into the garden shed",
]


def _chat_log() -> str:
    lines = [_CHATTER[k % 2].format(k) for k in range(9)]
    lines += ["[19:21] jonah_k: what's the deadline for the Pleiades challenge?",
              "[19:22] lina.p: 30 November at midnight.",
              "[19:23] mara_v: thanks, I will try to shoot it this weekend if the weather holds up"]
    return "\n".join(lines) + "\n"


def test_a_chat_question_at_a_passage_end_is_quoted_with_the_reply() -> None:
    retriever = Retriever.from_documents([
        Document(id="chat-export-general.txt", title="chat-export-general.txt", text=_chat_log(), date=None),
        *filler_notes(),
    ])
    spans = retriever.sentences[0].spans
    question = next(i for i, (s, e) in enumerate(spans) if "jonah_k" in retriever.documents[0].text[s:e])
    assert any(p.last == question for p in retriever.passages if p.doc == 0)  # the case: a passage ends on it
    quote = first_quote(retriever, "<@123456789> what's the deadline for the pleiades challenge pls", AS_OF)
    assert "what's the deadline for the Pleiades challenge?" in quote and "30 November at midnight" in quote


def test_whats_the_deadline_asks_for_a_date() -> None:
    retriever = Retriever.from_documents([
        Document(id="photo-contest.md", title="Photo contest", date=dt.date(2025, 10, 1), text=(
            "# Photo contest\n\n"
            "The photo contest is judged by the committee, and the contest rules are pinned in #astro-images.\n\n"
            "Photos for the contest are due on 30 November.\n")),
        *filler_notes(),
    ])
    assert "30 November" in first_quote(retriever, "What's the deadline for the photo contest?", AS_OF)
