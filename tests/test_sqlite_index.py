"""The embedded engine's write side: its FTS5 table holds exactly the analyzer's terms after
imports, updates, repairs and analyzer changes, and archives indexed by an earlier version of
the schema keep importing, updating and searching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_archive

from archive import analysis
from archive.analysis import terms
from archive.api import Archive

COLUMNS = ("title_exact", "title_stem", "title_alt", "body_exact", "body_stem", "body_alt")
# The tables as the first versions created them: a copy of the terms in idx_fts (FTS5's
# default content table), the unicode61 tokenizer, no digests in idx_docs.
OLD_FTS = """CREATE VIRTUAL TABLE idx_fts USING fts5(
    title_exact, title_stem, title_alt, body_exact, body_stem, body_alt,
    tokenize = 'unicode61 remove_diacritics 0'
)"""
OLD_DOCS = """CREATE TABLE idx_docs (
    docid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    rev INTEGER NOT NULL,
    sort_date TEXT
)"""
ARTICLES = [
    {
        "id": "mixed",
        "title": "وزارة الطاقة تُعلن نتائج ٢٠١٥",
        "content": "قال الوزير للصحفيين: Aramco (أرامكو) تنتج 5µm من λόγος والبرامج_الجديدة.",
    },
    {"id": "plain", "title": "الهلال يفوز", "content": "فاز فريق الهلال على النصر في الرياض"},
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def indexed_tokens(archive: Archive) -> dict[tuple[str, str], list[str]]:
    """(article id, column) -> the tokens FTS5 holds for it, in order."""
    conn = archive.store.conn
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.instances"
        " USING fts5vocab(main, idx_fts, 'instance')"
    )
    ids = dict(conn.execute("SELECT docid, id FROM idx_docs"))
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for term, doc, column, offset in conn.execute(
        "SELECT term, doc, col, offset FROM temp.instances"
    ):
        found.setdefault((ids[doc], column), []).append((offset, term))
    return {key: [term for _, term in sorted(pairs)] for key, pairs in found.items()}


def analyzer_tokens(archive: Archive) -> dict[tuple[str, str], list[str]]:
    expected = {}
    for batch in archive.store.iter_articles():
        for stored in batch:
            article = stored.article
            values = (*terms(article.title), *terms(article.content))
            for column, value in zip(COLUMNS, values, strict=True):
                if value:
                    expected[(article.id, column)] = value.split(" ")
    return expected


def integrity_check(archive: Archive) -> None:
    """FTS5's own check of its index structure (raises if corrupt)."""
    archive.store.conn.execute("INSERT INTO idx_fts (idx_fts) VALUES ('integrity-check')")


def assert_index_matches_store(archive: Archive) -> None:
    assert indexed_tokens(archive) == analyzer_tokens(archive)
    integrity_check(archive)
    assert archive.check().consistent


EDITED = [{**ARTICLES[0], "content": "نص جديد عن المملكة"}, ARTICLES[1]]


def test_the_index_holds_exactly_the_analyzer_terms(archive: Archive, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    assert archive.import_paths([path], workers=1).imported == 2
    held = indexed_tokens(archive)
    # Latin folded by the analyzer, Greek final sigma and the micro sign kept as written (as
    # Elasticsearch's whitespace analyzer keeps them): no second tokenizer folds or splits
    assert held == analyzer_tokens(archive)
    assert "aramco" in held[("mixed", "body_exact")] and "λόγος" in held[("mixed", "body_exact")]
    integrity_check(archive)


def test_updates_replace_the_index_entries(archive: Archive, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    archive.import_paths([path], workers=1)
    report = archive.import_paths([write_jsonl(path, EDITED)], workers=1)
    assert (report.updated, report.unchanged) == (1, 1)
    assert archive.search("أرامكو").total == 0 and archive.search("المملكة").total == 1
    assert_index_matches_store(archive)
    archive.backend.index(archive.index_docs(archive.store.get_many([1, 2]).values()))
    assert_index_matches_store(archive)  # indexing a document again replaces it


def test_repair_after_the_store_was_edited_outside_the_archive(
    archive: Archive, tmp_path: Path
) -> None:
    """Text changed and rows deleted behind the archive's back: the old entries cannot be
    recomputed, and the repair rebuilds the words from the store."""
    extra = {"id": "gone", "title": "خبر محذوف", "content": "كلمة فريدة زرقاء"}
    archive.import_paths([write_jsonl(tmp_path / "a.jsonl", [*ARTICLES, extra])], workers=1)
    with archive.store.transaction() as conn:
        conn.execute(
            "UPDATE articles SET content = 'نص غير مفهرس', rev = rev + 1 WHERE id = 'plain'"
        )
        conn.execute("DELETE FROM articles WHERE id = 'gone'")
    report = archive.check(repair=True)
    assert (report.stale, report.orphaned) == (["plain"], ["gone"])
    assert archive.search("زرقاء").total == 0 and archive.search("الرياض").total == 0
    assert archive.search("مفهرس").hits[0].id == "plain"
    assert_index_matches_store(archive)


def test_an_update_after_the_stop_words_changed(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The analyzer (here its stop word list) changed between two imports: the terms of the
    stored revision of an updated article, recomputed, are not the ones indexed (فريق was
    indexed), so the words are rebuilt, all with the analyzer of now."""
    path = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    archive.import_paths([path], workers=1)
    edited = [ARTICLES[0], {**ARTICLES[1], "content": "فاز فريق الهلال في جدة"}]
    stop = analysis.stop_form("فريق")
    monkeypatch.setattr(analysis, "STOPWORDS", analysis.STOPWORDS | {stop})
    monkeypatch.setattr(analysis, "_STOP_EXACT", analysis._STOP_EXACT | {stop})
    monkeypatch.setattr(analysis, "_INDEXED", analysis._IndexedWords())
    monkeypatch.setattr(analysis, "_WORDS", {})
    assert archive.import_paths([write_jsonl(path, edited)], workers=1).updated == 1
    assert_index_matches_store(archive)
    assert archive.search("جدة").total == 1 and archive.search("الرياض").total == 0


def test_an_archive_indexed_by_the_first_schema_keeps_working(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = make_archive(data)
    with first.store.transaction() as conn:
        for table in ("idx_vocab", "idx_fts", "idx_docs"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute(OLD_FTS)
        conn.execute(OLD_DOCS)
        conn.execute("CREATE INDEX idx_docs_by_date ON idx_docs (sort_date, id)")
        conn.execute("CREATE VIRTUAL TABLE idx_vocab USING fts5vocab(idx_fts, 'col')")
    first.close()
    path = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    archive = make_archive(data)  # opens the old tables as they are
    assert archive.import_paths([path], workers=1).imported == 2
    assert archive.import_paths([write_jsonl(path, EDITED)], workers=1).updated == 1
    assert archive.search("المملكة").total == 1 and archive.search("أرامكو").total == 0
    assert archive.search("الهلال").hits[0].id == "plain"
    integrity_check(archive)
    assert archive.check().consistent
    with archive.store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = 'plain'")
    assert archive.check(repair=True).orphaned == ["plain"]
    assert archive.search("الهلال").total == 0 and archive.check().consistent
    archive.reindex()  # rebuilt with the current schema
    schema = archive.store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'idx_fts'"
    ).fetchone()[0]
    assert "'ascii'" in schema and "content = ''" in schema
    assert archive.search("المملكة").total == 1
    assert_index_matches_store(archive)
    archive.close()
