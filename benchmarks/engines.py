"""Opening the product on either engine, and tidying Elasticsearch up after a run."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from archive.api import Archive
from archive.config import load_settings

ES_URL = os.environ.get("ARCHIVE_ES_URL", "http://127.0.0.1:9200")


def es_client(timeout: float = 60.0) -> Any:
    from elasticsearch import Elasticsearch

    return Elasticsearch(ES_URL, request_timeout=timeout, max_retries=2, retry_on_timeout=True)


def es_available() -> bool:
    try:
        with es_client(timeout=15) as client:
            client.cluster.health()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        return False


def bench_index_name(prefix: str = "bench") -> str:
    """A unique alias / index name, so benchmarks never touch a real archive's index."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def open_archive(data_dir: Path, backend: str = "sqlite", es_index: str | None = None) -> Archive:
    overrides: dict[str, Any] = {"data_dir": data_dir, "backend": backend}
    if backend == "elasticsearch":
        overrides["es_url"] = ES_URL
        overrides["es_index"] = es_index or bench_index_name()
        overrides["es_timeout"] = 30.0  # a benchmark waits for a busy node; timeouts are errors
    return Archive(load_settings(overrides))


def es_alias_bytes(alias: str) -> int:
    """Primary store size of every index behind an alias (after a refresh)."""
    with es_client() as client:
        stats = client.indices.stats(index=alias, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def es_count(index: str) -> int:
    with es_client() as client:
        client.indices.refresh(index=index)
        return int(client.count(index=index)["count"])


def drop_es(alias: str) -> None:
    """Delete the versioned indices behind a benchmark alias, its template, or a plain index."""
    with es_client() as client:
        names = list(
            client.indices.get(index=f"{alias}-v*", allow_no_indices=True, ignore_unavailable=True)
        )
        names += list(
            client.options(ignore_status=404).indices.get(
                index=alias, ignore_unavailable=True, allow_no_indices=True
            )
            or []
        )
        for name in dict.fromkeys(names):  # destructive actions need exact names
            client.options(ignore_status=404).indices.delete(index=name)
        client.options(ignore_status=404).indices.delete_index_template(name=f"{alias}-template")
