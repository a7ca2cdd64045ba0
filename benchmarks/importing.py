"""Import benchmarks: the floors, the product's import (either engine) and a raw bulk load.

Every measurement runs in a fresh Python process (``python -m benchmarks.importing STEP ...``
prints one JSON object), so no run inherits another's warm caches, and the parent can read each
child's CPU time and peak memory. The parent (``bench.py``) interleaves the steps run by run.

Steps:
  read        read and parse the input files (zip + JSON), nothing else: the I/O floor
  fts5        read + parse + a bare FTS5 insert of raw title and content into a plain table
              (default unicode61 tokenizer, batches of 500 in transactions): the floor the
              issue's "bare pipeline" and sqlite-utils stand for
  records     the product's own readers and record mapping (dates, ids, fingerprints), with no
              analysis: what the product spends before analysis
  product     Archive.import_paths into a fresh data folder (either engine)
  noextract   the same import with an entity extractor that finds nothing: what the import
              costs besides entity extraction (reading, mapping, analysis, store, index)
  es-raw      read + parse + helpers.streaming_bulk of the plain documents into a fresh index
              with stock text fields (no project analysis)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, cpu_seconds, dir_bytes, iter_raw

BATCH = 500


def _batches(items: Iterator[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def step_read(files: list[Path]) -> dict[str, Any]:
    started = time.perf_counter()
    count = sum(1 for _ in iter_raw(files))
    return {"seconds": time.perf_counter() - started, "articles": count}


def step_fts5(files: list[Path], db: Path) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(title, content)")
    count = 0
    insert_seconds = 0.0
    for batch in _batches(iter_raw(files)):
        rows = [(r.get("title") or "", r.get("content") or "") for r in batch]
        t = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO docs (title, content) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
        insert_seconds += time.perf_counter() - t
        count += len(rows)
    conn.close()
    seconds = time.perf_counter() - started
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return {
        "seconds": seconds,
        "insert_seconds": insert_seconds,
        "articles": count,
        "store_bytes": size,
    }


def step_records(files: list[Path]) -> dict[str, Any]:
    from archive.config import load_settings
    from archive.ingest.readers import RawRecord, iter_files, read_file
    from archive.ingest.records import RecordError, to_article

    max_chars = load_settings({}).max_article_chars
    started = time.perf_counter()
    count = rejected = 0
    for path in iter_files(files):
        if not isinstance(path, Path):
            continue
        for item in read_file(path):
            if not isinstance(item, RawRecord):
                rejected += 1
                continue
            try:
                article, _ = to_article(item, max_chars)
                article.fingerprint()
                count += 1
            except RecordError:
                rejected += 1
    return {"seconds": time.perf_counter() - started, "articles": count, "rejected": rejected}


class _NoEntities:
    """An extractor that finds nothing, for the ``noextract`` step."""

    def extract(self, text: str) -> Any:
        from archive.entities import Extraction

        return Extraction([])


def _own_and_workers_cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the import's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def step_product(
    files: list[Path],
    data_dir: Path,
    backend: str,
    workers: int,
    es_index: str | None,
    extraction: bool = True,
) -> dict[str, Any]:
    from benchmarks.engines import es_alias_bytes, es_count, open_archive

    if not extraction:
        import archive.ingest.pipeline

        archive.ingest.pipeline.default_extractor = _NoEntities  # type: ignore[assignment]
    cpu_before = cpu_seconds()
    own_before, workers_before = _own_and_workers_cpu()
    started = time.perf_counter()
    archive = open_archive(data_dir, backend, es_index)
    opened = time.perf_counter()
    report = archive.import_paths(files, workers=workers)
    seconds = time.perf_counter() - opened
    cpu = cpu_seconds() - cpu_before
    own_after, workers_after = _own_and_workers_cpu()
    archive.close()
    result: dict[str, Any] = {
        "seconds": seconds,
        "open_seconds": opened - started,
        "articles": report.imported + report.updated,
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "not_indexed": report.not_indexed,
        "warnings": len(report.warnings),
        "cpu_seconds": cpu,
        # the importing process (reads, looks up, writes store and index) and its workers
        # (map, analyze, extract), reaped when the import ends
        "parent_cpu_seconds": own_after - own_before,
        "workers_cpu_seconds": workers_after - workers_before,
        "workers": workers,
        "extraction": extraction,
        "store_bytes": dir_bytes(data_dir, "archive.sqlite*"),
    }
    if backend == "elasticsearch":
        alias = archive.settings.es_index
        result["es_index"] = alias
        result["es_documents"] = es_count(alias)
        result["es_bytes"] = es_alias_bytes(alias)
    return result


def step_es_raw(files: list[Path], index: str) -> dict[str, Any]:
    """The floor of an Elasticsearch load: the same documents, stock analysis, same bulk size,
    same index settings as the product's template (1 shard, no replica, 1 s refresh)."""
    from elasticsearch import helpers

    from benchmarks.engines import es_client

    text = {"type": "text"}
    with es_client() as client:
        started = time.perf_counter()
        client.indices.create(
            index=index,
            settings={"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"},
            mappings={
                "properties": {
                    "title": text,
                    "content": text,
                    "author": text,
                    "source": {"type": "keyword"},
                    "url": {"type": "keyword"},
                    "date": {
                        "type": "date",
                        "format": "yyyy-MM-dd HH:mm:ss||strict_date_optional_time",
                    },
                }
            },
        )

        def actions() -> Iterator[dict[str, Any]]:
            for number, record in enumerate(iter_raw(files)):
                source = {k: record.get(k) for k in ("title", "content", "author", "source", "url")}
                source["date"] = record.get("date_extracted") or record.get("date") or None
                yield {"_index": index, "_id": str(number), "_source": source}

        count = failed = 0
        for ok, _ in helpers.streaming_bulk(
            client, actions(), chunk_size=BATCH, raise_on_error=False, max_retries=5
        ):
            count += ok
            failed += not ok
        client.indices.refresh(index=index)
        seconds = time.perf_counter() - started
        documents = int(client.count(index=index)["count"])
        stats = client.indices.stats(index=index, metric="store")
        size = int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
        client.options(ignore_status=404).indices.delete(index=index)
    return {
        "seconds": seconds,
        "articles": count,
        "failed": failed,
        "es_documents": documents,
        "es_bytes": size,
    }


