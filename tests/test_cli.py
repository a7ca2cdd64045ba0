"""The console script, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, ROOT, SEEDS

ARCHIVE = [sys.executable, "-m", "archive"]


def run(
    *args: str, data: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ARCHIVE, "--data", str(data), *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_import_json_report_and_exit_codes(tmp_path: Path) -> None:
    done = run("import", str(SEEDS), str(FIXTURES / "articles.jsonl"), "--json", data=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "imported": 9,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
    }
    again = json.loads(run("import", str(SEEDS), "--json", data=tmp_path).stdout)
    assert again["unchanged"] == 1 and again["imported"] == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "سليم", "content": "نص"}\n{oops\n', encoding="utf-8")
    partial = run("import", str(bad), "--json", data=tmp_path)
    assert partial.returncode == 1
    report = json.loads(partial.stdout)
    assert report["imported"] == 1 and report["errors"][0]["line"] == 2
    assert run("import", data=tmp_path).returncode == 2  # usage: no path


def test_search_json_and_filters(tmp_path: Path) -> None:
    run("import", str(FIXTURES / "articles.jsonl"), data=tmp_path)
    data = json.loads(run("search", "الحوثيين", "--json", data=tmp_path).stdout)
    assert data["total"] == 2
    filtered = json.loads(
        run("search", "--year", "2016", "--year", "2013", "--json", data=tmp_path).stdout
    )
    assert filtered["total"] == 3
    text = run("search", "مكة", data=tmp_path).stdout
    assert "2 articles" in text and "*مكة*" in text
    assert run("search", "--filter", "nope=1", data=tmp_path).returncode == 2


def test_extract_one_json_line_per_input_line(tmp_path: Path) -> None:
    stdin = "قال وزير الخارجية الروسي سيرغي لافروف إن\n\nأعلنت منظمة شنغهاي للتعاون\n"
    done = run("extract", data=tmp_path, stdin=stdin)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip("\n").split("\n")
    assert len(lines) == 3
    for line in lines:
        assert set(json.loads(line)) >= {"persons", "organizations", "mentions"}


def test_stats_check_reindex(tmp_path: Path) -> None:
    run("import", str(FIXTURES / "articles.jsonl"), data=tmp_path)
    stats = json.loads(run("stats", "--json", data=tmp_path).stdout)
    assert stats["articles"] == 8
    check = json.loads(run("check", "--json", data=tmp_path).stdout)
    assert check["consistent"] and check["in_index"] == 8
    assert run("reindex", data=tmp_path).returncode == 0
    assert json.loads(run("search", "--json", data=tmp_path).stdout)["total"] == 8


def test_curating_aliases_merges_facet_values_on_reindex(tmp_path: Path) -> None:
    """Issue 4's curation loop: two spellings of one man are one entry (the spelling met
    first) that lists the other; one alias line and `archive reindex` (no import) rename it."""
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    env = {"ARCHIVE_CONFIG": str(config)}
    data = tmp_path / "data"
    articles = tmp_path / "two.jsonl"
    articles.write_text(
        json.dumps({"id": "a", "title": "زيارة", "content": "قال المهندس خالد الزهراني إن المشروع"
                    " يكتمل العام المقبل.", "date": "2015-08-01"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "b", "title": "افتتاح", "content": "وأكد المهندس خالد الزهرانى أن"
                      " الافتتاح قريب.", "date": "2015-08-02"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert run("import", str(articles), data=data, env=env).returncode == 0
    before = json.loads(run("entities", "--kind", "person", "--json", data=data, env=env).stdout)
    assert [(r["name"], r["articles"], r["spellings"]) for r in before if "الزهر" in r["name"]] == [
        ("خالد الزهراني", 2, ["خالد الزهرانى"])
    ]
    facets = json.loads(run("search", "--json", data=data, env=env).stdout)["facets"]["person"]
    assert {"value": "خالد الزهراني", "count": 2} in facets
    with (config / "entities" / "persons.tsv").open("a", encoding="utf-8") as handle:
        handle.write("خالد بن علي الزهراني\tخالد الزهراني | خالد الزهرانى | Khalid Alzahrani\n")
    assert run("reindex", data=data, env=env).returncode == 0
    facets = json.loads(run("search", "--json", data=data, env=env).stdout)["facets"]["person"]
    assert {"value": "خالد بن علي الزهراني", "count": 2} in facets
    assert not any(f["value"].startswith("خالد الزهران") for f in facets)
    after = json.loads(run("entities", "--kind", "person", "--json", data=data, env=env).stdout)
    assert (after[0]["name"], after[0]["articles"]) == ("خالد بن علي الزهراني", 2)
