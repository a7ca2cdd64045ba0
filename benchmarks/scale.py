"""Scale: the same figures at 31k, 100k and 300k articles, on both engines.

A generated corpus (``benchmarks.generate``) is imported in steps into one archive per engine,
as a newsroom's archive grows: the first 31,030 articles, then up to 100,000, then up to
300,000, each step a separate import (a fresh process) into the archive the earlier steps
built. After each step: the step's import rate, the size on disk, in-process query latency over
the query list, and (``--scale-http``) a short HTTP run with the server's memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.common import dir_bytes, log, table
from benchmarks.engines import bench_index_name, drop_es, es_alias_bytes, open_archive
from benchmarks.generate import default_out, generate, parts_between
from benchmarks.http_bench import run_http
from benchmarks.importing import run_step
from benchmarks.querying import Query, run_queries


def run_scale(
    sizes: list[int],
    backends: list[str],
    queries: list[Query],
    workers: int,
    reps: int,
    work: Path,
    seed: int,
    http: bool,
    http_duration: float,
    clients: int,
    keep_es: bool,
) -> dict[str, Any]:
    sizes = sorted(sizes)
    corpus = default_out(sizes[-1], seed)
    log(f"scale: corpus of {sizes[-1]:,} articles in {corpus} (generated once, then reused)")
    generate(sizes[-1], corpus, seed=seed, boundaries=sizes[:-1])
    results: dict[str, Any] = {"sizes": sizes, "corpus": str(corpus), "seed": seed, "backends": {}}
    for backend in backends:
        data_dir = work / f"scale-{backend}" / "data"
        alias = bench_index_name("bench-scale") if backend == "elasticsearch" else None
        steps = []
        previous = 0
        try:
            for size in sizes:
                files = parts_between(corpus, previous, size)
                log(f"scale[{backend}]: importing articles {previous:,}-{size:,}")
                imported = run_step(
                    "product",
                    files,
                    data_dir=data_dir,
                    backend=backend,
                    workers=workers,
                    es_index=alias,
                )
                step: dict[str, Any] = {
                    "size": size,
                    "step_articles": imported["articles"],
                    "import_seconds": imported["seconds"],
                    "import_rate": imported.get("rate"),
                    "import_cpu_seconds": imported["cpu_seconds"],
                    "store_bytes": dir_bytes(data_dir, "archive.sqlite*"),
                }
                if alias:
                    step["es_bytes"] = es_alias_bytes(alias)
                archive = open_archive(data_dir, backend, alias)
                try:
                    log(f"scale[{backend}]: {len(queries)} queries x{reps} at {size:,}")
                    latency = run_queries(archive, queries, reps)
                finally:
                    archive.close()
                step["query"] = {
                    "overall": latency["overall"],
                    "by_class": latency["by_class"],
                    "slowest": latency["slowest"][:3],
                    "zero_hits": len(latency["zero_hits"]),
                }
                if http:
                    served = run_http(
                        data_dir,
                        backend,
                        alias,
                        reps=1,
                        clients=clients,
                        duration=http_duration,
                        html_reps=1,
                    )
                    step["http"] = {
                        "sequential_api": served["sequential_api"]["latency_ms"],
                        "concurrent_api": {
                            k: served["concurrent_api"][k]
                            for k in ("latency_ms", "throughput_rps", "errors", "requests")
                        },
                        "memory": served["memory"]["after_load"],
                    }
                steps.append(step)
                previous = size
        finally:
            if alias and not keep_es:
                drop_es(alias)
        results["backends"][backend] = {"steps": steps, "growth": growth(steps)}
    return results


def growth(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each figure relative to the first size (1.0 = no change), beside the size ratio."""
    if not steps:
        return []
    first = steps[0]

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    rows = []
    for step in steps:
        rows.append(
            {
                "size": step["size"],
                "size_x": ratio(step["size"], first["size"]),
                "import_rate_x": ratio(step["import_rate"], first["import_rate"]),
                "store_bytes_x": ratio(step["store_bytes"], first["store_bytes"]),
                "bytes_per_article": round(step["store_bytes"] / step["size"]),
                "es_bytes_x": ratio(step.get("es_bytes"), first.get("es_bytes")),
                "query_p50_x": ratio(
                    step["query"]["overall"]["p50"], first["query"]["overall"]["p50"]
                ),
                "query_p95_x": ratio(
                    step["query"]["overall"]["p95"], first["query"]["overall"]["p95"]
                ),
            }
        )
    return rows


def scale_table(results: dict[str, Any]) -> str:
    rows = []
    for backend, data in results["backends"].items():
        for step in data["steps"]:
            http = step.get("http", {})
            memory = http.get("memory", {})
            rows.append(
                [
                    backend,
                    step["size"],
                    step["import_rate"],
                    step["store_bytes"] / 2**20,
                    step["es_bytes"] / 2**20 if "es_bytes" in step else None,
                    step["query"]["overall"]["p50"],
                    step["query"]["overall"]["p95"],
                    http.get("concurrent_api", {}).get("latency_ms", {}).get("p95"),
                    memory.get("VmRSS_mb"),
                    memory.get("Pss_mb"),
                ]
            )
    return table(
        [
            "engine",
            "articles",
            "import art/s",
            "sqlite MB",
            "es MB",
            "q p50 ms",
            "q p95 ms",
            "http8 p95",
            "serve RSS MB",
            "serve PSS MB",
        ],
        rows,
    )
