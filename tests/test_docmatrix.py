"""The embedded engine's in-memory columns and their saved copy; "did you mean"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import make_archive

from archive.api import Archive
from archive.backends.docmatrix import DocMatrix, FacetColumn
from archive.suggest import closest


def test_saved_copy_opens_to_the_same_columns(seeded: Archive, tmp_path: Path) -> None:
    built = DocMatrix.load(seeded.store.conn, seeded.settings.facets)
    built.save(tmp_path / "matrix")
    opened = DocMatrix.open(tmp_path / "matrix")
    assert opened is not None and opened.size == built.size
    assert np.array_equal(opened.newest_rank, built.newest_rank)
    for name, column in built.facets.items():
        assert opened.facets[name].names == column.names
        assert np.array_equal(opened.facets[name].docs, column.docs)
        assert np.array_equal(opened.facets[name].values, column.values)
    assert DocMatrix.open(tmp_path / "missing") is None


def test_a_new_archive_reads_the_saved_copy(seeded_dir: Path, tmp_path: Path) -> None:
    first = make_archive(seeded_dir)
    expected = first.search("", limit=50)
    folders = list((seeded_dir / "cache").glob("matrix-*"))
    assert folders, "the first search saves the matrix"
    first.close()
    second = make_archive(seeded_dir)
    again = second.search("", limit=50)
    assert [h.id for h in again.hits] == [h.id for h in expected.hits]
    assert again.facets == expected.facets
    second.close()


def test_did_you_mean_keeps_known_words_and_fixes_unknown_ones() -> None:
    vocabulary = [("لافروف", 30), ("لافراد", 2), ("موسكو", 50)]
    assert closest("لافروق", vocabulary) == ["لافروف", "لافراد"]
    assert closest("موسكو", vocabulary) == ["موسكو"]
    assert closest("xyz", vocabulary) == []


def test_suggestions_on_both_engines(engine_archive: Archive, tmp_path: Path) -> None:
    import json

    path = tmp_path / "a.json"
    path.write_text(
        json.dumps([{"title": "لافروف في موسكو", "content": "زار لافروف موسكو"}]), encoding="utf-8"
    )
    engine_archive.import_paths([path], workers=1)
    result = engine_archive.search("لافروق موسكو")
    assert result.total == 0 and "لافروف موسكو" in result.suggestions


def test_facet_counts_most_frequent_first_ties_by_name() -> None:
    """Counts over a selection, against counting by hand; value numbers in name order (as
    ``load`` numbers them) or not (the order comes from the names either way)."""
    rng = np.random.default_rng(5)
    names = [f"v{n:03d}" for n in range(60)]
    docs = np.sort(rng.integers(0, 400, 3000))
    values = rng.integers(0, 60, 3000).astype(np.int32)
    selected = rng.random(400) < 0.3
    expected = {}
    for doc, value in zip(docs.tolist(), values.tolist(), strict=True):
        if selected[doc]:
            expected[names[value]] = expected.get(names[value], 0) + 1
    by_count = sorted(expected.items(), key=lambda item: (-item[1], item[0]))
    shuffled = rng.permutation(60)  # value number -> a name out of order
    for column in (
        FacetColumn(docs, values, names),
        FacetColumn(
            docs, np.argsort(shuffled)[values].astype(np.int32), [names[i] for i in shuffled]
        ),
    ):
        assert column.counts(selected, 10, by_value=False) == by_count[:10]
        assert column.counts(selected, 100, by_value=True) == sorted(expected.items())[:100]
    assert FacetColumn(docs, values, names).name_ranks is None


def test_result_lists_read_only_what_they_show(seeded: Archive) -> None:
    """``Store.listed`` gives a page of hits the fields ``get_many`` gives; the facet values
    of many documents are those of each."""
    seqs = [seq for (seq,) in seeded.store.conn.execute("SELECT seq FROM articles")]
    full, listed = seeded.store.get_many(seqs), seeded.store.listed([*seqs, 10**9])
    assert set(listed) == set(full)
    for seq, row in listed.items():
        article = full[seq].article
        shown = (article.id, article.title, article.content, article.date, article.source)
        assert (row.id, row.title, row.content, row.date, row.source) == shown
        assert (row.url, row.year) == (article.url, article.year)
    matrix = seeded.backend.matrix()
    for column in matrix.facets.values():
        assert column.values_of_many(seqs) == [column.values_of(seq) for seq in seqs]
