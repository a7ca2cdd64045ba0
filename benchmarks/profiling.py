"""Where the time goes: the import and the slowest queries under cProfile and pyinstrument.

    python -m benchmarks.profiling import --articles 3000 --workers 1 --profiler cprofile
    python -m benchmarks.profiling queries --data-dir DIR --top 8

Each import profile runs in a fresh process (cold caches, as a real import starts) and writes
its report next to the results (``profile-*.txt``); the JSON printed on
the last line holds the stage table: cumulative seconds of the functions that make up an
import (or a search), so runs can be compared. cProfile's per-call overhead inflates code made
of many small calls (analysis, tagging) more than code that waits in C (SQLite): read the
pyinstrument tree (a sampling profiler, about 1 ms resolution) beside it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import SAUDINEWSNET, corpus_files, load_raw, write_subset_zip

# (stage, file suffix, function): cumulative time of these functions is the stage's cost.
IMPORT_STAGES = [
    ("import (total)", "archive/ingest/pipeline.py", "run"),
    ("read files (zip + JSON)", "archive/ingest/readers.py", "read_file"),
    ("record mapping (to_article)", "archive/ingest/records.py", "to_article"),
    ("  of which date parsing", "archive/dates.py", "parse_date"),
    ("fingerprint", "archive/models.py", "fingerprint"),
    ("store: fingerprints lookup", "archive/store.py", "fingerprints"),
    ("  of which parsing records (_batches)", "archive/ingest/pipeline.py", "_batches"),
    ("prepare batch (dedupe, fingerprints)", "archive/ingest/pipeline.py", "_prepare"),
    ("commit batch (wait + store + index)", "archive/ingest/pipeline.py", "_commit"),
    ("  waiting for analysis workers", "concurrent/futures/_base.py", "result"),
    ("  waiting for analysis workers (Pool.map)", "multiprocessing/pool.py", "map"),
    ("analyze (in-process)", "archive/ingest/pipeline.py", "analyze"),
    ("  entity extraction", "archive/entities/extractor.py", "extract"),
    ("    tagger: word records", "archive/entities/model.py", "record"),
    ("    tagger: word types (type_ids)", "archive/entities/model.py", "type_ids"),
    ("    tagger: tag (Viterbi)", "archive/entities/model.py", "tag"),
    ("    name resolution", "archive/entities/canonical.py", "resolve"),
    ("  index terms (analysis.terms)", "archive/analysis.py", "terms"),
    ("    new word forms (_analyze)", "archive/analysis.py", "_analyze"),
    ("index_doc (facets, aliases)", "archive/indexing.py", "index_doc"),
    ("store: upsert articles + entities", "archive/store.py", "upsert"),
    ("sqlite index: _write (FTS5 + facets)", "archive/backends/sqlite_fts.py", "_write"),
    ("es: bulk", "archive/backends/elasticsearch.py", "_bulk"),
    ("commit", "archive/store.py", "transaction"),
]
QUERY_STAGES = [
    ("Archive.search (total)", "archive/api.py", "search"),
    ("parse", "archive/query.py", "parse"),
    ("backend.search", "archive/backends/sqlite_fts.py", "search"),
    ("  FTS5 match + bm25 of every match", "archive/backends/sqlite_fts.py", "_matches"),
    ("  doc matrix load (first search, reloads)", "archive/backends/docmatrix.py", "load"),
    ("  facet counts (doc matrix)", "archive/backends/docmatrix.py", "counts"),
    ("  ranking (bm25, top 20)", "archive/backends/sqlite_fts.py", "_by_relevance"),
    ("  date order (newest/oldest, browse)", "archive/backends/sqlite_fts.py", "_by_date"),
    ("  facet counts (4 facets)", "archive/backends/sqlite_fts.py", "_facet"),
    ("  hits: rows + facet values + snippets", "archive/backends/sqlite_fts.py", "_hits"),
    ("    get_many (article rows + entities)", "archive/store.py", "get_many"),
    ("    snippets", "archive/highlight.py", "snippet"),
    ("es: request", "archive/backends/elasticsearch.py", "_page"),
    ("es: hits + snippets", "archive/backends/elasticsearch.py", "_hit"),
    ("did-you-mean (suggest)", "archive/backends/sqlite_fts.py", "suggest"),
]


def stage_table(stats: pstats.Stats, stages: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    raw = stats.stats  # type: ignore[attr-defined]
    rows = []
    for label, suffix, function in stages:
        cumulative = calls = 0.0
        for (filename, _, name), (_, ncalls, _, cum, _) in raw.items():
            if name == function and filename.replace("\\", "/").endswith(suffix):
                cumulative += cum
                calls += ncalls
        if calls:
            rows.append({"stage": label, "seconds": round(cumulative, 3), "calls": int(calls)})
    return rows


def top_functions(stats: pstats.Stats, key: str, count: int = 25) -> list[dict[str, Any]]:
    raw = stats.stats  # type: ignore[attr-defined]
    index = {"tottime": 2, "cumtime": 3}[key]
    ranked = sorted(raw.items(), key=lambda item: -item[1][index])[:count]
    return [
        {
            "function": f"{Path(f).name}:{line}({name})",
            "calls": v[1],
            "tottime": round(v[2], 3),
            "cumtime": round(v[3], 3),
        }
        for (f, line, name), v in ranked
    ]


def _pstats_text(stats: pstats.Stats, key: str, count: int) -> str:
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(count)
    return out.getvalue()


def profile_import(
    articles: int, workers: int, profiler: str, out_dir: Path, tag: str
) -> dict[str, Any]:
    from benchmarks.engines import open_archive

    work = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    try:
        records = load_raw(corpus_files(SAUDINEWSNET), articles)
        subset = write_subset_zip(records, work / f"first-{len(records)}.zip")
        archive = open_archive(work / "data")
        name = f"profile-import-w{workers}-{profiler}-{tag}"
        result: dict[str, Any] = {
            "articles": len(records),
            "workers": workers,
            "profiler": profiler,
        }
        started = time.perf_counter()
        if profiler == "pyinstrument":
            from pyinstrument import Profiler

            sampler = Profiler(interval=0.001)
            sampler.start()
            archive.import_paths([subset], workers=workers)
            sampler.stop()
            result["seconds"] = time.perf_counter() - started
            text = sampler.output_text(unicode=True, color=False, show_all=False)
            (out_dir / f"{name}.txt").write_text(text, encoding="utf-8")
        else:
            profile = cProfile.Profile()
            profile.enable()
            archive.import_paths([subset], workers=workers)
            profile.disable()
            result["seconds"] = time.perf_counter() - started
            stats = pstats.Stats(profile)
            (out_dir / f"{name}.txt").write_text(
                _pstats_text(stats, "cumulative", 60) + _pstats_text(stats, "tottime", 40),
                encoding="utf-8",
            )
            result["stages"] = stage_table(stats, IMPORT_STAGES)
            result["top_tottime"] = top_functions(stats, "tottime")
        archive.close()
        result["rate"] = len(records) / result["seconds"]
        result["report"] = f"{name}.txt"
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def profile_queries(
    data_dir: Path, backend: str, es_index: str | None, top: int, reps: int, out_dir: Path, tag: str
) -> dict[str, Any]:
    """Profile the ``top`` slowest queries of the list (by a first timed pass, warm)."""
    from benchmarks.engines import open_archive
    from benchmarks.querying import load_queries

    archive = open_archive(data_dir, backend, es_index)
    queries = load_queries()
    timings = []
    for query in queries:  # warm-up, then one timed pass to find the slowest
        archive.search(query.q, dict(query.filters), sort=query.sort)
    for query in queries:
        started = time.perf_counter()
        archive.search(query.q, dict(query.filters), sort=query.sort)
        timings.append(((time.perf_counter() - started) * 1000, query))
    slowest = [q for _, q in sorted(timings, key=lambda t: -t[0])[:top]]
    per_query = []
    total = pstats.Stats()
    for query in slowest:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(reps):
            archive.search(query.q, dict(query.filters), sort=query.sort)
        profile.disable()
        stats = pstats.Stats(profile)
        total.add(profile)
        stages = stage_table(stats, QUERY_STAGES)
        per_query.append(
            {
                "q": query.label,
                "class": query.cls,
                "stages_ms_per_search": {
                    s["stage"]: round(s["seconds"] * 1000 / reps, 2) for s in stages
                },
            }
        )
    archive.close()
    name = f"profile-queries-{backend}-{tag}"
    (out_dir / f"{name}.txt").write_text(
        _pstats_text(total, "cumulative", 50) + _pstats_text(total, "tottime", 30), encoding="utf-8"
    )
    return {
        "backend": backend,
        "reps": reps,
        "unprofiled_ms": {
            q.label: round(ms, 2) for ms, q in sorted(timings, key=lambda t: -t[0])[:top]
        },
        "per_query": per_query,
        "report": f"{name}.txt",
        "top_tottime": top_functions(total, "tottime", 20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="profile the import or the slowest queries")
    parser.add_argument("what", choices=["import", "queries"])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profiler", choices=["cprofile", "pyinstrument"], default="cprofile")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--es-index")
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tag", default=time.strftime("%Y%m%dT%H%M%S"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.what == "import":
        result = profile_import(args.articles, args.workers, args.profiler, args.out, args.tag)
    else:
        result = profile_queries(
            args.data_dir, args.backend, args.es_index, args.top, args.reps, args.out, args.tag
        )
    print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
