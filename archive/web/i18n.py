"""Interface strings and how numbers and dates are shown, Arabic first.

Templates call ``t("key")`` and ``tn("key", n)`` (bound to the reader's language by the app)
and the ``num``, ``long_date`` and ``hijri`` filters.

Digits: Western digits (0-9) everywhere, in both languages. Saudi newspapers (the archive's
sources: Okaz, Al-Riyadh, Al-Madina, Al-Jazirah, Al-Yaum, Sabq...) print dates, prices and
counts with Western digits, so do the imported articles, and the year facet's values are
the same digits the URL carries (``?year=2015``). Showing one digit system everywhere (counts,
dates, Hijri dates, page numbers, years) avoids a page that mixes ٢٠١٥ and 2015; the search
itself folds Arabic-Indic digits, so a reader typing ٢٠١٥ still finds 2015. The choice lives in
``DIGITS`` and ``format_number`` alone.
"""

from __future__ import annotations

from datetime import date

from hijridate import Gregorian

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
LANGUAGE_COOKIE = "lang"
DIGITS = "latn"  # "arab" would show Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩) everywhere

STRINGS: dict[str, dict[str, str]] = {
    "site_name": {"ar": "أرشيف الأخبار العربية", "en": "Arabic News Archive"},
    "site_tagline": {
        "ar": "ابحث في الأخبار بالكلمات والأشخاص والمنظمات والسنوات",
        "en": "Search the news by words, people, organizations and years",
    },
    "search": {"ar": "بحث", "en": "Search"},
    "search_label": {"ar": "ابحث في الأرشيف", "en": "Search the archive"},
    "search_placeholder": {
        "ar": 'اكتب كلمات البحث… مثل: "وزير الخارجية" -روسيا',
        "en": 'Type words… e.g. "foreign minister" -Russia',
    },
    "search_tips": {"ar": "طرق البحث", "en": "Search syntax"},
    "no_results": {"ar": "لا توجد مقالات تطابق هذا البحث.", "en": "No articles match this search."},
    "no_results_hint": {
        "ar": "جرّب كلمات أقل أو أعم، أو أزل بعض المرشحات.",
        "en": "Try fewer or more general words, or remove some filters.",
    },
    "did_you_mean": {"ar": "هل تقصد:", "en": "Did you mean:"},
    "sort": {"ar": "الترتيب", "en": "Sort"},
    "sort_relevance": {"ar": "الأكثر صلة", "en": "Relevance"},
    "sort_newest": {"ar": "الأحدث", "en": "Newest"},
    "sort_oldest": {"ar": "الأقدم", "en": "Oldest"},
    "filters": {"ar": "تصفية النتائج", "en": "Filter results"},
    "active_filters": {"ar": "المرشحات المختارة", "en": "Active filters"},
    "remove_filter": {"ar": "إزالة المرشح", "en": "Remove filter"},
    "clear_all": {"ar": "مسح الكل", "en": "Clear all"},
    "more": {"ar": "عرض {count} أخرى", "en": "Show {count} more"},
    "filter_values": {"ar": "ابحث في {facet}", "en": "Find in {facet}"},
    "no_matching_values": {"ar": "لا قيم مطابقة", "en": "No matching values"},
    "selected": {"ar": "محدد", "en": "selected"},
    "pages": {"ar": "الصفحات", "en": "Pages"},
    "page_n": {"ar": "صفحة {n}", "en": "Page {n}"},
    "previous": {"ar": "السابق", "en": "Previous"},
    "next": {"ar": "التالي", "en": "Next"},
    "results": {"ar": "النتائج", "en": "Results"},
    "showing": {"ar": "{first}–{last} من {total}", "en": "{first}–{last} of {total}"},
    "took": {"ar": "في {seconds} ث", "en": "in {seconds} s"},
    "loading": {"ar": "جارٍ التحميل…", "en": "Loading…"},
    "back_to_search": {"ar": "العودة إلى البحث", "en": "Back to search"},
    "source": {"ar": "المصدر", "en": "Source"},
    "author": {"ar": "الكاتب", "en": "Author"},
    "date": {"ar": "التاريخ", "en": "Date"},
    "hijri": {"ar": "الهجري", "en": "Hijri"},
    "original_link": {"ar": "الرابط الأصلي", "en": "Original link"},
    "persons": {"ar": "الأشخاص", "en": "People"},
    "organizations": {"ar": "المنظمات", "en": "Organizations"},
    "entities_in_article": {"ar": "من ورد في المقالة", "en": "Named in this article"},
    "entities_in_hit": {"ar": "ورد فيها", "en": "Named"},
    "search_entity": {
        "ar": "ابحث عن المقالات التي ورد فيها {name}",
        "en": "Find articles naming {name}",
    },
    "matches_marked": {
        "ar": "الكلمات المطابقة لـ«{q}» مظللة.",
        "en": "Words matching “{q}” are highlighted.",
    },
    "remove_marks": {"ar": "إزالة التظليل", "en": "Remove highlighting"},
    "unavailable": {
        "ar": "محرك البحث غير متاح حالياً. حاول بعد قليل.",
        "en": "The search engine is unavailable. Please try again shortly.",
    },
    "not_found": {"ar": "الصفحة غير موجودة.", "en": "Page not found."},
    "skip_to_results": {"ar": "انتقل إلى النتائج", "en": "Skip to results"},
    "skip_to_article": {"ar": "انتقل إلى المقالة", "en": "Skip to the article"},
    "no_date": {"ar": "بلا تاريخ", "en": "no date"},
    "untitled": {"ar": "بلا عنوان", "en": "Untitled"},
    "similar_articles": {"ar": "مقالات مشابهة", "en": "Similar articles"},
    "similar_hint": {
        "ar": "بحسب الأشخاص والمنظمات والكلمات المشتركة",
        "en": "By shared people, organizations and words",
    },
    "year_chart": {"ar": "عدد المقالات في كل سنة", "en": "Articles per year"},
    "json": {"ar": "JSON", "en": "JSON"},
    "json_title": {"ar": "النتائج نفسها بصيغة JSON", "en": "The same results as JSON"},
    "other_language": {"ar": "English", "en": "العربية"},
    "other_language_label": {
        "ar": "Switch the interface to English",
        "en": "حوّل الواجهة إلى العربية",
    },
    "footer": {
        "ar": "أرشيف مفتوح المصدر للأخبار العربية.",
        "en": "An open-source archive of Arabic news.",
    },
    "api": {"ar": "واجهة البرمجة", "en": "API"},
    "filters_count": {"ar": "تصفية النتائج", "en": "Filters"},
}

