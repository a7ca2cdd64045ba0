"""The search page's state and what the templates render, as plain Python (no app, no browser)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from archive.config import load_settings
from archive.models import FacetCount, Hit, SearchResult
from archive.web.i18n import (
    format_number,
    hijri_date,
    language,
    long_date,
    plural_form,
    translate,
    translate_count,
)
from archive.web.state import (
    MAX_PAGE,
    SearchState,
    article_url,
    chips,
    dom_id,
    entity_groups,
    external_url,
    facet_views,
    hit_views,
    last_page,
    local_path,
    page_links,
    year_bars,
)

FACETS = load_settings().facets


def state(query: str) -> SearchState:
    return SearchState.from_args(MultiDict(parse_qs(query, keep_blank_values=True)), FACETS)


def hit(
    article_id: str = "a1", persons: list[str] | None = None, organizations: list[str] | None = None
) -> Hit:
    return Hit(
        article_id, "عنوان", "2015-07-21", 2015, "src", "", "نص", persons or [], organizations or []
    )


# --- one URL per state ----------------------------------------------------------------------


def test_state_round_trips_through_its_url() -> None:
    s = state("q=لافروف&person=سيرغي+لافروف&person=بوتين&year=2015&sort=newest&page=3")
    assert s.q == "لافروف" and s.filters == {"person": ("سيرغي لافروف", "بوتين"), "year": ("2015",)}
    assert s.sort == "newest" and s.page == 3
    assert state(urlsplit(s.url()).query) == s


def test_defaults_are_left_out_of_the_url() -> None:
    assert SearchState().url() == "/"
    assert state("q=&sort=relevance&page=1&person=").url() == "/"
    assert SearchState(q="x", sort="oldest").url() == "/?q=x&sort=oldest"


@given(
    st.text(max_size=30),
    st.lists(st.text(max_size=12), max_size=3),
    st.sampled_from(["relevance", "newest", "oldest"]),
    st.integers(1, MAX_PAGE),
)
def test_any_state_survives_its_url(q: str, persons: list[str], sort: str, page: int) -> None:
    original = state(
        urlsplit(
            SearchState(q=q.strip(), sort=sort, page=page, filters={"person": tuple(persons)}).url()
        ).query
    )
    assert state(urlsplit(original.url()).query) == original


def test_bad_values_are_harmless() -> None:
    assert state("page=-3").page == 1 and state("page=abc").page == 1
    assert state("page=99999999").page == MAX_PAGE
    assert state("sort=drop").sort == "relevance"
    assert state("colour=red").filters == {}  # not a facet: ignored


def test_toggling_a_filter_adds_or_removes_it_and_goes_back_to_page_one() -> None:
    s = state("q=x&person=a&page=4")
    added = s.toggled("person", "b")
    assert added.filters == {"person": ("a", "b")} and added.page == 1
    assert added.toggled("person", "a").toggled("person", "b").filters == {}
    assert s.with_sort("newest").page == 1 and s.at_page(2).page == 2
    assert s.cleared() == SearchState(q="x")


def test_the_form_carries_filters_and_sort_but_not_the_query_or_page() -> None:
    s = state("q=x&person=a&year=2015&sort=oldest&page=2")
    assert s.hidden_fields() == [("person", "a"), ("year", "2015"), ("sort", "oldest")]
    assert s.filter_count == 2
    assert s.api_url() == "/api/search?q=x&person=a&year=2015&sort=oldest&page=2"


# --- facets, chips, pages -------------------------------------------------------------------


def result(**facets: list[tuple[object, int]]) -> SearchResult:
    return SearchResult(
        total=10,
        hits=[],
        facets={
            name: [FacetCount(value, count) for value, count in values]
            for name, values in facets.items()
        },
    )


def test_facet_values_carry_counts_selection_and_toggle_urls() -> None:
    s = state("person=b")
    views = {v.name: v for v in facet_views(s, result(person=[("a", 5), ("b", 3)]), FACETS)}
    person = views["person"]
    assert person.label == "الأشخاص"
    assert [(v.value, v.count, v.selected) for v in person.values] == [
        ("b", 3, True),
        ("a", 5, False),
    ]
    assert person.values[0].toggle_url == "/"
    assert person.values[1].toggle_url == "/?person=b&person=a"
    assert person.values[0].dom_id == dom_id("fv-person", "b") != dom_id("fv-person", "a")
    english = {v.name: v for v in facet_views(s, result(), FACETS, "en")}
    assert english["person"].label == "People"


def test_selected_values_are_listed_even_without_hits_and_before_more() -> None:
    values = [(f"p{i}", 20 - i) for i in range(15)]
    s = state("person=gone&person=p14")
    person = facet_views(s, result(person=values), FACETS)[0]
    assert [v.value for v in person.values[:2]] == ["p14", "gone"]
    assert person.values[1].count == 0
    assert person.filterable and len(person.shown) == 10 and len(person.more) == 6


def test_year_facet_is_a_chart_with_gaps_and_labels() -> None:
    s = state("year=2013")
    year = next(
        v
        for v in facet_views(s, result(year=[(2015, 40), (2010, 2), (2013, 10)]), FACETS)
        if v.name == "year"
    )
    assert [v.value for v in year.values] == ["2010", "2013", "2015"]
    bars = year.bars
    assert [b.label for b in bars] == [str(y) for y in range(2010, 2016)]
    assert [b.count for b in bars] == [2, 0, 0, 10, 0, 40]
    assert bars[1].toggle_url == "" and bars[-1].height == 100.0
    assert bars[0].height >= 3, "a year with articles is always visible"
    assert bars[3].selected and bars[3].toggle_url == "/"
    assert all(b.tick for b in bars)  # few bars: every year labelled


def test_a_long_year_span_labels_some_bars_and_skips_huge_gaps() -> None:
    values = facet_views(SearchState(), result(year=[(y, 1) for y in range(1990, 2021)]), FACETS)[
        2
    ].values
    bars = year_bars("year", values)
    assert len(bars) == 31 and 8 <= sum(b.tick for b in bars) <= 9
    assert bars[0].tick and bars[-1].tick
    sparse = facet_views(SearchState(), result(year=[(1900, 1), (2015, 3)]), FACETS)[2]
    assert [b.label for b in sparse.bars] == ["1900", "2015"]


def test_chips_remove_one_filter_each() -> None:
    s = state("q=x&person=a&year=2015")
    made = chips(s, FACETS)
    assert [(c.facet_label, c.label, c.remove_url) for c in made] == [
        ("الأشخاص", "a", "/?q=x&year=2015"),
        ("السنة", "2015", "/?q=x&person=a"),
    ]
    assert chips(s, FACETS, "en")[0].facet_label == "People"


def test_page_links_show_a_window_with_gaps() -> None:
    links = page_links(state("page=10"), total=400, page_size=20)
    assert [p.number for p in links] == [1, 8, 9, 10, 11, 12, 20]
    assert [p.gap_before for p in links] == [False, True, False, False, False, False, True]
    assert [p.current for p in links].index(True) == 3
    assert page_links(SearchState(), total=20, page_size=20) == []
    assert last_page(0, 20) == 1 and last_page(41, 20) == 3
    assert last_page(10**9, 20) == MAX_PAGE


# --- links in hits and articles ---------------------------------------------------------------


def test_hit_links_open_the_article_with_the_query_and_filter_by_entities() -> None:
    s = state("q=نفط&person=أ")
    [view] = hit_views(s, [hit("a/b?c", ["أ", "ب", "ب"], ["م"])])
    assert view.url == "/articles/a%2Fb%3Fc?q=%D9%86%D9%81%D8%B7"
    assert [(e.facet, e.label, e.selected) for e in view.entities] == [
        ("person", "أ", True),
        ("person", "ب", False),
        ("organization", "م", False),
    ]
    assert parse_qs(urlsplit(view.entities[1].url).query) == {"q": ["نفط"], "person": ["أ", "ب"]}
    assert article_url("x") == "/articles/x"


def test_article_entities_link_to_filtered_searches() -> None:
    groups = entity_groups(
        {"person": ("سيرغي لافروف",), "organization": (), "year": (2015,)}, FACETS
    )
    assert [(g.facet, g.label) for g in groups] == [("person", "الأشخاص")]
    assert groups[0].links[0].url == SearchState(filters={"person": ("سيرغي لافروف",)}).url()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "vbscript:x",
        "//evil.example/x",
        "/relative",
        "https://",
        'https://x.org/"><script>',
        "http://a b",
        "",
        None,
    ],
)
def test_only_plain_http_links_are_kept(url: str | None) -> None:
    assert external_url(url) == ""


def test_http_links_are_kept() -> None:
    assert external_url(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    assert external_url("http://aawsat.com/home/article/410826/بريطانيا") != ""


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/?q=x", "/?q=x"),
        ("/articles/a", "/articles/a"),
        ("//evil.org", "/"),
        ("https://evil.org", "/"),
        ("/\\evil.org", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
        ("/\r\nSet-Cookie:x", "/"),
    ],
)
def test_language_switch_returns_only_to_local_paths(target: str | None, expected: str) -> None:
    assert local_path(target) == expected


# --- strings, numbers, dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "ar", "en"),
    [
        (0, "لا مقالات", "No articles"),
        (1, "مقالة واحدة", "1 article"),
        (2, "مقالتان", "2 articles"),
        (3, "3 مقالات", "3 articles"),
        (10, "10 مقالات", "10 articles"),
        (11, "11 مقالة", "11 articles"),
        (100, "100 مقالة", "100 articles"),
        (103, "103 مقالات", "103 articles"),
        (31030, "31,030 مقالة", "31,030 articles"),
    ],
)
def test_counts_use_arabic_plural_forms(n: int, ar: str, en: str) -> None:
    assert translate_count("articles", n) == ar
    assert translate_count("articles", n, "en") == en


def test_plural_forms_follow_cldr() -> None:
    assert [plural_form(n, "ar") for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)] == [
        "zero",
        "one",
        "two",
        "few",
        "few",
        "many",
        "many",
        "other",
        "other",
        "few",
        "many",
    ]


def test_strings_numbers_and_languages() -> None:
    assert translate("search") == "بحث" and translate("search", "en") == "Search"
    assert translate("page_n", n=1200) == "صفحة 1,200"
    assert translate("no-such-key") == "no-such-key"
    assert format_number(31030) == "31,030" and format_number("x") == "x"
    assert language("en") == "en" and language("fr") == "ar" and language(None) == "ar"


def test_dates_gregorian_and_hijri() -> None:
    assert long_date("2015-07-21") == "21 يوليو 2015"
    assert long_date("2015-07-21T02:51:32", weekday=True) == "الثلاثاء 21 يوليو 2015"
    assert long_date("2015-07-21", "en") == "21 July 2015"
    assert hijri_date("2015-07-21") == "5 شوال 1436 هـ"
    assert hijri_date("2015-07-21", "en") == "5 Shawwal 1436 AH"
    assert long_date(None) == hijri_date("") == hijri_date("nonsense") == ""
    assert hijri_date("1800-01-01") == ""  # outside the Umm al-Qura table
