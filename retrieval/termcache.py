"""Fast sentence analysis at question time: the analyzer's terms, with each distinct word looked up once.

Excerpt choice analyzes the sentences of every candidate passage the first time a question reaches them
(:mod:`retrieval.corpus`); on a large folder nearly every question reaches documents no earlier question
did, so that analysis is much of what answering costs. :class:`TermCache` gives exactly what
:meth:`Analyzer.__call__ <retrieval.analyzer.Analyzer.__call__>` gives, but keeps a table from normalised
word to index term (stop words to ``""``), so each distinct word is stop-listed and stemmed once per
process instead of once per occurrence, and does ASCII text (most sentences) in a few C-level passes.
"""

from __future__ import annotations

import re
import threading
import weakref

from .analyzer import _APOSTROPHES, _POSSESSIVE, _TOKEN_ASCII, Analyzer, version_words

__all__ = ["TermCache", "term_cache"]

#: Words whose term stays cached; the table is emptied when it grows past this (a rare event: the
#: vocabulary of a million passages is a few hundred thousand words).
MAX_WORDS = 400_000
_VERSION = re.compile(r"[0-9]\.[0-9]")
#: ``bytes.translate`` table: ASCII letters and digits kept, every other byte made a space (so that splitting
#: at white space gives the runs of letters and digits, ``re.findall(r"[A-Za-z0-9]+", text)``).
_WORD_BYTES = bytes(b if b < 128 and chr(b).isalnum() else 32 for b in range(256))


class _Unsafe(Exception):
    """A word the fast path cannot represent (a non-stop word whose stem is empty)."""


class _Terms(dict[str, str]):
    """Normalised word to index term, ``""`` for a stop word; filled on first lookup."""

    def __init__(self, analyzer: Analyzer) -> None:
        super().__init__()
        self._stop = analyzer.stop_words
        self._stem = analyzer.stem_word

    def __missing__(self, word: str) -> str:
        if word in self._stop:
            term = ""
        else:
            term = self._stem(word)
            if not term:
                raise _Unsafe(word)
        if len(self) >= MAX_WORDS:
            self.clear()
        self[word] = term
        return term


class TermCache:
    """``cache(text) == analyzer(text)`` for every text, faster on repeated words.

    Parameters
    ----------
    analyzer:
        The analyzer whose terms to give. Only a plain :class:`~retrieval.analyzer.Analyzer` takes the
        fast path; a subclass (which may analyze differently) is called as it is.
    """

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self._fast = type(analyzer) is Analyzer
        self._terms = _Terms(analyzer)

    def words(self, text: str) -> list[str]:
        """:meth:`Analyzer.words` of ``text`` (ASCII text without the method calls)."""
        if not text.isascii():
            return self.analyzer.words(text)
        normalized = text.lower()
        if "`" in normalized:  # the one ASCII character the apostrophe table maps
            normalized = normalized.translate(_APOSTROPHES)
        if "'" in normalized:
            normalized = _POSSESSIVE.sub("", normalized)
        if "." not in normalized or _VERSION.search(normalized) is None:
            # No digit-dot-digit: the version alternative of the token pattern cannot match anywhere, so
            # the tokens are the runs of letters and digits (the same list, found twice as fast), which are
            # what is left after every other character is made a space (a byte table, 2x faster again).
            return normalized.encode("ascii").translate(_WORD_BYTES).decode("ascii").split()
        out: list[str] = []
        for w in _TOKEN_ASCII.findall(normalized):
            if "." in w:
                out.extend(version_words(w))
            else:
                out.append(w)
        return out

    def __call__(self, text: str) -> list[str]:
        """The index terms of ``text``, in order, repeated as often as they occur (as the analyzer)."""
        if not self._fast:
            return self.analyzer(text)
        try:
            return list(filter(None, map(self._terms.__getitem__, self.words(text))))
        except _Unsafe:
            return self.analyzer(text)

    def term_set(self, text: str) -> frozenset[str]:
        """``frozenset(self(text))``: the distinct index terms of ``text``, without the list in between."""
        if not self._fast:
            return frozenset(self.analyzer(text))
        try:
            return frozenset(filter(None, map(self._terms.__getitem__, self.words(text))))
        except _Unsafe:
            return frozenset(self.analyzer(text))


_CACHES: weakref.WeakKeyDictionary[Analyzer, TermCache] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def term_cache(analyzer: Analyzer) -> TermCache:
    """The one :class:`TermCache` of ``analyzer`` (made on first use, forgotten with the analyzer)."""
    found = _CACHES.get(analyzer)
    if found is None:
        with _LOCK:
            found = _CACHES.get(analyzer)
            if found is None:
                found = _CACHES[analyzer] = TermCache(analyzer)
    return found