# The query language in short, shown under the search box: (syntax, what it does).
SEARCH_TIPS: dict[str, tuple[tuple[str, str], ...]] = {
    "ar": (
        ('"وزير الخارجية"', "عبارة بترتيبها"),
        ("-روسيا", "استبعاد كلمة"),
        ("نفط OR غاز", "إحدى الكلمتين"),
        ("اقتصاد*", "كلمات تبدأ بها"),
    ),
    "en": (
        ('"foreign minister"', "exact phrase"),
        ("-word", "exclude a word"),
        ("oil OR gas", "either word"),
        ("econom*", "words starting with"),
    ),
}

# Arabic has six plural forms (CLDR): zero, one, two, few (3-10), many (11-99), other (100...).
PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "articles": {
        "ar": {
            "zero": "لا مقالات",
            "one": "مقالة واحدة",
            "two": "مقالتان",
            "few": "{n} مقالات",
            "many": "{n} مقالة",
            "other": "{n} مقالة",
        },
        "en": {"zero": "No articles", "one": "1 article", "other": "{n} articles"},
    },
    "selected_filters": {
        "ar": {
            "zero": "",
            "one": "مرشح واحد",
            "two": "مرشحان",
            "few": "{n} مرشحات",
            "many": "{n} مرشحاً",
            "other": "{n} مرشح",
        },
        "en": {"zero": "", "one": "1 filter", "other": "{n} filters"},
    },
}

GREGORIAN_MONTHS = {
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
WEEKDAYS = {
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
HIJRI_ERA = {"ar": "هـ", "en": "AH"}

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def language(code: str | None) -> str:
    """A supported interface language, Arabic unless English is asked for."""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def direction(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang, entry[DEFAULT_LANGUAGE])
    if not values:
        return text
    return text.format(
        **{k: format_number(v) if isinstance(v, int) else v for k, v in values.items()}
    )


def plural_form(n: int, lang: str) -> str:
    if lang == "ar":
        if n == 0:
            return "zero"
        if n == 1:
            return "one"
        if n == 2:
            return "two"
        if 3 <= n % 100 <= 10:
            return "few"
        if 11 <= n % 100 <= 99:
            return "many"
        return "other"
    return "zero" if n == 0 else "one" if n == 1 else "other"


def translate_count(key: str, n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``tn("articles", 3)`` -> "3 مقالات"; Arabic plural forms chosen by the number."""
    forms = PLURALS[key].get(lang, PLURALS[key][DEFAULT_LANGUAGE])
    form = plural_form(n, lang)
    text = forms.get(form, forms["other"])
    return text.format(n=format_number(n))


def format_number(n: object, grouped: bool = True) -> str:
    """Integers grouped by thousands (31,030), in the archive's digits."""
    text = f"{n:,}" if grouped and isinstance(n, int) and not isinstance(n, bool) else str(n)
    return text.translate(_ARABIC_INDIC) if DIGITS == "arab" else text


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def long_date(iso: str | None, lang: str = DEFAULT_LANGUAGE, weekday: bool = False) -> str:
    """ "21 يوليو 2015" (Gregorian months as the Saudi press names them), or "" without a date."""
    day = _day(iso)
    if day is None:
        return ""
    text = (
        f"{format_number(day.day)} {GREGORIAN_MONTHS[lang][day.month - 1]} "
        f"{format_number(day.year, grouped=False)}"
    )
    return f"{WEEKDAYS[lang][day.weekday()]} {text}" if weekday else text


def hijri_date(iso: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The Hijri date beside a Gregorian one (Umm al-Qura calendar), or "" when out of range."""
    day = _day(iso)
    if day is None:
        return ""
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return ""
    month = hijri.month_name("ar" if lang == "ar" else "en")
    return (
        f"{format_number(hijri.day)} {month} {format_number(hijri.year, grouped=False)} "
        f"{HIJRI_ERA[lang]}"
    )
