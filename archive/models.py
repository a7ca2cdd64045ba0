"""The records that move between layers: articles in, search requests and results out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Article:
    """One article as the archive keeps it; ``id`` is stable across re-imports."""

    id: str
    title: str
    content: str
    date: str | None = None  # ISO 8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS
    source: str = ""
    url: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()  # given in the imported record, kept as given
    organizations: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def text(self) -> str:
        """What entity extraction reads: the title, then the body."""
        return f"{self.title}\n\n{self.content}" if self.title else self.content

    def fingerprint(self) -> str:
        """Changes exactly when a re-import must update the stored article: the digest of the
        JSON of every field (``asdict``'s, without its deep copy: the stored digests stay valid)."""
        payload = json.dumps(
            {name: getattr(self, name) for name in _ARTICLE_FIELDS},
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


@dataclass(frozen=True)
class StoredArticle:
    """An article read back from the store, with what extraction found in it."""

    article: Article
    seq: int  # the store's integer key; the embedded index uses it as its docid
    rev: int  # bumped by every update; an index holding an older rev is stale
    entities: dict[str, tuple[str, ...]]  # kind -> names, extracted and given
    imported_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> values
    sort: str = "relevance"  # relevance | newest | oldest
    limit: int = 20
    offset: int = 0

    SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str | None
    year: int | None
    source: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matches
    persons: list[str]
    organizations: list[str]
    score: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "year": self.year,
            "source": self.source,
            "url": self.url,
            "snippet": self.snippet,
            "persons": list(self.persons),
            "organizations": list(self.organizations),
        }


@dataclass(frozen=True)
class FacetCount:
    value: str | int
    count: int


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    took_ms: float = 0.0
    notices: list[str] = field(default_factory=list)  # e.g. "only stop words in the query"
    suggestions: list[str] = field(default_factory=list)  # "did you mean" queries

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {
                name: [{"value": c.value, "count": c.count} for c in counts]
                for name, counts in self.facets.items()
            },
        }
        if self.notices:
            data["notices"] = self.notices
        if self.suggestions:
            data["suggestions"] = self.suggestions
        return data
