"""Sentence splitting: abbreviations, quotes, URLs and paragraph breaks, with exact offsets."""

from __future__ import annotations

import pytest

from retrieval import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. economy grew in Sec. 4 of the report. Dr. Smith agreed with Mr. Jones.",
     ["The U.S. economy grew in Sec. 4 of the report.", "Dr. Smith agreed with Mr. Jones."]),
    ("He lives in the U.S. He moved there in 1990.", ["He lives in the U.S.", "He moved there in 1990."]),
    ('"Is it over?" she asked. "Not yet," he said. Then they left.',
     ['"Is it over?" she asked.', '"Not yet," he said.', "Then they left."]),
    # A quotation that runs on (news style: no closing quote before the next one opens) neither glues the
    # sentences after it together nor hands its opening quote to the sentence before.
    ('"Would you pause to reflect in the New Year? "That is the sensible way. It is not happening," he said.',
     ['"Would you pause to reflect in the New Year?', '"That is the sensible way.', 'It is not happening," he said.']),
    ('She wrote: "It works. It really works." Nobody answered.',
     ['She wrote: "It works.', 'It really works."', "Nobody answered."]),
    ("See https://example.com/a.b?c=d.e for details. The next one starts here.",
     ["See https://example.com/a.b?c=d.e for details.", "The next one starts here."]),
    ("No full stop here\n\nA new paragraph. And more.", ["No full stop here", "A new paragraph.", "And more."]),
    ("![a dome](dome.png)\n\nThe base sits in a crater.", ["![a dome](dome.png)", "The base sits in a crater."]),
])
def test_sentences_split_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_are_exact_with_accents_emoji_and_astral_characters() -> None:
    text = "Café au lait coûte 3 €. Oui 😀 très bien. Second 𝒳 sentence! Third?"
    assert sentences(text) == ["Café au lait coûte 3 €.", "Oui 😀 très bien.", "Second 𝒳 sentence!", "Third?"]


def test_a_huge_line_without_full_stops_is_cut_into_quotable_pieces() -> None:
    text = "word " * 200_000  # a 1 MB single line
    spans = split_sentences(text)
    assert len(spans) > 300 and all(0 < e - s <= 3000 for s, e in spans)
    assert all(text[s:e].strip() == text[s:e] for s, e in spans)


def test_each_table_row_is_a_sentence_and_the_rule_line_none() -> None:
    text = "Costs:\n\n| Item | Cost |\n|---|:--:|\n| Server | 6 euros |\n| Domain | 1 euro |\nThat is all. Or | not.\n"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Costs:", "| Item | Cost |", "| Server | 6 euros |", "| Domain | 1 euro |", "That is all.", "Or | not."]
