"""What only the Elasticsearch engine has to prove: the alias swap, deep pages, outages, and
the same answers as the embedded engine on real articles."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, drop_index, make_archive, need_backend

from archive.analysis import terms
from archive.backends.base import BackendUnavailable, IndexDoc
from archive.models import SearchRequest
from archive.query import parse
from archive.web import create_app


@pytest.fixture
def es_archive(tmp_path: Path):  # noqa: ANN201
    need_backend("elasticsearch")
    archive = make_archive(tmp_path / "data", "elasticsearch")
    yield archive
    drop_index(archive)
    archive.close()


def alias_targets(archive) -> list[str]:  # noqa: ANN001
    return sorted(archive.backend.client.indices.get_alias(name=archive.settings.es_index))


def test_reindex_builds_a_new_index_and_swaps_the_alias(es_archive) -> None:  # noqa: ANN001
    es_archive.import_paths([SEEDS, FIXTURES / "articles.jsonl"], workers=1)
    before = alias_targets(es_archive)
    totals = es_archive.search("مكة").total, es_archive.search("").total
    report = es_archive.reindex()
    after = alias_targets(es_archive)
    assert report.indexed == 9 and len(after) == 1 and after != before
    assert not es_archive.backend.client.indices.exists(index=before[0])
    assert (es_archive.search("مكة").total, es_archive.search("").total) == totals
    assert es_archive.check().consistent


def test_pages_past_ten_thousand_hits(es_archive) -> None:  # noqa: ANN001
    empty = terms("")
    docs = [
        IndexDoc(
            id=f"d{i:05d}",
            seq=i + 1,
            rev=1,
            title=f"t{i}",
            content="",
            year=2015,
            date=f"2015-01-{1 + i % 28:02d}",
            source="s",
            url="",
            author="",
            facets={"source": ("s",), "year": (2015,)},
            title_terms=terms(f"خبر {i}"),
            body_terms=empty,
        )
        for i in range(10_050)
    ]
    es_archive.backend.index(docs)
    es_archive.backend.refresh()
    request = SearchRequest(query="خبر", sort="oldest", limit=10, offset=10_030)
    result = es_archive.backend.search(request, parse("خبر"))
    expected = sorted(docs, key=lambda d: (d.date, d.id))[10_030:10_040]
    assert result.total == 10_050
    assert [h.id for h in result.hits] == [d.id for d in expected]
    past_the_end = es_archive.backend.search(
        SearchRequest(query="خبر", limit=10, offset=20_000), parse("خبر")
    )
    assert past_the_end.hits == [] and past_the_end.total == 10_050


def test_engine_down_loses_nothing_and_answers_503(tmp_path: Path) -> None:
    need_backend("elasticsearch")
    data = tmp_path / "data"
    down = make_archive(data, "elasticsearch", es_url="http://127.0.0.1:9", es_timeout=2.0)
    index_name = down.settings.es_index
    report = down.import_paths([FIXTURES / "articles.jsonl"], workers=1)
    assert report.imported == 8 and report.not_indexed == 8 and report.rejected == 0
    assert down.store.count() == 8 and down.store.count_unindexed() == 8
    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        down.search("مكة")
    client = create_app(
        {
            "data_dir": data,
            "backend": "elasticsearch",
            "es_url": "http://127.0.0.1:9",
            "es_index": index_name,
            "es_timeout": 2.0,
        }
    ).test_client()
    api, page = client.get("/api/search?q=مكة"), client.get("/?q=مكة")
    assert (api.status_code, page.status_code) == (503, 503)
    assert "error" in api.get_json() and client.get("/healthz").status_code == 503
    assert time.monotonic() - started < 30
    down.close()
    # The engine is back: the next import indexes what is waiting, and nothing was lost.
    up = make_archive(data, "elasticsearch", es_index=index_name)
    again = up.import_paths([FIXTURES / "articles.jsonl"], workers=1)
    assert again.unchanged == 8 and up.store.count_unindexed() == 0
    assert up.search("").total == 8 and up.check().consistent
    drop_index(up)
    up.close()


def test_both_engines_agree_on_real_articles(tmp_path: Path, sample_file: Path) -> None:
    need_backend("elasticsearch")
    lite = make_archive(tmp_path / "lite")
    es = make_archive(tmp_path / "es", "elasticsearch")
    for archive in (lite, es):
        report = archive.import_paths([sample_file, SEEDS], workers=1)
        assert report.rejected == 0
    queries = [
        "السعودية",
        "وزير",
        "الهلال",
        '"خادم الحرمين"',
        "النفط OR الطاقة",
        "الرياض -جدة",
        "مكة",
        "التعليم",
        "الأمير*",
        "لافروف",
        "",
    ]
    overlaps = []
    for query in queries:
        for filters in ({}, {"year": ["2015"]}):
            a, b = lite.search(query, filters, limit=10), es.search(query, filters, limit=10)
            assert a.total == b.total, query
            assert a.facets == b.facets, query
            if a.hits:
                overlaps.append(len({h.id for h in a.hits} & {h.id for h in b.hits}) / len(a.hits))
    for sort in ("newest", "oldest"):
        assert [h.id for h in lite.search("", sort=sort, limit=30).hits] == [
            h.id for h in es.search("", sort=sort, limit=30).hits
        ]
    assert sum(overlaps) / len(overlaps) >= 0.5  # ranking differs in detail, not in kind
    drop_index(es)
    lite.close()
    es.close()
