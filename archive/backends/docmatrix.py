"""The embedded engine's columns in memory: facet values and sort orders by document.

FTS5 answers "which documents match, and how well"; counting facet values over ten thousand
matches, filtering by facets and ordering by date are set operations, which numpy does in a
millisecond where SQL GROUP BYs take tens. The matrix is loaded from the index tables and
reloaded whenever the index generation (bumped by every index write) changes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import numpy as np

from archive.config import FacetSpec

# Counting a facet over the selected documents' own rows pays when they are fewer than one
# document in this many (or over the other documents' rows when those are); in between, one
# pass over every row (a mask lookup each) is cheaper.
FEW_DOCUMENTS = 4
FORMAT = 2  # of the saved copy: int32 columns, row offsets per document


@dataclass(frozen=True)
class FacetColumn:
    """One facet: a row per (document, value), ordered by document then position."""

    docs: np.ndarray  # int32 docid of each row
    values: np.ndarray  # int32 value number of each row
    names: list[str]  # value number -> value
    offsets: np.ndarray  # int32: the rows of docid d are offsets[d] .. offsets[d + 1]

    @classmethod
    def of_rows(
        cls, docs: np.ndarray, values: np.ndarray, names: list[str], size: int
    ) -> FacetColumn:
        """From rows in document order, for docids below ``size``."""
        offsets = np.searchsorted(docs, np.arange(size + 1)).astype(np.int32)
        return cls(docs.astype(np.int32), values.astype(np.int32), names, offsets)

    @cached_property
    def single_valued(self) -> bool:
        """At most one value per document (year, source)."""
        return self.docs.size < 2 or bool((self.docs[1:] != self.docs[:-1]).all())

    def rows_of(self, docids: np.ndarray) -> np.ndarray:
        """The row numbers of these documents, theirs in order."""
        starts, ends = self.offsets[docids], self.offsets[docids + 1]
        if self.single_valued:
            return starts[ends > starts]
        lengths = (ends - starts).astype(np.int64)
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        # row i of the result: its document's first row + its place among that document's rows
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return np.arange(total, dtype=np.int64) + shift

    @cached_property
    def numbers(self) -> dict[str, int]:
        """value -> value number."""
        return {name: number for number, name in enumerate(self.names)}

    def mask_for(self, chosen: Sequence[str], size: int) -> np.ndarray:
        """Documents holding any of the chosen values."""
        mask = np.zeros(size, dtype=bool)
        wanted = [self.numbers[v] for v in chosen if v in self.numbers]
        if wanted:
            mask[self.docs[np.isin(self.values, wanted)]] = True
        return mask

    @cached_property
    def name_ranks(self) -> np.ndarray | None:
        """Each value number's place in the order of the values' names; None when value
        numbers already are in that order (``load`` numbers them so: SQLite's BINARY order of
        UTF-8 is Python's order of code points)."""
        names = self.names
        if all(a < b for a, b in pairwise(names)):
            return None
        ranks = np.empty(len(names), dtype=np.int64)
        ranks[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        return ranks

    def counts(self, selected: np.ndarray, limit: int, by_value: bool) -> list[tuple[str, int]]:
        """(value, documents) over the selected documents: most frequent first (ties by
        value), or in value order."""
        counts = self._counts(selected)
        present = np.flatnonzero(counts)
        if not by_value and present.size > limit:  # the top ``limit`` counts, and all tied
            threshold = np.partition(counts[present], present.size - limit)[present.size - limit]
            present = present[counts[present] >= threshold]
        ranks = self.name_ranks
        by_name = present if ranks is None else ranks[present]
        if by_value:
            ordered = present[np.argsort(by_name, kind="stable")[:limit]]
        else:
            ordered = present[np.lexsort((by_name, -counts[present]))[:limit]]
        found = zip(ordered.tolist(), counts[ordered].tolist(), strict=True)
        return [(self.names[n], c) for n, c in found]

    @cached_property
    def totals(self) -> np.ndarray:
        """Documents per value over the whole archive."""
        return np.bincount(self.values, minlength=len(self.names))

    def _counts(self, selected: np.ndarray) -> np.ndarray:
        """Selected documents per value number: from the rows of the selected documents when
        they are few, from those of the others when they are most (subtracted from the
        totals), else from one pass over every row."""
        chosen = int(np.count_nonzero(selected))
        minlength = len(self.names)
        if chosen * FEW_DOCUMENTS < selected.size:
            rows = self.rows_of(np.flatnonzero(selected))
            return np.bincount(self.values[rows], minlength=minlength)
        if (selected.size - chosen) * FEW_DOCUMENTS < selected.size:
            rows = self.rows_of(np.flatnonzero(~selected))
            return self.totals - np.bincount(self.values[rows], minlength=minlength)
        return np.bincount(self.values[selected[self.docs]], minlength=minlength)

    def values_of_many(self, docids: Sequence[int]) -> list[list[str]]:
        """The values of each document, in their order."""
        keys = np.asarray(docids, dtype=np.int64)
        starts, ends = self.offsets[keys].tolist(), self.offsets[keys + 1].tolist()
        values, names = self.values, self.names
        return [[names[n] for n in values[a:b].tolist()] for a, b in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class DocMatrix:
    size: int  # max docid + 1
    present: np.ndarray  # bool: docid is indexed
    newest_rank: np.ndarray  # int32 rank of each docid by (date desc nulls last, id)
    oldest_rank: np.ndarray  # int32 rank by (date asc nulls last, id)
    facets: Mapping[str, FacetColumn]

    @classmethod
    def load(cls, conn: sqlite3.Connection, specs: Sequence[FacetSpec]) -> DocMatrix:
        """Read the index tables in orders SQLite serves from its indexes, each column as one
        group_concat text (a row tuple per value would cost ~100 bytes each: 300 MB at 300k
        articles), and sort nothing but the facet rows into document order. All in one read
        transaction: the columns of one snapshot."""
        if conn.in_transaction:
            return cls._load(conn, specs)
        conn.execute("BEGIN")
        try:
            return cls._load(conn, specs)
        finally:
            conn.execute("COMMIT")

    @classmethod
    def _load(cls, conn: sqlite3.Connection, specs: Sequence[FacetSpec]) -> DocMatrix:
        size = (conn.execute("SELECT max(docid) FROM idx_docs").fetchone()[0] or 0) + 1
        present = np.zeros(size, dtype=bool)
        unranked = np.iinfo(np.int32).max
        newest = np.full(size, unranked, dtype=np.int32)
        oldest = newest.copy()
        for ranks, order in ((newest, "DESC"), (oldest, "ASC")):
            docids = _column(
                conn, "docid", f"FROM idx_docs ORDER BY sort_date IS NULL, sort_date {order}, id"
            )
            ranks[docids] = np.arange(docids.size)
            present[docids] = True
        facets = {}
        for spec in specs:
            # Primary-key order, grouped by value: the value numbers are runs as long as each
            # value's row count, then numpy puts the rows in (docid, pos) order.
            named = conn.execute(
                "SELECT value, count(*) FROM idx_facets WHERE facet = ? GROUP BY value"
                " ORDER BY value",
                (spec.name,),
            ).fetchall()
            names = [name for name, _ in named]
            runs = np.array([count for _, count in named], dtype=np.int64)
            values = np.repeat(np.arange(len(names), dtype=np.int32), runs)
            rows = "FROM idx_facets WHERE facet = ? ORDER BY value, docid"
            docs = _column(conn, "docid", rows, (spec.name,))
            positions = _column(conn, "pos", rows, (spec.name,))
            order = np.lexsort((positions, docs))
            facets[spec.name] = FacetColumn.of_rows(docs[order], values[order], names, size)
        return cls(size, present, newest, oldest, facets)

    # --- a copy on disk ---------------------------------------------------------------------
    # Reading the index tables row by row costs about a second per 30k articles; the arrays,
    # saved once per index generation, open instantly (memory-mapped, so the server's worker
    # processes share their pages) for every CLI call and every new worker.

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically (a temporary folder renamed into place)."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".matrix-"))
        arrays = {
            "present": self.present,
            "newest_rank": self.newest_rank,
            "oldest_rank": self.oldest_rank,
        }
        for name, column in self.facets.items():
            arrays[f"facet.{name}.docs"] = column.docs
            arrays[f"facet.{name}.values"] = column.values
            arrays[f"facet.{name}.offsets"] = column.offsets
        for name, array in arrays.items():
            np.save(temporary / f"{name}.npy", array)
        names = {name: column.names for name, column in self.facets.items()}
        (temporary / "names.json").write_text(
            json.dumps(names, ensure_ascii=False), encoding="utf-8"
        )
        try:
            temporary.rename(folder)
        except OSError:  # another process saved the same generation first
            shutil.rmtree(temporary, ignore_errors=True)

    @classmethod
    def open(cls, folder: Path) -> DocMatrix | None:
        """The saved matrix, memory-mapped; None when it is missing or unreadable."""
        try:
            names = json.loads((folder / "names.json").read_text(encoding="utf-8"))

            def array(name: str) -> np.ndarray:
                # a plain ndarray over the mapped file: np.memmap indexes through Python
                return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))

            present = array("present")
            facets = {
                name: FacetColumn(
                    array(f"facet.{name}.docs"),
                    array(f"facet.{name}.values"),
                    values,
                    array(f"facet.{name}.offsets"),
                )
                for name, values in names.items()
            }
            return cls(present.size, present, array("newest_rank"), array("oldest_rank"), facets)
        except (OSError, ValueError, KeyError):
            return None

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


def _column(
    conn: sqlite3.Connection, column: str, rest: str, params: Sequence[object] = ()
) -> np.ndarray:
    """The integers ``SELECT {column} {rest}`` gives, in its order, through one group_concat
    text (the ordered query is a subquery of its own, so the aggregate reads its order)."""
    ((listed,),) = conn.execute(
        f"SELECT group_concat(n) FROM (SELECT {column} AS n {rest} LIMIT -1)", params
    ).fetchall()
    return listed_numbers(listed)


def listed_numbers(listed: str | None, dtype: type = np.int64) -> np.ndarray:
    """The numbers of a comma-separated text (SQLite's group_concat, None when it had no
    rows), parsed in C: one Python object for a column of any length."""
    if not listed:
        return np.zeros(0, dtype=dtype)
    return np.fromstring(listed, dtype=dtype, sep=",")
