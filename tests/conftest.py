"""Shared fixtures: a real archive in a temporary folder, the seed, own fixtures, and (when
../shared is present) a sample of real SaudiNewsNet articles."""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import strategies as st

from archive.api import Archive
from archive.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

# What fuzzed searches throw at the parser, the engines and the web layer: query-language
# operators alone or unbalanced, other engines' syntax (FTS5, Lucene), control and bidi
# characters, emoji, SQL, very long input.
HOSTILE_QUERIES = [
    '"', '""', "-", "OR", "*", "AND NOT", "(", ")", "NEAR(a b)", "title:x", "^", "^2", "{a}:b",
    "😀", "😀🇸🇦", "\x00", "\u202e", "a" * 5000, '"unbalanced -x OR', "%", "\\",
    "'; DROP TABLE x;--",
]  # fmt: skip


def query_text(max_size: int) -> st.SearchStrategy[str]:
    """Any text, or one of the hostile queries."""
    return st.text(max_size=max_size) | st.sampled_from(HOSTILE_QUERIES)


SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("ARCHIVE_SHARED", ROOT.parent / "shared"))
SAUDINEWSNET = SHARED / "datasets" / "saudinewsnet"
SEED_ID = "000_9dab9691f7e9a554"


def need_shared(path: Path = SAUDINEWSNET) -> Path:
    """Skip (saying why) when the shared datasets are not beside the repository."""
    if not path.exists():
        pytest.skip(f"needs {path} (the shared datasets; set ARCHIVE_SHARED to their folder)")
    return path


def saudinewsnet_sample(count: int, zip_name: str = "2015-07-21.zip") -> list[dict]:
    """The first ``count`` articles of one SaudiNewsNet day, as the corpus holds them."""
    with zipfile.ZipFile(need_shared() / zip_name) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".json"))
        return json.loads(archive.read(member))[:count]


ES_URL = os.environ.get("ARCHIVE_ES_URL", "http://127.0.0.1:9200")
BACKENDS = ("sqlite", "elasticsearch")


def es_available() -> bool:
    from elasticsearch import Elasticsearch

    try:
        with Elasticsearch(ES_URL, request_timeout=3, max_retries=0) as client:
            client.cluster.health()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        return False


def need_backend(backend: str) -> None:
    """Elasticsearch tests need a node: `make test` starts one and sets ARCHIVE_REQUIRE_ES=1,
    so there a missing node fails the run; elsewhere the tests skip, saying why."""
    if backend != "elasticsearch" or es_available():
        return
    message = f"no Elasticsearch node at {ES_URL} (start one with `make es-up`)"
    if os.environ.get("ARCHIVE_REQUIRE_ES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def make_archive(data_dir: Path, backend: str = "sqlite", **overrides: object) -> Archive:
    if backend == "elasticsearch":
        overrides.setdefault("es_index", f"test-{uuid.uuid4().hex[:12]}")
        overrides.setdefault("es_url", ES_URL)
    return Archive(load_settings({"data_dir": data_dir, "backend": backend, **overrides}))


def drop_index(archive: Archive) -> None:
    """Remove a test's Elasticsearch indices (by alias prefix)."""
    if archive.settings.backend == "elasticsearch":
        client = archive.backend.client
        names = client.indices.get(index=f"{archive.settings.es_index}-v*", allow_no_indices=True)
        for name in names:  # destructive actions need exact names
            client.indices.delete(index=name)
        client.options(ignore_status=404).indices.delete_index_template(
            name=f"{archive.settings.es_index}-template"
        )


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """An empty archive on the embedded engine."""
    instance = make_archive(tmp_path / "data")
    yield instance
    instance.close()


@pytest.fixture(params=BACKENDS)
def engine_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    """An empty archive, once per engine."""
    need_backend(request.param)
    instance = make_archive(tmp_path / "data", request.param)
    yield instance
    drop_index(instance)
    instance.close()


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 real SaudiNewsNet articles in a JSON file (skips without ../shared)."""
    path = tmp_path_factory.mktemp("sample") / "saudinewsnet-sample.json"
    path.write_text(json.dumps(saudinewsnet_sample(300), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Archive]:
    """The seed and the own fixtures, once per engine (built once per session)."""
    need_backend(request.param)
    instance = make_archive(
        tmp_path_factory.mktemp(f"seeded-{request.param}") / "data", request.param
    )
    report = instance.import_paths([SEEDS, FIXTURES / "articles.jsonl"], workers=1)
    assert report.rejected == 0, report.errors
    yield instance
    drop_index(instance)
    instance.close()


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder (embedded engine) holding the seed and the own fixtures."""
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    instance = make_archive(data_dir)
    report = instance.import_paths([SEEDS, FIXTURES / "articles.jsonl"], workers=1)
    assert report.rejected == 0, report.errors
    instance.close()
    return data_dir


@pytest.fixture
def seeded(seeded_dir: Path) -> Iterator[Archive]:
    instance = make_archive(seeded_dir)
    yield instance
    instance.close()
