"""The search page as a reader moves through it, in Chromium: typing, facets, chips, sort,
pages, back and forward, the keyboard. Expected numbers come from the JSON twin of each state
(/api/search), so the tests hold whatever the entity model finds in the seed and the sample."""

from __future__ import annotations

from typing import Any

from .conftest import (
    Server,
    history,
    query_of,
    screenshot,
    total_shown,
    wait_for_query,
    wait_until,
)

WORD = "الميناء"  # in the browser fixtures' port articles
PERSON = "نورة القحطاني"  # a person the browser fixtures give (several articles, several years)


def api_total(server: Server, **params: Any) -> int:
    return server.get_json("/api/search", **params)["total"]


def facet_link(page: Any, facet: str, label: str) -> Any:
    return page.locator(
        f"section.facet-{'year' if facet == 'year' else 'terms'}"
        f"[aria-labelledby='facet-{facet}'] a.facet-value",
        has=page.locator(".label", has_text=label),
    ).first


def chip_labels(page: Any) -> list[str]:
    return [text.strip() for text in page.locator(".chips .chip span[dir=auto]").all_inner_texts()]


def test_typing_updates_results_in_place_and_keeps_focus(page: Any, server: Server) -> None:
    page.goto(server.url("/"))
    page.evaluate("window.__sameDocument = true")  # gone if the browser navigates
    everything = total_shown(page)
    assert everything == api_total(server) > 20

    fragment_requests = []
    page.on("request", lambda r: r.headers.get("hx-request") and fragment_requests.append(r.url))
    box = page.locator("#q")
    box.click()
    box.press_sequentially(WORD, delay=40)
    wait_for_query(page, {"q": [WORD]})

    assert page.evaluate("window.__sameDocument") is True, "typing must not reload the page"
    assert page.evaluate("document.activeElement.id") == "q", "focus stays in the search box"
    assert box.input_value() == WORD, "no typed character is lost"
    assert total_shown(page) == api_total(server, q=WORD) < everything
    assert 1 <= len(fragment_requests) < len(WORD), f"typing is debounced: {fragment_requests}"
    assert page.locator(".hit-list .hit").count() == total_shown(page)
    assert page.locator(".snippet mark").first.inner_text().endswith(WORD)
    assert WORD in page.title()
    assert page.locator("#live-status").inner_text().strip()  # announced to screen readers
    screenshot(page, "search")

    box.press("End")
    box.press_sequentially(" خطة", delay=40)
    wait_for_query(page, {"q": [f"{WORD} خطة"]})
    assert total_shown(page) == api_total(server, q=f"{WORD} خطة")

    box.fill("")
    wait_for_query(page, {})
    assert total_shown(page) == everything
    assert page.evaluate("window.__sameDocument") is True


def test_loading_indicator_shows_while_results_load(page: Any, server: Server) -> None:
    page.add_init_script("""
        document.addEventListener('htmx:beforeSend', () => {
            const bar = document.getElementById('loading');
            (window.__indicator = window.__indicator || []).push(
                bar.classList.contains('htmx-request') && getComputedStyle(bar).opacity === '1');
        });""")
    page.goto(server.url("/"))
    page.locator("#q").fill(WORD)
    wait_for_query(page, {"q": [WORD]})
    assert page.evaluate("window.__indicator") == [True]
    assert page.locator("#loading").evaluate("e => getComputedStyle(e).opacity") == "0"


def test_facets_toggle_with_counts_chips_and_clear_all(page: Any, server: Server) -> None:
    page.goto(server.url("/"))
    page.evaluate("window.__sameDocument = true")

    person = facet_link(page, "person", PERSON)
    predicted = int(person.locator(".count").inner_text())
    person.click()
    wait_for_query(page, {"person": [PERSON]})
    assert total_shown(page) == predicted == api_total(server, person=PERSON)
    assert chip_labels(page) == [PERSON]
    assert facet_link(page, "person", PERSON).get_attribute("aria-current") == "true"
    screenshot(page, "faceted-search")

    organization = page.locator("[aria-labelledby='facet-organization'] a.facet-value").first
    org_name = organization.locator(".label").inner_text().strip()
    predicted = int(organization.locator(".count").inner_text())
    organization.click()
    wait_for_query(page, {"person": [PERSON], "organization": [org_name]})
    assert total_shown(page) == predicted == api_total(server, person=PERSON, organization=org_name)

    state = {"person": PERSON, "organization": org_name}
    years = server.get_json("/api/search", **state)["facets"]["year"]
    year = str(max(years, key=lambda c: (c["count"], c["value"]))["value"])
    bar = page.locator(f".year-chart a[href*='year={year}']")
    assert bar.get_attribute("title").startswith(f"{year}:")
    shown = bar.inner_text().replace(":", " ").split()
    assert shown == [year, bar.locator(".bar-count").inner_text()]
    bar.click()
    wait_for_query(page, {"person": [PERSON], "organization": [org_name], "year": [year]})
    assert total_shown(page) == api_total(server, **state, year=year) > 0
    assert chip_labels(page) == [PERSON, org_name, year]
    assert page.locator(".year-chart .year-bar.selected a").get_attribute("aria-current") == "true"
    screenshot(page, "faceted-search-three-filters")

    page.locator(".chips .chip", has_text=PERSON).click()  # remove one filter
    wait_for_query(page, {"organization": [org_name], "year": [year]})
    assert chip_labels(page) == [org_name, year]
    assert total_shown(page) == api_total(server, organization=org_name, year=year)

    page.locator("#clear-all").click()
    wait_for_query(page, {})
    assert page.locator(".chips").count() == 0
    assert total_shown(page) == api_total(server)
    assert page.evaluate("window.__sameDocument") is True


