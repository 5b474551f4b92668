"""Chinese working days (工作日): weekends and public holidays off, the make-up working days (调休) on.

The calendar is the State Council's yearly schedule as the `chinesecalendar` package keeps it
(imported as chinese_calendar): it knows 2004 to the last year it was released for, make-up
Saturdays and Sundays included, and is updated every November when the next year's schedule is
published. A hand-kept list would be wrong the first year nobody remembered it. For a year the
installed package does not know, these functions raise UnknownYear rather than guess from
weekends alone: a notice or an answer date counted wrong is worse than one not computed
(upgrade the package once the schedule is out).
"""

from datetime import timedelta

import chinese_calendar
from django.utils.translation import gettext as _

MAX_DAYS = 60  # more working days than any notice or answer period: a bound on the loop


class UnknownYear(ValueError):
    """The calendar does not know this year yet; str() is a message for an editor (Chinese)."""


def is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise UnknownYear(
            _("节假日安排尚未收录 %(year)s 年（chinesecalendar 需更新），无法计算工作日。") % {"year": day.year}
        ) from None


def add_workdays(day, count):
    """The `count`-th working day after `day` (not counting `day` itself): an answer due in 10 working days."""
    if not 0 < count <= MAX_DAYS:
        raise ValueError(f"count must be between 1 and {MAX_DAYS}, got {count}")
    found = 0
    while found < count:
        day += timedelta(days=1)
        found += is_workday(day)
    return day


def last_day(start, count):
    """The last day of a period of `count` working days that starts on `start` (counted when it is
    one): a 5-working-day notice from Wednesday 2026-09-30 runs to Monday 2026-10-12."""
    return add_workdays(start - timedelta(days=1), count)


def known_until():
    """The last year the installed calendar knows."""
    return max(chinese_calendar.holidays).year
