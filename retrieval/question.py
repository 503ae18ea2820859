"""Reading a question: what it is about, what kind of answer it wants, and when.

:func:`read_question` turns what a person typed into a :class:`QuestionPlan`:

* **Clean text.** Discord markup is not content: user, role and channel mentions (``<@123>``, ``<@&123>``,
  ``<#123>``), ``@everyone``/``@here``, a leading ``@bot``-style handle, custom emoji (``<:name:123>``),
  pasted links, Unicode emoji and zero-width characters are removed before analysis, in the terminal and in Discord alike.
* **Frame words.** "how many", "what's", "can I", "is there", "pls", "hey" say what kind of question it is,
  not what it is about: they are dropped from the search terms (:data:`FRAME_WORDS`, on top of the analyzer's
  stop words), so "How many albums can I share?" searches for *albums* and *share*.
* **Expected answer type** from the question word, as in the answer-type step of classic factoid QA
  (Moldovan et al. 2000; Li & Roth 2002's coarse classes): *when* wants a date or time, *who* a person,
  *how many* a number, *why* a reason, *how do I* an instruction, and so on (:class:`AnswerType`).
* **Time.** "now", "currently", "latest", "still", "these days" ask for the newest information
  (:attr:`QuestionPlan.recency`); "next" and "upcoming" for the first thing after today
  (:attr:`QuestionPlan.upcoming`); a month, a year or "this week" named in the question is a period
  (:attr:`QuestionPlan.period`) that documents of that time answer best. The words of a period are not search
  terms: "the March 2024 call" searches for *call* among documents of March 2024.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

__all__ = ["DECISION_WORDS", "FRAME_WORDS", "SOCIAL_WORDS", "WHERE_WHEN_FRAME_WORDS", "AnswerType", "QuestionPlan",
           "clean_question", "only_a_link", "read_question"]


class AnswerType(enum.Enum):
    """The kind of value a question asks for (see :mod:`retrieval.answer_types` for how each is found)."""

    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    FREQUENCY = "frequency"
    NUMBER = "number"
    MONEY = "money"
    VERSION = "version"
    PLACE = "place"
    PERSON = "person"
    INSTRUCTION = "instruction"
    REASON = "reason"
    DECISION = "decision"
    EXPANSION = "expansion"


#: Words that frame a question rather than name its subject, dropped from search terms (the analyzer's
#: English stop words are dropped as well). Casefolded, unstemmed.
FRAME_WORDS: frozenset[str] = frozenset(
    ["many", "much", "long", "often", "whats", "what's", "whos", "who's", "wheres", "where's", "whens", "hows", "can", "could", "would", "should", "may", "might", "must", "shall", "will", "anyone", "anybody", "someone", "somebody", "anything", "something", "tell", "know", "please", "pls", "plz", "thanks", "thank", "thx", "hey", "hi", "hello", "hiya", "yo", "halp", "help", "guys", "folks", "lol", "idk", "tbh", "btw", "imo", "ok", "okay", "like", "good", "best", "hmm", "um", "uh", "get", "got", "gets", "getting", "really", "actually",
     # chat: interjections, and contractions written without the apostrophe ("the web ui wont load")
     "ugh", "argh", "meh", "oops", "welp", "sigh", "omg", "pfff", "wont", "cant", "dont", "doesnt", "didnt",
     "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "shouldnt", "couldnt", "wouldnt", "ive",
     "youre", "theyre", "thats", "theres",
     # chat: a member calling themselves new ("total noob here"), laughter, and spoken forms ("gonna")
     "noob", "noobs", "n00b", "newb", "newbs", "newbie", "newbies", "lmao", "lmk", "haha", "hahaha", "rofl",
     "yall", "gonna", "wanna", "gotta", "dunno", "kinda", "sorta",
     # chat: apologies and fillers around the question ("sorry if this is a dumb question", "honestly")
     "sorry", "dumb", "silly", "stupid", "honestly", "literally", "basically", "anyway", "anyways"]
)
#: Chat's closing requests for help ("..., any ideas?", "any tips"): the frame of the question, not its subject.
_ASKING_FOR_HELP = re.compile(
    r"\b(?:(?:got|have|has) )?any(?:one| ?body)? (?:ideas?|clues?|tips?|thoughts?|suggestions?|pointers?)\b",
    re.IGNORECASE)
#: Frame words said to the bot rather than asked ("thanks!", "hi", "ok"): a question of these alone is not
#: asked of the documents (:meth:`retrieval.Retriever.concepts` finds nothing for it).
SOCIAL_WORDS: frozenset[str] = frozenset(
    ["thanks", "thank", "thx", "hi", "hello", "hey", "hiya", "yo", "ok", "okay", "lol"]
)

#: The words that make a question a DECISION question ("What was decided at the March call?", "What was the
#: outcome of the vote?"): they name the kind of answer, as "when" does, not its subject, and minutes record a
#: decision in other words ("Decision: postponed", "so the price stays at €3"). The retriever drops them from a
#: DECISION question's search terms when other words are left.
DECISION_WORDS: frozenset[str] = frozenset(
    "decide decided decides deciding decision decisions agree agreed agreement resolve resolved resolution "
    "conclude concluded conclusion outcome outcomes result results verdict settle settled".split()
)
#: Verbs that only frame a *where* or *when* question ("Where are meetings held?", "When is the picnic
#: happening?"): the place or date is what is asked, the verb is seldom what the answer says ("we meet in
#: Room B"). Dropped from such a question's search terms unless nothing else is left. Casefolded.
WHERE_WHEN_FRAME_WORDS: frozenset[str] = frozenset(
    "held happen happens happening located situated".split()
)

#: Words that ask for the newest information.
_RECENCY = re.compile(
    r"\b(now|nowadays|currently|current|latest|newest|most recent|recent|still|these days|today|anymore|"
    r"at the moment|right now|as of (?:now|today)|up to date|up-to-date|new default|these days)\b",
    re.IGNORECASE,
)
#: Words that ask for the first thing after today.
_UPCOMING = re.compile(r"\b(next|upcoming|coming up|soon|future|planned|scheduled)\b", re.IGNORECASE)
#: Of those, the words that only say "the next one" and are dropped from the search terms.
_UPCOMING_WORDS = re.compile(r"\b(next|upcoming|coming up|soon)\b", re.IGNORECASE)

#: "still 8420", "still v1.4", "still 2 GB": a value the asker expects may be out of date.
_STILL_VALUE = re.compile(r"(?<=\bstill )v?\d[\d.,]*(?: ?[A-Za-z]{1,3}\b)?", re.IGNORECASE)

#: English month names and abbreviations, lower-cased, to month numbers (shared with :mod:`.answer_types`).
MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
#: The same without "may", a modal verb as often as a month.
_MONTH_NAMES_NOT_MAY = "|".join(sorted((m for m in MONTHS if m != "may"), key=len, reverse=True))
_MONTH_YEAR = re.compile(
    rf"\b(?:(?:back )?in |during |at the |of |from )?(?:(\d{{1,2}})(?:st|nd|rd|th)? )?({_MONTH_NAMES})\.?"
    rf"(?: (\d{{1,2}})(?:st|nd|rd|th)?,?)? (\d{{4}})\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
#: A day and month without a year ("the 28 April chat", "on April 28"), or a month alone after "the" / "in"
#: ("the March call"; not May, which is a modal verb as often as a month).
_DAY_MONTH = re.compile(
    rf"\b(?:on |the |at the |from the )?(?:(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_NAMES})|({_MONTH_NAMES})\.? "
    rf"(\d{{1,2}})(?:st|nd|rd|th)?)\b(?!,? \d)",
    re.IGNORECASE,
)
#: A question about the past ("what was decided", "what did they say"): its day or month without a year is
#: the last one before the day asked, not the nearest.
_PAST_TENSE = re.compile(r"\b(?:was|were|did|had|happened|said|decided|agreed|suggested|announced)\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(
    rf"\b(?:in|during|at the|the|from the|of the) ({_MONTH_NAMES_NOT_MAY}|(?-i:May))\b(?!\.? \d)",  # "may" is a verb
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:(?:back )?in |during )(19\d{2}|20\d{2})\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(this|last|past) (week|month|year)\b|\b(yesterday|today|tonight)\b|\bin the (?:last|past) (\d+) days\b",
    re.IGNORECASE,
)

#: How chat writes question words: read as the word they stand for ("wat time", "whens the call", "hw do i").
CHAT_SPELLINGS: dict[str, str] = {
    "wat": "what", "wut": "what", "wht": "what", "whta": "what", "wen": "when", "whn": "when", "hw": "how",
    "hwo": "how", "wher": "where", "wich": "which", "whats": "what is", "whens": "when is", "wheres": "where is",
    "whos": "who is", "hows": "how is", "whys": "why is",
}
#: Frame words as chat draws them out ("hiii", "heyyy", "plzzz"), by their letters with repeats collapsed.
_DRAWN_OUT: dict[str, str] = {"hi": "hi", "hey": "hey", "helo": "hello", "yo": "yo", "pls": "pls", "plz": "plz",
                              "lol": "lol", "thx": "thx", "hm": "hmm", "um": "um", "uh": "uh", "ok": "ok",
                              "okay": "okay", "thanks": "thanks"}
_CHAT_WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])")
_REPEATS = re.compile(r"(.)\1+")

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:\d+(?::\w)?>")
_EVERYONE = re.compile(r"(?<!\w)@(?:everyone|here)\b", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.-]+")
#: A pasted link ("https://discord.com/channels/1/2/3 when is the meetup"): what the question points at, not
#: its words.
_LINK = re.compile(r"<?\b(?:https?://|www\.)[^\s<>]+>?", re.IGNORECASE)
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
#: An emoji typed as its short code (":thinking:", ":+1:"), as clients that do not render it send it.
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,32}:(?![\w:])")
#: A Discord block quote: a line opening with "> ", or ">>> " quoting the rest of the message.
_QUOTE_LINE = re.compile(r"^[ \t]*>[ \t]+.*$", re.MULTILINE)
_QUOTE_REST = re.compile(r"^[ \t]*>>>[ \t].*", re.MULTILINE | re.DOTALL)
_QUOTE_MARK = re.compile(r"^[ \t]*>(?:>>)?[ \t]+", re.MULTILINE)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\U0000fe0f\U0000200d\U00002b00-\U00002bff]"
)


def clean_question(text: str) -> str:
    """``text`` without Discord markup, emoji and zero-width characters, white space collapsed.

    Examples: ``"<@123> when is the call?"`` and ``"@everyone when is the call?"`` both give
    ``"when is the call?"``. A ``@name`` handle is dropped too (it names who is asked, not what), and so is
    a pasted link (``https://discord.com/channels/...``, ``www.example.org/x``), an emoji short code
    (``:thinking:``), and the lines of a block quote (``> someone else's words``) when the message says more
    than the quote (a message that is only a quote is read without its ``>`` marks). Chat
    spellings of question words (:data:`CHAT_SPELLINGS`: "wat time", "whens the call") read as the words they
    stand for, and drawn-out frame words ("hiii", "plsss") as the frame word.
    """
    text = _ZERO_WIDTH.sub("", text)
    if ">" in text:  # a reply quoting another message: the quote is what is answered, not what is asked
        unquoted = _QUOTE_LINE.sub(" ", _QUOTE_REST.sub(" ", text))
        text = unquoted if re.search(r"[^\W_]", _MENTION.sub(" ", unquoted)) else _QUOTE_MARK.sub("", text)
    text = _MENTION.sub(" ", text)
    text = _SHORTCODE.sub(" ", text)
    text = _LINK.sub(" ", text)
    text = _EVERYONE.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = _CHAT_WORD.sub(_chat_word, text)
    return " ".join(text.split())


def only_a_link(plan: QuestionPlan) -> bool:
    """Whether the question was a pasted link and nothing else (its cleaned text is empty: see
    :func:`clean_question`)."""
    return not plan.cleaned and _LINK.search(plan.raw) is not None


def _chat_word(match: re.Match[str]) -> str:
    word = match.group(0)
    lower = word.lower()
    if lower in CHAT_SPELLINGS and (word.islower() or match.start() == 0):
        return CHAT_SPELLINGS[lower]
    collapsed = _REPEATS.sub(r"\1", lower)  # "hiii", "heyyy", "plsss": a frame word drawn out
    return _DRAWN_OUT.get(collapsed, word) if collapsed != lower else word


@dataclass(frozen=True)
class QuestionPlan:
    """What :func:`read_question` understood.

    Attributes
    ----------
    text:
        The cleaned question, the part to search for: period words, recency words ("now", "latest") and
        words that name the answer type ("what *time*") removed.
    raw:
        The question exactly as typed.
    searched:
        The same with the period's words kept (for documents without dates, where a period filters nothing).
    cleaned:
        The cleaned question as asked (markup removed, period words kept).
    answer_types:
        The expected answer types, in the order the question asks for them ("When and where ...?" gives
        DATE and PLACE); empty for an open question ("what is ...", "tell me about ...").
    unit:
        For *how many* / *how much*: the word counted ("people" in "how many people"), else ``None``.
    recency:
        The question asks for the newest information ("now", "latest", "still", ...).
    upcoming:
        The question asks for the first thing after today ("next", "upcoming").
    period:
        ``(first day, last day)`` of a time the question names, inclusive, or ``None``.
    as_of:
        The day the question is asked ("today" for ``upcoming`` and relative periods).
    polar:
        The question asks yes or no ("Do I have to be a member to borrow gear?", "anyone know if I can pay by
        card?"): no answer type, and it opens with an auxiliary verb or asks whether.
    attendance:
        The question asks who attended or how many came ("Who was at the March call?", "how many people
        came"): a meeting's attendance line may answer it.
    """

    text: str
    raw: str
    searched: str
    cleaned: str
    answer_types: tuple[AnswerType, ...]
    unit: str | None
    recency: bool
    upcoming: bool
    period: tuple[dt.date, dt.date] | None
    as_of: dt.date
    polar: bool = False
    attendance: bool = False


#: "version" as the thing asked for, not followed by its number: "version 1.9" names a version and asks
#: for none ("What changed in version 1.9?").
_VERSION_ASKED = r"version\b(?![ \t]+v?\d)"

_TYPE_RULES: tuple[tuple[re.Pattern[str], AnswerType], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\bwhat time\b|\bwhat hour\b|\bat what time\b", AnswerType.TIME),
        (r"\bhow long\b", AnswerType.DURATION),
        (r"\bhow often\b|\bhow frequently\b|\bhow regularly\b|"
         r"\bwhen (?:do|are)\b(?=.*\b(?:happen|held|take place|meet)\b)",
         AnswerType.FREQUENCY),  # "When do the calls happen?" asks for the schedule
        (r"\bhow much\b.*\b(cost|costs|price|pay|charge|charged|fee|fees|money|spend|spent)\b|"
         r"\bwhat(?:'s| is| does| are)? (?:the )?(?:price|cost|fee|fees|deposit|charge|dues|rent)\b", AnswerType.MONEY),
        (r"\bhow (?:many|much|big|large|old|far|fast|high|tall|deep|heavy|wide)\b|\bwhat (?:percentage|number|size)\b|"
         r"\b(?:what|which)(?:'s| is| was)?(?: the)?(?: [\w-]+)? (?:port|percentage|amount|limit|total)\b",
         AnswerType.NUMBER),  # "What port does it use?", "What is the upload limit?": a number
        (rf"\b(?:which|what)(?:'s| is| was)?(?: [\w-]+){{0,3}} {_VERSION_ASKED}|"
         rf"\b{_VERSION_ASKED}.*\b(?:need|require|minimum)|"
         rf"\bminimum\b.*\b{_VERSION_ASKED}|\b(?:which|what) releases?\b"
         r"(?= (?:did|do|does|is|was|will|added|removed|fixed|introduced|made|changed|brought|dropped|has|had|of|"
         r"first|last)\b|\?)", AnswerType.VERSION),
        (r"\b(?:stands?|stood) for\b|\bshort for\b|\bfull (?:name|form) of\b|"
         r"^\W*what(?:'s| is| are) (?:an? |the )?(?-i:[A-Z]{2,6})s?\W*$",  # "What is an RFC?"
         AnswerType.EXPANSION),  # "What does AARP stand for?" asks for the spelled-out name (Li & Roth's ABBR:exp)
        (r"\bwhen\b|\bwhat (?:date|day|year|month)\b|\bwhich (?:date|day|year|month)\b|\bwhat year\b|"
         r"\bwhat(?:'s| is| was| are)?(?: the)?(?: [\w-]+)? (?:deadline|date|due date|closing date|cut-?off date)s?\b",
         AnswerType.DATE),  # "What's the deadline for the challenge?": a date
        (r"\bwhere\b|\bwhich (?:channel|city|country|place|url|site|website|address)\b|"
         r"\bwhat (?:channel|city|country|place|url|site|website|address)\b", AnswerType.PLACE),
        (r"\bwho(?:m|se|'s| is| was| are)?\b|\bwhich (?:person|people|team|company|companies)\b",
         AnswerType.PERSON),
        (r"\bwhy\b|\bwhat(?:'s| is| was) the (?:reason|point|cause)\b|\bhow come\b|\bwhat causes\b",
         AnswerType.REASON),
        (r"\bwhat (?:was|were|got|has been|have been) (?:decided|agreed|resolved|concluded)\b|"
         r"\b(?:what|which)(?: [\w-]+){0,3} did\b.*\b(?:decide|agree|conclude|resolve|settle)\b|\b(?:what|which) (?:was|were) the (?:decision|outcome|"
         r"result|conclusion|verdict)s?\b|\bhow did\b.*\b(?:vote|decision|discussion)\b.*\b(?:turn out|go|end)\b",
         AnswerType.DECISION),  # minutes: the sentence that records what was decided
        (r"\bhow (?:do|can|should|would|could) (?:i|we|you|one)\b|\bhow to\b|\b(?:what|which)(?:'s| is| are)?(?: the)?(?: [\w-]+){0,2} commands?\b|\bwhat (?:do|should|can) (?:i|we)\b|"
         r"\bwhat should\b|\bhow (?:do|does) (?:i|one|you)\b|\bsteps? to\b|\bis there a way\b|"
         r"\bhow\b(?! (?:did|was|were|had)\b).*\?$",
         AnswerType.INSTRUCTION),
    )
)


#: "what time", "which year": the noun names the answer type, not the subject; so do "stand for" and "full
#: name of" in a question that asks what an abbreviation means.
_TYPE_NOUN = re.compile(r"\b((?:at )?(?:what|which)) (?:time|year|date|day|month|hour)\b|"
                        r"\b(?:stands?|stood) for\b|\bshort for\b|\b(?:the )?full (?:name|form) of\b|"
                        r"\b(?:the )?(?:acronym|abbreviation|initials)(?= \S+ (?:stands?|stood) for\b)", re.IGNORECASE)


def _answer_types(text: str) -> tuple[AnswerType, ...]:
    """The expected answer types: the rule whose match starts first, plus the other wh-words of a two-part
    question ("when and where", "who ... and when")."""
    found: list[AnswerType] = []
    # The leftmost question word decides ("Why can't it connect when I type ...?" wants a reason, not a
    # date); at the same place, the first rule (the more specific one: "how much ... cost" before "how much").
    first: tuple[int, int, AnswerType] | None = None
    for rank, (pattern, kind) in enumerate(_TYPE_RULES):
        match = pattern.search(text)
        if match and (first is None or (match.start(), rank) < first[:2]):
            first = (match.start(), rank, kind)
    if first is not None:
        found.append(first[2])
    if _DAY_AND_TIME.search(text):  # "What day and time is rehearsal?": the day and the clock time
        found += [k for k in (AnswerType.DATE, AnswerType.TIME) if k not in found]
    if found and found[0] is AnswerType.NUMBER and _HOW_MUCH_IS.search(text):
        found.append(AnswerType.MONEY)  # "How much are dues?": an amount of money, or else a number
    for word, kind in _SECOND_PARTS:
        # "..., and when ...?", "..., when is it?"; not "..., when it comes to broadcasting" (a clause, no question)
        if kind not in found and re.search(rf"\b(?:and|or) {word}\b|, {word} (?:is|are|was|were|do|does|did|can|"
                                           rf"could|will|would|should|has|have|had)\b", text, re.IGNORECASE):
            found.append(kind)
    return tuple(found)


#: A question that asks yes or no: it opens with an auxiliary verb ("Do I have to ...", "Can I pay by card?"),
#: or asks whether ("anyone know if I can ...").
_POLAR = re.compile(r"\W*(?:do|does|did|can|could|is|are|was|were|will|would|should|must|may|am|have|has|"
                    r"need)\b|.*\b(?:know|wondering|wonder|sure|asking|ask|tell me|check) (?:if|whether)\b",
                    re.IGNORECASE)
#: "the next meetup", "upcoming events": a question for the next one of something, which is known by its date.
_NEXT_ONE = re.compile(r"\b(?:next|upcoming) (?:[\w-]+ )?(?:events?|meetups?|meetings?|calls?|sessions?|jams?|"
                       r"workshops?|rides?|days?|swaps?|sales?|parties|party|gatherings?|socials?|streams?|"
                       r"livestreams?|dates?)\b", re.IGNORECASE)
#: Words of a question about who attended a meeting or how many came.
_ATTENDED = re.compile(r"\b(?:attend\w*|present|absent|came|come|coming|showed up|turned up|turnout|turn out|"
                       r"participants?|apologies|who (?:was|were|is|are|will be) (?:at|there)|who went)\b",
                       re.IGNORECASE)
#: A question for a day and a time together.
_DAY_AND_TIME = re.compile(r"\b(?:day|date) and (?:what )?time\b|\btime and (?:what )?(?:day|date)\b", re.IGNORECASE)
#: "How much is/are/does ...", no noun after "much": most often a price ("How much are dues?").
_HOW_MUCH_IS = re.compile(r"\bhow much (?:is|are|was|were|does|do|did|will)\b", re.IGNORECASE)
_SECOND_PARTS = (("when", AnswerType.DATE), ("where", AnswerType.PLACE), ("who", AnswerType.PERSON),
                 ("why", AnswerType.REASON), ("how much", AnswerType.NUMBER), ("how many", AnswerType.NUMBER),
                 ("what time", AnswerType.TIME), ("how long", AnswerType.DURATION))
_UNIT = re.compile(r"\bhow (?:many|much) ([a-z][\w-]*(?: [a-z][\w-]*){0,2})", re.IGNORECASE)
#: Words that end the counted noun phrase after "how many" ("how many GitHub stars does ...").
_UNIT_END = frozenset("do does did are is was were can could will would should have has had in on at of for to "
                      "per a an the there i we you they it".split())


def _counted(cleaned: str) -> str | None:
    """The counted thing of a "how many" question: the last word of the noun phrase after it ("stars" in
    "How many GitHub stars does it have?"), lower-cased; ``None`` without "how many/much"."""
    match = _UNIT.search(cleaned)
    if match is None:
        return None
    words = match.group(1).split()
    counted = words[0]
    if counted.lower() in _UNIT_END:
        return None  # "how much does it cost": nothing named is counted
    for word in words[1:]:  # "GitHub stars", "new languages": a plural after it is the head noun
        if word.lower() in _UNIT_END or not (word.lower().endswith("s") and len(word) > 3):
            break
        counted = word
    return counted.lower()


def _month_period(year: int, month: int, day: int | None) -> tuple[dt.date, dt.date]:
    if day is not None:
        try:
            exact = dt.date(year, month, day)
            return exact, exact
        except ValueError:
            pass
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _period(text: str, as_of: dt.date) -> tuple[tuple[dt.date, dt.date] | None, str]:
    """The period a question names and the question with its words removed."""
    match = _MONTH_YEAR.search(text)
    if match:
        day = match.group(1) or match.group(3)
        month, year = MONTHS[match.group(2).lower()], int(match.group(4))
        if 1900 <= year <= 2200:
            return _month_period(year, month, int(day) if day else None), text[: match.start()] + " " + text[match.end():]
    match = _ISO_DATE.search(text)
    if match:
        try:
            exact = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            return (exact, exact), text[: match.start()] + " " + text[match.end():]
        except ValueError:
            pass
    match = _DAY_MONTH.search(text)
    if match:  # the nearest such day to the day asked, before or after it
        day = int(match.group(1) or match.group(4))
        month = MONTHS[(match.group(2) or match.group(3)).lower()]
        days = []
        for year in (as_of.year - 1, as_of.year, as_of.year + 1):
            try:
                days.append(dt.date(year, month, day))
            except ValueError:
                continue
        if days:
            past = [d for d in days if d <= as_of]
            if _PAST_TENSE.search(text) and past:  # "what was said in the 3 May chat": the one before today
                exact = max(past)
            else:
                exact = min(days, key=lambda d: (abs((d - as_of).days), d))
            return (exact, exact), text[: match.start()] + " " + text[match.end():]
    match = _MONTH_ALONE.search(text)
    if match:  # the nearest such month to the day asked
        month = MONTHS[match.group(1).lower()]
        periods = [_month_period(year, month, None) for year in (as_of.year - 1, as_of.year, as_of.year + 1)]
        begun = [p for p in periods if p[0] <= as_of]
        if _PAST_TENSE.search(text) and begun:
            nearest = max(begun)
        else:
            nearest = min(periods, key=lambda p: (0 if p[0] <= as_of <= p[1] else min(abs((p[0] - as_of).days),
                                                                                      abs((p[1] - as_of).days)), p[0]))
        return nearest, text[: match.start()] + " " + text[match.end():]
    match = _YEAR.search(text)
    if match:
        year = int(match.group(1))
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)), text[: match.start()] + " " + text[match.end():]
    match = _RELATIVE.search(text)
    if match:
        rest = text[: match.start()] + " " + text[match.end():]
        which, unit, single, days = match.groups()
        if single:
            day = as_of - dt.timedelta(days=1) if single.lower() == "yesterday" else as_of
            return (day, day), rest
        if days:
            return (as_of - dt.timedelta(days=int(days)), as_of), rest
        span = {"week": 7, "month": 31, "year": 366}[unit.lower()]
        if which.lower() == "last" and unit.lower() != "week":
            span *= 2
        return (as_of - dt.timedelta(days=span), as_of), rest
    return None, text


def read_question(text: str, as_of: dt.date) -> QuestionPlan:
    """Read a question (see the module docstring).

    Parameters
    ----------
    text:
        What the person typed (any string).
    as_of:
        The day the question is asked: relative periods ("this week") and "next" count from it.

    Returns
    -------
    QuestionPlan
    """
    cleaned = clean_question(text)
    period, rest = _period(cleaned, as_of)
    rest = _STILL_VALUE.sub(" ", rest)  # "Is it still 8420?": the old value is what may have changed
    rest = _ASKING_FOR_HELP.sub(" ", rest)
    rest, searched = (_UPCOMING_WORDS.sub(" ", _RECENCY.sub(" ", _TYPE_NOUN.sub(lambda m: m.group(1) or " ", t))) for t in (rest, cleaned))
    kinds = _answer_types(cleaned)
    polar = not kinds and _POLAR.match(cleaned) is not None
    upcoming = bool(_UPCOMING.search(cleaned))
    if upcoming and not kinds and not polar and _NEXT_ONE.search(cleaned):
        kinds = (AnswerType.DATE,)  # "What's the next event?": the one with the soonest date, so a date
    return QuestionPlan(
        text=" ".join(rest.split()),
        searched=" ".join(searched.split()),
        raw=text,
        cleaned=cleaned,
        answer_types=kinds,
        unit=_counted(cleaned),
        recency=bool(_RECENCY.search(cleaned)),
        upcoming=upcoming,
        period=period,
        as_of=as_of,
        polar=polar,
        attendance=_ATTENDED.search(cleaned) is not None,
    )
