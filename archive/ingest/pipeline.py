"""The import pipeline: records -> articles -> analysis + entities -> store -> index.

Batches are the unit of work: each batch is stored (with its embedded-index entries) in one
transaction, so an import killed at any point leaves whole batches and re-running it finishes
the job. Unchanged articles (same fingerprint) are skipped before any analysis. Analysis and
entity extraction, the costly part, run in worker processes when the batch is big enough.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from archive.analysis import Terms, terms
from archive.backends.base import BackendUnavailable, IndexDoc, SearchBackend
from archive.config import Settings
from archive.entities import AliasTable, default_extractor
from archive.indexing import index_doc
from archive.ingest.readers import RawRecord, ReadError, iter_files, read_file
from archive.ingest.records import RecordError, to_article
from archive.models import Article, StoredArticle
from archive.store import Store

BATCH_SIZE = 500
PARALLEL_MIN_BATCH = 200  # smaller batches are analyzed in-process: no pool start-up cost
CHUNK = 25  # articles per task sent to a worker
ENTITY_KINDS = {"person": "persons", "organization": "organizations"}


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    not_indexed: int = 0  # stored, but the search engine did not take them (run reindex)

    def reject(self, path: str, line: int | None, reason: str) -> None:
        self.rejected += 1
        self.errors.append({"path": path, "line": line, "reason": reason})

    def warn(self, path: str, line: int | None, reason: str) -> None:
        self.warnings.append({"path": path, "line": line, "reason": reason})

    @property
    def stored(self) -> int:
        return self.imported + self.updated + self.unchanged

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
        }
        if self.warnings:
            data["warnings"] = self.warnings
        if self.not_indexed:
            data["not_indexed"] = self.not_indexed
        return data


@dataclass(frozen=True)
class Analyzed:
    """What the costly step produces for one article (picklable, for worker processes)."""

    entities: dict[str, list[str]]
    title_terms: Terms
    body_terms: Terms


def analyze_many(articles: list[Article]) -> list[Analyzed]:
    return [analyze(article) for article in articles]


def analyze(article: Article) -> Analyzed:
    """Entities and index terms of one article. Given persons/organizations are kept as given;
    extraction fills only the kinds the record did not give."""
    entities: dict[str, list[str]] = {}
    missing = [kind for kind, attr in ENTITY_KINDS.items() if not getattr(article, attr)]
    extraction = default_extractor().extract(article.text) if missing else None
    for kind, attr in ENTITY_KINDS.items():
        given = getattr(article, attr)
        entities[kind] = list(given) if given else extraction.names(kind) if extraction else []
    return Analyzed(entities, terms(article.title), terms(article.content))


class Progress(Protocol):
    """Feedback for long imports (the CLI draws a bar; the API default says nothing)."""

    def start(self, total_bytes: int) -> None: ...

    def advance(self, records: int, done_bytes: int, path: str) -> None:
        """``records`` more were stored; ``done_bytes`` of the input are fully read."""
        ...


class NoProgress:
    def start(self, total_bytes: int) -> None:
        pass

    def advance(self, records: int, done_bytes: int, path: str) -> None:
        pass


@dataclass
class Pending:
    """A batch on its way: what changed, and its analysis (running in the workers)."""

    batch: list[tuple[RawRecord, Article]]
    changed: list[Article]
    results: Callable[[], list[Analyzed]]
    path: str


class Importer:
    """One import run: owns the worker pool and the running report."""

    def __init__(
        self,
        store: Store,
        backend: SearchBackend,
        settings: Settings,
        aliases: AliasTable,
        workers: int | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.settings = settings
        self.aliases = aliases
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self.report = ImportReport()
        self._pool: ProcessPoolExecutor | None = None
        self._done_bytes = 0
        self._engine_error: str | None = None  # set when the engine stopped answering
        self._indexed = 0  # documents an external engine took

    def run(self, paths: list[Path], progress: Progress | None = None) -> ImportReport:
        """Batches flow through two stages that overlap: while the workers analyze batch k+1,
        this process writes batch k to the store and the index."""
        progress = progress or NoProgress()
        files = list(iter_files(paths))
        progress.start(sum(f.stat().st_size for f in files if isinstance(f, Path)))
        self._done_bytes = 0
        try:
            pending: Pending | None = None
            for batch in self._batches(files):
                following = self._prepare(batch)
                if pending is not None:
                    self._commit(pending)
                    progress.advance(len(pending.batch), self._done_bytes, pending.path)
                pending = following
            if pending is not None:
                self._commit(pending)
                progress.advance(len(pending.batch), self._done_bytes, pending.path)
            self.catch_up()
            self._refresh()
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
        return self.report

    def _batches(self, files: list[Path | ReadError]) -> Iterator[list[tuple[RawRecord, Article]]]:
        batch: list[tuple[RawRecord, Article]] = []
        for raw in self._records(files):
            try:
                article, warnings = to_article(raw, self.settings.max_article_chars)
            except RecordError as error:
                self.report.reject(raw.path, raw.line, str(error))
                continue
            for warning in warnings:
                self.report.warn(raw.path, raw.line, warning)
            batch.append((raw, article))
            if len(batch) >= BATCH_SIZE:
                yield batch
                batch = []
        if batch:
            yield batch

    def _refresh(self) -> None:
        """An import is done when its articles can be found."""
        if self.report.imported or self.report.updated or self._indexed:
            try:
                self.backend.refresh()
            except BackendUnavailable as error:
                self.report.warn("", None, f"index not refreshed: {error}")

    def _records(self, files: list[Path | ReadError]) -> Iterator[RawRecord]:
        for path in files:
            if isinstance(path, ReadError):
                self.report.reject(path.path, path.line, path.reason)
                continue
            for item in read_file(path):
                if isinstance(item, ReadError):
                    self.report.reject(item.path, item.line, item.reason)
                else:
                    yield item
            self._done_bytes += path.stat().st_size

    def _analyze_all(self, articles: list[Article]) -> Callable[[], list[Analyzed]]:
        """Start analyzing; the returned function waits for the results (in order)."""
        if self.workers <= 1 or len(articles) < PARALLEL_MIN_BATCH:
            results = [analyze(article) for article in articles]
            return lambda: results
        if self._pool is None:
            # Load the model before forking: the workers share it (copy-on-write), and a model
            # that cannot load fails here, once, instead of in every worker.
            default_extractor()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("fork"))
        futures = [
            self._pool.submit(analyze_many, articles[i : i + CHUNK])
            for i in range(0, len(articles), CHUNK)
        ]
        return lambda: [result for future in futures for result in future.result()]

    def _prepare(self, batch: list[tuple[RawRecord, Article]]) -> Pending:
        """Drop repeats and unchanged articles, and start analyzing the rest."""
        # The same id twice in one batch: the later record wins, as it would one by one.
        latest: dict[str, tuple[RawRecord, Article]] = {}
        for raw, article in batch:
            if article.id in latest:
                earlier = latest[article.id][0]
                self.report.warn(
                    raw.path,
                    raw.line,
                    f"duplicate id {article.id!r} (also at"
                    f" {earlier.path}:{earlier.line}); this later record is kept",
                )
            latest[article.id] = (raw, article)
        stored = self.store.fingerprints(latest)
        changed = []
        for _, article in latest.values():
            if stored.get(article.id) == article.fingerprint():
                self.report.unchanged += 1
            else:
                changed.append(article)
        return Pending(batch, changed, self._analyze_all(changed), batch[-1][0].path)

    def _commit(self, pending: Pending) -> None:
        """Write one analyzed batch: store and (embedded) index in one transaction."""
        if not pending.changed:
            return
        analyzed = pending.results()
        # the batch before this one may have stored the same article since _prepare looked
        stored = self.store.fingerprints(a.id for a in pending.changed)
        docs: list[IndexDoc] = []
        with self.store.transaction() as conn:
            for article, result in zip(pending.changed, analyzed, strict=True):
                fingerprint = article.fingerprint()
                if stored.get(article.id) == fingerprint:
                    self.report.unchanged += 1
                    continue
                change = self.store.upsert(conn, article, fingerprint, result.entities)
                if change.status == "imported":
                    self.report.imported += 1
                else:
                    self.report.updated += 1
                stored_article = StoredArticle(
                    article=article,
                    seq=change.seq,
                    rev=change.rev,
                    entities={k: tuple(v) for k, v in result.entities.items()},
                )
                docs.append(
                    index_doc(
                        stored_article,
                        self.settings.facets,
                        self.aliases,
                        (result.title_terms, result.body_terms),
                    )
                )
            if self.backend.shares_store_transaction:
                self.backend.index(docs)
            else:
                self.store.mark_unindexed(conn, [doc.seq for doc in docs])
        if not self.backend.shares_store_transaction and self._engine_error is None:
            self._index_after_commit(docs)

    def _index_after_commit(self, docs: list[IndexDoc]) -> bool:
        """The store has them (and the outbox lists them); an engine failure costs index
        freshness, never articles. Returns False when the engine is unavailable."""
        try:
            report = self.backend.index(docs)
        except BackendUnavailable as error:
            self._engine_error = str(error)
            return False
        failed = {article_id for article_id, _ in report.errors}
        for article_id, reason in report.errors:
            self.report.warn("", None, f"article {article_id} stored but not indexed: {reason}")
        self.store.mark_indexed(doc.seq for doc in docs if doc.id not in failed)
        self._indexed += len(docs) - len(failed)
        return True

    def catch_up(self) -> None:
        """Index what this or earlier runs stored but could not index (engine down, process
        killed), then say what is still waiting."""
        if self.backend.shares_store_transaction:
            return
        if self._engine_error is None:
            for batch in self.store.unindexed():
                docs = [index_doc(stored, self.settings.facets, self.aliases) for stored in batch]
                if not self._index_after_commit(docs):
                    break
        self.report.not_indexed = self.store.count_unindexed()
        if self.report.not_indexed:
            self.report.warn(
                "",
                None,
                f"{self.report.not_indexed} stored articles are not in"
                f" the search index ({self._engine_error or 'rejected'}); the next"
                " import, `archive check --repair` or `archive reindex` indexes them",
            )


def import_paths(
    paths: Iterable[Path],
    store: Store,
    backend: SearchBackend,
    settings: Settings,
    aliases: AliasTable,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import files and folders; see ``ImportReport`` for what comes back."""
    importer = Importer(store, backend, settings, aliases, workers)
    return importer.run(list(paths), progress)
