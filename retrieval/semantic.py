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

import logging
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
            tokenizer = Tokenizer.from_file(str(base / "tokenizers" / "l2_supercat_tokenizer_config.json"))
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


def _token_ids(tokenizer: Any, text: str) -> tuple[int, ...]:
    """Token ids of ``text``, cached (LRU): the same excerpts come back question after question. One text at
    a time: ``encode_batch`` hands a dozen short texts to a thread pool, which costs more than it saves."""
    with _lock:
        found = _id_cache.get(text)
        if found is not None:
            _id_cache.move_to_end(text)
            return found
    ids = tuple(tokenizer.encode(text, add_special_tokens=False).ids)
    with _lock:
        _id_cache[text] = ids
        if len(_id_cache) > _ID_CACHE:
            _id_cache.popitem(last=False)
    return ids


def _embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    model = _load()
    assert model is not None
    table, tokenizer = model
    vectors = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for i, text in enumerate(texts):
        ids = _token_ids(tokenizer, text)
        if ids:
            vectors[i] = table[list(ids)].astype(np.float32).mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def similarities(question: str, texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """Cosine similarity of ``question`` to each of ``texts``.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts),)``, values in -1..1 (0 for an empty text); all zeros when the model is not
        available.
    """
    if not texts or _load() is None:
        return np.zeros(len(texts), dtype=np.float64)
    vectors = _embed([question, *texts])
    return np.asarray(vectors[1:] @ vectors[0], dtype=np.float64)
