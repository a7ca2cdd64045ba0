"""The web edge, through Flask's test client on a real archive."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import FIXTURES, SEED_ID, make_archive, query_text
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.web import create_app


@pytest.fixture
def client(seeded_dir: Path) -> FlaskClient:
    return create_app({"data_dir": seeded_dir}).test_client()


def test_search_page_is_arabic_rtl_with_results_and_facets(client: FlaskClient) -> None:
    page = client.get("/?q=مكة").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'id="search-form"' in page and 'value="مكة"' in page
    assert 'data-total="2"' in page and ">مقالتان<" in page  # Arabic dual: two articles
    assert "<mark>" in page
    assert 'id="facet-year"' in page and 'class="year-chart"' in page


def layout(html: str) -> str:
    """The results part (facets and hits) of a page or a fragment, less the search's time."""
    part = html[html.index('<div class="layout">') : html.rindex("</div>") + len("</div>")]
    return re.sub(r'<span class="took">[^<]*</span>', "", part)


def test_htmx_request_gets_only_the_fragment(client: FlaskClient) -> None:
    full = client.get("/?q=مكة").get_data(as_text=True)
    response = client.get("/?q=مكة&sort=relevance&person=", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'class="hit-list"' in fragment
    assert layout(fragment) in layout(full)  # the same template block in both
    # out of band: the title, the screen-reader announcement, the language link
    assert fragment.lstrip().startswith("<title>مكة — ")
    assert 'hx-swap-oob="innerHTML:#live-status">مقالتان<' in fragment
    assert 'id="lang-switch"' in fragment and 'hx-swap-oob="true"' in fragment
    # the address bar gets the state's one canonical URL, not the form's raw fields
    assert response.headers["HX-Push-Url"] == "/?q=%D9%85%D9%83%D8%A9"
    assert "HX-Request" in response.headers["Vary"]
    assert "hx-swap-oob" not in full and "HX-Push-Url" not in client.get("/").headers
    restore = client.get(
        "/?q=مكة", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.get_data(as_text=True)


def test_facet_links_toggle_and_chips_remove(client: FlaskClient) -> None:
    page = client.get("/?year=2015").get_data(as_text=True)
    assert 'aria-current="true"' in page and ">3 مقالات<" in page
    assert 'href="/"' in page  # the chip removing the only filter leads back to everything
    assert re.search(r'<a id="chip-year-\w+" href="/" hx-get="/"', page)
    hidden = '<input type="hidden" form="search-form" name="year" value="2015">'
    assert hidden in page  # typing a new query keeps the filter


def test_search_form_and_links_work_without_javascript(client: FlaskClient) -> None:
    page = client.get("/?q=ارامكو&sort=newest").get_data(as_text=True)
    assert (
        '<form id="search-form" class="search-form" role="search" action="/" method="get"' in page
    )
    assert '<input type="hidden" form="search-form" name="sort" value="newest">' in page
    for match in re.finditer(r'hx-get="([^"]*)"', page):  # every htmx link is a real link too
        assert f'href="{match.group(1)}"' in page
    oldest = "/?q=%D8%A7%D8%B1%D8%A7%D9%85%D9%83%D9%88&amp;sort=oldest"
    assert f'id="sort-oldest" href="{oldest}"' in page


def test_pagination_links(client: FlaskClient, tmp_path: Path) -> None:
    page = client.get("/?sort=oldest").get_data(as_text=True)
    assert "pagination" not in page  # 9 articles: one page
    archive = make_archive(tmp_path / "data")
    archive.import_paths(
        [FIXTURES.parent / "browser" / "fixtures" / "browser_articles.jsonl"], workers=1
    )
    archive.close()
    many = create_app({"data_dir": tmp_path / "data"}).test_client()
    page = many.get("/?sort=oldest&page=2").get_data(as_text=True)
    assert '<ol class="hit-list" start="21">' in page
    assert 'id="page-prev" rel="prev" href="/?sort=oldest"' in page
    assert 'aria-current="page">2<' in page and 'id="page-next"' not in page


def test_interface_language_is_a_cookie_and_english_mirrors_the_page(client: FlaskClient) -> None:
    response = client.get("/lang/en?next=/?q%3Dمكة")
    assert response.status_code == 303 and unquote(response.headers["Location"]) == "/?q=مكة"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/?q=مكة").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and ">2 articles<" in page
    assert ">Year" in page and 'id="lang-switch"' in page and ">العربية<" in page
    assert client.get("/lang/ar?next=//evil.example").headers["Location"] == "/"
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


def test_api_search_mirrors_the_cli_shape(client: FlaskClient) -> None:
    data = client.get("/api/search?q=ارامكو&year=2015").get_json()
    assert set(data) >= {"total", "took_ms", "hits", "facets"}
    assert data["total"] == 1
    hit = data["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "date",
        "year",
        "source",
        "url",
        "snippet",
        "persons",
        "organizations",
    }
    assert set(data["facets"]) >= {"person", "organization", "year"}
    assert {"value": 2016, "count": 1} in data["facets"]["year"]  # year counts ignore year filter


def test_api_limit_and_offset(client: FlaskClient) -> None:
    first = client.get("/api/search?sort=newest&limit=3").get_json()
    second = client.get("/api/search?sort=newest&limit=3&offset=3").get_json()
    assert len(first["hits"]) == 3 and not {h["id"] for h in first["hits"]} & {
        h["id"] for h in second["hits"]
    }


def test_article_page_and_json_twin(client: FlaskClient) -> None:
    page = client.get(f"/articles/{SEED_ID}?q=لافروف").get_data(as_text=True)
    assert "<mark>لافروف</mark>" in page and "تاس" in page
    assert f'<a href="/articles/{SEED_ID}">' in page  # "remove highlighting"
    data = client.get(f"/api/articles/{SEED_ID}").get_json()
    assert data["id"] == SEED_ID and data["source"] == "تاس"
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/articles/nope").get_json() == {"error": "not found"}


def test_article_dates_entities_and_links(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "data")
    archive.import_paths(
        [FIXTURES.parent / "browser" / "fixtures" / "browser_articles.jsonl"], workers=1
    )
    archive.close()
    client = create_app({"data_dir": tmp_path / "data"}).test_client()
    page = client.get("/articles/br-06").get_data(as_text=True)
    assert '<time datetime="2013-07-16">الثلاثاء 16 يوليو 2013</time>' in page
    assert '<span class="hijri" title="الهجري">8 رمضان 1434 هـ</span>' in page
    assert (
        'href="https://example.org/news/2013/6" rel="noopener noreferrer nofollow external"' in page
    )
    assert 'href="/?person=%D9%86%D9%88%D8%B1%D8%A9' in page  # a person chip: a filtered search
    assert 'class="similar"' in page and 'href="/articles/br-' in page


def test_healthz(client: FlaskClient) -> None:
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["backend"]["documents"] == 9


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://unpkg.com/htmx.org@" in csp and "unsafe-inline" not in csp
    assert "default-src 'self'" in csp and "style-src 'self';" in csp
    assert "unsafe-eval" not in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    page = response.get_data(as_text=True)
    assert 'integrity="sha384-' in page and 'crossorigin="anonymous"' in page
    assert '"allowEval": false' in page and '"allowScriptTags": false' in page


def test_pages_have_no_inline_script_or_style(client: FlaskClient) -> None:
    """What the CSP would refuse: so the pages never rely on it."""
    for url in ("/", "/?q=مكة&year=2015", f"/articles/{SEED_ID}", "/articles/missing"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"<style", page), url
        assert not [a for a in attributes(page) if a.startswith("on")], url
        assert re.findall(r"<script[^>]*>", page) == [
            '<script src="https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js" integrity="'
            + client.application.config["ARCHIVE_SETTINGS"].htmx_integrity
            + '" crossorigin="anonymous" defer>',
            '<script src="/static/archive.js" defer>',
        ], url


def test_htmx_from_a_local_file(seeded_dir: Path, tmp_path: Path) -> None:
    local = tmp_path / "htmx.min.js"
    local.write_bytes(b"/* htmx */")
    client = create_app({"data_dir": seeded_dir, "htmx_local": str(local)}).test_client()
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unpkg" not in csp
    page = response.get_data(as_text=True)
    assert '<script src="/vendor/htmx.min.js" integrity="sha384-' in page
    served = client.get("/vendor/htmx.min.js")
    assert served.data == b"/* htmx */" and served.mimetype == "text/javascript"


def test_static_files(client: FlaskClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/archive.js").mimetype == "text/javascript"
    font = client.get("/static/noto-sans-arabic-arabic-wght-normal.woff2")
    assert font.status_code == 200 and font.data[:4] == b"wOF2"


def attributes(html: str) -> set[str]:
    """The attribute names of every element a browser would build from the page."""
    found: set[str] = set()

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.update(name for name, _ in attrs)

    Collector().feed(html)
    return found


def test_imported_markup_and_the_query_are_escaped(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "data")
    report = archive.import_paths([FIXTURES / "xss.jsonl", FIXTURES / "xss_more.jsonl"], workers=1)
    assert report.rejected == 0
    archive.close()
    client = create_app({"data_dir": tmp_path / "data"}).test_client()
    page = client.get("/?q=<script>alert('q')</script> اختبار").get_data(as_text=True)
    listing = client.get("/?q=حقن").get_data(as_text=True)
    fragment = client.get(
        '/?q="><img src=x onerror=alert(1)>', headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    articles = [
        client.get(f"/articles/{article_id}?q=اختبار").get_data(as_text=True)
        for article_id in ("xss-1", "xss-2", "xss-3", "xss-4")
    ]
    for html in (page, listing, fragment, *articles):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "<svg onload" not in html and "<svg><script" not in html
        assert "<iframe" not in html and "<style>" not in html and "<math>" not in html
        assert not [a for a in attributes(html) if a.startswith("on")]  # no event handlers
        assert 'href="javascript:' not in html.lower() and 'href="data:' not in html
        assert 'hx-trigger="load"' not in html
    assert "&lt;script&gt;alert" in articles[0]
    assert "&lt;img src=x onerror=alert(&#39;title2&#39;)&gt;" in listing
    assert "original-link" not in articles[1] + articles[2] + articles[3]  # javascript:/data:
    assert "<title>&#34;&gt;&lt;img src=x" in fragment


def test_bad_paging_and_sort_values_are_harmless(client: FlaskClient) -> None:
    for url in ("/?page=-3", "/?page=abc", "/?page=99999999", "/?sort=drop", "/?q=%22"):
        assert client.get(url).status_code == 200


QUERY_TEXT = query_text(max_size=120)
PARAMS = st.fixed_dictionaries(
    {
        "q": QUERY_TEXT,
        "person": st.lists(QUERY_TEXT, max_size=2),
        "year": st.lists(
            st.text(max_size=6) | st.sampled_from(["2015", "-1", "99999999999"]), max_size=2
        ),
        "sort": st.sampled_from(["relevance", "newest", "oldest", "x", ""]),
        "page": st.sampled_from(["1", "2", "0", "-5", "abc", "9" * 30]),
    }
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=PARAMS)
def test_fuzzed_requests_never_fail_on_the_server(client: FlaskClient, params: dict) -> None:
    query = list(params.items())
    for path in ("/", "/api/search"):
        response = client.get(path, query_string=query)
        assert response.status_code < 500, (path, params)
    fragment = client.get("/", query_string=query, headers={"HX-Request": "true"})
    assert fragment.status_code < 500
