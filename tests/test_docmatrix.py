"""The embedded engine's in-memory columns and their saved copy; "did you mean"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import make_archive

from archive.api import Archive
from archive.backends.docmatrix import DocMatrix
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
