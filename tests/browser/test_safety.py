"""Imported markup and the query never run as script; the page runs only its own code.

Every context in these tests fails its test on any dialog (``alert`` from a payload), page
error or Content-Security-Policy violation (see conftest). These tests walk every place an
imported field or the query is shown: results, facets, chips, titles, article pages."""

from __future__ import annotations

import json
from typing import Any

from .conftest import FIXTURES, HTMX_FILE, Server, total_shown, wait_for_query

QUERY_PAYLOADS = [
    "<script>alert('q1')</script>",
    "\"><img src=x onerror=alert('q2')>",
    "'><svg onload=alert('q3')>",
    "</title><script>alert('q4')</script>",
    "<a hx-get=/ hx-trigger=load hx-on:htmx:load=alert('q5')>x</a>",
    "javascript:alert('q6')",
]


def xss_ids() -> list[str]:
    ids = []
    for name in ("xss.jsonl", "xss_more.jsonl"):
        for line in (FIXTURES / name).read_text("utf-8").splitlines():
            ids.append(json.loads(line)["id"])
    return ids


def assert_no_injected_markup(page: Any) -> None:
    """Nothing from the data became an element or an attribute."""
    found = page.evaluate("""() => {
        const bad = [];
        for (const el of document.querySelectorAll('*')) {
            for (const attr of el.attributes) {
                if (attr.name.startsWith('on')) bad.push(el.tagName + '[' + attr.name + ']');
                const link = /href|src|action/.test(attr.name);
                if (link && /^\\s*(javascript|data):/i.test(attr.value))
                    bad.push(el.tagName + '[' + attr.name + '=' + attr.value + ']');
                if (attr.name === 'hx-trigger' && attr.value.includes('load'))
                    bad.push('hx-trigger=load');
                if (attr.name === 'autofocus' && el.id !== 'q')
                    bad.push(el.tagName + '[autofocus]');
            }
        }
        for (const tag of ['iframe', 'img', 'object', 'embed', 'style', 'math', 'b', 'i'])
            if (document.querySelector(tag)) bad.push('<' + tag + '>');
        const scripts = [...document.scripts].map(s => s.src);
        if (scripts.length !== 2 || scripts.some(src => !src)) bad.push('scripts: ' + scripts);
        return bad;
    }""")
    assert found == [], found


def test_imported_payloads_render_as_text_everywhere(page: Any, server: Server) -> None:
    page.goto(server.url("/", q="حقن"))
    assert total_shown(page) >= 3
    assert_no_injected_markup(page)
    titles = page.locator(".hit-title a").all_inner_texts()
    assert any("<img src=x onerror=alert('title2')>" in t for t in titles), titles

    # facets and chips with payload values
    page.goto(server.url("/", q="اختبار"))
    persons = page.locator("[aria-labelledby='facet-person'] a.facet-value")
    for index in range(persons.count()):
        label = persons.nth(index).locator(".label").inner_text()
        if "<" in label:
            persons.nth(index).click()
            wait_for_query(page, {"q": ["اختبار"], "person": [label.strip()]})
            assert page.locator(".chips .chip").inner_text().strip().endswith(label.strip())
            assert_no_injected_markup(page)
            page.locator(".chips .chip").first.click()
            wait_for_query(page, {"q": ["اختبار"]})
            persons = page.locator("[aria-labelledby='facet-person'] a.facet-value")

    # every article page, with the query marking matches, tabbing and hovering through it
    for article_id in xss_ids():
        response = page.goto(
            server.url(
                "/articles/"
                + article_id.replace("/", "%2F")
                .replace("?", "%3F")
                .replace("<", "%3C")
                .replace(">", "%3E"),
                q="اختبار",
            )
        )
        assert response.status == 200, article_id
        assert_no_injected_markup(page)
        for _ in range(12):
            page.keyboard.press("Tab")
        page.locator(".article-meta").hover()
        # javascript:, data: and an https URL carrying markup are shown as no link at all
        assert page.locator("a.original-link").count() == 0


def test_query_payloads_typed_and_in_the_url(page: Any, server: Server) -> None:
    for payload in QUERY_PAYLOADS:
        page.goto(server.url("/", q=payload))
        assert page.locator("#q").input_value() == payload
        assert page.title().startswith(payload)
        assert_no_injected_markup(page)

    page.goto(server.url("/"))
    box = page.locator("#q")
    for payload in QUERY_PAYLOADS:
        box.fill(payload)
        wait_for_query(page, {"q": [payload.strip()]})
        assert page.title().startswith(payload.strip()), "htmx sets the title as text"
        assert_no_injected_markup(page)


def test_csp_and_security_headers_on_every_page(page: Any, server: Server) -> None:
    for path in ("/", "/?q=x", "/articles/br-06", "/articles/missing", "/api/search"):
        response = page.request.get(server.url(path))
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "script-src 'self' https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js;" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "style-src 'self'" in csp and "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"


def test_htmx_comes_from_the_pinned_cdn_url_with_its_integrity(
    context_factory: Any, server: Server, watch: Any
) -> None:
    page = context_factory().new_page()
    page.goto(server.url("/"))
    script = page.locator("script[integrity]")
    assert script.get_attribute("src") == "https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js"
    assert script.get_attribute("integrity").startswith("sha384-")
    assert page.evaluate("htmx.version") == "2.0.11"
    assert watch.cdn_hits == 1


def test_a_tampered_cdn_file_is_refused_and_the_page_still_works(
    context_factory: Any, server: Server, watch: Any
) -> None:
    watch.expected_console.append("integrity")  # the refusal itself is the expected error
    tampered = HTMX_FILE.read_bytes() + b"\n;window.__tampered = true;"
    page = context_factory(cdn_body=tampered).new_page()
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(server.url("/"))
    assert page.evaluate("typeof htmx") == "undefined"
    assert page.evaluate("window.__tampered") is None
    assert any("integrity" in m for m in messages), messages
    # without htmx the page is the no-JavaScript page: the form still searches
    page.locator("#q").fill("الطاقة")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert total_shown(page) > 0


def test_htmx_served_locally_for_offline_sites(
    context_factory: Any, local_htmx_server: Server, watch: Any
) -> None:
    page = context_factory(server=local_htmx_server).new_page()
    response = page.goto(local_htmx_server.url("/"))
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unpkg" not in csp
    assert page.locator("script[integrity]").get_attribute("src") == "/vendor/htmx.min.js"
    assert page.evaluate("htmx.version") == "2.0.11"
    assert watch.cdn_hits == 0
    page.locator("#q").fill("الطاقة")
    wait_for_query(page, {"q": ["الطاقة"]})
    assert total_shown(page) > 0
