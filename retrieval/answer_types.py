"""Does a sentence hold a value of the kind a question asks for?

Light patterns in the spirit of a named-entity tagger's coarse classes (dates, times, numbers, money,
versions, places and links, people) plus two discourse kinds that factoid taggers lack: a *reason*
(because, so that, due to, ...) and an *instruction* (a command in backticks, "run", "set", "go to", an
imperative). :func:`has_answer_type` answers for one sentence; the retriever uses it as one feature among
several, never as a filter, so a missed pattern costs a little rank, not the answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping

from .acronyms import spells_out
from .question import MONTHS, AnswerType

__all__ = ["counts", "field_line", "vague_count", "vague_date", "future_dates", "has_answer_type", "labelled"]

_MONTH = "|".join(
    sorted([m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m] + ["Sept"], key=len,
           reverse=True)
)
_WEEKDAY = "|".join([d for d in calendar.day_name] + [d for d in calendar.day_abbr])
_WEEKDAY_FULL = "|".join(d for d in calendar.day_name)
_MONTH_FULL = "|".join(m for m in calendar.month_name if m and m != "May")
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|a couple|several|half"
)
#: Upper- and lower-case letters of names, accented ones included ("Tomasz Wójcik", "Ilkka Järvinen").
_UP = "[A-ZÀ-ÖØ-Þ]"
_LO = "[a-zß-öø-ÿ\u0100-\u017f]"
#: Clock times ("16:00", "9 am", "noon", "UTC"): the TIME patterns less the parts of the day.
_CLOCK_TIME = r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2} ?(?:am|pm|a\.m\.|p\.m\.)|\b(?:UTC|GMT|CET|CEST|EST|PST|noon|midnight)\b|o'clock"
_UNITS = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|nights?)"


class _LazyPatterns(Mapping[AnswerType, "re.Pattern[str]"]):
    """``{kind: re.compile(*source)}``, each pattern compiled the first time it is looked up.

    A process compiles only the patterns its questions need (compiling all of them cost about 25 ms of every
    start); the patterns themselves are the sources given, unchanged.
    """

    def __init__(self, sources: dict[AnswerType, tuple[str] | tuple[str, int]]) -> None:
        self._sources = sources
        self._compiled: dict[AnswerType, re.Pattern[str]] = {}

    def __getitem__(self, kind: AnswerType) -> re.Pattern[str]:
        pattern = self._compiled.get(kind)
        if pattern is None:
            pattern = self._compiled[kind] = re.compile(*self._sources[kind])
        return pattern

    def __contains__(self, kind: object) -> bool:
        return kind in self._sources

    def __iter__(self) -> Iterator[AnswerType]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


_PATTERNS: Mapping[AnswerType, re.Pattern[str]] = _LazyPatterns({
    AnswerType.DATE: (
        rf"\b(?i:{_MONTH})\.? \d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?i:{_MONTH})\b|"
        rf"\b(?i:{_MONTH}),? (?:1\d|20)\d{{2}}\b|\b(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|"
        rf"\b(?:{_WEEKDAY_FULL})s?\b|\b(?:in|since|until|by|from|before|after|during|of) (?:(?:early|late|mid) )?(?:1\d|20)\d{{2}}\b|"
        rf"\b(?:[Yy]esterday|[Tt]omorrow|[Tt]onight|next (?:week|month|year)|last (?:week|month|year)|"
        rf"(?:early|late|mid)[- ](?:{_MONTH_FULL}|\d{{4}}))\b|\bQ[1-4]\b|\b(?:{_MONTH_FULL})\b|\b(?:1[5-9]|20)\d{{2}}\b(?!,\d)",
    ),
    AnswerType.TIME: (_CLOCK_TIME + r"|\b(?:morning|afternoon|evening)\b", re.IGNORECASE),
    AnswerType.DURATION: (
        rf"\b(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS}|a|an)[- ](?:{_UNITS})\b|\b(?:forever|indefinitely|permanent)\b|"
        r"\b\d[\d,.]*[- ](?:[a-z]+[- ])?long\b|\b\d[\d,.]*[- ](?:pages?|words?|lines?|chapters?|episodes?|km|miles?|"
        r"metres?|meters?|feet|foot|inches|kilometres?|kilometers?)\b",
        re.IGNORECASE,
    ),
    AnswerType.FREQUENCY: (
        r"\bevery\b|\beach (?:day|week|month|year|night)\b|\b(?:daily|weekly|monthly|yearly|annually|hourly|nightly|"
        r"fortnightly|biweekly|quarterly)\b|\b(?:once|twice|\d+ times) (?:a|an|per|every)\b|\bper (?:day|week|month|year)\b|"
        r"\b(?:first|second|third|fourth|last) (?:" + _WEEKDAY_FULL + r")\b",
        re.IGNORECASE,
    ),
    AnswerType.NUMBER: (
        rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE
    ),
    AnswerType.MONEY: (
        r"[$€£¥]\s?\d|\d\s?(?:[$€£¥]|EUR|USD|GBP|euros?|dollars?|pounds?|cents?)\b|\b(?:free|no cost|costs?)\b|"
        rf"\b(?:{_NUMBER_WORDS}) (?:euros?|dollars?|pounds?|cents?|bucks)\b|"
        r"\d\s?(?:per|a) (?:month|year)\b",  # "5 a month"; a bare "once a year" is no amount
        re.IGNORECASE,
    ),
    AnswerType.VERSION: (r"\bv?\d+\.\d+(?:\.\d+)*\b|\bversion \d+\b", re.IGNORECASE),
    AnswerType.PLACE: (
        r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|dev|app|eu|de|pt|uk)\b|(?<!\w)#[a-z][\w-]*|"
        r"(?<![\w/.:])/[a-z][a-z0-9_-]{1,30}(?![\w/.])|"  # a slash command: "use /report" is where to report
        rf"\b(?:in|at|on|near|from|inside|via|under) (?:the )?(?!(?:{_MONTH_FULL}|May|{_WEEKDAY_FULL})\b)[A-Z][\w'-]+|"
        r"\b(?:street|st\.|avenue|road|room|"
        r"building|floor|hall|venue|city|channel|folder|directory|page|menu|tab|settings)\b|/[\w.-]+/|"
        r"`[^`]*/[^`]*`|\b[\w.]+ ?-based\b|\b(?:based|headquartered|located|situated) "
        r"(?:in|at|near)\b",
    ),
    AnswerType.PERSON: (
        rf"(?<![.!?]\s)(?<!^)\b{_UP}{_LO}+(?: {_UP}(?:{_LO}|['-])+)+\b|\b(?:Mr|Ms|Mrs|Dr|Prof)\.? [A-Z]|(?<!\w)@[\w.-]+|"
        r"\b(?:team|maintainers?|moderators?|admins?|organi[sz]er|founder|author|manager|lead|sponsor|"
        r"company|foundation|[Hh]e|[Ss]he)\b|\b(?!(?:It|Its|This|That|There|These|Those|They|We|You|What|Which|Who|Here|Everything|"
        r"Everyone|Nothing|Something|Each|Every|All|Some|Most|Many|Much|One|Both|Neither|Either|Such|Our|Your|Their|"
        rf"His|Her|My|The|If|When|While|Now|Today|Then|So|But|And|Or|Also|Nobody|Anyone|Anything)\b){_UP}{_LO}+ (?:is|was|will|has|and|[a-z]{{2,}}(?:es|[^s\W]s|ed)) |"
        r"^\W*(?!(?:The|A|An|This|That|These|Our|Your|Each|Every|In|On|At|For|From|After|Before|If|When)\b)"
        rf"{_UP}{_LO}+ {_UP}(?:{_LO}|['-])+(?=,| [a-z]| \()",  # a name opening the sentence: "Ines Carvalho, who ..."
    ),
    AnswerType.INSTRUCTION: (
        r"`[^`]+`|^\W*(?:(?:after|if|when|once|before|to|for|in)\b[^.;:!?]{0,100}?,\s+)?(?:Run|Set|Use|Open|Go to|Click|Select|Type|Enter|Install|Add|Remove|Delete|Enable|Disable|"
        r"Turn|Restart|Upgrade|Update|Edit|Change|Create|Copy|Move|Ask|Send|Post|Contact|Email|Report|Write|Mount|"
        r"Point|Pick|Choose|Press|Visit|Follow|Download|Sign|Make sure|Check|Try|Put|Log in|Reset|"
        # the steps a member takes: "Fill in the waitlist form", "Bring your own gloves", "Book a slot"
        r"Fill in|Fill out|Join|Apply|Register|Bring|Book|Reserve|Pay|Tell|Talk to|Call|Message|DM|Read|Drop off|"
        r"Wear|Return|Submit|Upload|Attach|Request|Save|Rename|Replace|Connect|Plug|Unplug|Lock|Unlock|Clean|"
        r"Head to|Stop by|Drop by|Mention|Ping|Tag|Vote)\b|"
        r"\b(?:you can|you need to|you should|you must|you have to|make sure|to do (?:this|so)|by running|run|"
        r"(?:ways?|options?|methods?) to)\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    AnswerType.DECISION: (
        r"\b(?:decision|decided|decides|agreed|agreement|resolved|resolution|concluded|approved|rejected|"
        r"postponed|deferred|settled|voted (?:to|for|against|down|in favou?r)|the vote (?:was|passed|failed|went)|"
        r"in favou?r|against|not yet|go ahead|consensus|outcome)\b",  # "voted on X" is the debate, not the result
        re.IGNORECASE,
    ),
    AnswerType.REASON: (
        r"\bsince(?! (?:v?\d|then|last|early|late|mid|the (?:start|beginning|first|last)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
        r"oct|nov|dec)[a-z]*\b|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b|yesterday|\w+ (?:19|20)\d\d))|"
        r"\b(?:because|so that|due to|means that|this means|pointed out|explain(?:s|ed)? that|argued that|is why|"
        r"needs?|requires?|do(?:es)? not (?:have|support)|doesn't (?:have|support)|don't (?:have|support)|"
        r"that's why|owing to|as a result|in order to|caused by|the reason|reasons? (?:is|was|are)|"
        r"therefore|which means|otherwise|to avoid|to prevent|to (?:pay|make room) for|to (?:cover|fund|finance) the|clash(?:es|ed)? with|conflicts? with|collides? with|"
        r"confus(?:es|ed|ing)|thanks to|was (?:too|not)|were (?:too|not)|doubles|comes? from|happens when|if you)\b|"
        r", so (?:we|they|you|it|the|our)\b",  # "... can no longer give us Tuesdays, so we are moving"
        re.IGNORECASE,
    ),
})


def has_answer_type(text: str, kind: AnswerType, asked: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` (one sentence or a short window) contains a value of ``kind``.

    Parameters
    ----------
    text:
        The sentence, as written.
    kind:
        The expected answer type of the question. For :attr:`AnswerType.EXPANSION`: whether ``text`` spells
        out a word of ``asked`` that may be an initialism (:func:`retrieval.acronyms.spells_out`).
    asked:
        Lower-cased words of the question. A value made only of words the question already says ("2010"
        in "Who won the 2010 World Cup?", "World Cup" for a *who* question) is not an answer to it.

    Returns
    -------
    bool
        ``True`` when one of the kind's patterns matches a value the question does not contain (for NUMBER,
        not a release's version: "FermWatch 2.0"). A DATE question also accepts a clock time or a FREQUENCY
        ("every second Tuesday at 16:00"); a TIME question only a time of day ("once a month" is no answer
        to *what time*).
    """
    if kind is AnswerType.EXPANSION:  # the asked initialism, spelled out
        return any(spells_out(word, text) for word in asked if word not in _EXPANSION_FRAME)
    if kind is AnswerType.NUMBER:  # "FermWatch 2.0 is a major release" names a release, it counts nothing
        text = _NAMED_RELEASE.sub(" ", text)
    if _matches(_PATTERNS[kind], text, asked):
        return True
    if kind is AnswerType.DATE:  # a clock time, not "an evening jam session"
        return _matches(_CLOCK, text, asked) or _matches(_PATTERNS[AnswerType.FREQUENCY], text, asked)
    return False


