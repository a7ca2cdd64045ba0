"""The embedded engine: SQLite FTS5 over the analyzer's terms, in the store's own database.

Tables (all derived, all rebuilt by ``archive reindex``):
  idx_fts     FTS5: exact forms, stems, alternative stems, of title and body; rowid = articles.seq
              (contentless: the index and column sizes, no copy of the terms)
  idx_docs    docid -> id, rev, sort date (for newest/oldest and for ``archive check``), and a
              digest of the values idx_fts indexed for it
  idx_facets  (facet, value, docid): facet filters and counts
"""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Sequence

import numpy as np

from archive.analysis import terms
from archive.backends.base import IndexDoc, IndexReport
from archive.backends.docmatrix import FORMAT as MATRIX_FORMAT
from archive.backends.docmatrix import DocMatrix, listed_numbers
from archive.config import Settings
from archive.highlight import snippets
from archive.models import FacetCount, Hit, SearchRequest, SearchResult
from archive.query import ParsedQuery, Phrase, Term
from archive.store import Store, rows_in, run_script
from archive.suggest import closest

# The columns hold the analyzer's terms, already normalized and joined by single spaces. The
# ``ascii`` tokenizer splits them at the spaces and nowhere else (every non-ASCII character is
# a word character to it), as Elasticsearch's whitespace analyzer does; ``unicode61`` costs a
# fifth more (it classifies and folds every character again) and differs only where it folds
# what the analyzer keeps apart (final sigma, micro sign, long s: 10 Greek and Latin letters)
# or splits a word (21 New Tai Lue and Vedic signs): the same tokens on all of SaudiNewsNet.
#
# The table is contentless (content = ''): it keeps the index and each column's size (bm25),
# not a second copy of every term (nothing reads one: snippets come from the stored text), so
# the archive is half the size and an import writes less. Removing a document's entries
# takes the values it was indexed with (FTS5's 'delete' command; SQLite 3.40 has no
# contentless_delete): they are the analyzer's terms of the stored revision, recomputed,
# and idx_docs.digest (of the indexed values) says whether the recomputation is exact. When
# it is not (the analyzer changed, the text changed outside the archive), or the text is
# gone (an orphan), the word index is rebuilt from the store instead.
INDEX_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS idx_fts USING fts5(
    title_exact, title_stem, title_alt, body_exact, body_stem, body_alt,
    tokenize = 'ascii', content = ''
);
CREATE TABLE IF NOT EXISTS idx_docs (
    docid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    rev INTEGER NOT NULL,
    sort_date TEXT,
    digest INTEGER
);
CREATE INDEX IF NOT EXISTS idx_docs_by_date ON idx_docs (sort_date, id);
CREATE TABLE IF NOT EXISTS idx_facets (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    docid INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    PRIMARY KEY (facet, value, docid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_facets_by_doc ON idx_facets (docid, facet, pos);
CREATE VIRTUAL TABLE IF NOT EXISTS idx_vocab USING fts5vocab(idx_fts, 'col');
"""
DROP_INDEX = """
DROP TABLE IF EXISTS idx_vocab;
DROP TABLE IF EXISTS idx_fts;
DROP TABLE IF EXISTS idx_docs;
DROP TABLE IF EXISTS idx_facets;
"""
# FTS5 collects a transaction's new terms in memory and writes them out as a segment when the
# transaction commits or this much is pending (FTS5's default: 1 MiB, a few dozen articles):
# one segment per import batch means fewer, larger segments and less merging (import CPU).
PENDING_TERMS_BYTES = 32 * 1024 * 1024


COLUMNS = "title_exact, title_stem, title_alt, body_exact, body_stem, body_alt"
_INSERT = f"INSERT INTO idx_fts (rowid, {COLUMNS}) VALUES (?,?,?,?,?,?,?)"
_DELETE = f"INSERT INTO idx_fts (idx_fts, rowid, {COLUMNS}) VALUES ('delete',?,?,?,?,?,?,?)"
Values = tuple[str, str, str, str, str, str]  # one document's column values


def _values(title: str, content: str) -> Values:
    return (*terms(title), *terms(content))


def _digest(values: Sequence[str]) -> int:
    """A checksum of a document's indexed values (UTF-16: cheaper to encode than UTF-8 for
    Arabic; the terms hold no lone surrogates, ``surrogatepass`` is a guard)."""
    return zlib.crc32("\x1f".join(values).encode("utf-16-le", "surrogatepass"))


def _keeps_terms(conn: sqlite3.Connection) -> bool:
    """Whether idx_fts keeps a copy of its terms: archives indexed before it was contentless
    keep their table (and idx_docs without digests) until ``archive reindex``; their rows
    are deleted by rowid."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'idx_fts'").fetchone()
    return re.search(r"\bcontent\s*=", row[0]) is None


