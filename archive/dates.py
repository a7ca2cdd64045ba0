"""Dates as archives write them, to ISO 8601.

Handles ISO and numeric dates, Arabic month names in both the Egyptian/Gulf (نوفمبر) and the
Levantine (تشرين الثاني) series, written together as news agencies do ("11 نوفمبر/تشرين الثاني
2013"), Hijri dates ("5 رمضان 1436 هـ", converted with hijridate), and whatever else dateparser
reads. A date that cannot be read raises ``DateError`` with the reason.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import dateparser
from hijridate import Hijri

from archive.analysis import normalize


class DateError(ValueError):
    pass


_GREGORIAN_MONTHS = {
    # Egyptian / Gulf
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine / Iraqi
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    # Maghreb
    "جانفي": 1,
    "فيفري": 2,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويليه": 7,
    "اوت": 8,
}
_HIJRI_MONTHS = {
    "محرم": 1,
    "صفر": 2,
    "ربيع الاول": 3,
    "ربيع الاخر": 4,
    "ربيع الثاني": 4,
    "جمادي الاولي": 5,
    "جمادي الاول": 5,
    "جمادي الاخره": 6,
    "جمادي الثانيه": 6,
    "جمادي الاخر": 6,
    "جمادي الثاني": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    "ذو القعده": 11,
    "ذي القعده": 11,
    "ذو الحجه": 12,
    "ذي الحجه": 12,
}


def _month_pattern(names: dict[str, int]) -> str:
    # longest first, so "تشرين الثاني" wins over a shorter name inside it
    return "|".join(sorted((re.escape(normalize(n)) for n in names), key=len, reverse=True))


_GREGORIAN_NAMES = {normalize(k): v for k, v in _GREGORIAN_MONTHS.items()}
_HIJRI_NAMES = {normalize(k): v for k, v in _HIJRI_MONTHS.items()}
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(?:z|[+-]\d{2}:?\d{2})?$"
)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_WORDS = re.compile(
    rf"(\d{{1,2}})\s+(?:{_month_pattern(_GREGORIAN_MONTHS)})"
    rf"(?:\s*/\s*(?:{_month_pattern(_GREGORIAN_MONTHS)}))?\s*,?\s+(\d{{4}})"
)
_HIJRI = re.compile(
    rf"(\d{{1,2}})\s+({_month_pattern(_HIJRI_MONTHS)})\s*,?\s+(\d{{4}})\s*(?:ه|هـ|هجري|هجريه)?"
)
MAX_FUTURE = timedelta(days=2)  # time zones and scheduled publication


def _iso(year: int, month: int, day: int, time: tuple[int, int, int] | None = None) -> str:
    try:
        parsed = datetime(year, month, day, *(time or (0, 0, 0)))
    except ValueError as error:
        raise DateError(f"not a calendar date: {error}") from None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") if time else parsed.strftime("%Y-%m-%d")


def _words_month(text: str, names: dict[str, int], match: re.Match[str]) -> int:
    found = re.search(_month_pattern(names), match.group(0))
    assert found is not None
    return names[found.group(0)]


def parse_date(value: object, today: date | None = None) -> str | None:
    """ISO 8601 for a date as written in an article record; None when there is none."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _check_future(
            datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%S"), today
        )
    text = normalize(str(value)).strip()
    if not text:
        return None
    result = _parse_text(text)
    return _check_future(result, today)


def _parse_text(text: str) -> str:
    if m := _ISO.match(text):
        y, mo, d, h, mi, s = m.groups()
        time = (int(h), int(mi), int(s or 0)) if h else None
        return _iso(int(y), int(mo), int(d), time)
    if m := _DMY.match(text):
        return _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _YMD.match(text):
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _HIJRI.search(text):
        day, month, year = int(m.group(1)), _HIJRI_NAMES[m.group(2)], int(m.group(3))
        try:
            return Hijri(year, month, day).to_gregorian().isoformat()
        except (ValueError, OverflowError) as error:
            raise DateError(f"not a Hijri date: {error}") from None
    if m := _WORDS.search(text):
        return _iso(int(m.group(2)), _words_month(text, _GREGORIAN_NAMES, m), int(m.group(1)))
    parsed = dateparser.parse(
        text,
        languages=["ar", "en", "fr"],
        settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"},
    )
    if parsed is None:
        raise DateError(f"unreadable date {text[:40]!r}")
    return parsed.strftime("%Y-%m-%d")


def _check_future(iso: str, today: date | None) -> str:
    today = today or datetime.now(UTC).date()
    if date.fromisoformat(iso[:10]) > today + MAX_FUTURE:
        raise DateError(f"date {iso[:10]} is in the future")
    if int(iso[:4]) < 1800:
        raise DateError(f"date {iso[:10]} is before 1800")
    return iso
