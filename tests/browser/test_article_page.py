"""The article page, reached the way a reader reaches it: from a search."""

from __future__ import annotations

import json
from typing import Any

from .conftest import BROWSER_FIXTURES, Server, query_of, screenshot, wait_for_query

WORD = "الميناء"


def fixture_article(article_id: str) -> dict:
    for line in (BROWSER_FIXTURES / "browser_articles.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == article_id:
            return record
    raise KeyError(article_id)


def test_open_an_article_from_the_results(page: Any, server: Server) -> None:
    page.goto(server.url("/"))
    page.locator("#q").fill(WORD)
    wait_for_query(page, {"q": [WORD]})
    first = page.locator(".hit-title a").first
    title = first.inner_text().strip()
    first.click()
    page.wait_for_url("**/articles/**")
    assert query_of(page.url) == {"q": [WORD]}, "the article keeps the query, to mark it"

    article_id = page.url.split("/articles/")[1].split("?")[0]
    record = fixture_article(article_id)
    assert page.locator("h1").inner_text().strip() == title == record["title"]
    assert page.title().startswith(record["title"])

    # date (Gregorian, with the weekday) and the Hijri date beside it
    when = page.locator(".article-meta time")
    assert when.get_attribute("datetime") == record["date"]
    year = record["date"][:4]
    assert when.inner_text().strip().endswith(year)
    hijri = page.locator(".hijri").inner_text().strip()
    assert hijri.endswith("هـ") and hijri.split()[-2].isdigit()

    meta = page.locator(".article-meta").inner_text()
    assert record["author"] in meta and record["source"] in meta
    assert page.locator("a.original-link").get_attribute("href") == record["url"]
    assert "noopener" in page.locator("a.original-link").get_attribute("rel")

    marks = page.locator(".article-body mark").all_inner_texts()
    assert marks and all(WORD in m for m in marks)
    assert page.locator(".article-body p").count() == len(record["content"].split("\n"))

    people = page.locator(".article-entities a.entity-person").all_inner_texts()
    assert sorted(p.strip() for p in people) == sorted(record["persons"])
    assert page.locator(".similar li").count() > 0
    screenshot(page, "article", full_page=True)

    # an entity chip leads to the search filtered by that person
    person = record["persons"][0]
    page.locator(".article-entities a.entity-person", has_text=person).click()
    page.wait_for_url("**/?person=*")
    assert query_of(page.url) == {"person": [person]}
    assert page.locator(".chips .chip").inner_text().strip().endswith(person)

    page.go_back()
    page.wait_for_url("**/articles/**")
    similar = page.locator(".similar li a").first
    similar_title = similar.inner_text().strip()
    similar.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text().strip() == similar_title

    page.locator(".back a").click()
    page.wait_for_url(lambda url: "/articles/" not in url)


def test_remove_highlighting_and_missing_article(page: Any, server: Server) -> None:
    page.goto(server.url("/articles/br-06", q=WORD))
    assert page.locator(".article-body mark").count() > 0
    page.locator(".marks-note a").click()
    page.wait_for_url(lambda url: "?" not in url)
    assert page.locator(".article-body mark").count() == 0

    response = page.goto(server.url("/articles/no-such-article"))
    assert response.status == 404
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("main a[href='/']").count() == 1