_WORD = re.compile(r"[^\W_]+")
#: A release named by its version ("FermWatch 2.0", "v1.4", "version 3.1"): no answer to *how many* or
#: *what port*.
_NAMED_RELEASE = re.compile(r"(?:\b[A-Z][\w-]*|\bv|\bversion) ?\d+(?:\.\d+)+\b")
#: The TIME patterns less the parts of the day ("morning", "evening"): what a *when* question accepts as a time.
_CLOCK = re.compile(_CLOCK_TIME + r"|\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
                    r"(?:in the |this |each |every )?(?:morning|afternoon|evening|night)s?\b", re.IGNORECASE)
#: Words of an EXPANSION question that are not the initialism ("What does AARP stand for?").
_EXPANSION_FRAME = frozenset("what does do did is was the a an stand stands stood for short full name form of "
                             "abbreviation acronym mean letters".split())


#: Words a pattern matches around a value ("in Lisbon", "since 2019") that are not part of it.
_CONTEXT = frozenset(["in", "at", "on", "near", "from", "inside", "via", "under", "the", "of", "by", "since", "until",
                      "before", "after", "during"])


def _matches(pattern: re.Pattern[str], text: str, asked: frozenset[str]) -> bool:
    for match in pattern.finditer(text):
        words = _WORD.findall(match.group(0).lower())
        value = [w for w in words if w not in _CONTEXT] or words  # "in Lisbon" is the value "Lisbon"
        if not words or not asked or any(w not in asked for w in value) or match.group(0).startswith("/"):
            return True  # a slash command may be named by the question's verb ("where do I report" - "/report")
    return False