def _configure(conn: sqlite3.Connection) -> None:
    """FTS5 settings live in the table (idx_fts_config); set once, also on older archives."""
    found = conn.execute("SELECT v FROM idx_fts_config WHERE k = 'hashsize'").fetchone()
    if found is None or found[0] != PENDING_TERMS_BYTES:
        conn.execute(
            "INSERT INTO idx_fts (idx_fts, rank) VALUES ('hashsize', ?)", (PENDING_TERMS_BYTES,)
        )


# bm25 column weights: title above body, exact form above stem above alternative reading.
WEIGHTS = {
    "title_exact": 8.0,
    "title_stem": 4.0,
    "title_alt": 2.0,
    "body_exact": 2.0,
    "body_stem": 1.0,
    "body_alt": 0.5,
}
EXACT_COLUMNS = "{title_exact body_exact}"
STEM_COLUMNS = "{title_stem body_stem}"
READING_COLUMNS = "{title_stem title_alt body_stem body_alt}"
MAX_PHRASE_VARIANTS = 8


# --- query compilation -----------------------------------------------------------------------


def _term_match(term: Term) -> str:
    if term.prefix:
        return f'({EXACT_COLUMNS} : "{term.exact}" * OR {STEM_COLUMNS} : "{term.stems[0]}" *)'
    parts = [f'{EXACT_COLUMNS} : "{term.exact}"']
    parts += [f'{READING_COLUMNS} : "{stem}"' for stem in term.stems]
    return f"({' OR '.join(parts)})"


def _phrase_match(phrase: Phrase) -> str:
    parts = [f'{EXACT_COLUMNS} : "{" ".join(t.exact for t in phrase.terms)}"']
    variants = itertools.islice(
        itertools.product(*(t.stems for t in phrase.terms)), MAX_PHRASE_VARIANTS
    )
    parts += [f'{STEM_COLUMNS} : "{" ".join(stems)}"' for stems in variants]
    return f"({' OR '.join(parts)})"


def _clause(clause: Term | Phrase) -> str:
    return _phrase_match(clause) if isinstance(clause, Phrase) else _term_match(clause)


def compile_match(parsed: ParsedQuery) -> tuple[str | None, str | None]:
    """(positive, negative) FTS5 expressions; either may be None."""
    positive = (
        " AND ".join(f"({' OR '.join(_clause(c) for c in group)})" for group in parsed.must) or None
    )
    negative = " OR ".join(_clause(c) for c in parsed.must_not) or None
    return positive, negative


# --- the backend -----------------------------------------------------------------------------


