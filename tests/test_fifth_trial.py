"""Failure classes of a fifth round of member questions (an astronomy club's folder): a chat question at the
end of a passage quoted without the reply on the next line, and "What's the deadline ...?" not read as
asking for a date; a line that introduces the command ("Install or upgrade it with:")
losing a how-do-I question to the page's opening sentence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


_RELEASE_NOTES = {
    "starhop-v1.4-release-notes.md": (
        "date 2025-03-10\n\n# StarHop 1.4 release notes\n\n"
        "StarHop is the star-hopping chart tool that club members write and maintain. Version 1.4 is out today.\n\n"
        "## What's new\n\n- Charts can be exported as PNG or PDF.\n"
        "- The default star catalogue is SAO, down to magnitude 9.\n"
        "- Observation logs now sync through our own server at sync.northfieldstargazers.org.\n\n"
        "## Requirements\n\nStarHop 1.4 needs Python 3.9 or newer.\n\n"
        "## Install\n\nInstall or upgrade it with:\n\n```\npip install --upgrade starhop==1.4\n```\n"),
    "starhop-v1.5-release-notes.md": (
        "date 2025-06-22\n\n# StarHop 1.5 release notes\n\n## What's new\n\n- SVG export joins PNG and PDF.\n"
        "- Eyepiece field-of-view circles can be drawn on any chart with the --fov option.\n"
        "- A night-vision mode turns the whole interface red.\n\n## Fixes\n\n"
        "- Charts near the celestial pole no longer draw the grid upside down.\n"
        "- The PDF export no longer cuts off the legend on A5 paper.\n\n"
        "Python 3.9 is still supported in this release, but it will be the last one to support it.\n"),
    "starhop-v2.0-release-notes.txt": (
        "date 2025-10-05\nStarHop 2.0 is the biggest release since the project started.\n\n"
        "The default star catalogue is now Tycho-2, down to magnitude 11, instead of SAO. SAO can still be "
        "picked with --catalog sao.\n\n"
        "StarHop 2.0 needs Python 3.11 or newer. Python 3.9 and 3.10 are no longer supported.\n\n"
        "Thanks to Marcus Oyelaran, who rewrote the chart renderer for this release.\n"),
}


def test_a_line_introducing_the_command_answers_how_do_i(tmp_path: Path) -> None:
    for name, text in _RELEASE_NOTES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    retriever = Retriever.from_folder(tmp_path, index_dir=None)
    assert "pip install --upgrade starhop==1.4" in first_quote(retriever, "How do I install StarHop 1.4?", AS_OF)