_COUNT = re.compile(rf"(?:\d[\d,.]*|\b(?:{_NUMBER_WORDS}|a few|many|no))(?=\s+((?:[\w-]+\s+){{0,2}})([\w-]+))",
                    re.IGNORECASE)


def counts(text: str, unit: str, analyzer: Callable[[str], list[str]], strict: bool = False) -> bool:
    """Whether ``text`` gives a number of ``unit`` (an index term): "38 people", "nine days", "12 new
    languages" for *how many people / days / languages*. Up to two words may stand between number and unit.

    Parameters
    ----------
    text:
        The sentence.
    unit:
        The counted word's index term (the analyzer's stem of the word after "how many").
    analyzer:
        The analyzer, to compare the counted word in ``text`` with ``unit``.
    strict:
        Only a number of ``unit`` counts. Otherwise, when ``text`` does not name ``unit`` at all, any
        number will do (the document may count "members" where the question says "people").
    """
    if next(_counts_of(text, unit, analyzer), None) is not None:
        return True
    if strict or unit in analyzer(text):
        return False
    # The unit is not named near any number: any number will do, except one that is part of a date, a
    # time, a year or a version ("8 June 2024", "17:00", "v2.2" count nothing).
    rest = _NOT_COUNTS.sub(" ", text)
    return _PATTERNS[AnswerType.NUMBER].search(rest) is not None