def test_long_facet_has_more_and_an_arabic_aware_search_box(page: Any, server: Server) -> None:
    page.goto(server.url("/"))
    facet = page.locator("section[aria-labelledby='facet-person']")
    more = facet.locator(".facet-more")
    hidden_value = more.locator(".facet-item").first
    assert not hidden_value.is_visible()
    more.locator("summary").click()
    assert hidden_value.is_visible()
    more.locator("summary").click()

    finder = facet.locator("input[data-facet-filter]")
    assert finder.is_visible(), "the JavaScript enhancement shows the box"
    finder.fill("نوره القحطانى")  # typed with ه for ة and ى for ي: still found
    visible = [t.strip() for t in facet.locator(".facet-item:visible .label").all_inner_texts()]
    assert visible == [PERSON]
    finder.fill("zzzz")
    assert facet.locator(".facet-empty").is_visible()
    finder.fill("نورة الق")
    finder.press("Enter")  # picks the first match
    wait_for_query(page, {"person": [PERSON]})
    assert chip_labels(page) == [PERSON]


def test_back_and_forward_restore_each_state(page: Any, server: Server) -> None:
    person = server.get_json("/api/search", q="الطاقة")["facets"]["person"][0]["value"]
    page.goto(server.url("/"))
    page.evaluate("window.__sameDocument = true")
    page.locator("#q").fill("الطاقة")
    wait_for_query(page, {"q": ["الطاقة"]})
    energy = total_shown(page)
    facet_link(page, "person", person).click()
    wait_for_query(page, {"q": ["الطاقة"], "person": [person]})
    both = total_shown(page)
    page.locator("#sort-newest").click()
    wait_for_query(page, {"q": ["الطاقة"], "person": [person], "sort": ["newest"]})

    history(page, "back")
    wait_for_query(page, {"q": ["الطاقة"], "person": [person]})
    assert total_shown(page) == both and chip_labels(page) == [person]
    assert page.locator("#sort-relevance").get_attribute("aria-current") == "true"
    history(page, "back")
    wait_for_query(page, {"q": ["الطاقة"]})
    assert total_shown(page) == energy and chip_labels(page) == []
    assert page.locator("#q").input_value() == "الطاقة"
    history(page, "back")
    wait_for_query(page, {})
    assert page.locator("#q").input_value() == ""
    assert total_shown(page) == api_total(server)

    history(page, "forward")
    wait_for_query(page, {"q": ["الطاقة"]})
    assert page.locator("#q").input_value() == "الطاقة" and total_shown(page) == energy
    history(page, "forward")
    wait_for_query(page, {"q": ["الطاقة"], "person": [person]})
    assert chip_labels(page) == [person] and total_shown(page) == both
    assert page.evaluate("window.__sameDocument") is True, "history is restored in place"

    # the restored page still works
    page.locator(".chips .chip").first.click()
    wait_for_query(page, {"q": ["الطاقة"]})


def test_paging_and_sorting(page: Any, server: Server) -> None:
    page.goto(server.url("/", sort="oldest"))
    links = page.locator(".hit-title a")
    first_page = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    dates = page.locator(".hit-meta time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates), "oldest first"

    page.locator("#page-next").click()
    wait_for_query(page, {"sort": ["oldest"], "page": ["2"]})
    assert page.locator(".hit-list").get_attribute("start") == "21"
    assert set(links.evaluate_all("as => as.map(a => a.getAttribute('href'))")).isdisjoint(
        first_page
    )
    assert page.locator(".pagination [aria-current=page]").inner_text() == "2"
    assert page.evaluate("document.activeElement.id") == "results-heading", (
        "after a page change, focus moves to the new results"
    )

    page.locator("#page-prev").click()
    wait_for_query(page, {"sort": ["oldest"]})
    assert links.evaluate_all("as => as.map(a => a.getAttribute('href'))") == first_page

    page.locator("#sort-newest").click()
    wait_for_query(page, {"sort": ["newest"]})
    dates = page.locator(".hit-meta time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates, reverse=True), "newest first"


def test_keyboard_only(page: Any, server: Server) -> None:
    page.goto(server.url("/", q="الطاقة"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0, "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Tab along until a facet value has focus; it shows a visible focus ring
    page.locator("#q").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('facet-value')"):
            break
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {id: e.id, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
    assert focused["id"].startswith("fv-"), "facet values are reachable with Tab"
    assert focused["style"] != "none" and focused["width"] >= 2, "focus is visible"

    page.keyboard.press("Enter")
    wait_until(page, lambda: len(query_of(page.url)) == 2, "a filter is added from the keyboard")
    wait_for_query(page, query_of(page.url))
    assert page.evaluate("document.activeElement.id") == focused["id"], (
        "focus stays on the value just toggled"
    )
    assert page.locator(f"#{focused['id']}").get_attribute("aria-current") == "true"
    page.keyboard.press("Enter")
    wait_for_query(page, {"q": ["الطاقة"]})
    assert page.evaluate("document.activeElement.id") == focused["id"]

    page.locator("#main").focus()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q", "/ jumps to the search box"
