"""The embedded engine's write side: its FTS5 table holds exactly the analyzer's terms, and
archives indexed by an earlier version of the schema keep importing, updating and searching."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_archive

from archive.analysis import terms
from archive.api import Archive

COLUMNS = ("title_exact", "title_stem", "title_alt", "body_exact", "body_stem", "body_alt")
# The table as the first versions created it (unicode61 tokenizer, FTS5's default settings).
OLD_FTS = """CREATE VIRTUAL TABLE idx_fts USING fts5(
    title_exact, title_stem, title_alt, body_exact, body_stem, body_alt,
    tokenize = 'unicode61 remove_diacritics 0'
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
    """FTS5's own check of its index against the rows it was given (raises if corrupt)."""
    archive.store.conn.execute("INSERT INTO idx_fts (idx_fts) VALUES ('integrity-check')")


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
    edited = [{**ARTICLES[0], "content": "نص جديد عن المملكة"}, ARTICLES[1]]
    report = archive.import_paths([write_jsonl(path, edited)], workers=1)
    assert (report.updated, report.unchanged) == (1, 1)
    assert archive.search("أرامكو").total == 0 and archive.search("المملكة").total == 1
    assert indexed_tokens(archive) == analyzer_tokens(archive)
    integrity_check(archive)


def test_an_archive_indexed_by_the_first_schema_keeps_working(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = make_archive(data)
    with first.store.transaction() as conn:
        conn.execute("DROP TABLE idx_vocab")
        conn.execute("DROP TABLE idx_fts")
        conn.execute(OLD_FTS)
        conn.execute("CREATE VIRTUAL TABLE idx_vocab USING fts5vocab(idx_fts, 'col')")
    first.close()
    path = write_jsonl(tmp_path / "a.jsonl", ARTICLES)
    archive = make_archive(data)  # opens the old table as it is
    assert archive.import_paths([path], workers=1).imported == 2
    edited = [{**ARTICLES[0], "content": "نص جديد عن المملكة"}, ARTICLES[1]]
    assert archive.import_paths([write_jsonl(path, edited)], workers=1).updated == 1
    assert archive.search("المملكة").total == 1 and archive.search("أرامكو").total == 0
    assert archive.search("الهلال").hits[0].id == "plain"
    integrity_check(archive)
    assert archive.check().consistent
    archive.reindex()  # rebuilt with the current schema
    schema = archive.store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'idx_fts'"
    ).fetchone()[0]
    assert "'ascii'" in schema
    assert archive.search("المملكة").total == 1 and archive.search("الهلال").total == 1
    assert indexed_tokens(archive) == analyzer_tokens(archive)
    archive.close()
