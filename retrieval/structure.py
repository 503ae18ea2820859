"""The structure of one document's sentences that excerpt choice reads, whatever the question.

Which sentences are headings (Markdown headings, plain title lines, agenda labels), which heading's words
are the *section* of each prose sentence below it, which sentences are prose, filler ("What now?") or
introduce what follows ("Back up two things separately:"). :class:`SentenceStructure` finds all of it in
one pass over a block of sentences, into plain lists, the first time a candidate passage needs that block,
and reduces the sentences' terms to a question's bit masks (:class:`~retrieval.excerpts.Coverage`) straight
from the segment's stored term numbers, with no term set built. :func:`retrieval.excerpts.window_rows` reads
the lists; :class:`retrieval.corpus.DocumentSentences` gives the same facts as term sets, lazily (tested
equal).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import compress
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from .answer_types import field_line
from .excerpts import Coverage

__all__ = ["BLOCK", "NOT_PROSE_START", "SentenceStructure"]

_HEADING = re.compile(r"#{1,6}[ \t]+\S.*")
#: How a line that is not prose starts: an image, a link, a code fence, HTML, a table row, a heading.
NOT_PROSE_START = ("![", "[", "```", "~~~", "<", "|", "#")
#: Longest plain title line, in characters.
_TITLE_CHARS = 80
_LIST_MARKS = ("- ", "* ", "+ ", "• ", "|", ">")
#: An agenda item's label opening its line, with the item's text after it on the same line ("1. Release
#: manager. Tobias is stepping back ..."): up to three words after the number.
_INLINE_LABEL = re.compile(r"\d{1,2}[.)] [A-Z][\w'&/-]*(?: [\w'&/.-]+){0,2}\.")
#: A paragraph's label opening its line, the paragraph's text after it on the same line: one to three words
#: of letters, the first capitalised ("Plot sizes.", "The waitlist.", "Tool shed."). Its first word is group 1.
_PARAGRAPH_LABEL = re.compile(r"([A-Z][a-z]*)(?: [a-z][a-z-]*){0,2}\.")
#: First words of short sentences that are not labels: replies, greetings, pronouns and sign-offs.
_NOT_LABELS = frozenset("yes no yeah yep nope ok okay sure thanks thank hi hello hey dear sorry absolutely "
                        "definitely exactly correct right agreed done noted welcome great cheers indeed of good "
                        "fine also however otherwise then so and but or i we you it they he she this that these "
                        "those there here see happy please note update edit".split())
#: A greeting or sign-off standing as a sentence ("Hi everyone.", "Hello all!", "Thanks, everyone!"): never
#: quoted (it answers nothing), but a quote may run through it, as through "What now?".
_GREETING = re.compile(r"\W*(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening)|welcome back|"
                       r"happy new year|thanks|thank you|cheers|see you(?: there| soon)?)(?:[ ,]+(?:all|everyone|"
                       r"everybody|folks|friends|team|there|members|guys|y'all|again|so much))*[ ,.!]*", re.IGNORECASE)
_GREETING_CHARS = 40
#: Letters no greeting starts with: most short sentences are passed over without the pattern.
_NOT_GREETING_START = frozenset("abefijklmnopqruvxyzABEFIJKLMNOPQRUVXYZ0123456789")
#: Marks a sentence may close with after its last word or punctuation ("What now?**", 'said "yes."').
_CLOSING = " *_\"')]"
#: Sentences whose structure is found together: a passage's sentence range is rounded out to these blocks.
BLOCK = 64


def _is_prose(text: str, span: tuple[int, int], terms: Sequence[str]) -> bool:
    """Whether a sentence reads as prose: it has index terms and does not start like Markdown markup (an
    image, a link, a code fence, HTML, a table row or a heading)."""
    return bool(terms) and not text.startswith(NOT_PROSE_START, span[0])


def _is_heading(text: str, span: tuple[int, int]) -> bool:
    """Whether sentence ``text[s:e]`` is a Markdown heading, a plain title line (one short line with letters
    and no closing punctuation, standing on a line of its own: "2. Release rhythm"), or an agenda item's
    inline label ("1. Release manager." before the item's text on the same line)."""
    s, e = span
    if text.startswith("#", s) and _HEADING.fullmatch(text, s, e) is not None:
        return True
    # (An inline label starts with a digit: the look at its first character spares the pattern.)
    if (s == 0 or text[s - 1] == "\n") and text[e:e + 2].startswith(" ") and text[e + 1:e + 2].isupper():
        if text[s:s + 1].isdigit() and _INLINE_LABEL.fullmatch(text, s, e) is not None:
            return True
        # A paragraph's label, a short noun phrase before its text ("Plot sizes. A full plot is ..."); not a
        # short sentence ("It works.") or a reply ("Yes. You can ...").
        label = _PARAGRAPH_LABEL.fullmatch(text, s, e)
        if label is not None and label.group(1).lower() not in _NOT_LABELS:
            return True
    if e - s > _TITLE_CHARS or e <= s or "\n" in text[s:e]:
        return False
    end = e - 1
    while end > s and text[end] in "\"”":  # 'Uploads fail with "413 Too Large"' is a title line
        end -= 1
    if text[end] in ".!?:;,\"')]":
        return False
    # The cheap looks first (each one alone can say no): a line of its own, then the costlier ones.
    if not (text[e : e + 3].lstrip(" \t").startswith(("\n", "\r\n")) and (s == 0 or text[s - 1] == "\n")):
        return False
    if text.startswith(_LIST_MARKS, s) or not any(ch.isalpha() for ch in text[s:e]):
        return False
    if field_line(text[s:e]):
        return False  # "Venue: Casa do Porto" is a field, not a title ("Chapter 2: Installation" is one)
    # A title stands above text: the last line of a document (a chat's last message) is not one.
    return bool(text[e:].strip())


def _is_opening_title(text: str, span: tuple[int, int]) -> bool:
    """Whether a document's first sentence is a title written as a short sentence on a line of its own,
    with a blank line after it ("Server maintenance notice." over the notice itself)."""
    s, e = span
    if e - s > 60 or "\n" in text[s:e] or len(text[s:e].split()) > 6 or (s > 0 and text[s - 1] != "\n"):
        return False
    return text[e:e + 4].replace(" ", "").replace("\t", "").replace("\r", "").startswith("\n\n")


def _line_starts(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """The sentences that start a line (or the text) or start with "#", in order: the only ones that can be
    a heading (see :func:`_is_heading` and :func:`_is_opening_title`). Found from the text's newlines and
    "#" signs (a few per document) rather than by a look at every sentence."""
    starts = dict(zip(map(itemgetter(0), spans), range(len(spans))))
    if len(starts) != len(spans):  # two sentences at one offset (none are empty): look at each one
        return [i for i, (s, _) in enumerate(spans) if s == 0 or text[s - 1] == "\n" or text.startswith("#", s)]
    found = {starts[0]} if 0 in starts else set()
    get = starts.get
    for mark, shift in (("\n", 1), ("#", 0)):
        p = text.find(mark)
        while p >= 0:
            i = get(p + shift)
            if i is not None:
                found.add(i)
            p = text.find(mark, p + 1)
    return sorted(found)


def _headings_above(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each sentence, the index of the nearest heading above it (``-1``: none); ``-2`` for a heading."""
    found: list[int] = []
    current = -1
    last = 0
    for i in _line_starts(text, spans):
        span = spans[i]
        if _is_heading(text, span) or (i == 0 and _is_opening_title(text, span)):
            found.extend([current] * (i - last))
            found.append(-2)
            current = i
            last = i + 1
    found.extend([current] * (len(spans) - last))
    return found


def _heading_at(text: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    """Whether sentence ``i`` is a heading: it starts a line (or with "#") and :func:`_is_heading` or, first
    in the document, :func:`_is_opening_title` says so."""
    span = spans[i]
    s = span[0]
    return (s == 0 or text[s - 1] == "\n" or text.startswith("#", s)) and (
        _is_heading(text, span) or (i == 0 and _is_opening_title(text, span)))


def _section_headings(text: str, spans: Sequence[tuple[int, int]], heading: Callable[[int], bool]) -> list[int]:
    """The headings whose terms make the sections below them, in order: the line starts for which
    ``heading(k)`` (:func:`_heading_at`) holds. A heading is a "#" line or at most :data:`_TITLE_CHARS` long
    (see :func:`_is_heading`, :func:`_is_opening_title`): the other line starts (most, in prose) are passed
    over without a look at their text."""
    return [k for k in _line_starts(text, spans)
            if (spans[k][1] - spans[k][0] <= _TITLE_CHARS or text.startswith("#", spans[k][0])) and heading(k)]


#: A segment's stored sentence terms of one document, as :class:`SentenceStructure` reads them:
#: ``(off, tids, number)``, sentence ``i``'s distinct term numbers are ``tids[off[i] - off[0]:off[i + 1] -
#: off[0]]`` and ``number`` maps a term to its number (see :meth:`retrieval.segments.Segment.sentence_terms`).
StoredNumbers = tuple[Sequence[int], npt.NDArray[np.int32], dict[str, int]]


class SentenceStructure:
    """The question-independent facts :func:`retrieval.excerpts.window_rows` reads of one document's sentences.

    Every list has one entry per sentence of the document; entries are filled a block of :data:`BLOCK`
    sentences at a time, by :meth:`ensure` (read an entry only inside a range ensured).

    Parameters
    ----------
    text, spans:
        The document's text and its sentences' ``(start, end)`` character offsets.
    terms:
        ``terms(i)``: sentence ``i``'s own index terms (a heading's included).
    stored:
        The same terms as the segment stores them (:data:`StoredNumbers`), or ``None``: then :meth:`masks`
        reads ``terms`` instead.
    headings:
        Whether to find headings. ``False`` for sentences whose ``terms`` already leave headings empty (a
        :class:`~retrieval.corpus.DocumentSentences` made of plain sets); their section terms are then
        ``sections``.
    sections:
        With ``headings=False``: each sentence's section heading's terms.

    Attributes
    ----------
    quotable:
        Sentence ``i`` may be quoted: it has index terms and is no heading (``bool(terms[i])`` of
        :class:`~retrieval.corpus.DocumentSentences`).
    prose:
        Quotable and not starting like markup (:data:`NOT_PROSE_START`): the document's title stands over it.
    filler:
        Not quotable, yet it ends like a sentence (".", "?" or "!", closing marks aside) and is no "#" line:
        a quote may run through it ("What now?"), never end on it.
    introduces:
        It ends with ":" or "?" (closing marks aside): what follows answers it.
    section:
        The heading whose terms are sentence ``i``'s section terms (``DocumentSentences.sections[i]``:
        the nearest heading above a prose sentence), ``-1`` for none (always, with ``headings=False``: the
        ``sections`` sets are read instead).
    """

    __slots__ = ("text", "spans", "quotable", "prose", "filler", "introduces", "section", "_terms", "_stored",
                 "_off", "_find_headings", "_section_sets", "_done", "_heads", "_first")

    def __init__(self, text: str, spans: Sequence[tuple[int, int]], terms: Callable[[int], frozenset[str]],
                 stored: StoredNumbers | None = None, headings: bool = True,
                 sections: Sequence[frozenset[str]] | None = None) -> None:
        n = len(spans)
        self.text, self.spans = text, spans
        self._terms, self._stored = terms, stored
        self._off = stored[0] if stored is not None else None
        self._find_headings = headings
        self._section_sets = sections
        self.quotable = [False] * n
        self.prose = [False] * n
        self.filler = [False] * n
        self.introduces = [False] * n
        self.section = [-1] * n
        self._done = bytearray((n + BLOCK - 1) // BLOCK)
        self._heads: list[int] | None = None
        self._first = -1

    def ensure(self, first: int, last: int) -> None:
        """Fill every list for sentences ``first..last`` (inclusive) and the rest of their blocks."""
        done = self._done
        for block in range(first // BLOCK, last // BLOCK + 1):
            if not done[block]:
                self._fill(block * BLOCK, min(len(self.spans), (block + 1) * BLOCK))
                done[block] = 1

    def first_quotable(self) -> int:
        """The first quotable sentence (0 when none is): after the opening heading, if any."""
        if self._first < 0:
            found = 0
            quotable = self.quotable
            for lo in range(0, len(quotable), BLOCK):
                self.ensure(lo, lo)
                if True in quotable[lo:lo + BLOCK]:
                    found = quotable.index(True, lo)
                    break
            self._first = found
        return self._first

    def has_section(self, i: int) -> bool:
        """Whether sentence ``i``'s section terms are not empty (``bool(DocumentSentences.sections[i])``)."""
        self.ensure(i, i)
        if self._section_sets is not None:
            return bool(self._section_sets[i])
        h = self.section[i]
        if h < 0:
            return False
        off = self._off
        return off[h + 1] > off[h] if off is not None else bool(self._terms(h))

    def _heading_before(self, i: int) -> int:
        """The nearest heading above sentence ``i`` whose terms make a section (``-1``: none), from the text's
        line starts (the blocks above ``i`` need not be filled)."""
        heads = self._heads
        if heads is None:
            heads = self._heads = _section_headings(self.text, self.spans,
                                                    lambda k: _heading_at(self.text, self.spans, k))
        k = bisect_left(heads, i)
        return heads[k - 1] if k else -1

    def _fill(self, lo: int, hi: int) -> None:
        """Find the structure of sentences ``lo..hi - 1``, in one pass."""
        text, spans = self.text, self.spans
        off, terms = self._off, self._terms
        find = self._find_headings
        quotable, prose, filler, introduces = self.quotable, self.prose, self.filler, self.introduces
        section = self.section
        current = self._heading_before(lo) if find and lo > 0 else -1  # the section heading so far
        for i in range(lo, hi):
            s, e = spans[i]
            first = text[s] if e > s else ""
            # NOT_PROSE_START, by its first characters before the look at the whole prefixes.
            markup = first in "![`~<|#" and first != "" and text.startswith(NOT_PROSE_START, s)
            head = False
            if find and (s == 0 or text[s - 1] == "\n" or first == "#") and (
                    e - s <= _TITLE_CHARS or first == "#" or first.isdigit()):
                # Longer lines are headings only as "#" lines or agenda labels (see _is_heading).
                head = _is_heading(text, (s, e)) or (i == 0 and _is_opening_title(text, (s, e)))
            closing = text[e - 1] if e > s else ""
            if closing in _CLOSING:
                piece = text[s:e].rstrip(_CLOSING)
                closing = piece[-1:]
            introduces[i] = closing == ":" or closing == "?"
            if not head and (off[i + 1] > off[i] if off is not None else bool(terms(i))) \
                    and not (e - s <= _GREETING_CHARS and first not in _NOT_GREETING_START
                             and _GREETING.fullmatch(text, s, e)):
                quotable[i] = True
                if not markup:
                    prose[i] = True
                    section[i] = current
            else:
                piece = text[s:e].rstrip(_CLOSING)
                filler[i] = bool(piece) and piece[-1] in ".?!" and not piece.lstrip().startswith("#")
                if head and (e - s <= _TITLE_CHARS or first == "#"):
                    current = i

    def masks(self, weights: Coverage, first: int, last: int) -> tuple[list[int], list[int]]:
        """The question's bit masks (``weights``) of sentences ``first..last``, indexed ``i - first``.

        Returns
        -------
        tuple[list[int], list[int]]
            ``own``: ``weights.mask`` of sentence ``i``'s terms when it is quotable, else 0 (``weights.mask
            (DocumentSentences.terms[i])``); ``section``: ``weights.mask`` of its section terms
            (``weights.mask(DocumentSentences.sections[i])``). Both of length ``last + 1 - first``.
        """
        self.ensure(first, last)
        quotable, section = self.quotable, self.section
        stored = self._stored
        if stored is None:
            mask, terms = weights.mask, self._terms
            own = [mask(terms(i)) if quotable[i] else 0 for i in range(first, last + 1)]
            if self._section_sets is not None:
                sets = self._section_sets
                return own, [mask(sets[i]) for i in range(first, last + 1)]
            return own, [mask(terms(h)) if h >= 0 else 0 for h in section[first:last + 1]]
        off, tids, number = stored
        _, wanted, bits = weights.numbers(number)
        base = off[0]
        start = off[first] - base
        listed = tids[start:off[last + 1] - base].tolist()
        shift = base + start  # off[i] - shift: where sentence i's terms start in ``listed``
        count = last + 1 - first
        # Each sentence's mask, headings' too: from where the question's terms are in the range (a few places).
        raw = [0] * count
        for k in compress(range(len(listed)), map(wanted.__contains__, listed)):
            raw[bisect_right(off, k + shift, first, last + 2) - 1 - first] |= bits[listed[k]]
        own = [m if q else 0 for m, q in zip(raw, quotable[first:last + 1])] if any(raw) else raw
        sections = section[first:last + 1]
        heads = set(sections)
        heads.discard(-1)
        if not heads:
            return own, [0] * count
        masks = {-1: 0}
        for h in heads:
            if h >= first:  # the usual title above, inside the range
                masks[h] = raw[h - first]
            else:
                m = 0
                for t in wanted.intersection(tids[off[h] - base:off[h + 1] - base].tolist()):
                    m |= bits[t]
                masks[h] = m
        return own, [masks[h] for h in sections]
