"""Semantic similarity between a question and candidate excerpts, from static word embeddings.

BM25 sees only shared words: "Who pays for the CI machines?" shares nothing useful with "Northbay Hosting
provides the CI runners". Static embeddings close part of that gap at almost no cost: WordLlama
(Miller 2024, github.com/dleemiller/WordLlama) ships a 256-dimension token embedding table extracted from
an LLM's input embeddings inside its wheel (16 MB, loaded from the package, never downloaded), and a text's
vector is the average of its token vectors, L2-normalised. Cosine similarity of two such vectors is one
feature of excerpt choice among several (:mod:`retrieval.retriever`); it never decides alone.

The table loads once, lazily, on the first call (about 0.1 s), under a lock so that threads share it;
:func:`warm_up` loads it ahead of the first question.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["available", "similarities", "warm_up"]

log = logging.getLogger(__name__)

_lock = threading.Lock()
_model: tuple[npt.NDArray[np.float16], Any] | None = None
_failed = False
#: The table's rows widened to float32, each on first use (the zeros of rows never used stay unallocated
#: pages); :data:`_widened` says which rows are.
_wide: npt.NDArray[np.float32] | None = None
_widened: npt.NDArray[np.bool_] | None = None


def _load() -> tuple[npt.NDArray[np.float16], Any] | None:
    global _model, _failed
    if _model is not None or _failed:
        return _model
    with _lock:
        if _model is not None or _failed:
            return _model
        try:
            from importlib.util import find_spec

            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            # Only wordllama's files are used: locating the package, not importing it, saves the import of
            # requests and the rest of its library (a few tenths of a second at start-up).
            spec = find_spec("wordllama")
            if spec is None or spec.origin is None:
                raise ModuleNotFoundError("wordllama")
            base = Path(spec.origin).parent
            table = load_file(str(base / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
            config = (base / "tokenizers" / "l2_supercat_tokenizer_config.json").read_bytes()
            tokenizer = Tokenizer.from_str(config.decode("utf-8"))
            global _config_digest
            _config_digest = hashlib.blake2b(config, digest_size=16).hexdigest()
            tokenizer.no_padding()
            tokenizer.no_truncation()
            # Kept as stored (float16): the rows a text needs are widened to float32 when gathered, the same
            # values as widening the whole table, without converting 8M numbers at start-up.
            _model = (np.ascontiguousarray(table), tokenizer)
        except Exception:
            log.warning("The word-embedding model could not be loaded; answers use BM25 features only.",
                        exc_info=True)
            _failed = True
    return _model


def available() -> bool:
    """Whether the embedding model loaded (loads it if needed)."""
    return _load() is not None


def warm_up() -> None:
    """Load the embedding table now, so the first question does not wait for it."""
    _load()


_id_cache: OrderedDict[str, tuple[int, ...]] = OrderedDict()
_ID_CACHE = 50_000
#: Token ids of each word piece (see :func:`_pieces_split`), shared by every text; cleared when it grows past
#: :data:`_PIECE_CACHE` entries.
_piece_ids: dict[str, list[int]] = {}
_PIECE_CACHE = 500_000
_SPACE = "\u2581"
_PIECE = re.compile(_SPACE + "+[^" + _SPACE + "]*")
#: Whether the loaded tokenizer splits at word starts (see :func:`_pieces_split`); ``None`` until checked.
_split_ok: bool | None = None
_NORMALIZER = {"type": "Sequence", "normalizers": [
    {"type": "Prepend", "prepend": _SPACE}, {"type": "Replace", "pattern": {"String": " "}, "content": _SPACE}]}
#: BLAKE2b-128 of tokenizer configuration files whose vocabulary has no ``"▁"`` after another character
#: (wordllama 0.4.0's ``l2_supercat_tokenizer_config.json``), so the check need not run at start-up.
_CHECKED_CONFIGS = frozenset({"6ee8ea253f9f082348e9f5207c6c2b1d"})
#: Digest of the loaded tokenizer's configuration file.
_config_digest = ""


def _pieces_split(tokenizer: Any) -> bool:
    """Whether ``tokenizer`` encodes a text as the concatenation of its word pieces' encodings.

    WordLlama's tokenizer (Llama's SentencePiece BPE) has no pre-tokenizer: its normalizer writes a text as
    ``"▁" + text`` with every space replaced by ``"▁"``, and BPE then runs over the whole string, which
    costs most of a question's embedding time. When no vocabulary entry holds a ``"▁"`` after another
    character, no merge can join a piece ``"▁…"`` to the piece before it, so BPE over the whole string
    gives the concatenation of BPE over each piece (a run of ``"▁"`` and the characters up to the next
    ``"▁"``): the same ids, each piece encoded once and cached. The normalizer and model are checked on the
    loaded tokenizer; the vocabulary is checked once (a tenth of a second), unless the configuration file
    is one already checked (:data:`_CHECKED_CONFIGS`). Any other tokenizer encodes whole texts.
    """
    global _split_ok
    if _split_ok is None:
        try:
            normalizer = tokenizer.normalizer
            model = tokenizer.model
            _split_ok = (normalizer is not None and json.loads(normalizer.__getstate__()) == _NORMALIZER
                         and tokenizer.pre_tokenizer is None and type(model).__name__ == "BPE"
                         and not model.dropout)
            if _split_ok and _config_digest not in _CHECKED_CONFIGS:
                vocab = tokenizer.get_vocab(with_added_tokens=False)
                _split_ok = not any(_SPACE in token.lstrip(_SPACE) for token in vocab)
        except Exception:  # an unexpected tokenizer: encode whole texts
            _split_ok = False
    return _split_ok


def _encode(tokenizer: Any, text: str) -> tuple[int, ...]:
    """``tokenizer.encode(text, add_special_tokens=False).ids``, piece by piece when that gives the same
    ids (see :func:`_pieces_split`); a text holding a special token's text (``<s>``) is encoded whole."""
    if not text or not _pieces_split(tokenizer) or "<" in text and ("<s>" in text or "</s>" in text
                                                                    or "<unk>" in text):
        return tuple(tokenizer.encode(text, add_special_tokens=False).ids)
    cache = _piece_ids
    pieces = _PIECE.findall(_SPACE + text.replace(" ", _SPACE))
    found = list(map(cache.get, pieces))  # most pieces were seen before: one C-level pass
    if None in found:
        for k, ids in enumerate(found):
            if ids is None:
                piece = pieces[k]
                ids = cache.get(piece)
                if ids is None:
                    ids = [token.id for token in tokenizer.model.tokenize(piece)]
                    if len(cache) >= _PIECE_CACHE:
                        cache.clear()
                    cache[piece] = ids
                found[k] = ids
    return tuple(itertools.chain.from_iterable(found))


