"""Follow-up questions in the core (retrieval/followup.py), the context around a quote, and More's pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import followup as followup_benchmark
from retrieval import FollowUp, Retriever, context_of, shown_excerpts
from retrieval.followup import CARRY_WEIGHT, MAX_SUBJECT_CHARS, coverage, follow_up_weights, needs_context

DOCUMENTS = {
    "deploy.md": "# Deploy window\n\nThe deploy window opens on Friday at noon. Each window starts with a freeze "
                 "of the main branch and lasts two hours. Only the release captain may approve a deploy.\n",
    "maintenance.md": "# Database maintenance\n\nDatabase maintenance happens on the first Sunday of each month. "
                      "The maintenance starts at 02:00 UTC and lasts four hours.\n",
    "cli.md": "# Installing the CLI\n\nInstall the seed CLI with pip install seed-cli. On macOS, use Homebrew. "
              "On Windows, run seed-setup.exe from the releases page.\n",
    "agent.md": "# Installing the agent\n\nThe build agent is installed from a container image. On Windows, the "
                "agent runs as a service installed with agent-service.msi.\n",
}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    folder = tmp_path_factory.mktemp("followups")
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return Retriever.from_folder(folder)


def first(answer) -> str:  # type: ignore[no-untyped-def]
    return answer.excerpts[0].text if answer.excerpts else ""


def test_carried_terms_weigh_less_and_come_after_the_own_ones() -> None:
    combined = follow_up_weights({"last": 2.0}, {"deploy": 3.0, "last": 1.0, "window": 1.0})
    assert combined == {"last": 2.0, "deploy": 3.0 * CARRY_WEIGHT, "window": 1.0 * CARRY_WEIGHT}
    assert list(combined) == ["last", "deploy", "window"]


@pytest.mark.parametrize("words, terms, expected", [
    (["and", "how", "long", "does", "it", "last"], {"long": 1.0, "last": 1.0}, True),  # short
    (["what", "about", "the", "install", "steps", "on", "windows"], {"instal": 1, "step": 1, "window": 1}, True),
    (["how", "do", "they", "ship", "new", "builds"], {"ship": 1, "new": 1, "build": 1}, True),  # "they"
    (["how", "many", "weeks", "of", "parental", "leave"], {"week": 1, "parent": 1, "leav": 1}, False),
])
def test_a_follow_up_needs_context_when_short_or_referring_back(
    words: list[str], terms: dict[str, float], expected: bool
) -> None:
    assert needs_context(words, terms) is expected


def test_coverage_counts_each_term_once() -> None:
    weights = {"a": 1.0, "b": 3.0}
    assert coverage(weights, [frozenset({"b"}), frozenset({"b", "x"})]) == pytest.approx(0.75)
    assert coverage(weights, [frozenset({"x"})]) == 0.0


def test_the_subject_of_a_long_conversation_keeps_its_newest_words() -> None:
    context = FollowUp("When does the deploy window open?", "deploy.md")
    nxt = context.then("and how long does it last?", "deploy.md")
    assert nxt.previous_question == "When does the deploy window open? and how long does it last?"
    for _ in range(100):
        nxt = nxt.then("and what else happens then?", None)
    assert len(nxt.previous_question) <= MAX_SUBJECT_CHARS and nxt.previous_question.endswith("then?")
    assert nxt.previous_document is None


def test_a_follow_up_is_asked_with_the_previous_subject(retriever: Retriever) -> None:
    alone = retriever.ask("and on Windows?")
    cli = retriever.ask("and on Windows?", follow_up=FollowUp("How do I install the seed CLI?", "cli.md"))
    agent = retriever.ask("and on Windows?", follow_up=FollowUp("How is the build agent installed?", "agent.md"))
    assert "seed-setup.exe" in first(cli) and cli.excerpts[0].document.id == "cli.md"
    assert "agent-service.msi" in first(agent)
    assert first(alone) != first(cli) or first(alone) != first(agent)  # alone it cannot be both


def test_the_previously_quoted_document_is_preferred(retriever: Retriever) -> None:
    question = "how long does it last?"
    deploy = retriever.ask(question, follow_up=FollowUp("What is it?", "deploy.md"))  # no words to carry
    maintenance = retriever.ask(question, follow_up=FollowUp("What is it?", "maintenance.md"))
    assert "two hours" in first(deploy) and "four hours" in first(maintenance)


def test_a_follow_up_the_documents_do_not_answer_is_not_found(retriever: Retriever) -> None:
    answer = retriever.ask("what about on Linux?", follow_up=FollowUp("How do I install the seed CLI?", "cli.md"))
    assert not answer.answered


def test_a_question_with_its_own_subject_is_asked_as_it_stands(retriever: Retriever) -> None:
    question = "When does the database maintenance start each month?"
    context = FollowUp("How do I install the seed CLI?", "cli.md")
    assert retriever.ask(question, follow_up=context).excerpts == retriever.ask(question).excerpts


def test_context_marks_the_quote_and_adds_its_neighbours(retriever: Retriever) -> None:
    [excerpt] = retriever.ask("Who may approve a deploy?", top_k=1).excerpts
    d = next(i for i, doc in enumerate(retriever.documents) if doc.id == "deploy.md")
    context = context_of(excerpt, retriever.sentences[d].spans)
    text = excerpt.document.text
    shown = [(text[s:e], quoted) for s, e, quoted in context.sentences]
    assert ("Only the release captain may approve a deploy.", True) in shown
    assert any(not quoted and "lasts two hours" in sentence for sentence, quoted in shown)
    assert context.ends_document and not context.starts_document  # the heading comes before
    small = context_of(excerpt, retriever.sentences[d].spans, max_chars=len(excerpt.text))
    assert [quoted for *_, quoted in small.sentences] == [True]


def test_more_pages_never_repeat_an_excerpt(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(6):
        (folder / f"log-{i}.txt").write_text(f"The lighthouse keeper {i} logs the lamp oil every night.\n")
    retriever = Retriever.from_folder(folder)
    first_answer = retriever.ask("lighthouse keeper lamp oil")
    shown = shown_excerpts(first_answer, retriever.ask("lighthouse keeper lamp oil", 10))
    assert shown[:3] == first_answer.excerpts
    assert len(shown) == 6 and len({(e.document.id, e.start) for e in shown}) == 6


def test_the_follow_up_benchmark_prints_alone_and_with_context() -> None:
    table = followup_benchmark.run()
    rows = {row[0]: dict(zip(table.columns, row)) for row in table.rows}
    assert {"follow-up alone", "with context (FollowUp)", "glued to the previous question"} <= set(rows)
    assert any(name.startswith("plain rank-bm25") for name in rows) and any("bm25s" in name for name in rows)
    assert rows["with context (FollowUp)"]["first"] > rows["follow-up alone"]["first"]
    assert "| follow-up alone |" in table.markdown("machine")
