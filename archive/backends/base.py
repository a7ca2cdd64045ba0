"""The search-backend interface both engines implement, and the document they index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from archive.analysis import Terms
from archive.models import SearchRequest, SearchResult
from archive.query import ParsedQuery


class BackendUnavailable(RuntimeError):
    """The engine cannot answer now (down, timing out). The web layer turns this into a 503."""


@dataclass(frozen=True)
class IndexDoc:
    """An article as engines index it: display fields, facet values and the analyzer's terms."""

    id: str
    seq: int
    rev: int
    title: str
    content: str
    date: str | None
    year: int | None
    source: str
    url: str
    author: str
    facets: dict[str, tuple[str | int, ...]]  # facet name -> canonical values
    title_terms: Terms
    body_terms: Terms
    # When this document replaces a revision the index holds: that revision's title and
    # content (an index that keeps no copy of its terms recomputes them to remove them).
    replaces: tuple[str, str] | None = None


@dataclass
class IndexReport:
    indexed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (article id, reason)


class SearchBackend(Protocol):
    name: str
    # True when index writes join the store's open transaction (the embedded engine): then a
    # crash leaves store and index consistent by construction.
    shares_store_transaction: bool

    def index(self, docs: Sequence[IndexDoc]) -> IndexReport:
        """Add or replace these documents."""
        ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def refresh(self) -> None:
        """Make everything indexed so far visible to searches."""
        ...

    def search(self, request: SearchRequest, parsed: ParsedQuery) -> SearchResult:
        """Hits (with snippets), total and facet counts over the whole result set.

        Within one facet the selected values are OR-ed, facets are AND-ed, and each facet's
        counts ignore that facet's own selection (multi-select)."""
        ...

    def rebuild(self, batches: Iterable[Sequence[IndexDoc]]) -> IndexReport:
        """Build a fresh index from these documents and swap it in; readers never see a gap."""
        ...

    def revisions(self) -> dict[str, int]:
        """id -> rev of every indexed document (for ``archive check``)."""
        ...

    def suggest(self, words: Sequence[str], limit: int = 3) -> list[str]:
        """Indexed words close to these (for "did you mean")."""
        ...

    def health(self) -> dict[str, object]: ...

    def close(self) -> None: ...
