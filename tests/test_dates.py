"""Dates as archives write them."""

from __future__ import annotations

from datetime import date

import pytest

from archive.dates import DateError, parse_date

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2015-07-21 12:00:00", "2015-07-21T12:00:00"),
        ("2015-07-21", "2015-07-21"),
        ("21/07/2015", "2015-07-21"),
        ("٢٠١٥-٠٧-٢١", "2015-07-21"),
        ("11 نوفمبر/تشرين الثاني 2013", "2013-11-11"),
        ("1 يناير/كانون الثاني 2015", "2015-01-01"),
        ("3 أيار 2012", "2012-05-03"),
        ("5 رمضان 1436 هـ", "2015-06-22"),
        ("July 3, 2014", "2014-07-03"),
    ],
)
def test_reads_dates(written: str, iso: str) -> None:
    assert parse_date(written, today=TODAY) == iso


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2030-01-01", "future"),
        ("2015-02-30", "calendar"),
        ("blah blah", "unreadable"),
    ],
)
def test_refuses_with_a_reason(written: str, reason: str) -> None:
    with pytest.raises(DateError, match=reason):
        parse_date(written, today=TODAY)


def test_missing_is_none() -> None:
    assert parse_date(None) is None and parse_date("  ") is None
