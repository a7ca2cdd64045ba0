"""CPU per article by stage of an embedded import: in the importing process and in its workers.

    python -m benchmarks.import_stages                      # all of SaudiNewsNet
    python -m benchmarks.import_stages --limit 5000 --no-extraction

The import runs as shipped (``Archive.import_paths``, workers = cores); the functions that make
up its stages are wrapped with a thread-CPU-time counter (``time.thread_time``), so the figures
hold on a busy machine better than wall time, and unlike a profiler the wrapping costs nothing
measurable (a few calls per article). Workers add up their own counters and leave them in a
folder the parent reads at the end. What the main thread of the importing process does not
spend in a stage (reading and parsing files, record ids) and what its other threads spend
(pickling tasks, unpickling outcomes) are shown as differences of the totals.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import SAUDINEWSNET, corpus_files, load_raw, table, write_subset_zip

_COUNTERS: dict[str, float] = {}
_REPORTS: Path | None = None  # where workers leave their counters


def _counted(owner: Any, name: str, stage: str) -> None:
    """Replace ``owner.name`` by a wrapper adding its thread CPU time to ``stage``."""
    function: Callable[..., Any] = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            _COUNTERS[stage] = _COUNTERS.get(stage, 0.0) + time.thread_time() - started

    setattr(owner, name, wrapper)


def _instrument(extraction: bool) -> None:
    import archive.backends.sqlite_fts as sqlite_fts
    import archive.ingest.pipeline as pipeline
    import archive.models as models
    import archive.store as store
    from benchmarks.importing import _NoEntities

    if not extraction:
        pipeline.default_extractor = _NoEntities  # type: ignore[assignment]
    _counted(pipeline, "extract_many", "worker: entity extraction")
    _counted(pipeline, "to_article", "worker: record mapping (to_article)")
    _counted(models.Article, "fingerprint", "worker: fingerprint")
    _counted(pipeline, "terms", "worker: index terms (analysis.terms)")
    _counted(pipeline, "article_facets", "worker: facet values")
    _counted(pipeline.Importer, "run", "parent main thread")
    _counted(pipeline.Importer, "_prepare", "parent: fingerprint lookup, submit")
    _counted(pipeline.Importer, "_commit", "parent: wait, report, write")
    _counted(pipeline.Importer, "_write", "parent: write transaction")
    _counted(store.Store, "upsert_many", "parent: store upsert + entities")
    _counted(sqlite_fts.SqliteBackend, "_write", "parent: index (FTS5, docs, facets)")
    global _chunk
    _chunk = pipeline._prepare_chunk
    pipeline._prepare_chunk = _counted_chunk  # module level: the pool pickles it by name


_chunk: Callable[[list[Any]], list[Any]] | None = None


def _counted_chunk(tasks: list[Any]) -> list[Any]:
    """A worker's chunk, counted; the worker's counters so far are left for the parent."""
    assert _chunk is not None and _REPORTS is not None
    started = time.thread_time()
    outcomes = _chunk(tasks)
    _COUNTERS["worker: chunks"] = _COUNTERS.get("worker: chunks", 0.0) + (
        time.thread_time() - started
    )
    own = resource.getrusage(resource.RUSAGE_SELF)
    _COUNTERS["worker: process"] = own.ru_utime + own.ru_stime
    (_REPORTS / f"{os.getpid()}.json").write_text(json.dumps(_COUNTERS))
    return outcomes


def measure(files: list[Path], articles: int, workers: int, extraction: bool) -> dict[str, Any]:
    global _REPORTS
    from benchmarks.engines import open_archive

    _instrument(extraction)
    work = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    _REPORTS = work / "workers"
    _REPORTS.mkdir()
    try:
        archive = open_archive(work / "data")
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = archive.import_paths(files, workers=workers)
        seconds = time.perf_counter() - started
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        archive.close()
        parent_stages = dict(_COUNTERS)
        worker_stages: dict[str, float] = {}
        for path in _REPORTS.glob("*.json"):
            for stage, value in json.loads(path.read_text()).items():
                if stage.startswith("worker"):
                    worker_stages[stage] = worker_stages.get(stage, 0.0) + value
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stages = {k: v for k, v in parent_stages.items() if k.startswith("parent")}
    process = own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime
    main = stages.get("parent main thread", 0.0)
    stages["parent: reading, record ids, rest"] = (
        main
        - stages.get("parent: wait, report, write", 0.0)
        - stages.get("parent: fingerprint lookup, submit", 0.0)
    )
    stages["parent: other threads (pickling, pool)"] = process - main
    stages["parent process"] = process
    stages.update(worker_stages)
    if "worker: process" in worker_stages:
        stages["worker: outside chunks (unpickling, pickling, pool)"] = worker_stages[
            "worker: process"
        ] - worker_stages.get("worker: chunks", 0.0)
    return {
        "articles": articles,
        "stored": report.imported + report.updated,
        "workers": workers,
        "extraction": extraction,
        "seconds": seconds,
        "loadavg": os.getloadavg(),
        "ms_per_article": {k: round(1000 * v / articles, 4) for k, v in stages.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU per article by import stage")
    parser.add_argument("--data", type=Path, default=SAUDINEWSNET)
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-extraction", action="store_true")
    parser.add_argument("--out", type=Path, help="also write the result here (JSON)")
    args = parser.parse_args()
    files = corpus_files(args.data)
    work = Path(tempfile.mkdtemp(prefix="bench-stages-corpus-"))
    try:
        if args.limit:
            records = load_raw(files, args.limit)
            files, articles = [write_subset_zip(records, work / "subset.zip")], len(records)
        else:
            articles = sum(1 for _ in load_raw(files))
        result = measure(files, articles, args.workers, not args.no_extraction)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        table(["stage", "CPU ms/article"], sorted(result["ms_per_article"].items())),
        file=sys.stderr,
    )
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
