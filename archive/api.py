"""The archive as one Python API; the CLI, the JSON API and the HTML pages are thin layers on it.

from archive.api import Archive
archive = Archive.open(data_dir="data")
archive.import_paths([Path("seeds")])
result = archive.search("لافروف", filters={"person": ("سيرغي لافروف",)})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.analysis import limit_word_cache, salient_words
from archive.backends.base import IndexDoc, IndexReport, SearchBackend
from archive.config import Settings, load_settings
from archive.entities import AliasTable, Extraction, default_extractor, load_aliases
from archive.indexing import article_facets, index_doc
from archive.ingest.pipeline import ImportReport, Progress, import_paths
from archive.models import SearchRequest, SearchResult, StoredArticle
from archive.query import parse
from archive.store import Store


def open_backend(settings: Settings, store: Store) -> SearchBackend:
    if settings.backend == "elasticsearch":
        from archive.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(store, settings)
    from archive.backends.sqlite_fts import SqliteBackend

    return SqliteBackend(store, settings)


@dataclass(frozen=True)
class ArticleView:
    """An article as its page shows it, with its facet values (what filters match on)."""

    stored: StoredArticle
    facets: dict[str, tuple]  # facet name -> canonical values


@dataclass(frozen=True)
class CheckReport:
    in_store: int
    in_index: int
    missing: list[str]  # stored, not indexed
    stale: list[str]  # indexed with an older revision
    orphaned: list[str]  # indexed, not stored
    repaired: bool = False

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.stale or self.orphaned)

    def to_json(self) -> dict[str, Any]:
        return {
            "consistent": self.consistent,
            "in_store": self.in_store,
            "in_index": self.in_index,
            "missing": len(self.missing),
            "stale": len(self.stale),
            "orphaned": len(self.orphaned),
            "repaired": self.repaired,
        }


SERVING_CACHE_MIB = 8  # SQLite page cache of a server process (one connection for its threads)
SERVING_WORD_CACHE = 50_000  # analyzed word forms a server keeps (snippets, highlighting)


class Archive:
    def __init__(self, settings: Settings, serving: bool = False) -> None:
        """``serving``: tuned for a long-lived web process (small caches, many threads)."""
        self.settings = settings
        self.store = Store(
            settings.store_path, SERVING_CACHE_MIB if serving else 64, shared=serving
        )
        if serving:
            limit_word_cache(SERVING_WORD_CACHE)
        self.aliases: AliasTable = self._aliases()
        self.backend = open_backend(settings, self.store)

    def _aliases(self) -> AliasTable:
        """The configured aliases, reading the archive's spellings (``AliasTable.spellings``)
        from the store as names come up (a server meets few of them); an import or a listing
        that needs every one loads them all."""
        aliases = load_aliases()
        aliases.spelling_source = self.store.spelling
        return aliases

    @classmethod
    def open(cls, **overrides: Any) -> Archive:
        return cls(load_settings(overrides))

    def close(self) -> None:
        self.backend.close()
        self.store.close()

    # --- import / index -----------------------------------------------------------------------

    def import_paths(
        self, paths: Iterable[Path], progress: Progress | None = None, workers: int | None = None
    ) -> ImportReport:
        self.aliases.spellings = self.store.spellings()  # settling new names needs them all
        return import_paths(
            paths, self.store, self.backend, self.settings, self.aliases, progress, workers
        )

    def index_docs(self, batch: Sequence[StoredArticle]) -> list[IndexDoc]:
        return [index_doc(stored, self.settings.facets, self.aliases) for stored in batch]

    def reindex(self, on_batch: Callable[[int], None] | None = None) -> IndexReport:
        """Rebuild the search index from the store (aliases and facets re-read from config;
        each name no alias knows takes the spelling most articles use)."""
        self.aliases = self._aliases()
        self.aliases.spellings = self.aliases.majority_spellings(self.store.entity_counts())
        self.store.replace_spellings(self.aliases.spellings)

        def batches() -> Iterator[list[IndexDoc]]:
            for batch in self.store.iter_articles():
                yield self.index_docs(batch)
                if on_batch:
                    on_batch(len(batch))

        report = self.backend.rebuild(batches())
        if not self.backend.shares_store_transaction:
            # articles imported while the new index was being built went to the old one
            self.check(repair=True)
        return report

    def check(self, repair: bool = False) -> CheckReport:
        """Does the index hold exactly the store's articles, at their current revisions?"""
        stored = self.store.revisions()
        indexed = self.backend.revisions()
        missing = [i for i in stored if i not in indexed]
        stale = [i for i, rev in stored.items() if i in indexed and indexed[i] != rev]
        orphaned = [i for i in indexed if i not in stored]
        report = CheckReport(len(stored), len(indexed), missing, stale, orphaned)
        if repair and not report.consistent:
            if orphaned:
                self.backend.delete(orphaned)
            ids = missing + stale
            for start in range(0, len(ids), 500):
                batch = [a for i in ids[start : start + 500] if (a := self.store.get(i))]
                self.backend.index(self.index_docs(batch))
            self.backend.refresh()
            report = CheckReport(
                report.in_store, report.in_index, missing, stale, orphaned, repaired=True
            )
        if repair:
            self.store.mark_indexed()  # everything stored is now in the index
        return report

    # --- read ---------------------------------------------------------------------------------

    def search(
        self,
        query: str = "",
        filters: dict[str, Sequence[str]] | None = None,
        sort: str = "relevance",
        limit: int | None = None,
        offset: int = 0,
    ) -> SearchResult:
        """Full-text search with facet filters (OR within a facet, AND across facets)."""
        known = {spec.name for spec in self.settings.facets}
        clean = {
            name: tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
            for name, values in (filters or {}).items()
            if name in known
        }
        request = SearchRequest(
            query=query or "",
            filters={name: values for name, values in clean.items() if values},
            sort=sort if sort in SearchRequest.SORTS else "relevance",
            limit=max(0, min(limit if limit is not None else self.settings.page_size, 200)),
            offset=max(0, min(offset, 1_000_000)),
        )
        parsed = parse(request.query)
        result = self.backend.search(request, parsed)
        result.notices.extend(parsed.notices)
        if result.total == 0 and parsed.must:
            result.suggestions = self.backend.suggest(parsed.words())
        return result

    def get_article(self, article_id: str) -> ArticleView | None:
        stored = self.store.get(article_id)
        if stored is None:
            return None
        facets = article_facets(stored.article, stored.entities, self.settings.facets, self.aliases)
        return ArticleView(stored, facets)

    def similar(self, article_id: str, limit: int = 5) -> list:
        """Articles sharing this one's entities and salient words, best first.

        A search for the article's most frequent content words (OR-ed), re-ranked by how many
        person/organization values each hit shares with the article."""
        view = self.get_article(article_id)
        if view is None:
            return []
        article = view.stored.article
        words = salient_words(f"{article.title} {article.title} {article.content}", 8)
        if not words:
            return []
        result = self.search(" OR ".join(words), limit=limit * 4 + 1)
        mine = {
            (name, value)
            for name, values in view.facets.items()
            if name in ("person", "organization")
            for value in values
        }
        ranked = []
        for position, hit in enumerate(result.hits):
            if hit.id == article.id:
                continue
            shared = len(
                mine
                & (
                    {("person", p) for p in hit.persons}
                    | {("organization", o) for o in hit.organizations}
                )
            )
            ranked.append((-shared, position, hit))
        return [hit for _, _, hit in sorted(ranked, key=lambda r: (r[0], r[1]))[:limit]]

    def extract(self, text: str) -> Extraction:
        return default_extractor().extract(text)

    def entities(self, kind: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Top entities by number of articles, under their canonical (alias-mapped) names."""
        totals: dict[tuple[str, str], dict[str, Any]] = {}
        self.aliases.spellings = self.store.spellings()  # one read instead of one per name
        for entity_kind, name, count in self.store.entity_counts(kind):
            canonical = self.aliases.canonical(entity_kind, name)
            entry = totals.setdefault(
                (entity_kind, canonical),
                {
                    "kind": entity_kind,
                    "name": canonical,
                    "articles": 0,
                    "spellings": [],
                },
            )
            entry["articles"] += count
            if name != canonical:
                entry["spellings"].append(name)
        ranked = sorted(totals.values(), key=lambda e: (-e["articles"], e["name"]))
        return ranked[:limit]

    def stats(self) -> dict[str, Any]:
        return {
            "articles": self.store.count(),
            "data_dir": str(self.settings.data_dir),
            "store_bytes": sum(
                p.stat().st_size for p in self.settings.data_dir.glob("archive.sqlite*")
            ),
            "backend": self.backend.health(),
        }
