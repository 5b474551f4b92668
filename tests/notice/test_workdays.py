"""Chinese working days from the State Council's schedule (chinesecalendar), dates looked up and written out."""

from datetime import date

import pytest

from submissions.notice import workdays


def test_a_five_working_day_notice_from_30_september_2026_skips_national_day_and_counts_the_make_up_saturday():
    # 9-30 (Wed), then 10-1…10-7 off, 10-8 (Thu), 10-9 (Fri), 10-10 (Sat, 调休 working day), 10-11 (Sun) off, 10-12 (Mon).
    assert workdays.last_day(date(2026, 9, 30), 5) == date(2026, 10, 12)


def test_a_notice_starting_on_a_holiday_starts_counting_on_the_next_working_day():
    assert workdays.last_day(date(2026, 10, 1), 1) == date(2026, 10, 8)
    assert workdays.last_day(date(2026, 10, 1), 3) == date(2026, 10, 10)


def test_spring_festival_2026_with_its_two_make_up_saturdays():
    # 2-12 (Thu), 2-13 (Fri), 2-14 (Sat, 调休), 2-15…2-23 off, 2-24 (Tue), 2-25 (Wed).
    assert workdays.last_day(date(2026, 2, 12), 5) == date(2026, 2, 25)
    # 2-13, 2-14, 2-24, 2-25, 2-26, 2-27, 2-28 (Sat, 调休), 3-2, 3-3, 3-4.
    assert workdays.add_workdays(date(2026, 2, 12), 10) == date(2026, 3, 4)


def test_ten_working_days_to_answer_an_objection_received_on_a_friday_before_a_make_up_saturday():
    assert workdays.add_workdays(date(2026, 10, 9), 10) == date(2026, 10, 22)
    assert workdays.add_workdays(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_a_plain_week_counts_weekends_out():
    assert workdays.last_day(date(2026, 6, 1), 5) == date(2026, 6, 5)
    assert workdays.add_workdays(date(2026, 6, 5), 1) == date(2026, 6, 8)


def test_a_year_the_calendar_does_not_know_is_refused_not_guessed():
    with pytest.raises(workdays.UnknownYear, match="2099"):
        workdays.add_workdays(date(2099, 3, 2), 1)
    with pytest.raises(workdays.UnknownYear):
        workdays.last_day(date(2099, 12, 24), 5)


def test_a_count_out_of_bounds_is_refused():
    with pytest.raises(ValueError):
        workdays.add_workdays(date(2026, 6, 1), 0)
    with pytest.raises(ValueError):
        workdays.add_workdays(date(2026, 6, 1), 61)
