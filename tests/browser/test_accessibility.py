"""Accessibility (axe-core, no serious or critical violation), the phone-sized page, the
English interface. axe-core comes from the npm package and is injected by the test."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SAUDINEWSNET

from .conftest import PHONE, Server, run_axe, screenshot, total_shown, wait_for_query

PAGES = {
    "home": ("/", {}),
    "search": ("/", {"q": "الطاقة"}),
    "faceted": ("/", {"q": "خطة", "person": "نورة القحطاني", "year": "2015"}),
    "no-results": ("/", {"q": "كلمةغيرموجودةأبدا"}),
    "page-2": ("/", {"sort": "newest", "page": "2"}),
    "article": ("/articles/br-06", {"q": "الميناء"}),
    "article-seed": ("/articles/000_9dab9691f7e9a554", {}),
    "not-found": ("/articles/missing", {}),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_or_critical_violation(page: Any, server: Server, name: str) -> None:
    path, params = PAGES[name]
    page.goto(server.url(path, **params))
    page.evaluate("document.fonts.ready")
    serious = run_axe(page, name)
    assert serious == [], serious


def test_axe_after_htmx_swaps_and_on_a_phone(context_factory: Any, server: Server) -> None:
    page = context_factory(
        viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2
    ).new_page()
    page.goto(server.url("/"))
    page.locator("#q").fill("الميناء")
    wait_for_query(page, {"q": ["الميناء"]})
    assert run_axe(page, "phone-after-typing") == []
    page.locator(".filters-panel > summary").click()
    assert run_axe(page, "phone-filters-open") == []


def test_phone_width(context_factory: Any, server: Server) -> None:
    page = context_factory(
        viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2
    ).new_page()
    page.goto(server.url("/", q="الميناء"))
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"no sideways scrolling on a phone: {width}"
    panel = page.locator(".filters-panel")
    assert panel.get_attribute("open") is None, "filters fold into one button on a phone"
    assert page.locator(".hit").first.is_visible()
    screenshot(page, "phone-search")

    page.locator(".filters-panel > summary").tap()
    assert panel.get_attribute("open") is not None
    person = page.locator("[aria-labelledby='facet-person'] a.facet-value").first
    name = person.locator(".label").inner_text().strip()
    person.tap()
    wait_for_query(page, {"q": ["الميناء"], "person": [name]})
    assert page.locator(".filters-panel").get_attribute("open") is not None, (
        "the panel stays as the reader left it"
    )
    screenshot(page, "phone-filters")

    page.locator(".hit-title a").first.tap()
    page.wait_for_url("**/articles/**")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"no sideways scrolling on a phone: {width}"
    screenshot(page, "phone-article")


def test_english_interface(page: Any, server: Server) -> None:
    page.goto(server.url("/"))
    page.locator("#q").fill("الطاقة")
    wait_for_query(page, {"q": ["الطاقة"]})
    with page.expect_navigation():
        page.locator("#lang-switch").click()
    assert page.url.endswith("/?q=%D8%A7%D9%84%D8%B7%D8%A7%D9%82%D8%A9"), (
        "the switch returns to the state the reader was in"
    )
    html = page.locator("html")
    assert html.get_attribute("lang") == "en" and html.get_attribute("dir") == "ltr"
    assert page.locator("#results-heading").inner_text().endswith("articles")
    assert page.locator("#facet-person").inner_text().startswith("People")
    assert page.locator(".snippet").first.get_attribute("dir") == "auto"
    assert total_shown(page) > 0
    assert run_axe(page, "english") == []
    screenshot(page, "english")

    page.goto(server.url("/articles/br-06"))
    assert "Hijri" in page.locator(".hijri").get_attribute("title")
    assert page.locator(".hijri").inner_text().strip().endswith("AH")
    with page.expect_navigation():
        page.locator("#lang-switch").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "/articles/br-06" in page.url


def test_saudinewsnet_sample(page: Any, server: Server) -> None:
    if not server.sample:
        pytest.skip(
            f"needs {SAUDINEWSNET} (the SaudiNewsNet sample; ARCHIVE_SHARED names the"
            " shared folder); the other browser tests ran on the seed and own fixtures"
        )
    expected = server.get_json("/api/search", q="السعودية")
    page.goto(server.url("/"))
    page.locator("#q").fill("السعودية")
    wait_for_query(page, {"q": ["السعودية"]})
    assert total_shown(page) == expected["total"] > 0
    sources = page.locator(".hit-meta .source").all_inner_texts()
    assert "aawsat" in sources
    screenshot(page, "saudinewsnet-search")
    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-body mark").count() > 0
    assert page.locator(".hijri").inner_text().strip().endswith("هـ")
    screenshot(page, "saudinewsnet-article")
