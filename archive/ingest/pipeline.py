"""The import pipeline: records -> articles -> analysis + entities -> store -> index.

Batches are the unit of work: each batch is stored (with its embedded-index entries) in one
transaction, so an import killed at any point leaves whole batches and re-running it finishes
the job. Unchanged articles (same fingerprint) are skipped before any analysis.

Record mapping, fingerprints, analysis, entity extraction and facet values, all per article,
run in worker processes when the batch is big enough; this process reads the files, looks up
the stored fingerprints of each batch and writes the store and the index (one upsert statement
per article, the rest batched).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from archive.analysis import Terms, terms
from archive.backends.base import BackendUnavailable, IndexDoc, SearchBackend
from archive.config import FacetSpec, Settings
from archive.entities import AliasTable, default_extractor, extract_many
from archive.indexing import ENTITY_FIELDS, FacetValues, article_facets, index_doc, make_doc
from archive.ingest.readers import RawRecord, ReadError, iter_files, read_file
from archive.ingest.records import RecordError, record_id, to_article
from archive.models import Article
from archive.store import Store

# Records per batch, and so per transaction: FTS5 writes each transaction's terms as one
# segment, and fewer, larger segments cost less merging (1,000 instead of 500: an eighth less
# parent CPU on SaudiNewsNet); larger batches gain no more and hold the write lock longer.
BATCH_SIZE = 1000
PARALLEL_MIN_BATCH = 200  # smaller batches are analyzed in-process: no pool start-up cost
# The collector's first generation is scanned every this many new containers during an import
# (700 by default; the workers, forked during the import, inherit it). A batch's outcomes,
# unpickled by the thousand and kept until written, and its index documents are no garbage,
# yet each default-sized scan walks them again: the importing process spent a seventh of its
# CPU collecting on SaudiNewsNet (1.9 s of 13.9 s).
IMPORT_GC_THRESHOLD = 20_000
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
class Context:
    """What mapping and analyzing a record needs (given to worker processes at their start)."""

    max_chars: int
    facets: tuple[FacetSpec, ...]
    aliases: AliasTable


@dataclass(frozen=True)
class Task:
    """One record to map and analyze, with the fingerprint the store holds for its id."""

    raw: RawRecord
    stored: str | None  # None: not stored yet, or its id is not known before mapping


@dataclass(frozen=True)
class Analyzed:
    """What the costly step produces for one article (picklable, for worker processes)."""

    entities: dict[str, list[str]]
    facets: FacetValues
    title_terms: Terms
    body_terms: Terms


@dataclass(frozen=True)
class Prepared:
    """A record mapped to its article, analyzed unless the store already holds it as is."""

    article: Article
    fingerprint: str
    warnings: list[str]
    analyzed: Analyzed | None  # None: unchanged (same fingerprint as stored), not analyzed


Outcome = Prepared | str  # a str says why the record was rejected


def analyze_many(articles: Sequence[Article], context: Context) -> list[Analyzed]:
    """Entities, facet values and index terms of each article. Given persons/organizations are
    kept as given; extraction fills only the kinds a record did not give. The articles that
    need extraction go to the extractor together (it tags a batch in one pass)."""
    needs = [
        k
        for k, article in enumerate(articles)
        if any(not getattr(article, attr) for attr in ENTITY_KINDS.values())
    ]
    extracted = extract_many(default_extractor(), [articles[k].text for k in needs])
    extractions = dict(zip(needs, extracted, strict=True))
    analyzed = []
    for k, article in enumerate(articles):
        extraction = extractions.get(k)
        entities: dict[str, list[str]] = {}
        for kind, attr in ENTITY_KINDS.items():
            given = getattr(article, attr)
            entities[kind] = list(given) if given else extraction.names(kind) if extraction else []
        analyzed.append(
            Analyzed(
                entities,
                article_facets(article, entities, context.facets, context.aliases),
                terms(article.title),
                terms(article.content),
            )
        )
    return analyzed


def prepare_many(tasks: Sequence[Task], context: Context) -> list[Outcome]:
    """Map each record and analyze its article unless it is stored unchanged."""
    outcomes: list[Outcome] = []
    fresh: list[tuple[int, Prepared]] = []  # outcomes still waiting for their analysis
    for task in tasks:
        try:
            article, warnings = to_article(task.raw, context.max_chars)
        except RecordError as error:
            outcomes.append(str(error))
            continue
        fingerprint = article.fingerprint()
        prepared = Prepared(article, fingerprint, warnings, None)
        if fingerprint != task.stored:
            fresh.append((len(outcomes), prepared))
        outcomes.append(prepared)
    analyzed = analyze_many([prepared.article for _, prepared in fresh], context)
    for (k, prepared), result in zip(fresh, analyzed, strict=True):
        outcomes[k] = replace(prepared, analyzed=result)
    return outcomes


_context: Context | None = None  # a worker process's (set by _start_worker)


def _start_worker(context: Context) -> None:
    global _context
    _context = context
    # what the parent had when it forked stays put: the collector neither scans it nor
    # touches its pages (copy-on-write)
    gc.freeze()


def _prepare_chunk(tasks: list[Task]) -> list[Outcome]:
    assert _context is not None, "runs in a worker started by _start_worker"
    return prepare_many(tasks, _context)


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


Item = RawRecord | ReadError


@dataclass
class Pending:
    """A batch on its way: its items in input order, and their outcomes (being computed)."""

    items: list[Item]
    outcomes: Callable[[], list[Outcome]]  # waits; one per RawRecord of ``items``, in order
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
        self.context = Context(settings.max_article_chars, settings.facets, aliases)
        # facets whose values are entity names: they take the archive's spellings (``_settled``)
        self._name_facets = {
            spec.name: ENTITY_FIELDS[spec.field]
            for spec in settings.facets
            if spec.field in ENTITY_FIELDS
        }
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
        self.report = ImportReport()
        self._pool: ProcessPoolExecutor | None = None
        self._done_bytes = 0
        self._engine_error: str | None = None  # set when the engine stopped answering
        self._indexed = 0  # documents an external engine took

    def run(self, paths: list[Path], progress: Progress | None = None) -> ImportReport:
        """Batches flow through two stages that overlap: while the workers map and analyze
        batch k+1, this process writes batch k to the store and the index."""
        progress = progress or NoProgress()
        files = list(iter_files(paths))
        progress.start(sum(f.stat().st_size for f in files if isinstance(f, Path)))
        self._done_bytes = 0
        thresholds = gc.get_threshold()
        gc.set_threshold(max(thresholds[0], IMPORT_GC_THRESHOLD), *thresholds[1:])
        try:
            pending: Pending | None = None
            for batch in self._batches(files):
                following = self._prepare(batch)
                if pending is not None:
                    self._commit(pending, progress)
                pending = following
            if pending is not None:
                self._commit(pending, progress)
            self.catch_up()
            self._refresh()
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                gc.unfreeze()  # frozen when the pool started (``_start``)
            gc.set_threshold(*thresholds)
        return self.report

    def _batches(self, files: list[Path | ReadError]) -> Iterator[list[Item]]:
        """Items in input order, up to BATCH_SIZE records a batch (read errors ride along, so
        the report lists every problem in input order)."""
        batch: list[Item] = []
        records = 0
        for item in self._items(files):
            batch.append(item)
            if isinstance(item, RawRecord):
                records += 1
                if records >= BATCH_SIZE:
                    yield batch
                    batch, records = [], 0
        if batch:
            yield batch

    def _refresh(self) -> None:
        """An import is done when its articles can be found."""
        if self.report.imported or self.report.updated or self._indexed:
            try:
                self.backend.refresh()
            except BackendUnavailable as error:
                self.report.warn("", None, f"index not refreshed: {error}")

    def _items(self, files: list[Path | ReadError]) -> Iterator[Item]:
        for path in files:
            if isinstance(path, ReadError):
                yield path
                continue
            yield from read_file(path)
            self._done_bytes += path.stat().st_size

    def _prepare(self, batch: list[Item]) -> Pending:
        """Look up what the store holds for the batch's ids, and start mapping and analyzing
        its records (the workers skip the analysis of articles stored unchanged)."""
        records = [item for item in batch if isinstance(item, RawRecord)]
        ids = [self._record_id(raw) for raw in records]
        stored = self.store.fingerprints(i for i in ids if i is not None)
        tasks = [
            Task(raw, stored.get(i) if i else None) for raw, i in zip(records, ids, strict=True)
        ]
        return Pending(batch, self._start(tasks), batch[-1].path)

    def _record_id(self, raw: RawRecord) -> str | None:
        found = record_id(raw)
        if found is None:  # no id, no url: the id comes from the cleaned text
            try:
                found = to_article(raw, self.context.max_chars)[0].id
            except RecordError:
                return None  # rejected again (and reported) by its worker
        return found

    def _start(self, tasks: list[Task]) -> Callable[[], list[Outcome]]:
        """Start mapping and analyzing; the returned function waits for the outcomes (in order)."""
        if self.workers <= 1 or len(tasks) < PARALLEL_MIN_BATCH:
            outcomes = prepare_many(tasks, self.context)
            return lambda: outcomes
        if self._pool is None:
            # Load the model before forking: the workers share it (copy-on-write), and a model
            # that cannot load fails here, once, instead of in every worker.
            default_extractor()
            # ... and keep it, with all else this process holds now, out of the collector's
            # scans until the import ends: half of what this process spent collecting
            gc.freeze()
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=get_context("fork"),
                initializer=_start_worker,
                initargs=(self.context,),
            )
        futures = [
            self._pool.submit(_prepare_chunk, tasks[i : i + CHUNK])
            for i in range(0, len(tasks), CHUNK)
        ]
        return lambda: [outcome for future in futures for outcome in future.result()]

    def _commit(self, pending: Pending, progress: Progress) -> None:
        """Report on one batch and write what changed in it: store and (embedded) index in one
        transaction."""
        outcomes = iter(pending.outcomes())
        mapped: list[tuple[RawRecord, Prepared]] = []
        for item in pending.items:
            if isinstance(item, ReadError):
                self.report.reject(item.path, item.line, item.reason)
                continue
            outcome = next(outcomes)
            if isinstance(outcome, str):
                self.report.reject(item.path, item.line, outcome)
                continue
            for warning in outcome.warnings:
                self.report.warn(item.path, item.line, warning)
            mapped.append((item, outcome))
        # The same id twice in one batch: the later record wins, as it would one by one.
        latest: dict[str, tuple[RawRecord, Prepared]] = {}
        for raw, prepared in mapped:
            article_id = prepared.article.id
            if article_id in latest:
                earlier = latest[article_id][0]
                self.report.warn(
                    raw.path,
                    raw.line,
                    f"duplicate id {article_id!r} (also at"
                    f" {earlier.path}:{earlier.line}); this later record is kept",
                )
            latest[article_id] = (raw, prepared)
        changed = [(p, p.analyzed) for _, p in latest.values() if p.analyzed is not None]
        self.report.unchanged += len(latest) - len(changed)
        if changed:
            self._write(changed)
        progress.advance(len(mapped), self._done_bytes, pending.path)

    def _write(self, changed: list[tuple[Prepared, Analyzed]]) -> None:
        docs: list[IndexDoc] = []
        with self.store.transaction() as conn:
            # A batch before this one (or another import) may have stored the same article
            # since the fingerprints were looked up: the upsert checks again, atomically.
            changes = self.store.upsert_many(
                conn, [(p.article, p.fingerprint, a.entities) for p, a in changed]
            )
            for (prepared, analyzed), change in zip(changed, changes, strict=True):
                if change is None:
                    self.report.unchanged += 1
                    continue
                if change.status == "imported":
                    self.report.imported += 1
                else:
                    self.report.updated += 1
                docs.append(
                    make_doc(
                        prepared.article,
                        change.seq,
                        change.rev,
                        self._settled(analyzed.facets),
                        analyzed.title_terms,
                        analyzed.body_terms,
                        change.replaced,
                    )
                )
            self.store.add_spellings(conn, self.aliases.take_met())
            if self.backend.shares_store_transaction:
                self.backend.index(docs)
            else:
                self.store.mark_unindexed(conn, [doc.seq for doc in docs])
        if not self.backend.shares_store_transaction and self._engine_error is None:
            self._index_after_commit(docs)

    def _settled(self, facets: FacetValues) -> FacetValues:
        """Worker-made facet values with the archive's spelling of each name: the workers'
        copy of the spellings dates from their start, so names met since are settled here."""
        settle = self.aliases.settle
        return {
            name: tuple(dict.fromkeys(settle(self._name_facets[name], v) for v in values))
            if name in self._name_facets
            else values
            for name, values in facets.items()
        }

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
