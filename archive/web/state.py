"""The search page's state as a URL, and everything the templates render, computed here.

One URL per state: query, filters, sort and page live in the query string, so a page can be
shared, bookmarked and restored with back/forward. Templates receive ready values and URLs
(``toggle_url``, ``remove_url``, ``url``) and stay free of logic.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlencode, urlsplit

from archive.config import FacetSpec
from archive.models import Hit, SearchResult

MAX_PAGE = 500
SORTS = ("relevance", "newest", "oldest")
ENTITY_FACETS = ("person", "organization")  # facets whose values are named entities
YEAR_LABELS = 8  # the year chart labels at most this many bars (plus the selected ones)
YEAR_GAP_SPAN = 60  # years without articles are drawn (as empty bars) across at most this span


def dom_id(prefix: str, value: str) -> str:
    """A stable element id for a value of any text, so htmx can restore focus to it after a
    swap (the same value gets the same id in the new fragment)."""
    digest = hashlib.blake2s(value.encode("utf-8"), digest_size=5).hexdigest()
    return f"{prefix}-{digest}"


def article_url(article_id: str, q: str = "") -> str:
    path = "/articles/" + quote(article_id, safe="")
    return f"{path}?{urlencode({'q': q})}" if q else path


def external_url(url: str | None) -> str:
    """An imported article's link, only when it is a plain http(s) URL: never javascript:,
    data: or anything else a link could run."""
    if not url:
        return ""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    if any(c in url for c in "\"'<>\\ \t\r\n"):
        return ""
    return url


def local_path(target: str | None, default: str = "/") -> str:
    """Where to send a reader back to: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping, facets: tuple[FacetSpec, ...]) -> SearchState:
        """From a request's query string (a werkzeug MultiDict or a plain dict of lists)."""

        def values(name: str) -> list[str]:
            got = args.getlist(name) if hasattr(args, "getlist") else args.get(name, [])
            return [got] if isinstance(got, str) else list(got)

        filters = {}
        for spec in facets:
            chosen = tuple(dict.fromkeys(v.strip() for v in values(spec.name) if v.strip()))
            if chosen:
                filters[spec.name] = chosen
        sort = (values("sort") or ["relevance"])[0]
        try:
            page = int((values("page") or ["1"])[0])
        except ValueError:
            page = 1
        return cls(
            q=(values("q") or [""])[0].strip(),
            filters=filters,
            sort=sort if sort in SORTS else "relevance",
            page=min(max(page, 1), MAX_PAGE),
        )

    def params(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name, values in self.filters.items():
            pairs.extend((name, value) for value in values)
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, base: str = "/") -> str:
        query = urlencode(self.params())
        return f"{base}?{query}" if query else base

    def api_url(self) -> str:
        """The JSON twin of this page."""
        return self.url("/api/search")

    def toggled(self, facet: str, value: str) -> SearchState:
        current = self.filters.get(facet, ())
        chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
        filters = {**self.filters, facet: chosen}
        return replace(self, filters={k: v for k, v in filters.items() if v}, page=1)

    def with_sort(self, sort: str) -> SearchState:
        return replace(self, sort=sort, page=1)

    def at_page(self, page: int) -> SearchState:
        return replace(self, page=page)

    def cleared(self) -> SearchState:
        return SearchState(q=self.q, sort=self.sort)

    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the search form carries besides the query box: the filters and the sort, so
        typing a new query keeps them (and goes back to page 1)."""
        return [(name, value) for name, value in self.params() if name not in ("q", "page")]

    @property
    def filter_count(self) -> int:
        return sum(len(values) for values in self.filters.values())


@dataclass(frozen=True)
class FacetValueView:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    share: float  # count relative to the facet's largest count (bar widths)
    dom_id: str = ""


@dataclass(frozen=True)
class YearBar:
    """One bar of the year chart; a year without articles has no link (``toggle_url`` "")."""

    label: str
    count: int
    selected: bool
    toggle_url: str
    height: float  # 0-100, the bar's height in the chart's viewBox
    tick: bool  # whether the year is written under the bar
    dom_id: str = ""


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    kind: str
    values: list[FacetValueView]
    size: int  # shown before "more"
    bars: list[YearBar] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValueView]:
        return [v for v in self.values if v.selected]

    @property
    def shown(self) -> list[FacetValueView]:
        return self.values[: self.size]

    @property
    def more(self) -> list[FacetValueView]:
        return self.values[self.size :]

    @property
    def filterable(self) -> bool:
        """Long facets get a box to find a value among them."""
        return len(self.values) > self.size


@dataclass(frozen=True)
class Chip:
    facet_label: str
    label: str
    remove_url: str
    facet: str = ""
    dom_id: str = ""


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool
    gap_before: bool = False  # pages skipped between this link and the one before


@dataclass(frozen=True)
class EntityLink:
    facet: str  # person | organization
    label: str
    url: str
    selected: bool = False


@dataclass(frozen=True)
class HitView:
    """A search hit with the links its card needs."""

    hit: Hit
    url: str
    entities: list[EntityLink]


@dataclass(frozen=True)
class EntityGroup:
    facet: str
    label: str
    links: list[EntityLink]


def _facet_label(spec: FacetSpec, lang: str) -> str:
    return spec.label_ar if lang == "ar" else spec.label_en


def facet_views(
    state: SearchState, result: SearchResult, facets: tuple[FacetSpec, ...], lang: str = "ar"
) -> list[FacetView]:
    """Facets with counts, selection and toggle URLs. Selected values with no hits in the
    current results are still listed (count 0), so they can be removed; selected values come
    first, so they are never hidden behind "more"."""
    views = []
    for spec in facets:
        counts = {str(c.value): c.count for c in result.facets.get(spec.name, [])}
        chosen = state.filters.get(spec.name, ())
        for value in chosen:
            counts.setdefault(value, 0)
        biggest = max(counts.values(), default=0) or 1
        ordered = list(counts.items())
        if spec.kind == "year":
            ordered.sort(key=lambda item: item[0])
        else:
            ordered.sort(key=lambda item: item[0] not in chosen)  # stable: keeps count order
        values = [
            FacetValueView(
                value=value,
                label=value,
                count=count,
                selected=value in chosen,
                toggle_url=state.toggled(spec.name, value).url(),
                share=count / biggest,
                dom_id=dom_id(f"fv-{spec.name}", value),
            )
            for value, count in ordered
        ]
        bars = year_bars(spec.name, values) if spec.kind == "year" else []
        views.append(
            FacetView(spec.name, _facet_label(spec, lang), spec.kind, values, spec.size, bars)
        )
    return views


def year_bars(facet: str, values: Sequence[FacetValueView]) -> list[YearBar]:
    """The year facet as a column chart: one bar per year from the first to the last (years
    without articles drawn empty when the span is short), some bars labelled."""
    by_year = {int(v.value): v for v in values if v.value.isdigit()}
    if not by_year:
        return []
    first, last = min(by_year), max(by_year)
    years = range(first, last + 1) if last - first < YEAR_GAP_SPAN else sorted(by_year)
    years = list(years)
    step = max(1, math.ceil(len(years) / YEAR_LABELS))
    bars = []
    for index, year in enumerate(years):
        value = by_year.get(year)
        tick = index % step == 0 or index == len(years) - 1 or bool(value and value.selected)
        if value is None:
            bars.append(YearBar(str(year), 0, False, "", 0.0, tick, ""))
            continue
        height = round(value.share * 100, 1)
        if value.count and height < 3:
            height = 3.0  # a year with articles is always visible
        bars.append(
            YearBar(
                value.label,
                value.count,
                value.selected,
                value.toggle_url,
                height,
                tick,
                dom_id(f"fv-{facet}", value.value),
            )
        )
    return bars


def chips(state: SearchState, facets: tuple[FacetSpec, ...], lang: str = "ar") -> list[Chip]:
    labels = {spec.name: _facet_label(spec, lang) for spec in facets}
    return [
        Chip(
            labels.get(name, name),
            value,
            state.toggled(name, value).url(),
            name,
            dom_id(f"chip-{name}", value),
        )
        for name, values in state.filters.items()
        for value in values
    ]


def page_links(state: SearchState, total: int, page_size: int, window: int = 2) -> list[PageLink]:
    pages = min(math.ceil(total / page_size), MAX_PAGE) if page_size else 0
    if pages <= 1:
        return []
    numbers = sorted(
        {1, pages, *range(max(1, state.page - window), min(pages, state.page + window) + 1)}
    )
    return [
        PageLink(
            n, state.at_page(n).url(), n == state.page, gap_before=i > 0 and n - numbers[i - 1] > 1
        )
        for i, n in enumerate(numbers)
    ]


def last_page(total: int, page_size: int) -> int:
    return min(max(1, math.ceil(total / page_size)), MAX_PAGE) if page_size else 1


def hit_views(
    state: SearchState, hits: Iterable[Hit], max_persons: int = 4, max_organizations: int = 3
) -> list[HitView]:
    """Each hit with its article link (carrying the query, to mark it there) and its people
    and organizations as links that add them to the current filters."""
    views = []
    for hit in hits:
        entities = []
        for facet, names, limit in (
            ("person", hit.persons, max_persons),
            ("organization", hit.organizations, max_organizations),
        ):
            chosen = state.filters.get(facet, ())
            for name in list(dict.fromkeys(names))[:limit]:
                selected = name in chosen
                target = state if selected else state.toggled(facet, name)
                entities.append(EntityLink(facet, name, target.url(), selected))
        views.append(HitView(hit, article_url(hit.id, state.q), entities))
    return views


def entity_groups(
    facet_values: Mapping[str, Sequence], facets: tuple[FacetSpec, ...], lang: str = "ar"
) -> list[EntityGroup]:
    """An article's people and organizations, each linking to the search filtered by it."""
    groups = []
    for spec in facets:
        if spec.name not in ENTITY_FACETS:
            continue
        names = [str(v) for v in facet_values.get(spec.name, ()) if str(v).strip()]
        links = [
            EntityLink(spec.name, name, SearchState(filters={spec.name: (name,)}).url())
            for name in dict.fromkeys(names)
        ]
        if links:
            groups.append(EntityGroup(spec.name, _facet_label(spec, lang), links))
    return groups


def similar_views(hits: Iterable[Hit]) -> list[HitView]:
    return [HitView(hit, article_url(hit.id), []) for hit in hits]
