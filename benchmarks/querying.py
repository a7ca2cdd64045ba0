"""In-process query latency: ``Archive.search`` as the web layer calls it (20 hits with
snippets, every configured facet: person, organization, year, source), warm.

One warm-up pass runs every query once; then every query runs ``reps`` times, the list in a
fixed shuffled order per repetition (seeded), so no query always follows the same one.
"""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import QUERIES_FILE, ROOT, archive_command, summarize


@dataclass(frozen=True)
class Query:
    q: str
    cls: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"

    @property
    def label(self) -> str:
        parts = [self.q or "(all)"]
        parts += [f"{name}={'|'.join(values)}" for name, values in self.filters.items()]
        if self.sort != "relevance":
            parts.append(f"sort={self.sort}")
        return " ".join(parts)

    def params(self) -> list[tuple[str, str]]:
        """The query string of the web page and the JSON API."""
        pairs = [("q", self.q)] if self.q else []
        pairs += [(name, value) for name, values in self.filters.items() for value in values]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        return pairs


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        Query(
            q=item.get("q", ""),
            cls=item["class"],
            filters={k: tuple(v) for k, v in item.get("filters", {}).items()},
            sort=item.get("sort", "relevance"),
        )
        for item in data
    ]


def run_queries(
    archive: Any, queries: Sequence[Query], reps: int, seed: int = 7, limit: int = 20
) -> dict[str, Any]:
    """Latency of ``archive.search`` over the list; returns overall, per-class and per-query
    figures (milliseconds) and each query's hit count.

    Beside wall time, the CPU time of the searching thread (``cpu``): on a shared, busy
    machine it stays near what the search costs while wall time also counts waiting for a
    core. (For Elasticsearch most of the work is in the node's JVM, not in this thread.)"""

    def once(query: Query) -> tuple[float, float, Any]:
        cpu = time.thread_time()
        started = time.perf_counter()
        result = archive.search(query.q, dict(query.filters), sort=query.sort, limit=limit)
        wall = (time.perf_counter() - started) * 1000
        return wall, (time.thread_time() - cpu) * 1000, result

    totals: dict[int, int] = {}
    for number, query in enumerate(queries):  # warm-up pass
        totals[number] = once(query)[2].total
    samples: dict[int, list[float]] = {number: [] for number in range(len(queries))}
    cpu: dict[int, list[float]] = {number: [] for number in range(len(queries))}
    order = list(range(len(queries)))
    rng = random.Random(seed)
    for _ in range(reps):
        rng.shuffle(order)
        for number in order:
            wall, used, _ = once(queries[number])
            samples[number].append(wall)
            cpu[number].append(used)
    per_query = [
        {
            "q": query.label,
            "class": query.cls,
            "total": totals[number],
            **summarize(samples[number]),
            "cpu_p50": summarize(cpu[number])["p50"],
        }
        for number, query in enumerate(queries)
    ]
    classes: dict[str, list[float]] = {}
    classes_cpu: dict[str, list[float]] = {}
    for number, query in enumerate(queries):
        classes.setdefault(query.cls, []).extend(samples[number])
        classes_cpu.setdefault(query.cls, []).extend(cpu[number])
    return {
        "queries": len(queries),
        "reps": reps,
        "overall": summarize(v for values in samples.values() for v in values),
        "overall_cpu": summarize(v for values in cpu.values() for v in values),
        # misspellings run "did you mean", a different code path: the rest on its own
        "overall_without_typo": summarize(
            v for number, values in samples.items() if queries[number].cls != "typo" for v in values
        ),
        "by_class": {cls: summarize(values) for cls, values in classes.items()},
        "by_class_cpu": {cls: summarize(values) for cls, values in classes_cpu.items()},
        "per_query": per_query,
        "zero_hits": [q["q"] for q in per_query if q["total"] == 0],
        "slowest": sorted(per_query, key=lambda q: -q["p50"])[:8],
    }


def cli_latency(
    data_dir: Path, queries: Sequence[Query], backend: str, env: dict[str, str], count: int = 5
) -> dict[str, Any]:
    """``archive search --json`` as a reader's script would run it: process start-up,
    imports and model-free search, per query (milliseconds)."""
    samples = []
    for query in list(queries)[:count]:
        command = archive_command(data_dir, backend, "search", query.q, "--json")
        for name, values in query.filters.items():
            for value in values:
                command += (
                    [f"--{name}", value]
                    if name in ("person", "organization", "year")
                    else ["--filter", f"{name}={value}"]
                )
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)
