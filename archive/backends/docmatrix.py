"""The embedded engine's columns in memory: facet values and sort orders by document.

FTS5 answers "which documents match, and how well"; counting facet values over ten thousand
matches, filtering by facets and ordering by date are set operations, which numpy does in a
millisecond where SQL GROUP BYs take tens. The matrix is loaded from the index tables and
reloaded whenever the index generation (bumped by every index write) changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from archive.config import FacetSpec


@dataclass(frozen=True)
class FacetColumn:
    """One facet: a row per (document, value), ordered by document then position."""

    docs: np.ndarray  # int64 docid of each row
    values: np.ndarray  # int32 value number of each row
    names: list[str]  # value number -> value
    numbers: dict[str, int]  # value -> value number

    def mask_for(self, chosen: Sequence[str], size: int) -> np.ndarray:
        """Documents holding any of the chosen values."""
        mask = np.zeros(size, dtype=bool)
        wanted = [self.numbers[v] for v in chosen if v in self.numbers]
        if wanted:
            mask[self.docs[np.isin(self.values, wanted)]] = True
        return mask

    def counts(self, selected: np.ndarray, limit: int, by_value: bool) -> list[tuple[str, int]]:
        """(value, documents) over the selected documents: most frequent first (ties by
        value), or in value order."""
        counts = np.bincount(self.values[selected[self.docs]], minlength=len(self.names))
        present = np.flatnonzero(counts)
        if by_value:
            ordered = sorted(present, key=lambda n: self.names[n])[:limit]
        else:
            if present.size > limit:  # keep the top ``limit`` counts and everything tied
                threshold = np.partition(counts[present], present.size - limit)[
                    present.size - limit
                ]
                present = present[counts[present] >= threshold]
            ordered = sorted(present, key=lambda n: (-counts[n], self.names[n]))[:limit]
        return [(self.names[n], int(counts[n])) for n in ordered]

    def values_of(self, docid: int) -> list[str]:
        start, end = np.searchsorted(self.docs, [docid, docid + 1])
        return [self.names[n] for n in self.values[start:end]]


@dataclass(frozen=True)
class DocMatrix:
    size: int  # max docid + 1
    present: np.ndarray  # bool: docid is indexed
    newest_rank: np.ndarray  # int64 rank of each docid by (date desc nulls last, id)
    oldest_rank: np.ndarray  # int64 rank by (date asc nulls last, id)
    facets: Mapping[str, FacetColumn]

    @classmethod
    def load(cls, conn: sqlite3.Connection, specs: Sequence[FacetSpec]) -> DocMatrix:
        rows = conn.execute("SELECT docid, id, sort_date FROM idx_docs").fetchall()
        size = max((row[0] for row in rows), default=0) + 1
        present = np.zeros(size, dtype=bool)
        newest = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        oldest = newest.copy()
        if rows:
            docids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            present[docids] = True
            by_id = sorted(range(len(rows)), key=lambda i: rows[i][1])
            dated = [i for i in by_id if rows[i][2]]
            undated = [i for i in by_id if not rows[i][2]]
            newest_order = sorted(dated, key=lambda i: rows[i][2], reverse=True) + undated
            oldest_order = sorted(dated, key=lambda i: rows[i][2]) + undated
            newest[docids[newest_order]] = np.arange(len(rows))
            oldest[docids[oldest_order]] = np.arange(len(rows))
        facets = {}
        for spec in specs:
            facet_rows = conn.execute(
                "SELECT docid, value FROM idx_facets INDEXED BY idx_facets_by_doc"
                " WHERE facet = ? ORDER BY docid, pos",
                (spec.name,),
            ).fetchall()
            names = sorted({value for _, value in facet_rows})
            numbers = {name: number for number, name in enumerate(names)}
            facets[spec.name] = FacetColumn(
                docs=np.fromiter((r[0] for r in facet_rows), dtype=np.int64, count=len(facet_rows)),
                values=np.fromiter(
                    (numbers[r[1]] for r in facet_rows), dtype=np.int32, count=len(facet_rows)
                ),
                names=names,
                numbers=numbers,
            )
        return cls(size, present, newest, oldest, facets)

    def mask(self, docids: Sequence[int] | np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        ids = np.asarray(docids, dtype=np.int64)
        mask[ids[ids < self.size]] = True
        return mask & self.present

    def filter_masks(self, filters: Mapping[str, Sequence[str]]) -> dict[str, np.ndarray]:
        return {
            name: self.facets[name].mask_for(values, self.size)
            for name, values in filters.items()
            if name in self.facets and values
        }

    def first_by_date(
        self, selected: np.ndarray, newest: bool, start: int, count: int
    ) -> list[int]:
        """Docids ``start .. start+count`` of the selected documents in date order."""
        docids = np.flatnonzero(selected)
        if docids.size == 0 or count <= 0:
            return []
        ranks = (self.newest_rank if newest else self.oldest_rank)[docids]
        end = min(start + count, docids.size)
        if start >= end:
            return []
        top = np.argpartition(ranks, end - 1)[:end] if end < docids.size else np.arange(end)
        top = top[np.argsort(ranks[top])]
        return [int(d) for d in docids[top[start:end]]]