# --- running a step in a fresh process -----------------------------------------------------------


def run_step(step: str, files: list[Path], **options: Any) -> dict[str, Any]:
    """Run one step in a child process; add its wall time as seen from outside, its CPU time
    and its peak RSS (the child's own, and the largest of its worker processes)."""
    command = [PYTHON, "-m", "benchmarks.importing", step]
    for key, value in options.items():
        if value is not None:
            command += [f"--{key.replace('_', '-')}", str(value)]
    command += [str(f) for f in files]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step {step} failed ({done.returncode}):\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    result["process_cpu_seconds"] = (
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    )
    if result.get("seconds") and result.get("articles"):
        result["rate"] = result["articles"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="one import benchmark step (see the docstring)")
    parser.add_argument(
        "step", choices=["read", "fts5", "records", "product", "noextract", "es-raw"]
    )
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--es-index")
    args = parser.parse_args()
    if args.step == "read":
        result = step_read(args.files)
    elif args.step == "fts5":
        result = step_fts5(args.files, args.db)
    elif args.step == "records":
        result = step_records(args.files)
    elif args.step in ("product", "noextract"):
        result = step_product(
            args.files,
            args.data_dir,
            args.backend,
            args.workers,
            args.es_index,
            extraction=args.step == "product",
        )
    else:
        result = step_es_raw(args.files, args.es_index)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["peak_worker_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
