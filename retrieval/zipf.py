"""How common an English word is (wordfreq's Zipf scale), without loading wordfreq at every start.

:func:`zipf_frequency` gives exactly ``wordfreq.zipf_frequency(word, "en")`` (Speer 2022). Importing
wordfreq and reading its English list takes about half a second, most of a restart's budget, so a table
of its values for the words made of ``a`` to ``z`` only (289,023 of its 321,180 words, what a question's
lower-cased words usually are) is saved beside the index (:func:`use_folder`: the saved index's folder)
the first time wordfreq is loaded there, and memory-mapped by later starts. Any other word (accents,
digits, apostrophes), and every word when no table is saved, is asked of wordfreq itself. The table is
made from wordfreq's frequency buckets with wordfreq's own conversions (:func:`_bucket_zipf`); it was
checked equal to ``wordfreq.zipf_frequency`` for every one of its words, and tests/test_startup.py checks
a sample of them.

The table, in ``<folder>/zipf-en/``: ``words.npy`` (``S<n>``, sorted), ``values.npy`` (float64, the Zipf
value of each word) and ``source.json``, the sizes and modification times of the wordfreq files it was
made from (its code and its English lists): when they differ (wordfreq was upgraded), the table is not
used and is made again. It is written aside and renamed into place, so a reader sees a whole table or
none; two processes writing it write the same thing.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["TABLE", "save_aside", "zipf_frequency", "use_folder"]

log = logging.getLogger(__name__)

#: The table's folder name inside the saved index's folder.
TABLE = "zipf-en"
_VERSION = 1
#: The wordfreq files whose versions the table depends on.
_SOURCES = ("__init__.py", "tokens.py", "numbers.py", "language_info.py", "data/large_en.msgpack.gz",
            "data/small_en.msgpack.gz")

#: A line of nothing but letters a to z.
_PLAIN = re.compile(r"^[a-z]+$", re.MULTILINE)
_lock = threading.Lock()
_words: np.ndarray[Any, Any] | None = None
_values: np.ndarray[Any, Any] | None = None
_folder: Path | None = None


def _plain(word: str) -> bool:
    """Whether ``word`` is letters ``a`` to ``z`` only (wordfreq reads it as one token, itself)."""
    return word.isascii() and word.isalpha() and word.islower()


def _source_key() -> list[Any] | None:
    """The versions (size, modification time) of wordfreq's files the table depends on, without importing
    wordfreq; ``None`` when it is not installed."""
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return None
    base = Path(spec.origin).parent
    key: list[Any] = [_VERSION]
    for name in _SOURCES:
        try:
            st = os.stat(base / name)
        except OSError:
            key.append(None)
        else:
            key.append([st.st_size, st.st_mtime_ns])
    return key


def use_folder(folder: Path) -> None:
    """Use the table saved in ``folder`` (the saved index's folder), or save one there the first time
    wordfreq is loaded. A missing, damaged or outdated table is never an error: words are asked of
    wordfreq itself."""
    global _words, _values, _folder
    with _lock:
        _folder = folder
        if _words is not None:
            return
        table = folder / TABLE
        try:
            saved = json.loads((table / "source.json").read_text(encoding="utf-8"))
            if saved != _source_key():
                return
            words = np.load(table / "words.npy", mmap_mode="r", allow_pickle=False)
            values = np.load(table / "values.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return
        if words.ndim != 1 or words.dtype.kind != "S" or values.shape != words.shape:
            return
        _words, _values = words, values


def _saved(folder: Path) -> bool:
    """Whether ``folder`` holds a table made from the installed wordfreq."""
    try:
        return json.loads((folder / TABLE / "source.json").read_text(encoding="utf-8")) == _source_key()
    except (OSError, ValueError):
        return False


def _save_job(folder: str) -> None:
    """Save the table into ``folder`` (the body of :func:`save_aside`'s process)."""
    try:
        _save(Path(folder))
    except Exception:  # pragma: no cover - the table is then made the first time it is needed, as before
        log.debug("The word-frequency table could not be made in %s", folder, exc_info=True)


def save_aside(folder: Path, context: Any) -> Any | None:
    """Start making the table of ``folder`` in a process of the multiprocessing ``context``, unless one is
    saved there already; returns the process (``join`` it before :func:`use_folder`), or ``None``.

    For a first build: a worker process forked from the indexing workers' fork server imports wordfreq
    (about half a second) and writes the table on the core that the build's last, single-process steps
    leave free, instead of the first answer doing it afterwards.
    """
    if _words is not None or _saved(folder):
        return None
    try:
        process = context.Process(target=_save_job, args=(str(folder),), daemon=True)
        process.start()
    except Exception:  # pragma: no cover - no side process: made when first needed
        log.debug("Could not start making the word-frequency table", exc_info=True)
        return None
    return process


def _lookup(word: str) -> float | None:
    words, values = _words, _values
    if words is None or values is None or not _plain(word):
        return None
    key = word.encode("ascii")
    if len(key) > words.dtype.itemsize:
        return 0.0  # longer than every word of the list: not in it
    i = int(np.searchsorted(words, key))
    return float(values[i]) if i < len(words) and words[i] == key else 0.0


def zipf_frequency(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``: how common ``word`` is in English, on the Zipf scale
    (log10 of its frequency per billion words; 0.0 for a word not in wordfreq's list).

    Raises
    ------
    ModuleNotFoundError
        wordfreq is not installed.
    """
    found = _lookup(word)
    if found is not None:
        return found
    import wordfreq

    value = _dictionary_zipf(word) if _plain(word) else float(wordfreq.zipf_frequency(word, "en"))
    folder = _folder
    if folder is not None and _words is None:
        _save(folder)
    return value


def _dictionary_zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")`` for a plain word (:func:`_plain`), from wordfreq's English
    dictionary (``get_frequency_dict``, loaded once by wordfreq): wordfreq 3.1's ``zipf_frequency``,
    ``word_frequency`` and ``_word_frequency`` step by step for the one token a plain word is, as
    :func:`_bucket_zipf` does, without tokenizing the word again (a fifth of the time, for each word not
    asked before)."""
    import wordfreq

    minimum = wordfreq.zipf_to_freq(0.0)
    found = wordfreq.get_frequency_dict("en", "best").get(word)
    if found is None:
        return round(wordfreq.freq_to_zipf(minimum), 2)
    freq = 1.0 / (0.0 + 1.0 / found)
    unrounded = max(freq, minimum)
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(wordfreq.freq_to_zipf(round(unrounded, leading_zeroes + 3)), 2)


def _table() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The words of wordfreq's English list made of ``a`` to ``z`` only, sorted, and their Zipf values.

    wordfreq's list is buckets of words, one per centibel of frequency (``get_frequency_list``); a single
    plain word's Zipf value depends on its bucket only (:func:`_bucket_zipf`). Where a word is in two
    buckets, the later one counts, as in wordfreq's own dictionary. About 0.1 s: the buckets are searched
    with one regular expression each, the words sorted by numpy.
    """
    import wordfreq

    buckets = wordfreq.get_frequency_list("en", "best")
    words: list[str] = []
    which: list[int] = []
    for i, bucket in enumerate(buckets):
        plain = _PLAIN.findall("\n".join(bucket))
        words.extend(plain)
        which.extend([i] * len(plain))
    packed = np.array(words, dtype="S")
    order = np.argsort(packed, kind="stable")
    packed, bucket_of = packed[order], np.asarray(which, dtype=np.int64)[order]
    last = np.ones(len(packed), dtype=bool)  # of equal words (stable: bucket order), keep the last
    last[:-1] = packed[1:] != packed[:-1]
    values = np.array([_bucket_zipf(i) for i in range(len(buckets))], dtype=np.float64)
    return packed[last], values[bucket_of[last]]


def _bucket_zipf(index: int) -> float:
    """``wordfreq.zipf_frequency(word, "en")`` for a plain word of bucket ``index`` (wordfreq 3.1's
    ``get_frequency_dict``, ``_word_frequency`` and ``zipf_frequency``, step by step, for one token)."""
    import wordfreq

    freq = 1.0 / (0.0 + 1.0 / wordfreq.cB_to_freq(-index))
    unrounded = max(freq, wordfreq.zipf_to_freq(0.0))
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(wordfreq.freq_to_zipf(round(unrounded, leading_zeroes + 3)), 2)


def _save(folder: Path) -> None:
    """Write the table into ``folder`` (aside, then renamed into place) and use it."""
    global _words, _values
    key = _source_key()
    if key is None:
        return
    words, values = _table()
    table = folder / TABLE
    aside = folder / f".{TABLE}-{secrets.token_hex(4)}"
    try:
        aside.mkdir(parents=True)
        np.save(aside / "words.npy", words, allow_pickle=False)
        np.save(aside / "values.npy", values, allow_pickle=False)
        (aside / "source.json").write_text(json.dumps(key), encoding="utf-8")
        for name in ("words.npy", "values.npy", "source.json"):
            with open(aside / name, "rb") as handle:
                os.fsync(handle.fileno())
        shutil.rmtree(table, ignore_errors=True)
        os.replace(aside, table)
    except OSError as error:
        log.debug("The word-frequency table could not be saved in %s (%s)", folder, error)
        shutil.rmtree(aside, ignore_errors=True)
    with _lock:
        _words, _values = words, values