#: A frequency said in one word ("our yearly seed swap", "the weekly call"): a date for *when*, but a vaguer
#: one than "Saturday 5 July".
_FREQUENCY_WORD = re.compile(r"\b(?:daily|weekly|monthly|yearly|annual|annually|hourly|nightly|fortnightly|"
                             r"biweekly|quarterly)\b", re.IGNORECASE)


def vague_date(text: str) -> bool:
    """Whether ``text`` answers *when* only with a one-word frequency ("our yearly seed swap") or a month
    alone ("the family picnic in August", against "Sunday, August 16"): no other date, no clock time, no
    other frequency ("every second Tuesday")."""
    if _CLOCK.search(text):
        return False
    dates = [m.group(0) for m in _PATTERNS[AnswerType.DATE].finditer(text)]
    if dates:
        return all(d.lower() in _MONTH_NAMES for d in dates) \
            and _PATTERNS[AnswerType.FREQUENCY].search(text) is None
    if _FREQUENCY_WORD.search(text) is None:
        return False
    return _PATTERNS[AnswerType.FREQUENCY].search(_FREQUENCY_WORD.sub(" ", text)) is None


#: Month names alone, lower-cased: a DATE match that names no day and no year.
_MONTH_NAMES = frozenset(m.lower() for m in calendar.month_name if m)


#: Quantifiers that count without a number: "several people" is a count, but a vaguer answer to *how many*
#: than "38 people".
_VAGUE = frozenset({"several", "many", "a few", "a couple", "dozens", "hundreds", "thousands", "millions", "no"})


def vague_count(text: str, unit: str, analyzer: Callable[[str], list[str]]) -> bool:
    """Whether ``text`` counts ``unit`` (an index term) only with a quantifier ("several people", "many
    users"), never with a number ("80 people", "nine days"). See :func:`counts` for what counts."""
    found = [number.lower() for number in _counts_of(text, unit, analyzer)]
    return bool(found) and all(number in _VAGUE for number in found)


def _counts_of(text: str, unit: str, analyzer: Callable[[str], list[str]]) -> Iterator[str]:
    """The numbers or quantifiers in ``text`` that count ``unit``, as written ("38", "several"), up to two
    words before it. A lookahead: "8 June had 38 people" tries "8" and "38"."""
    for match in _COUNT.finditer(text):
        if unit in analyzer((match.group(1) or "") + " " + match.group(2)):
            yield match.group(0)


