"""Dates as people write them: the ``date`` line at the top of a text file, and front-matter ``date:`` values.

Accepted forms (English month names, full or three-letter, any case; an optional weekday before them):

* year first, numbers: ``2022-09-02``, ``2022-9-2``, ``2022/09/02``, ``2022.09.02``;
* day or month first, numbers: ``13/09/2022`` or ``09/13/2022`` — read only when one of the two numbers is
  over 12 (or both are equal); ``02/09/2022`` could be 2 September or 9 February and is never guessed;
* with the month's name: ``2 September 2022``, ``2nd Sept. 2022``, ``September 2, 2022``, ``Fri, Sep 2 2022``;
* a date-time, year first: ``2023-01-05T10:30:00Z``, ``2022-09-02 10:30`` (the time is dropped).

The forms are found with a regular expression; a name-of-month date is then read by python-dateutil, which
also rejects impossible ones (``30 February 2022``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

__all__ = ["DateReading", "DateHeader", "read_date", "read_date_header", "how_to_write", "HOW_TO_WRITE"]

#: How a person should write a date, quoted in warnings (see :func:`how_to_write`).
HOW_TO_WRITE = "write it as 2022-09-02 or 2 September 2022"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?[ \t]+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_VALUE = re.compile(
    rf"""(?:
        (?P<ymd>(?P<y1>\d{{4}})(?P<s1>[-/.])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})
            (?:[T\ ]\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)
      | (?P<num>(?P<a>\d{{1,2}})(?P<s2>[-/.])(?P<b>\d{{1,2}})(?P=s2)(?P<y2>\d{{4}}))
      | (?P<words>{_WEEKDAY}(?:{_DAY}[ \t]+(?:of[ \t]+)?{_MONTH},?[ \t]+\d{{4}}|{_MONTH}[ \t]+{_DAY},?[ \t]+\d{{4}}))
    )(?![\w/-]|\.\d)""",
    re.IGNORECASE | re.VERBOSE,
)
# The start of a date header: the word "date" (any case), then a colon, or white space before a digit.
_HEADER = re.compile(r"\A\s*date(?:[ \t]*:[ \t]*|[ \t]+(?=\d)|(?=\d))", re.IGNORECASE)


_A_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def how_to_write(value: str) -> str:
    """How to write the date in ``value`` so it reads one way, for a warning: for day and month that could
    be swapped, both readings ("02/09/2026": "write it as 2026-09-02 for 2 September 2026 or 2026-02-09 for
    9 February 2026"); else :data:`HOW_TO_WRITE` with the year ``value`` names, if it names one."""
    found = _VALUE.search(value)  # the reading read_date gives up on as "ambiguous"
    if found and found.group("num"):
        a, b, year = int(found.group("a")), int(found.group("b")), int(found.group("y2"))
        if 1 <= a <= 12 and 1 <= b <= 12 and a != b:
            readings = [f"{year}-{month:02d}-{day:02d} for {day} {calendar.month_name[month]} {year}"
                        for day, month in ((a, b), (b, a))]
            return "write it as " + " or ".join(readings)
    year = _A_YEAR.search(value)
    return HOW_TO_WRITE.replace("2022", year.group(1)) if year else HOW_TO_WRITE


@dataclass(frozen=True)
class DateReading:
    """What a date value says.

    Attributes
    ----------
    date:
        The date, or ``None``.
    problem:
        ``None`` when read; else ``"ambiguous"`` (day and month could be swapped), ``"impossible"``
        (such as 30 February) or ``"unreadable"``.
    length:
        How many characters of the value the date took (0 when unreadable).
    """

    date: dt.date | None
    problem: str | None
    length: int


def _numeric(match: re.Match[str]) -> DateReading:
    length = match.end()
    if match.group("ymd"):
        year, month, day = int(match.group("y1")), int(match.group("m1")), int(match.group("d1"))
    else:
        a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("y2"))
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a or a == b:
            month, day = a, b
        elif a > 12 and b > 12:
            return DateReading(None, "impossible", length)
        else:
            return DateReading(None, "ambiguous", length)
    try:
        return DateReading(dt.date(year, month, day), None, length)
    except ValueError:
        return DateReading(None, "impossible", length)


def read_date(value: str, *, whole: bool = True) -> DateReading:
    """Read a date written as people write it (see the module docstring).

    Parameters
    ----------
    value:
        The text, from its first character.
    whole:
        The date must be all of ``value`` (surrounding white space and quotes aside); otherwise it may be
        followed by other text.

    Returns
    -------
    DateReading
        The date or the problem, and how many characters the date took.
    """
    if whole:
        value = value.strip().strip("'\"").strip()
    lead = len(value) - len(value.lstrip())
    match = _VALUE.match(value, lead)
    if match is None or (whole and match.end() != len(value)):
        return DateReading(None, "unreadable", 0)
    length = match.end()
    if match.group("words") is None:
        numeric = _numeric(match)
        return DateReading(numeric.date, numeric.problem, length)
    try:
        parsed = dateutil_parser.parse(re.sub(r"\s+of\s+", " ", match.group("words")), fuzzy=False)
    except (ValueError, OverflowError):
        return DateReading(None, "impossible", length)
    return DateReading(parsed.date(), None, length)


@dataclass(frozen=True)
class DateHeader:
    """A ``date`` line at the start of a text.

    Attributes
    ----------
    reading:
        The date read, or the problem.
    value:
        The date as written (for an unreadable header: the rest of its line), for warnings.
    end:
        Offset just past the header (its line break included when nothing follows the date on the line).
    """

    reading: DateReading
    value: str
    end: int


def read_date_header(text: str) -> DateHeader | None:
    """Find a date header at the start of ``text``.

    The header is optional leading white space, the word ``date`` in any case, then a colon or white space
    and a date in a form of :func:`read_date`; the text may go on on the same line or on the next.
    ``Date: sometime in spring`` and ``date 2022-13-45`` look like headers but cannot be read: the reading
    is a problem and the header runs to the end of its line. ``Date palms grow here`` is not a header.

    Returns
    -------
    DateHeader or None
        ``None`` when the text does not start like a date header.
    """
    start = _HEADER.match(text)
    if start is None:
        return None
    line_end = text.find("\n", start.end())
    line_end = len(text) if line_end < 0 else line_end
    reading = read_date(text[start.end() : line_end], whole=False)
    if reading.problem == "unreadable":
        value = text[start.end() : line_end].strip()
        return DateHeader(reading, value, min(len(text), line_end + 1))
    end = start.end() + reading.length
    value = text[start.end() : end]
    rest = re.compile(r"[ \t]*(?:\r?\n)?").match(text, end)
    return DateHeader(reading, value, rest.end() if rest else end)
