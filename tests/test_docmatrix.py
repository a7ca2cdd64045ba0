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
    """Counts over few documents (their own rows), some (every row) and most (the totals
    less the others' rows), against
    counting by hand; value numbers in name order (as ``load`` numbers them) or not (the
    order comes from the names either way)."""
    rng = np.random.default_rng(5)
    names = [f"v{n:03d}" for n in range(60)]
    docs = np.sort(rng.integers(0, 400, 3000))
    values = rng.integers(0, 60, 3000)
    shuffled = rng.permutation(60)  # value number -> a name out of order
    single = np.sort(rng.choice(400, 300, replace=False))  # a value for 300 documents of 400
    columns = (
        FacetColumn.of_rows(docs, values, names, 400),
        FacetColumn.of_rows(docs, np.argsort(shuffled)[values], [names[i] for i in shuffled], 400),
        FacetColumn.of_rows(single, values[:300], names, 400),
    )
    for column in columns:
        for share in (0.1, 0.5, 0.9):  # few, some, most documents
            selected = rng.random(400) < share
            counted: dict[str, int] = {}
            for doc, value in zip(column.docs.tolist(), column.values.tolist(), strict=True):
                if selected[doc]:
                    counted[column.names[value]] = counted.get(column.names[value], 0) + 1
            ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
            assert column.counts(selected, 10, by_value=False) == ranked[:10]
            assert column.counts(selected, 100, by_value=True) == sorted(counted.items())
    assert columns[0].name_ranks is None and columns[1].name_ranks is not None
    assert columns[2].single_valued and not columns[0].single_valued


def test_loaded_columns_are_the_index_tables(seeded: Archive) -> None:
    """The matrix read through group_concat texts holds the index tables' rows: each
    document's values in their order, the date ranks, what is indexed."""
    conn = seeded.store.conn
    matrix = DocMatrix.load(conn, seeded.settings.facets)
    for spec in seeded.settings.facets:
        rows = conn.execute(
            "SELECT docid, value FROM idx_facets WHERE facet = ? ORDER BY docid, pos", (spec.name,)
        ).fetchall()
        column = matrix.facets[spec.name]
        documents = range(matrix.size)
        loaded = [
            (doc, value)
            for doc, values in zip(documents, column.values_of_many(documents), strict=True)
            for value in values
        ]
        assert loaded == rows and column.docs.dtype == np.int32
    newest = conn.execute(
        "SELECT docid FROM idx_docs ORDER BY sort_date IS NULL, sort_date DESC, id"
    ).fetchall()
    docids = [docid for (docid,) in newest]
    assert matrix.newest_rank[docids].tolist() == list(range(len(docids)))
    assert np.flatnonzero(matrix.present).tolist() == sorted(docids)


def test_result_lists_read_only_what_they_show(seeded: Archive) -> None:
    """``Store.listed`` gives a page of hits the fields ``get_many`` gives."""
    seqs = [seq for (seq,) in seeded.store.conn.execute("SELECT seq FROM articles")]
    full, listed = seeded.store.get_many(seqs), seeded.store.listed([*seqs, 10**9])
    assert set(listed) == set(full)
    for seq, row in listed.items():
        article = full[seq].article
        shown = (article.id, article.title, article.content, article.date, article.source)
        assert (row.id, row.title, row.content, row.date, row.source) == shown
        assert (row.url, row.year) == (article.url, article.year)