_NOT_COUNTS = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?i:{_MONTH})\b|\b(?i:{_MONTH})\.? \d{{1,2}}\b|\b(?:1[5-9]|20)\d{{2}}\b|"
    r"\b\d{1,2}[:.]\d{2}\b|\bv?\d+(?:\.(?:\d+|x))+\b|\b(?:version|v) ?\d+\b|#\d+|`[^`]*`"
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\b\.?(?:,? ((?:19|20)\d{{2}})\b)?|"
    rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? ((?:19|20)\d{{2}})\b)?|"
    rf"\b((?:19|20)\d{{2}})-(\d{{2}})-(\d{{2}})\b",
    re.IGNORECASE,
)


def future_dates(text: str, near: dt.date | None) -> list[tuple[int, int, int]]:
    """Calendar dates written in ``text`` as ``(year, month, day)``. A date without a year takes the year
    that puts it nearest to ``near`` (the document's date): "13 January" in minutes of 11 November 2026
    is 13 January 2027, "3 June" in them 3 June 2026; it is skipped when ``near`` is ``None``.

    Examples: "Saturday 26 April 2025", "April 26", "2025-04-26".
    """
    found: list[tuple[int, int, int]] = []
    for m in _DAY_MONTH_YEAR.finditer(text):
        if m.group(9):
            year, month, day = int(m.group(7)), int(m.group(8)), int(m.group(9))
        elif m.group(2):
            day, month = int(m.group(1)), MONTHS[m.group(2).lower()]
            year = int(m.group(3)) if m.group(3) else _nearest_year(month, day, near)
        else:
            month, day = MONTHS[m.group(4).lower()], int(m.group(5))
            year = int(m.group(6)) if m.group(6) else _nearest_year(month, day, near)
        if year and 1 <= month <= 12 and 1 <= day <= 31:
            found.append((year, month, day))
    return found


def _nearest_year(month: int, day: int, near: dt.date | None) -> int:
    """The year in which ``month``/``day`` falls nearest to ``near`` (0 when ``near`` is ``None``): its own
    year, unless the day is more than half a year before or after it in that year."""
    if near is None:
        return 0
    shift = (month - near.month) * 31 + (day - near.day)  # about the days between, within one year
    return near.year + (1 if shift < -HALF_YEAR_DAYS else -1 if shift > HALF_YEAR_DAYS else 0)


#: Half a year, in the rough day count of :func:`_nearest_year` (months of 31 days).
HALF_YEAR_DAYS = 186


#: Field labels that announce a value of each type on a key-value line ("- **Time:** 14:00 to 19:00").
_LABELS: dict[AnswerType, str] = {
    AnswerType.DATE: r"dates?|when|day|deadline|released?|published",
    AnswerType.TIME: r"times?|when|starts?|doors|schedule|hours",
    AnswerType.DURATION: r"duration|length|how long",
    AnswerType.FREQUENCY: r"schedule|frequency|how often|cadence",
    AnswerType.NUMBER: r"capacity|count|number|size|attendance|seats|limit",
    AnswerType.MONEY: r"price|prices|cost|costs|fee|fees|entry|tickets?|budget",
    AnswerType.VERSION: r"versions?|release|requires?|requirements",
    AnswerType.PLACE: r"venue|where|location|place|address|room|url|link|channel|getting there",
    AnswerType.PERSON: r"who|contact|organi[sz]ers?|hosts?|speakers?|owners?|maintainers?|chair|lead",
}
_LABEL_LINE: Mapping[AnswerType, re.Pattern[str]] = _LazyPatterns(
    {kind: (rf"^\W*(?:[-*+]\s+)?(?:\*\*|__)?(?:{words})(?:\*\*|__)?\s*:", re.IGNORECASE)
     for kind, words in _LABELS.items()})


def labelled(text: str, kinds: tuple[AnswerType, ...]) -> bool:
    """Whether ``text`` opens with a field label for one of ``kinds``: ``**Time:**``, ``Venue:``,
    ``- Date:`` (a key-value line of an event page, a release note, an FAQ)."""
    return any(kind in _LABEL_LINE and _LABEL_LINE[kind].match(text) is not None for kind in kinds)


def field_line(text: str) -> bool:
    """Whether ``text`` opens with the field label of any answer type (``labelled`` for all of them, in one
    pattern)."""
    global _ANY_LABEL
    if _ANY_LABEL is None:
        words = "|".join(_LABELS.values())
        _ANY_LABEL = re.compile(rf"^\W*(?:[-*+]\s+)?(?:\*\*|__)?(?:{words})(?:\*\*|__)?\s*:", re.IGNORECASE)
    return _ANY_LABEL.match(text) is not None


_ANY_LABEL: re.Pattern[str] | None = None