class SqliteBackend:
    name = "sqlite"
    shares_store_transaction = True

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.facets = settings.facets
        self.snippet_words = settings.snippet_words
        self._matrix: DocMatrix | None = None
        self._matrix_generation = -1
        self._matrix_lock = threading.Lock()
        with store.transaction() as conn:
            run_script(conn, INDEX_SCHEMA)
            _configure(conn)

    # --- writing ------------------------------------------------------------------------------

    def index(self, docs: Sequence[IndexDoc]) -> IndexReport:
        """Write index entries on the store's connection: inside the caller's transaction when
        one is open (imports), in a transaction of its own otherwise."""
        conn = self.store.conn
        if conn.in_transaction:
            self._write(docs)
        else:
            with self.store.transaction():
                self._write(docs)
        return IndexReport(indexed=len(docs))

    def _write(self, docs: Sequence[IndexDoc]) -> None:
        conn = self.store.conn
        self._bump_generation()
        docids = [(doc.seq,) for doc in docs]
        columns = [(*doc.title_terms, *doc.body_terms) for doc in docs]
        keeps_terms = _keeps_terms(conn)
        if keeps_terms:
            conn.executemany("DELETE FROM idx_fts WHERE rowid = ?", docids)
            exact = True
        else:
            exact = self._unindex(
                conn, {doc.seq: doc.replaces or (doc.title, doc.content) for doc in docs}
            )
        conn.executemany("DELETE FROM idx_facets WHERE docid = ?", docids)
        if exact:
            conn.executemany(_INSERT, [(doc.seq, *c) for doc, c in zip(docs, columns, strict=True)])
        if keeps_terms:
            conn.executemany(
                "INSERT OR REPLACE INTO idx_docs (docid, id, rev, sort_date) VALUES (?,?,?,?)",
                [(doc.seq, doc.id, doc.rev, doc.date) for doc in docs],
            )
        else:
            conn.executemany(
                "INSERT OR REPLACE INTO idx_docs (docid, id, rev, sort_date, digest)"
                " VALUES (?,?,?,?,?)",
                [
                    (doc.seq, doc.id, doc.rev, doc.date, _digest(c))
                    for doc, c in zip(docs, columns, strict=True)
                ],
            )
        conn.executemany(
            "INSERT OR IGNORE INTO idx_facets (facet, value, docid, pos) VALUES (?,?,?,?)",
            [
                (name, str(value), doc.seq, pos)
                for doc in docs
                for name, values in doc.facets.items()
                for pos, value in enumerate(values)
            ],
        )
        if not exact:
            self._rebuild_words(conn)

    def _unindex(self, conn: sqlite3.Connection, texts: dict[int, tuple[str, str] | None]) -> bool:
        """Remove the word entries of those documents the index holds, with the values they
        were indexed from, recomputed from their (title, content): for a document indexed
        again, the revision it replaces, else its own; None when the text is gone (an orphan).
        False when some could not be recomputed exactly (the words must be rebuilt)."""
        indexed = self._digests(conn, list(texts))
        exact = True
        for docid, text in texts.items():
            if docid not in indexed:
                continue
            old = _values(*text) if text is not None else None
            if old is not None and _digest(old) == indexed[docid]:
                conn.execute(_DELETE, (docid, *old))
            else:
                exact = False  # its text is gone or changed since it was indexed
        return exact

    @staticmethod
    def _digests(conn: sqlite3.Connection, docids: Sequence[int]) -> dict[int, int | None]:
        sql = "SELECT docid, digest FROM idx_docs WHERE docid IN ({marks})"
        return dict(rows_in(conn.execute, sql, docids))

    def _rebuild_words(self, conn: sqlite3.Connection) -> None:
        """idx_fts from the stored text of every indexed document, in the caller's transaction
        (the rare way out when old entries cannot be removed one by one)."""
        conn.execute("INSERT INTO idx_fts (idx_fts) VALUES ('delete-all')")
        last = 0
        while True:
            docids = [
                row[0]
                for row in conn.execute(
                    "SELECT docid FROM idx_docs WHERE docid > ? ORDER BY docid LIMIT 500", (last,)
                )
            ]
            if not docids:
                return
            stored = self.store.get_many(docids)
            rows = []
            for docid in docids:
                if docid in stored:  # else an orphan: left out, `archive check` lists it
                    article = stored[docid].article
                    rows.append((docid, *_values(article.title, article.content)))
            conn.executemany(_INSERT, rows)
            conn.executemany(
                "UPDATE idx_docs SET digest = ? WHERE docid = ?",
                [(_digest(row[1:]), row[0]) for row in rows],
            )
            last = docids[-1]

    def delete(self, ids: Sequence[str]) -> None:
        with self.store.transaction() as conn:
            self._bump_generation()
            docids = [
                row[0]
                for article_id in ids
                for row in conn.execute("SELECT docid FROM idx_docs WHERE id = ?", (article_id,))
            ]
            exact = True
            if _keeps_terms(conn):
                conn.executemany("DELETE FROM idx_fts WHERE rowid = ?", [(d,) for d in docids])
            else:
                stored = self.store.get_many(docids)
                exact = self._unindex(
                    conn,
                    {
                        d: (stored[d].article.title, stored[d].article.content)
                        if d in stored
                        else None
                        for d in docids
                    },
                )
            conn.executemany("DELETE FROM idx_facets WHERE docid = ?", [(d,) for d in docids])
            conn.executemany("DELETE FROM idx_docs WHERE docid = ?", [(d,) for d in docids])
            if not exact:
                self._rebuild_words(conn)

    def refresh(self) -> None:
        """Nothing to do: a committed transaction is visible at once."""

    def rebuild(self, batches: Iterable[Sequence[IndexDoc]]) -> IndexReport:
        """Drop and rebuild in one transaction: readers keep the old index (WAL snapshot)
        until the new one commits."""
        report = IndexReport()
        with self.store.transaction() as conn:
            run_script(conn, DROP_INDEX + INDEX_SCHEMA)
            _configure(conn)
            for docs in batches:
                self._write(docs)
                report.indexed += len(docs)
        return report

    # --- reading ------------------------------------------------------------------------------

    def revisions(self) -> dict[str, int]:
        return dict(self.store.read("SELECT id, rev FROM idx_docs"))

    def health(self) -> dict[str, object]:
        count = self.store.read("SELECT count(*) FROM idx_docs")[0][0]
        return {"engine": self.name, "status": "ok", "documents": count}

    def close(self) -> None:
        self.store.close()

    # --- searching ----------------------------------------------------------------------------

    def _generation(self) -> int:
        rows = self.store.read("SELECT value FROM meta WHERE key = 'index_generation'")
        return int(rows[0][0]) if rows else 0

    def _bump_generation(self) -> None:
        self.store.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('index_generation', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def matrix(self) -> DocMatrix:
        """The in-memory columns, reloaded when the index changed since they were loaded:
        from the copy saved for this generation, else from the tables (then saved)."""
        generation = self._generation()
        with self._matrix_lock:
            if self._matrix is None or self._matrix_generation != generation:
                shape = repr((MATRIX_FORMAT, self.facets))
                signature = hashlib.sha1(shape.encode()).hexdigest()[:8]
                folder = self.store.path.parent / "cache" / f"matrix-{generation}-{signature}"
                matrix = DocMatrix.open(folder)
                if matrix is None:
                    with self.store.reading() as conn:
                        matrix = DocMatrix.load(conn, self.facets)
                    matrix.save(folder)
                    for stale in folder.parent.glob("matrix-*"):
                        if stale != folder and not stale.name.startswith(f"matrix-{generation}-"):
                            shutil.rmtree(stale, ignore_errors=True)
                self._matrix, self._matrix_generation = matrix, generation
            return self._matrix

    def _matches(self, expression: str, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """Docids matching an FTS5 expression, with their bm25 scores (lower is better) when
        ``scored``. Both come as comma-separated texts (group_concat), parsed by numpy: a
        few Python objects per search, not a row tuple, an int and a float per match
        (100k+ matches at 300k articles). Scores keep 15 significant digits."""
        if scored:
            weights = ", ".join(str(w) for w in WEIGHTS.values())
            ((listed, scores),) = self.store.read(
                "SELECT group_concat(docid), group_concat(score) FROM (SELECT rowid AS docid,"
                f" bm25(idx_fts, {weights}) AS score FROM idx_fts WHERE idx_fts MATCH ?"
                " LIMIT -1)",  # a subquery of its own: bm25() is not allowed under an aggregate
                (expression,),
            )
            return listed_numbers(listed), listed_numbers(scores, np.float64)
        ((listed,),) = self.store.read(
            "SELECT group_concat(rowid) FROM idx_fts WHERE idx_fts MATCH ?", (expression,)
        )
        return listed_numbers(listed), None

    def search(self, request: SearchRequest, parsed: ParsedQuery) -> SearchResult:
        started = time.perf_counter()
        matrix = self.matrix()
        positive, negative = compile_match(parsed)
        docids = scores = None
        if positive:
            expression = f"({positive}) NOT ({negative})" if negative else positive
            docids, scores = self._matches(expression, scored=request.sort == "relevance")
            base = matrix.mask(docids)
        else:
            base = matrix.present.copy()
            if negative:
                excluded, _ = self._matches(negative, scored=False)
                base[excluded[excluded < matrix.size]] = False
        masks = matrix.filter_masks(request.filters)

        def selected(exclude: str | None = None) -> np.ndarray:
            chosen = base
            for name, mask in masks.items():
                if name != exclude:
                    chosen = chosen & mask
            return chosen

        hits_mask = selected()
        total = int(np.count_nonzero(hits_mask))
        facets = {}
        for spec in self.facets:
            counts = matrix.facets[spec.name].counts(
                selected(spec.name) if spec.name in masks else hits_mask,
                spec.max_size,
                by_value=spec.kind == "year",
            )
            cast = int if spec.kind == "year" else str
            facets[spec.name] = [FacetCount(cast(value), n) for value, n in counts]
        if scores is not None and docids is not None:
            known = docids < matrix.size  # indexed after the matrix was loaded: not yet
            docids, scores = docids[known], scores[known]
            keep = hits_mask[docids]
            docids, scores = docids[keep], scores[keep]
            order = np.lexsort((docids, scores))[request.offset : request.offset + request.limit]
            ranked = list(zip(docids[order].tolist(), (-scores[order]).tolist(), strict=True))
        else:
            ranked = [
                (d, None)
                for d in matrix.first_by_date(
                    hits_mask,
                    newest=request.sort != "oldest",
                    start=request.offset,
                    count=request.limit,
                )
            ]
        hits = self._hits(ranked, parsed, matrix)
        return SearchResult(
            total=total, hits=hits, facets=facets, took_ms=(time.perf_counter() - started) * 1000
        )

    def _hits(
        self, ranked: list[tuple[int, float | None]], parsed: ParsedQuery, matrix: DocMatrix
    ) -> list[Hit]:
        if not ranked:
            return []
        listed = self.store.listed([docid for docid, _ in ranked])
        found = [(docid, score) for docid, score in ranked if docid in listed]  # not deleted
        docids = [docid for docid, _ in found]
        articles = [listed[docid] for docid in docids]
        texts = snippets([a.content for a in articles], parsed, self.snippet_words)
        names = {spec.field: spec.name for spec in self.facets}
        persons, organizations = (
            column.values_of_many(docids) if column else [[] for _ in docids]
            for column in (
                matrix.facets.get(names.get(field, "")) for field in ("persons", "organizations")
            )
        )
        return [
            Hit(
                id=article.id,
                title=article.title,
                date=article.date,
                year=article.year,
                source=article.source,
                url=article.url,
                snippet=text,
                persons=person_values,
                organizations=organization_values,
                score=score,
            )
            for (_, score), article, text, person_values, organization_values in zip(
                found, articles, texts, persons, organizations, strict=True
            )
        ]

    def suggest(self, words: Sequence[str], limit: int = 3) -> list[str]:
        """Did you mean: per word, the closest indexed exact forms sharing its first letters
        (two, after an article ال): counting documents per term is what costs here, so the
        candidates are kept to a narrow slice of the vocabulary."""
        choices = []
        for word in words:
            anchor = word[: min(len(word) - 1, 4 if word.startswith("ال") else 2)]
            rows = self.store.read(
                "SELECT term, sum(doc) FROM idx_vocab WHERE col IN ('title_exact', 'body_exact')"
                " AND term >= ? AND term < ? AND length(term) BETWEEN ? AND ? GROUP BY term",
                (anchor, anchor + "\U0010ffff", len(word) - 2, len(word) + 2),
            )
            choices.append(closest(word, rows, limit) or [word])
        original = " ".join(words)
        queries = (" ".join(choice) for choice in itertools.product(*choices))
        return [q for q in itertools.islice(queries, limit + 1) if q != original][:limit]
