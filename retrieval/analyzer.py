"""The analyzer: one function from text to index terms, shared by passages and questions.

Steps, in order (each one has a test in ``tests/test_analyzer.py``):

1. Unicode NFKC normalisation (full-width letters, ligatures such as "ﬁ", superscripts).
2. Case folding (``str.casefold``: "Straße" matches "strasse").
3. Accent folding: NFD, then combining marks dropped ("café" matches "cafe").
4. Apostrophes: curly (’ ‘ ʼ) and straight apostrophes are treated alike, and the English possessive "'s"
   is dropped, so "China’s" and "China's" and "China" give the same term.
5. Tokens are runs of letters and digits (``\\w`` without the underscore); all other punctuation is dropped.
   Hyphenated words give their parts ("45-page" gives "45" and "page"). A version number is one token
   without its ``v`` ("v2.1.1" gives "2.1.1", and "2.1" as well, so "v2.1" matches it).
6. English stop words are removed (the list below).
7. Snowball English stemming (Porter 2) through PyStemmer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

__all__ = ["ENGLISH_STOP_WORDS", "Analyzer"]

#: English stop words: the NLTK English list (Bird, Klein & Loper 2009), plus the contraction stems that
#: our apostrophe handling leaves behind ("don", "t", "ll"). Kept as data here so indexing does not need
#: NLTK's corpus download at run time.
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    ["a", "about", "above", "after", "again", "against", "ain", "all", "am", "an", "and", "any", "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "couldn", "d", "did", "didn", "do", "does", "doesn", "doing", "don", "down", "during", "each", "few", "for", "from", "further", "had", "hadn", "has", "hasn", "have", "haven", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "isn", "it", "its", "itself", "just", "ll", "m", "ma", "me", "mightn", "more", "most", "mustn", "my", "myself", "needn", "no", "nor", "not", "now", "o", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "re", "s", "same", "shan", "she", "should", "shouldn", "so", "some", "such", "t", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "ve", "very", "was", "wasn", "we", "were", "weren", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won", "wouldn", "y", "you", "your", "yours", "yourself", "yourselves"]
)

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"})
#: "'s" after a word character, before a word boundary: ``(?<=\w)'s\b``, written to start with its literal so
#: that the regex engine jumps from one "'s" to the next (20 times faster on long texts; same matches).
_POSSESSIVE = re.compile(r"'s(?<=\w's)\b")
_TOKEN = re.compile(r"\bv?\d+(?:\.\d+)+\b|[^\W_]+")
#: :data:`_TOKEN` for ASCII text, where ``\d``, ``\w`` and ``\b`` mean the same in ASCII mode: about twice as fast.
_TOKEN_ASCII = re.compile(r"\bv?[0-9]+(?:\.[0-9]+)+\b|[A-Za-z0-9]+", re.ASCII)


def _fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def version_words(token: str) -> list[str]:
    """The words a version token stands for: ``"v2.1.1"`` gives ``["2.1.1", "2.1"]``, ``"2.1"`` gives ``["2.1"]``."""
    w = token.lstrip("v")
    parts = w.split(".")
    return [w, ".".join(parts[:2])] if len(parts) > 2 else [w]  # "v2.1.1" also matches "2.1" and "v2.1"


class Analyzer:
    """Turns text into the list of index terms used by BM25.

    Parameters
    ----------
    stop_words:
        Terms (already case-folded, unstemmed) to drop. Defaults to :data:`ENGLISH_STOP_WORDS`; pass an empty
        set to keep every word.
    stem:
        Whether to apply the Snowball English stemmer (PyStemmer). Default ``True``.

    The analyzer is stateless after construction and safe to share between threads.
    """

    def __init__(self, stop_words: Iterable[str] | None = None, stem: bool = True) -> None:
        self.stop_words: frozenset[str] = (
            ENGLISH_STOP_WORDS if stop_words is None else frozenset(stop_words)
        )
        self.stem = stem
        # PyStemmer's own cache (10,000 words by default) makes every new word about 4x slower to stem
        # (2.5 against 0.6 us here); the lru_cache below memoises instead, so it is off (size 0).
        self._stemmer = Stemmer.Stemmer("english", 0)
        # Stemming the same surface form again is the hot path of indexing; memoise it per analyzer.
        self._stem_word = lru_cache(maxsize=200_000)(self._stemmer.stemWord)

    def stem_word(self, word: str) -> str:
        """The index term for one normalised word: its Snowball stem (or the word itself with ``stem=False``)."""
        return self._stem_word(word) if self.stem else word

    def normalize(self, text: str) -> str:
        """Apply steps 1-4 (NFKC, casefold, accents, apostrophes) and return the normalised text."""
        if text.isascii():
            # NFKC and accent folding leave ASCII unchanged and casefold is lower(): same result, 2x faster.
            text = text.lower()
        else:
            text = _fold_accents(unicodedata.normalize("NFKC", text).casefold())
        return _POSSESSIVE.sub("", text.translate(_APOSTROPHES))

    def tokens(self, text: str) -> list[str]:
        """Normalised tokens of ``text`` (steps 1-5) before the version rule of :meth:`words`."""
        normalized = self.normalize(text)
        return (_TOKEN_ASCII if normalized.isascii() else _TOKEN).findall(normalized)

    def words(self, text: str) -> list[str]:
        """Normalised word tokens of ``text`` before stop-word removal and stemming."""
        words = self.tokens(text)
        if not any("." in w for w in words):
            return words
        out: list[str] = []
        for w in words:
            if "." in w:
                out.extend(version_words(w))
            else:
                out.append(w)
        return out

    def term_words(self, text: str) -> list[tuple[str, str]]:
        """Like :meth:`__call__`, but each term comes with the normalised word it was made from.

        Returns
        -------
        list[tuple[str, str]]
            ``(term, word)`` pairs in text order, e.g. ``("report", "reports")``.
        """
        stop = self.stop_words
        words = [w for w in self.words(text) if w not in stop]
        if not self.stem:
            return [(w, w) for w in words]
        stem = self._stem_word
        return [(stem(w), w) for w in words]

    def __call__(self, text: str) -> list[str]:
        """Analyze ``text`` into index terms.

        Parameters
        ----------
        text:
            Any string; may be empty.

        Returns
        -------
        list[str]
            The terms in text order, repeated as often as they occur (BM25 needs term frequencies).
            Empty when the text holds only stop words or punctuation.
        """
        stop = self.stop_words
        terms = [w for w in self.words(text) if w not in stop]
        if self.stem:
            stem = self._stem_word
            terms = [stem(w) for w in terms]
        return terms
