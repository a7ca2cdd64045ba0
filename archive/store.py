"""The archive of record: articles and the entities found in them, in SQLite (WAL).

Search indexes are derived from this store and can always be rebuilt from it. The embedded
search backend keeps its tables in the same database file, so an import writes an article and
its index entries in one transaction: a crash leaves both or neither.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from archive.models import Article, StoredArticle

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    date TEXT,
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    given_persons TEXT NOT NULL DEFAULT '[]',
    given_organizations TEXT NOT NULL DEFAULT '[]',
    fingerprint TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (seq, kind, name)
);
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (kind, name);
-- One spelling per name no alias knows (archive.entities.aliases): kind, folded name -> the
-- spelling facet values use.
CREATE TABLE IF NOT EXISTS spellings (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    spelling TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
-- Articles stored but not yet confirmed by an external search engine (an outbox): written in
-- the same transaction as the article, cleared once the engine has taken it.
CREATE TABLE IF NOT EXISTS unindexed (
    seq INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE
);
"""

BUSY_TIMEOUT_MS = 60_000


def connect(path: Path, cache_mib: int = 64) -> sqlite3.Connection:
    """A connection tuned for one writer and many readers. Importers want a big page cache;
    a server opens one connection per thread and keeps them small (``cache_mib``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA cache_size=-{cache_mib * 1024}")
    return conn


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statements inside the current transaction (``executescript`` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


IN_LIST_MAX = 500  # values per "IN (...)" list, well under SQLite's bound-parameter limit


def rows_in(
    execute: Callable[[str, Sequence[Any]], Iterable[Any]], sql: str, values: Sequence[Any]
) -> Iterator[Any]:
    """The rows of ``sql``, whose ``{marks}`` is an IN list, for all ``values``:
    ``IN_LIST_MAX`` of them per statement."""
    for start in range(0, len(values), IN_LIST_MAX):
        chunk = list(values[start : start + IN_LIST_MAX])
        yield from execute(sql.format(marks=",".join("?" * len(chunk))), chunk)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ListedArticle(NamedTuple):
    """An article as a list of search results shows it."""

    seq: int
    id: str
    title: str
    content: str
    date: str | None
    source: str
    url: str

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


@dataclass(frozen=True)
class StoredChange:
    """What an upsert did to one article."""

    id: str
    seq: int
    rev: int
    status: str  # imported | updated
    replaced: tuple[str, str] | None = None  # an update's previous title and content


class Store:
    """Articles and entities. One connection per thread, or one for the whole process
    (``shared``); writes go through ``transaction()``, reads through ``read()``."""

    def __init__(self, path: Path, cache_mib: int = 64, shared: bool = False) -> None:
        """``shared``: every thread uses one connection, one statement at a time (a server:
        one page cache per process instead of one per thread; its threads wait on the
        connection, as SQLite would make them anyway, and each statement reads its own
        snapshot since none overlaps another)."""
        self.path = path
        self.cache_mib = cache_mib
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        self._lock = threading.RLock() if shared else None
        with self.transaction() as conn:
            run_script(conn, SCHEMA)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._lock is not None:
            with self._lock:
                if self._shared is None:
                    self._shared = connect(self.path, self.cache_mib)
                return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path, self.cache_mib)
        return conn

    def close(self) -> None:
        if self._lock is not None:
            with self._lock:
                if self._shared is not None:
                    self._shared.close()
                    self._shared = None
            return
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, to itself while the block runs when it is shared: run statements
        and fetch their rows inside."""
        if self._lock is None:
            yield self.conn
            return
        with self._lock:
            yield self.conn

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Every row of one statement."""
        with self.reading() as conn:
            return conn.execute(sql, params).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; BEGIN IMMEDIATE takes the write lock up front, so two importers
        queue (busy timeout) instead of deadlocking on a lock upgrade."""
        with self.reading() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- writing ------------------------------------------------------------------------------

    def fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        sql = "SELECT id, fingerprint FROM articles WHERE id IN ({marks})"
        return dict(rows_in(self.read, sql, list(ids)))

    def upsert_many(
        self,
        conn: sqlite3.Connection,
        items: Sequence[tuple[Article, str, Mapping[str, Sequence[str]]]],
    ) -> list[StoredChange | None]:
        """Insert or update articles (article, fingerprint, entities) inside the caller's
        transaction; an article stored with the same fingerprint is left alone (None). An
        update tells the title and content it replaced (what its index entries were made of).

        One statement per article (the upsert tells its seq and rev: rev 1 is new), then the
        entity rows of the whole batch at once."""
        stamp = now()
        previous = self._texts(conn, [article.id for article, _, _ in items])
        changes: list[StoredChange | None] = []
        replaced: list[tuple[int]] = []
        entity_rows: list[tuple[int, str, str]] = []
        execute = conn.execute
        for article, fingerprint, entities in items:
            row = execute(
                _UPSERT,
                (
                    article.id,
                    article.title,
                    article.content,
                    article.date,
                    article.source,
                    article.url,
                    article.author,
                    _json_list(article.tags),
                    _json_list(article.persons),
                    _json_list(article.organizations),
                    fingerprint,
                    stamp,
                ),
            ).fetchone()
            if row is None:
                changes.append(None)
                continue
            seq, rev = row
            if rev > 1:
                replaced.append((seq,))
                changes.append(
                    StoredChange(article.id, seq, rev, "updated", previous.get(article.id))
                )
            else:
                changes.append(StoredChange(article.id, seq, rev, "imported"))
            entity_rows += [(seq, kind, name) for kind, names in entities.items() for name in names]
        # what an updated article was found to name is replaced (order of first mention kept)
        conn.executemany("DELETE FROM entities WHERE seq = ?", replaced)
        conn.executemany(
            "INSERT OR IGNORE INTO entities (seq, kind, name) VALUES (?,?,?)", entity_rows
        )
        return changes

    @staticmethod
    def _texts(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
        """id -> (title, content) of those of these articles that are stored."""
        sql = "SELECT id, title, content FROM articles WHERE id IN ({marks})"
        return {id_: (title, content) for id_, title, content in rows_in(conn.execute, sql, ids)}

    def mark_unindexed(self, conn: sqlite3.Connection, seqs: Iterable[int]) -> None:
        conn.executemany("INSERT OR IGNORE INTO unindexed (seq) VALUES (?)", [(s,) for s in seqs])

    def mark_indexed(self, seqs: Iterable[int] | None = None) -> None:
        """Clear the outbox for these articles (all of them when ``seqs`` is None)."""
        with self.transaction() as conn:
            if seqs is None:
                conn.execute("DELETE FROM unindexed")
            else:
                conn.executemany("DELETE FROM unindexed WHERE seq = ?", [(s,) for s in seqs])

    def unindexed(self, batch_size: int = 500) -> Iterator[list[StoredArticle]]:
        """Articles waiting for the search engine, in batches."""
        last = 0
        while True:
            seqs = [
                row[0]
                for row in self.read(
                    "SELECT seq FROM unindexed WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last, batch_size),
                )
            ]
            if not seqs:
                return
            found = self.get_many(seqs)
            yield [found[seq] for seq in seqs if seq in found]
            last = seqs[-1]

    def count_unindexed(self) -> int:
        return self.read("SELECT count(*) FROM unindexed")[0][0]

    def delete(self, conn: sqlite3.Connection, article_id: str) -> int | None:
        row = conn.execute(
            "DELETE FROM articles WHERE id = ? RETURNING seq", (article_id,)
        ).fetchone()
        return row[0] if row else None

    # --- reading ------------------------------------------------------------------------------

    def count(self) -> int:
        return self.read("SELECT count(*) FROM articles")[0][0]

    def get(self, article_id: str) -> StoredArticle | None:
        rows = self.read(f"{_SELECT} WHERE id = ?", (article_id,))
        return self._stored(rows)[0] if rows else None

    def get_many(self, seqs: list[int]) -> dict[int, StoredArticle]:
        rows = list(rows_in(self.read, _SELECT + " WHERE seq IN ({marks})", seqs))
        return {stored.seq: stored for stored in self._stored(rows)}

    def listed(self, seqs: Sequence[int]) -> dict[int, ListedArticle]:
        """What a result list shows of these articles, by seq: one query, without the
        entities, tags and stamps that ``get_many`` reads too (a page of hits needs none)."""
        sql = "SELECT seq, id, title, content, date, source, url FROM articles"
        sql += " WHERE seq IN ({marks})"
        return {row[0]: ListedArticle._make(row) for row in rows_in(self.read, sql, seqs)}

    def iter_articles(self, batch_size: int = 1000) -> Iterator[list[StoredArticle]]:
        """All articles in batches, in store order (a consistent snapshot per batch)."""
        last = 0
        while True:
            rows = self.read(f"{_SELECT} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch_size))
            if not rows:
                return
            yield self._stored(rows)
            last = rows[-1][0]

    def revisions(self) -> dict[str, int]:
        """id -> rev of every article: what an index must hold to be consistent."""
        return dict(self.read("SELECT id, rev FROM articles"))

    def entity_counts(self, kind: str | None = None) -> list[tuple[str, str, int]]:
        """(kind, name, number of articles) for every recorded entity name."""
        sql = "SELECT kind, name, count(*) AS n FROM entities"
        params: list[object] = []
        if kind:
            sql += " WHERE kind = ?"
            params.append(kind)
        sql += " GROUP BY kind, name"
        return [tuple(row) for row in self.read(sql, params)]

    def spellings(self) -> dict[tuple[str, str], str]:
        """(kind, folded name) -> the spelling facets use (see ``AliasTable.spellings``)."""
        return {
            (kind, key): spelling
            for kind, key, spelling in self.read("SELECT kind, key, spelling FROM spellings")
        }

    def spelling(self, kind: str, key: str) -> str | None:
        rows = self.read("SELECT spelling FROM spellings WHERE kind = ? AND key = ?", (kind, key))
        return rows[0][0] if rows else None

    @staticmethod
    def add_spellings(conn: sqlite3.Connection, rows: Iterable[tuple[str, str, str]]) -> None:
        """New (kind, folded name, spelling) rows; a name already spelled keeps its spelling."""
        conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?, ?)", rows)

    def replace_spellings(self, spellings: dict[tuple[str, str], str]) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM spellings")
            conn.executemany(
                "INSERT INTO spellings VALUES (?, ?, ?)",
                ((kind, key, value) for (kind, key), value in spellings.items()),
            )

    def get_meta(self, key: str) -> str | None:
        rows = self.read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _stored(self, rows: list[tuple]) -> list[StoredArticle]:
        seqs = [row[0] for row in rows]
        entities: dict[int, dict[str, list[str]]] = {seq: {} for seq in seqs}
        # a seq's rows come in one statement: their order (of first mention) holds
        sql = "SELECT seq, kind, name FROM entities WHERE seq IN ({marks}) ORDER BY rowid"
        for seq, kind, name in rows_in(self.read, sql, seqs):
            entities[seq].setdefault(kind, []).append(name)
        result = []
        for (
            seq,
            id_,
            title,
            content,
            date,
            source,
            url,
            author,
            tags,
            given_p,
            given_o,
            rev,
            imported_at,
            updated_at,
        ) in rows:
            article = Article(
                id=id_,
                title=title,
                content=content,
                date=date,
                source=source,
                url=url,
                author=author,
                tags=tuple(json.loads(tags)),
                persons=tuple(json.loads(given_p)),
                organizations=tuple(json.loads(given_o)),
            )
            result.append(
                StoredArticle(
                    article=article,
                    seq=seq,
                    rev=rev,
                    entities={kind: tuple(names) for kind, names in entities[seq].items()},
                    imported_at=imported_at,
                    updated_at=updated_at,
                )
            )
        return result


_UPSERT = (
    "INSERT INTO articles (id, title, content, date, source, url, author, tags, given_persons,"
    " given_organizations, fingerprint, imported_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"
    " ON CONFLICT (id) DO UPDATE SET title = excluded.title, content = excluded.content,"
    " date = excluded.date, source = excluded.source, url = excluded.url,"
    " author = excluded.author, tags = excluded.tags, given_persons = excluded.given_persons,"
    " given_organizations = excluded.given_organizations, fingerprint = excluded.fingerprint,"
    " rev = rev + 1, updated_at = excluded.updated_at"
    " WHERE articles.fingerprint <> excluded.fingerprint"
    " RETURNING seq, rev"
)


def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


_SELECT = (
    "SELECT seq, id, title, content, date, source, url, author, tags, given_persons,"
    " given_organizations, rev, imported_at, updated_at FROM articles"
)
