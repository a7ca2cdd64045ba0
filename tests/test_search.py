"""Search behaviour through the Python API, on the seed and the own fixtures."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, SEEDS, make_archive, query_text
from hypothesis import HealthCheck, given, settings

from archive.api import Archive


def ids(result) -> set[str]:  # noqa: ANN001
    return {hit.id for hit in result.hits}


def test_empty_query_browses_everything(seeded_engine: Archive) -> None:
    assert seeded_engine.search("").total == seeded_engine.store.count() == 9


@pytest.mark.parametrize(
    "variants",
    [
        ("أرامكو", "ارامكو", "وأرامكو", "لأرامكو"),  # hamza, clitics
        ("الحوثيون", "الحوثيين", "حوثي"),  # plural, singular
        ("مكة", "مَكَّة", "مكه", "المكة"),  # harakat, teh marbuta
        ("٢٠١٥", "2015"),  # digits
        ("المعلمون", "معلم", "المعلمين"),
    ],
)
def test_written_forms_find_the_same_articles(
    seeded_engine: Archive, variants: tuple[str, ...]
) -> None:
    results = [ids(seeded_engine.search(v, limit=50)) for v in variants]
    assert results[0], variants[0]
    assert all(r == results[0] for r in results), dict(zip(variants, results, strict=True))


def test_phrase_exclusion_or_prefix(seeded_engine: Archive) -> None:
    assert ids(seeded_engine.search('"مكة المكرمة"')) == {"fx-mecca-1", "fx-mecca-2"}
    assert ids(seeded_engine.search('"المكرمة مكة"')) == set()
    assert ids(seeded_engine.search("مكة -الحرم")) == {"fx-mecca-1"}
    assert ids(seeded_engine.search("-مكة", limit=50)) == ids(
        seeded_engine.search("", limit=50)
    ) - {"fx-mecca-1", "fx-mecca-2"}
    assert ids(seeded_engine.search("الحجاج OR جنيف")) == {"fx-mecca-1", "fx-houthi-2"}
    assert ids(seeded_engine.search("الحوث*")) == {"fx-houthi-1", "fx-houthi-2"}


def test_title_outranks_body(engine_archive: Archive, tmp_path) -> None:  # noqa: ANN001
    import json

    path = tmp_path / "rank.json"
    path.write_text(
        json.dumps(
            [
                {"id": "body", "title": "تقرير", "content": "وصلت الشحنة إلى الميناء أمس"},
                {"id": "title", "title": "الشحنة", "content": "وصلت إلى الميناء أمس"},
            ]
        ),
        encoding="utf-8",
    )
    engine_archive.import_paths([path], workers=1)
    assert [h.id for h in engine_archive.search("الشحنة").hits] == ["title", "body"]


def test_exact_form_outranks_stem_only_match(engine_archive: Archive, tmp_path) -> None:  # noqa: ANN001
    import json

    path = tmp_path / "rank.json"
    path.write_text(
        json.dumps(
            [
                {"id": "stem-only", "title": "تقرير", "content": "زار المعلمين المدرسة"},
                {"id": "exact", "title": "تقرير", "content": "زار المعلمون المدرسة"},
            ]
        ),
        encoding="utf-8",
    )
    engine_archive.import_paths([path], workers=1)
    assert [h.id for h in engine_archive.search("المعلمون").hits] == ["exact", "stem-only"]


def test_multi_select_or_within_and_across_facets(seeded_engine: Archive) -> None:
    both_years = seeded_engine.search("", {"year": ["2015", "2016"]}, limit=50)
    assert both_years.total == 5  # 3 fixtures of 2015, 2 of 2016
    narrowed = seeded_engine.search("", {"year": ["2015", "2016"], "source": ["fixture-weekly"]})
    assert narrowed.total == 2
    # each facet's counts ignore its own selection: other years stay visible and countable
    years = {c.value: c.count for c in narrowed.facets["year"]}
    assert years == {2013: 1, 2015: 1, 2016: 1}
    sources = {c.value: c.count for c in narrowed.facets["source"]}
    assert sources == {"fixture-daily": 3, "fixture-weekly": 2}


def test_facet_counts_cover_the_whole_result_set(seeded_engine: Archive) -> None:
    result = seeded_engine.search("", limit=1)
    assert len(result.hits) == 1
    assert sum(c.count for c in result.facets["source"]) == 9


def test_sort_by_date_with_undated_last(seeded_engine: Archive) -> None:
    newest = [h.date for h in seeded_engine.search("", sort="newest", limit=50).hits]
    oldest = [h.date for h in seeded_engine.search("", sort="oldest", limit=50).hits]
    dated = [d for d in newest if d]
    assert dated == sorted(dated, reverse=True) and newest[-1] is None
    assert [d for d in oldest if d] == sorted(dated) and oldest[-1] is None


def test_pages_partition_the_results(seeded_engine: Archive) -> None:
    pages = [ids(seeded_engine.search("", sort="newest", limit=4, offset=o)) for o in (0, 4, 8)]
    assert sum(len(p) for p in pages) == 9 and set().union(*pages) == ids(
        seeded_engine.search("", limit=50)
    )


def test_unknown_facet_and_bad_sort_are_ignored(seeded_engine: Archive) -> None:
    assert seeded_engine.search("", {"colour": ["red"]}, sort="sideways").total == 9


def test_snippet_marks_matches(seeded_engine: Archive) -> None:
    hit = seeded_engine.search("لافروف").hits[0]
    assert "<mark>لافروف</mark>" in hit.snippet


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query_text(max_size=200))
def test_any_query_answers(seeded_engine: Archive, query: str) -> None:
    result = seeded_engine.search(query)
    assert result.total >= 0


def test_a_server_process_shares_one_connection_between_threads(tmp_path) -> None:  # noqa: ANN001
    """A serving archive answers many threads at once over one connection, as it answers
    one at a time, and each search sees what was committed before it started."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from archive.config import load_settings

    data_dir = tmp_path / "data"
    writer = make_archive(data_dir)
    writer.import_paths([SEEDS, FIXTURES / "articles.jsonl"], workers=1)
    server = Archive(load_settings({"data_dir": data_dir}), serving=True)
    queries = ["", "مكة", "أرامكو", '"مكة المكرمة"', "الحوث*", "لافروف", "-مكة", "لافروق"]

    def answer(query: str) -> dict:
        result = server.search(query, limit=50).to_json()
        result.pop("took_ms")
        return result

    expected = {q: answer(q) for q in queries}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(answer, queries * 25))
        connections = set(pool.map(lambda _: id(server.store.conn), range(16)))
    assert answers == [expected[q] for q in queries * 25] and len(connections) == 1
    path = tmp_path / "new.json"
    path.write_text(json.dumps([{"title": "لافروف", "content": "خبر جديد"}]), encoding="utf-8")
    writer.import_paths([path], workers=1)
    assert server.search("لافروف").total == expected["لافروف"]["total"] + 1
    writer.close()
    server.close()
