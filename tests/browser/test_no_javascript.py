"""With JavaScript off, every interaction still works through plain links and GET forms."""

from __future__ import annotations

from typing import Any

from .conftest import Server, query_of, screenshot, total_shown


def test_the_whole_search_works_without_javascript(context_factory: Any, server: Server) -> None:
    page = context_factory(java_script_enabled=False).new_page()
    page.goto(server.url("/"))
    assert page.locator(".facet-filter").count() > 0
    assert page.locator(".facet-filter:visible").count() == 0, "the JS-only box stays hidden"
    assert page.locator(".filters-panel").get_attribute("open") is not None

    # type and press Enter: a plain GET form
    page.locator("#q").fill("الطاقة")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert query_of(page.url) == {"q": ["الطاقة"]}
    energy = total_shown(page)
    assert energy == server.get_json("/api/search", q="الطاقة")["total"] > 0

    # a facet value is a link
    person = page.locator("[aria-labelledby='facet-person'] a.facet-value").first
    name = person.locator(".label").inner_text().strip()
    count = int(person.locator(".count").inner_text())
    with page.expect_navigation():
        person.click()
    assert query_of(page.url) == {"q": ["الطاقة"], "person": [name]}
    assert total_shown(page) == count
    assert page.locator(".chips .chip").count() == 1

    # a year bar is a link
    bar = page.locator(".year-chart a").first
    with page.expect_navigation():
        bar.click()
    assert set(query_of(page.url)) == {"q", "person", "year"}
    assert page.locator(".chips .chip").count() == 2
    assert total_shown(page) > 0
    screenshot(page, "no-javascript")

    # typing a new query keeps the filters (hidden fields of the form)
    page.locator("#q").fill("خطة")
    with page.expect_navigation():
        page.locator("button[type=submit]").click()
    assert query_of(page.url)["q"] == ["خطة"] and set(query_of(page.url)) == {"q", "person", "year"}

    # a chip removes its filter; clear all removes the rest
    with page.expect_navigation():
        page.locator(".chips .chip").first.click()
    assert page.locator(".chips .chip").count() == 1
    with page.expect_navigation():
        page.locator(".chips .chip").first.click()
    assert page.locator(".chips").count() == 0

    # sort and pages are links
    page.goto(server.url("/"))
    with page.expect_navigation():
        page.locator("#sort-oldest").click()
    assert query_of(page.url) == {"sort": ["oldest"]}
    with page.expect_navigation():
        page.locator("#page-next").click()
    assert query_of(page.url) == {"sort": ["oldest"], "page": ["2"]}
    assert page.locator(".hit-list").get_attribute("start") == "21"

    # "more" is a native disclosure
    more = page.locator("[aria-labelledby='facet-person'] .facet-more")
    more.locator("summary").click()
    assert more.locator(".facet-item").first.is_visible()

    # an article, and its people as links back to a filtered search
    with page.expect_navigation():
        page.locator(".hit-title a").first.click()
    assert "/articles/" in page.url
    assert page.locator("h1").inner_text().strip()

    # the language switch is a link too
    with page.expect_navigation():
        page.locator("#lang-switch").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "/articles/" in page.url
