"""Question-time analysis and embedding shortcuts give exactly what the plain code gives."""

from __future__ import annotations

import random

import pytest

from retrieval import Analyzer, TermCache
from retrieval import semantic

TRICKY = [
    "", "   ", "The U.S. economy grew 3.5 pct in 1986, v2.1.1's notes say.", "It`s John's car; it's Mary’s.",
    "Café déjà-vu, ﬁne Straße!", "x_2.1 a_b 2.1a v2.0 V3.1 .5 5. 1.2.3.4", "Sec. 4(b) — see https://e.x/a_b?c=1.2",
    "'s 's's a's", "2022-09-02 10:30", "Release v1.6 ships on 2.3.2024.", "ÀÉÎ naïve coöperate", "🙂 <@123> #tag",
]


def _texts() -> list[str]:
    rng = random.Random(7)
    alphabet = "ab v1.2 _'`’s.-x9 Év\n\t"
    ascii_only = "aB v1.2 _'`s.-x9 S\n\t\x0b\x0c\r\x1c\x7f|!~"  # ASCII text takes the byte-table path
    texts = list(TRICKY) + ["The Fed's rate, John`s car.", "x's_y 's a'sb A'S", "ab\x0bcd\x1fef\x7fgh\x1cij"]
    for _ in range(2000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))))
        texts.append("".join(rng.choice(ascii_only) for _ in range(rng.randrange(0, 40))))
    return texts


@pytest.mark.parametrize("analyzer", [Analyzer(), Analyzer(stop_words=[]), Analyzer(stem=False)],
                         ids=["default", "no stop words", "no stemming"])
def test_the_term_cache_gives_the_analyzers_terms(analyzer: Analyzer) -> None:
    cache = TermCache(analyzer)
    for text in _texts() * 2:  # the second round reads the cached words
        assert cache(text) == analyzer(text), text
        assert cache.term_set(text) == frozenset(analyzer(text)), text


def test_word_piece_encoding_gives_the_tokenizers_ids() -> None:
    if not semantic.available():
        pytest.skip("the embedding model is not installed")
    _, tokenizer = semantic._load()  # type: ignore[misc]
    assert semantic._pieces_split(tokenizer)
    for text in _texts() + ["a  b", " lead", "trail ", "<s> hi </s>", "x<unk>", "\u2581\u2581x y"]:
        assert semantic._encode(tokenizer, text) == tuple(tokenizer.encode(text, add_special_tokens=False).ids), text


def test_the_heading_scan_finds_the_headings_a_sentence_by_sentence_check_finds() -> None:
    from retrieval import corpus
    from retrieval.sentences import split_sentences

    def every_sentence(text: str, spans: list[tuple[int, int]]) -> list[int]:
        found, current = [], -1
        for i, span in enumerate(spans):
            if corpus._is_heading(text, span) or (i == 0 and corpus._is_opening_title(text, span)):
                current = i
                found.append(-2)
            else:
                found.append(current)
        return found

    rng = random.Random(3)
    lines = ["# Moon base", "## Where", "Release rhythm", "2. Release rhythm", "Server notice.", "- a list item",
             "The base sits in a crater. It has domes.", "| a | b |", "Uploads fail with \"413 Too Large\"",
             "Text #not a heading. # Inline heading", ""]
    for _ in range(300):
        text = rng.choice(["", "\n"]) + "\n".join(rng.choice(lines) for _ in range(rng.randrange(1, 12)))
        spans = split_sentences(text)
        assert corpus._headings_above(text, spans) == every_sentence(text, spans), text


def test_embedding_rows_widened_once_are_the_tables_rows() -> None:
    if not semantic.available():
        pytest.skip("the embedding model is not installed")
    import numpy as np

    table, tokenizer = semantic._load()  # type: ignore[misc]
    rng = np.random.default_rng(5)
    for _ in range(5):  # rows widened before and rows widened now, repeated ids included
        ids = rng.integers(0, len(table), 300).astype(np.intp)
        assert np.array_equal(semantic._rows(table, ids), table[ids].astype(np.float32))
    texts = ["The Fed raised rates by 0.25 points.", "sugar beet planting", "", "a a a"]
    plain = np.zeros((len(texts), table.shape[1]), dtype=np.float32)  # each text's rows, widened as gathered
    for i, text in enumerate(texts):
        token_ids = list(tokenizer.encode(text, add_special_tokens=False).ids)
        if token_ids:
            plain[i] = np.add.reduce(table[token_ids].astype(np.float32), axis=0) / len(token_ids)
    norms = np.linalg.norm(plain, axis=1, keepdims=True)
    assert np.array_equal(semantic._embed(texts), plain / np.where(norms == 0, 1.0, norms))


def test_texts_under_headings_get_the_similarities_of_the_joined_texts() -> None:
    if not semantic.available():
        pytest.skip("the embedding model is not installed")
    import numpy as np

    texts = [t for t in _texts()[:300] if t] + ["Solar panels feed it.", " lead", "x<unk> y", "\u2581z"]
    rng = random.Random(11)
    heads = ["Power. ", "", "A  ", "  ", "x\u2581 ", "<s>. ", "FAQ: how? ", "trail\u2581", ". ", "Moon base"]
    headings = [rng.choice(heads) for _ in texts]
    for cached in (False, True):  # embedded now, then read from the cache
        if not cached:
            semantic._vectors.clear()
        own, under = semantic.similarities_under_headings("Who feeds the power?", texts, headings)
        assert own.shape == (len(texts),) and under.shape == (sum(map(bool, headings)),)
        plain = semantic._embed(["Who feeds the power?", *texts, *(h + t for h, t in zip(headings, texts) if h)])
        n = len(texts) + 1
        assert np.array_equal(own, np.asarray(plain[1:n] @ plain[0], dtype=np.float64))
        joined = np.concatenate([plain[:1], plain[n:]])
        assert np.array_equal(under, np.asarray(joined[1:] @ joined[0], dtype=np.float64))


def test_the_compiled_embedding_loop_gives_numpys_floats() -> None:
    if not semantic.available():
        pytest.skip("the embedding model is not installed")
    numba = pytest.importorskip("numba")  # noqa: F841  (imported: semantic compiles its loop once numba is)
    import numpy as np

    table, _ = semantic._load()  # type: ignore[misc]
    assert semantic._compiled() is not None  # its own check against numpy passed
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 400, 300).astype(np.intp)
    ids = rng.integers(0, len(table), int(counts.sum())).astype(np.int32)
    compiled = semantic._embedded(table, ids, counts)
    plain = semantic._numpy_embedded(table, ids, counts)
    assert np.array_equal(compiled.view(np.uint32), plain.view(np.uint32))
    texts = _texts()[:500]
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)  # as the plain code averaged
    for i, text in enumerate(texts):
        token_ids = list(semantic._load()[1].encode(text, add_special_tokens=False).ids)  # type: ignore[index]
        if token_ids:
            vectors[i] = table[token_ids].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    assert np.array_equal(semantic._embed(texts), vectors / np.where(norms == 0, 1.0, norms))