def _token_ids(tokenizer: Any, text: str) -> tuple[int, ...]:
    """Token ids of ``text``, cached (LRU): the same excerpts come back question after question. One text at
    a time: ``encode_batch`` hands a dozen short texts to a thread pool, which costs more than it saves."""
    with _lock:
        found = _id_cache.get(text)
        if found is not None:
            _id_cache.move_to_end(text)
            return found
        ids = _encode(tokenizer, text)
        _id_cache[text] = ids
        if len(_id_cache) > _ID_CACHE:
            _id_cache.popitem(last=False)
    return ids


def _rows(table: npt.NDArray[np.float16], ids: npt.NDArray[np.intp]) -> npt.NDArray[np.float32]:
    """``table[ids].astype(np.float32)``, shape ``(len(ids), dim)``: widening float16 is exact, and each row is
    widened once and kept (a few hundred rows per question otherwise cost more than the rest of the mean)."""
    global _wide, _widened
    with _lock:
        if _wide is None or _widened is None or _wide.shape != table.shape:
            _wide = np.zeros(table.shape, dtype=np.float32)
            _widened = np.zeros(len(table), dtype=bool)
        new = ids[~_widened[ids]]
        if len(new):
            _wide[new] = table[new].astype(np.float32)
            _widened[new] = True
        return _wide[ids]


def _embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """L2-normalised mean token vectors of ``texts``, shape ``(len(texts), dim)`` (zeros for a text without
    tokens). Each row depends on its own text only."""
    model = _load()
    assert model is not None
    table, tokenizer = model
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    ids = [_token_ids(tokenizer, text) for text in texts]
    counts = [len(x) for x in ids]
    # One gather for every text; each text's rows are then averaged as ``table[ids].mean(axis=0)`` averages
    # them (a float32 sum over the rows in order, divided by their number: the same floats). ``add.reduceat``
    # would add in another order: not the same floats.
    rows = _rows(table, np.fromiter(itertools.chain.from_iterable(ids), dtype=np.intp, count=sum(counts)))
    at = 0
    for i, n in enumerate(counts):
        if n:
            vectors[i] = np.add.reduce(rows[at:at + n], axis=0) / n
            at += n
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


#: The last question's vector: the ranking asks for its similarities twice (windows, then windows with their
#: headings).
_last_question: tuple[str, npt.NDArray[np.float32]] | None = None


def _question_vector(question: str) -> npt.NDArray[np.float32]:
    global _last_question
    last = _last_question
    if last is not None and last[0] == question:
        return last[1]
    vector = _embed([question])[0]
    _last_question = (question, vector)
    return vector


def similarities(question: str, texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """Cosine similarity of ``question`` to each of ``texts``.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts),)``, values in -1..1 (0 for an empty text); all zeros when the model is not
        available.
    """
    model = _load()
    if not texts or model is None:
        return np.zeros(len(texts), dtype=np.float64)
    # The question in row 0 and the texts below it, as one array: the product is taken as it always was.
    vectors = np.empty((len(texts) + 1, model[0].shape[1]), dtype=np.float32)
    vectors[0] = _question_vector(question)
    vectors[1:] = _embed(texts)
    return np.asarray(vectors[1:] @ vectors[0], dtype=np.float64)
