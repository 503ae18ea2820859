"""Semantic similarity between a question and candidate excerpts, from static word embeddings.

BM25 sees only shared words: "Who pays for the CI machines?" shares nothing useful with "Northbay Hosting
provides the CI runners". Static embeddings close part of that gap at almost no cost: WordLlama
(Miller 2024, github.com/dleemiller/WordLlama) ships a 256-dimension token embedding table extracted from
an LLM's input embeddings inside its wheel (16 MB, loaded from the package, never downloaded), and a text's
vector is the average of its token vectors, L2-normalised. Cosine similarity of two such vectors is one
feature of excerpt choice among several (:mod:`retrieval.retriever`); it never decides alone.

The table loads once, lazily, on the first call (about 0.1 s), under a lock so that threads share it;
:func:`warm_up` loads it ahead of the first question. A question's texts are embedded in one batch: word
pieces' ids and texts' vectors are cached (the same excerpts come back), and the means are taken by one
compiled loop when numba is loaded (:mod:`retrieval.embedding_mean`), else in numpy; every path gives the same floats as
``table[ids].astype(np.float32).mean(axis=0)`` normalised, so answers do not depend on which ran.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import json
import logging
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .embedding_mean import compile_mean

__all__ = ["available", "similarities", "similarities_under_headings", "warm_up"]

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


#: Token ids of each word piece (see :func:`_pieces_split`), shared by every text: the key is the piece without
#: its first ``"▁"`` (the word ``"cat,"`` for the piece ``"▁cat,"``), the value its ids as int32 bytes (joined
#: with one ``bytes.join`` per text, read with one ``np.frombuffer`` per batch). Cleared when it grows past
#: :data:`_PIECE_CACHE` entries. Read and written without a lock: a dict lookup or store is atomic, and two
#: threads storing one piece store the same ids.
_piece_ids: dict[str, bytes] = {}
_PIECE_CACHE = 500_000
#: The :mod:`array` type code of a 4-byte integer ("i" on every common platform): ids are read as int32.
_INT32 = next(code for code in "il" if array.array(code).itemsize == 4)
#: Normalised vectors (float32 bytes, ``dim`` numbers) of texts (a ``str``) and of texts under a heading (a
#: ``(heading, text)`` pair, see :func:`similarities_under_headings`): the same excerpts come back question after
#: question. A vector depends on its own text only, so a cached one is the one a new embedding would give. Read
#: without the lock (a dict lookup is atomic); written under it, the oldest entries dropped past
#: :data:`_VECTOR_CACHE` (about 1.2 kB each).
_vectors: dict[str | tuple[str, str], bytes] = {}
_VECTOR_CACHE = 20_000
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


def _words(text: str) -> list[str] | None:
    """The words ``w`` whose pieces ``"▁" + w`` (see :func:`_pieces_split`) make up ``text``, in order, or
    ``None`` when ``text`` is encoded whole: empty, or holding a special token's text (``<s>``).

    Without a run of spaces and without a ``"▁"`` of its own, the normalised text is ``"▁" + "▁".join(parts)``
    for ``parts = text.split(" ")``, none of them empty or holding a ``"▁"``: its pieces are ``"▁" + part``,
    found by ``str.split`` (a fifth of the regular expression's time). Otherwise the expression splits it.
    """
    if not text or "<" in text and ("<s>" in text or "</s>" in text or "<unk>" in text):
        return None
    parts = text.split(" ")
    if "" in parts or _SPACE in text:
        return [piece[1:] for piece in _PIECE.findall(_SPACE + text.replace(" ", _SPACE))]
    return parts


def _piece_bytes(tokenizer: Any, words: list[str]) -> bytes:
    """The token ids (int32 bytes) of the pieces ``"▁" + w`` for ``w`` in ``words``, one after the other."""
    cache = _piece_ids
    found = list(map(cache.get, words))  # most pieces were seen before: one C-level pass
    if None in found:
        tokenize = tokenizer.model.tokenize
        k = found.index(None)
        while True:
            word = words[k]
            ids = cache.get(word)  # a word seen twice in the text
            if ids is None:
                ids = array.array(_INT32, [token.id for token in tokenize(_SPACE + word)]).tobytes()
                if len(cache) >= _PIECE_CACHE:
                    cache.clear()
                cache[word] = ids
            found[k] = ids
            try:
                k = found.index(None, k + 1)
            except ValueError:
                break
    return b"".join(found)  # type: ignore[arg-type]


def _whole_bytes(tokenizer: Any, text: str) -> bytes:
    """``tokenizer.encode(text, add_special_tokens=False).ids`` as int32 bytes."""
    return np.array(tokenizer.encode(text, add_special_tokens=False).ids, dtype=np.int32).tobytes()


def _text_bytes(tokenizer: Any, text: str) -> tuple[bytes, bool]:
    """The token ids of ``text`` as int32 bytes, and whether they were found piece by piece."""
    words = _words(text) if _pieces_split(tokenizer) else None
    if words is None:
        return _whole_bytes(tokenizer, text), False
    return _piece_bytes(tokenizer, words), True


def _item_bytes(tokenizer: Any, item: str | tuple[str, str], memo: dict[str, tuple[bytes, bool]]) -> bytes:
    """The token ids (int32 bytes) of ``item``: a text, or a ``(heading, text)`` pair read as ``heading + text``;
    ``memo`` keeps each text's :func:`_text_bytes` for the rest of the batch.

    A heading ending in a space after another character (``"Power. "``) splits from its text at a piece
    boundary: the normalised ``"▁" + heading + text`` is ``"▁" + heading[:-1]`` (ending in that character)
    followed by ``"▁" + text``, so its pieces are those of ``heading[:-1]`` and then those of ``text``, and no
    special token spans the join (none holds a space). The ids are then those of the two parts, joined, as
    :func:`_pieces_split` makes them: the text's words, just read for the text alone, are not read again.
    """
    if isinstance(item, str):
        found = memo.get(item)
        if found is None:
            found = memo[item] = _text_bytes(tokenizer, item)
        return found[0]
    heading, text = item
    if text and len(heading) > 1 and heading[-1] == " " and heading[-2] not in " " + _SPACE:
        head, split_head = _text_bytes(tokenizer, heading[:-1])
        if split_head:
            body = memo.get(text)
            if body is None:
                body = memo[text] = _text_bytes(tokenizer, text)
            if body[1]:
                return head + body[0]
    return _text_bytes(tokenizer, heading + text)[0]


def _encode(tokenizer: Any, text: str) -> tuple[int, ...]:
    """``tokenizer.encode(text, add_special_tokens=False).ids``, piece by piece when that gives the same
    ids (see :func:`_pieces_split`); a text holding a special token's text (``<s>``) is encoded whole."""
    return tuple(np.frombuffer(_text_bytes(tokenizer, text)[0], dtype=np.int32).tolist())


_kernel: Any = None
_lut: npt.NDArray[np.float32] | None = None


def _compiled() -> Any:
    """The compiled mean (:func:`retrieval.embedding_mean.compile_mean`), once numba is imported, or ``None``.

    numba is not imported here: its import (half a second, and YAML and more) is paid by processes that need
    it anyway, those serving a large index (:mod:`retrieval.compiled`); the others average in numpy, the same
    floats a little slower.
    """
    global _kernel, _lut
    if _kernel is not None:
        return _kernel or None
    numba = sys.modules.get("numba")
    model = _model
    if numba is None or model is None:
        return None
    with _lock:
        if _kernel is None:
            found = compile_mean(numba, model[0], _averaged)
            _kernel, _lut = found if found is not None else (False, None)
    return _kernel or None


def _wide_rows(table: npt.NDArray[np.float16]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """The widened rows and which are widened (see :data:`_wide`), made for ``table`` if need be; call under
    :data:`_lock`."""
    global _wide, _widened
    if _wide is None or _widened is None or _wide.shape != table.shape:
        _wide = np.zeros(table.shape, dtype=np.float32)
        _widened = np.zeros(len(table), dtype=bool)
    return _wide, _widened


def _rows(table: npt.NDArray[np.float16], ids: npt.NDArray[np.intp]) -> npt.NDArray[np.float32]:
    """``table[ids].astype(np.float32)``, shape ``(len(ids), dim)``: widening float16 is exact, and each row is
    widened once and kept (a few hundred rows per question otherwise cost more than the rest of the mean)."""
    with _lock:
        wide, widened = _wide_rows(table)
        new = ids[~widened[ids]]
        if len(new):
            wide[new] = table[new].astype(np.float32)
            widened[new] = True
        return wide[ids]


def _numpy_embedded(table: npt.NDArray[np.float16], ids: npt.NDArray[np.int32], counts: npt.NDArray[np.intp]
                    ) -> npt.NDArray[np.float32]:
    """L2-normalised mean token vector of each text, shape ``(len(counts), dim)`` (zeros for a text without
    ids), from the texts' ``ids`` one after the other, in numpy (see :func:`_averaged`)."""
    return _averaged(_rows(table, ids.astype(np.intp)), counts)


def _averaged(rows: npt.NDArray[np.float32], counts: npt.NDArray[np.intp]) -> npt.NDArray[np.float32]:
    """:func:`_normalised` means of consecutive ``rows`` (shape ``(sum(counts), dim)``), ``counts[i]`` for text
    ``i``: ``rows_i.mean(axis=0)`` as ``np.add.reduce`` and a division compute it (a float32 sum over the rows
    in order, divided by their number). ``add.reduceat`` would add in another order (pairwise): not the same
    floats."""
    vectors = np.zeros((len(counts), rows.shape[1]), dtype=np.float32)
    at = 0
    for i, n in enumerate(counts.tolist()):
        if n:
            vectors[i] = np.add.reduce(rows[at:at + n], axis=0) / n
            at += n
    return _normalised(vectors)


def _normalised(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """``vectors`` divided by their L2 norms (rows of zeros stay zeros); each row's floats depend on that row
    only (the norm reduces along the row). The norm is ``np.linalg.norm(vectors, axis=1, keepdims=True)`` as
    numpy computes it for real input (``sqrt(add.reduce(x * x, axis=1))``, numpy 1.24 to 2.4), without its
    argument checks (a third of this function's time)."""
    norms = np.sqrt(np.add.reduce(vectors * vectors, axis=1, keepdims=True))
    return vectors / np.where(norms == 0, 1.0, norms)


def _embedded(table: npt.NDArray[np.float16], ids: npt.NDArray[np.int32], counts: npt.NDArray[np.intp]
              ) -> npt.NDArray[np.float32]:
    """:func:`_numpy_embedded`, by the compiled loop when there is one (:func:`_compiled`)."""
    kernel = _compiled()
    if kernel is None:
        return _numpy_embedded(table, ids, counts)
    vectors = np.empty((len(counts), table.shape[1]), dtype=np.float32)
    with _lock:  # the widened rows are shared
        wide, widened = _wide_rows(table)
        kernel(table.view(np.uint16), _lut, wide, widened, ids, counts, vectors)
    return vectors


def _embed_items(items: Sequence[str | tuple[str, str]]) -> npt.NDArray[np.float32]:
    """L2-normalised mean token vectors of ``items`` (texts, or ``(heading, text)`` pairs read as
    ``heading + text``), shape ``(len(items), dim)``, zeros for a text without tokens; uncached."""
    model = _load()
    assert model is not None
    table, tokenizer = model
    memo: dict[str, tuple[bytes, bool]] = {}
    encoded = [_item_bytes(tokenizer, item, memo) for item in items]
    counts = np.fromiter(map(len, encoded), dtype=np.intp, count=len(encoded)) // 4
    ids = np.frombuffer(b"".join(encoded), dtype=np.int32)
    return _embedded(table, ids, counts)


def _embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """L2-normalised mean token vectors of ``texts``, shape ``(len(texts), dim)`` (zeros for a text without
    tokens). Each row depends on its own text only."""
    return _embed_items(texts)


def _vectors_of(items: Sequence[str | tuple[str, str]]) -> npt.NDArray[np.float32]:
    """:func:`_embed_items` of ``items``, shape ``(len(items), dim)``, read-only, through the cache
    (:data:`_vectors`): only the items not cached are embedded, in one batch."""
    cache = _vectors
    found = list(map(cache.get, items))
    if None in found:
        missing = [k for k, vector in enumerate(found) if vector is None]
        embedded = _embed_items([items[k] for k in missing])
        size = embedded.shape[1] * 4
        blob = embedded.tobytes()
        rows = [blob[at:at + size] for at in range(0, len(blob), size)]
        for k, row in zip(missing, rows):
            found[k] = row
        with _lock:
            for k, row in zip(missing, rows):
                cache[items[k]] = row
            excess = len(cache) - _VECTOR_CACHE
            if excess > 0:
                for key in list(itertools.islice(cache, excess)):
                    del cache[key]
    return np.frombuffer(b"".join(found), dtype=np.float32).reshape(len(items), -1)  # type: ignore[arg-type]


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
    # The question in row 0 and the texts below it, as one array: the product is taken as it always was.
    vectors = _vectors_of([question, *texts])
    return np.asarray(vectors[1:] @ vectors[0], dtype=np.float64)


def similarities_under_headings(question: str, texts: Sequence[str], headings: Sequence[str]
                                ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """``similarities(question, texts)``, and ``similarities(question, [h + t for h, t in zip(headings, texts)
    if h])``: each text alone, then under its heading where it has one (``"Power. "`` above "Solar panels
    feed it."), embedded in one batch, the texts' words read once (see :func:`_item_bytes`).

    Returns
    -------
    tuple of numpy.ndarray
        Shapes ``(len(texts),)`` and ``(number of non-empty headings,)``, as :func:`similarities` returns them
        (the same floats: each product is taken over the same array shape as there).
    """
    headed = [(h, t) for h, t in zip(headings, texts) if h]
    if not texts or _load() is None:
        return np.zeros(len(texts), dtype=np.float64), np.zeros(len(headed), dtype=np.float64)
    vectors = _vectors_of([question, *texts, *headed])
    n = len(texts) + 1
    own = np.asarray(vectors[1:n] @ vectors[0], dtype=np.float64)
    if not headed:
        return own, np.zeros(0, dtype=np.float64)
    under = np.empty((len(headed) + 1, vectors.shape[1]), dtype=np.float32)
    under[0] = vectors[0]
    under[1:] = vectors[n:]
    return own, np.asarray(under[1:] @ under[0], dtype=np.float64)
