"""The compiled entity modules (scripts/build_native.py): used only when built from exactly the
sources, and they find exactly what the sources find."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SEEDS

import archive.entities
from archive.entities import default_extractor, native


def _texts() -> list[str]:
    """The seed article and the fixture articles, as imports join title and content."""
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    return [
        *(seed.read_text(encoding="utf-8") for seed in SEEDS.glob("*.txt")),
        *(f"{r.get('title', '')}\n\n{r.get('content', '')}" for r in records),
    ]


def _found(texts: list[str]) -> list[list[dict]]:
    return [e.to_json()["mentions"] for e in map(default_extractor().extract, texts)]


def test_a_build_of_other_sources_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "sources.json"
    monkeypatch.setattr(native, "NATIVE_DIR", tmp_path)
    monkeypatch.setattr(native, "MANIFEST", manifest)
    monkeypatch.delenv("ARCHIVE_NATIVE", raising=False)
    path: list[str] = []
    assert not native.enable(path) and path == []  # nothing built
    stale = {**native.source_hashes(), "extractor": "0" * 64}  # built before an edit
    manifest.write_text(json.dumps(stale), encoding="utf-8")
    assert not native.enable(path) and path == []
    manifest.write_text(json.dumps(native.source_hashes()), encoding="utf-8")
    monkeypatch.setenv("ARCHIVE_NATIVE", "0")
    assert not native.enable(path) and path == []  # turned off
    monkeypatch.setenv("ARCHIVE_NATIVE", "1")
    assert native.enable(path) and path == [str(tmp_path / "archive" / "entities")]


@pytest.mark.skipif(
    not archive.entities.NATIVE,
    reason="compiled modules not in use: not built from these sources (make native), or turned off",
)
def test_compiled_modules_find_what_the_sources_find() -> None:
    import archive.entities.extractor as extractor

    assert extractor.__file__.startswith(str(native.NATIVE_DIR))
    texts = _texts()
    script = (
        "import json, sys\n"
        "import archive.entities as e, archive.entities.extractor as x\n"
        "assert not e.NATIVE and x.__file__.endswith('.py'), x.__file__\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([e.default_extractor().extract(t).to_json()['mentions'] for t in texts]))"
    )
    pure = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_NATIVE": "0"},
    )
    expected = json.loads(pure.stdout)
    assert sum(map(len, expected)) > 10
    assert _found(texts) == expected
