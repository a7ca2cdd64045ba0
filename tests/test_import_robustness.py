"""Bulk import never loses an article: bad input, legacy encodings, HTML, crashes, concurrency."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, make_archive

from archive.api import Archive


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def reasons(report) -> dict[str, str]:  # noqa: ANN001
    return {f"{Path(e['path']).name}:{e['line']}": e["reason"] for e in report.errors}


def test_each_bad_input_class_is_reported_and_the_rest_stored(
    archive: Archive, tmp_path: Path
) -> None:
    folder = tmp_path / "messy"
    folder.mkdir()
    good = {"title": "خبر سليم", "content": "نص سليم"}
    write(folder / "lines.jsonl", "\n".join([json.dumps(good), '{"title": "مقطوع", "cont']))
    write(folder / "object.json", json.dumps({"note": "an object, not an array of articles"}))
    write(folder / "empty.json", "")
    write(folder / "binary.csv", bytes(range(256)) * 20)
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("a.json", json.dumps([good] * 50))
    write(folder / "truncated.zip", zipped.getvalue()[: len(zipped.getvalue()) // 2])
    write(folder / "columns.csv", "headline,body,extra_col\nعنوان بديل,نص,x\nعنوان,نص,x,زائد\n,,\n")
    write(
        folder / "fields.json",
        json.dumps(
            [
                {"author": "بلا عنوان ولا نص"},
                {"title": "<script>alert(1)</script>", "content": "<b>نص</b> &amp;"},
                {"title": "طويل", "content": "كلمة " * 300},
            ]
        ),
    )
    archive_small = make_archive(tmp_path / "small", max_article_chars=1000)
    report = archive_small.import_paths([folder], workers=1)
    why = reasons(report)
    assert "invalid JSON" in why["lines.jsonl:2"]
    assert "neither title nor content" in why["object.json:1"]
    assert why["empty.json:None"] == "empty file"
    assert "binary" in why["binary.csv:None"]
    assert "zip" in why["truncated.zip:None"]
    assert "neither title nor content" in why["fields.json:1"]
    assert "over the limit of 1,000" in why["fields.json:3"]
    assert report.imported == 4  # good line, renamed CSV columns (x2), markup as text
    stored = archive_small.search("", limit=50)
    titles = {hit.title for hit in stored.hits}
    assert "<script>alert(1)</script>" in titles  # kept as text, escaped when shown
    assert any(
        "extra fields" in w["reason"] or "fields but the header" in e["reason"]
        for w in report.warnings
        for e in report.errors
    ) or any("fields but the header" in e["reason"] for e in report.errors)
    archive_small.close()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "cp1256"])
def test_legacy_and_unicode_encodings(archive: Archive, tmp_path: Path, encoding: str) -> None:
    text = "title,content\nوزارة الطاقة تعلن,نص الخبر بترميز قديم\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = data  # no BOM: detected by the NUL-byte pattern
    report = archive.import_paths([write(tmp_path / f"{encoding}.csv", data)], workers=1)
    assert report.rejected == 0, report.errors
    assert archive.search("الطاقة").hits[0].title == "وزارة الطاقة تعلن"


def test_dates_of_every_kind(archive: Archive, tmp_path: Path) -> None:
    records = [
        {"id": "iso", "title": "أ", "content": "نص", "date": "2015-07-21 10:00:00"},
        {"id": "words", "title": "ب", "content": "نص", "date": "11 نوفمبر/تشرين الثاني 2013"},
        {"id": "hijri", "title": "ج", "content": "نص", "date": "5 رمضان 1436 هـ"},
        {"id": "missing", "title": "د", "content": "نص"},
        {"id": "invalid", "title": "هـ", "content": "نص", "date": "2015-02-30"},
        {"id": "future", "title": "و", "content": "نص", "date": "2999-01-01"},
    ]
    report = archive.import_paths([write(tmp_path / "d.json", json.dumps(records))], workers=1)
    assert report.imported == 6 and report.rejected == 0
    dates = {h.id: h.date for h in archive.search("", limit=10).hits}
    assert dates == {
        "iso": "2015-07-21T10:00:00",
        "words": "2013-11-11",
        "hijri": "2015-06-22",
        "missing": None,
        "invalid": None,
        "future": None,
    }
    dropped = " ".join(w["reason"] for w in report.warnings)
    assert "calendar" in dropped and "future" in dropped


def test_html_page_keeps_the_article_and_drops_the_page(archive: Archive) -> None:
    report = archive.import_paths([FIXTURES / "news-page.html"], workers=1)
    assert report.imported == 1, report.errors
    article = archive.store.get(archive.search("").hits[0].id).article
    assert article.title == "الرياض تستضيف مؤتمراً دولياً للطاقة المتجددة"
    assert article.author == "سارة المحررة" and article.date == "2016-03-14"
    assert "وفود من أكثر من أربعين دولة" in article.content
    for noise in ("التعليقات", "تعليق القارئ", "إعلان", "جميع الحقوق", "الرئيسية"):
        assert noise not in article.content


def test_text_file_front_matter_and_conventions(archive: Archive, tmp_path: Path) -> None:
    write(
        tmp_path / "note.md",
        "---\ntitle: عنوان من الترويسة\ndate: 2014-05-06\n"
        "persons: أحمد التجريبي, سارة المحررة\n---\nالسطر الأول من النص\n"
        "الصورة: وكالة الأنباء\nالسطر الأخير\nالمصدر: وكالة تجريبية\n",
    )
    archive.import_paths([tmp_path / "note.md"], workers=1)
    article = archive.get_article("note").stored.article
    assert article.title == "عنوان من الترويسة" and article.source == "وكالة تجريبية"
    assert article.content == "السطر الأول من النص\nالسطر الأخير"
    assert article.persons == ("أحمد التجريبي", "سارة المحررة")


def _big_input(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(
                json.dumps(
                    {
                        "id": f"a{i}",
                        "title": f"خبر رقم {i}",
                        "content": f"أعلنت الوزارة اليوم الخبر رقم {i} " * 20,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return path


def _import_command(data: Path, *paths: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "archive",
        "--data",
        str(data),
        "import",
        "--json",
        "--workers",
        "1",
        *map(str, paths),
    ]


def test_sigkill_at_any_point_then_rerun_stores_each_article_once(tmp_path: Path) -> None:
    source = _big_input(tmp_path / "big.jsonl", 3000)
    data = tmp_path / "data"
    for delay in (0.8, 1.5, 2.5):
        process = subprocess.Popen(
            _import_command(data, source),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    done = subprocess.run(
        _import_command(data, source), cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    archive = make_archive(data)
    assert archive.store.count() == 3000
    assert report["imported"] + report["unchanged"] == 3000
    assert archive.check().consistent
    assert archive.search("").total == 3000
    archive.close()


def test_two_imports_at_once_and_searches_during_them(tmp_path: Path) -> None:
    first = _big_input(tmp_path / "one.jsonl", 1500)
    second = tmp_path / "two.jsonl"
    second.write_text(first.read_text(encoding="utf-8").replace('"a', '"b'), encoding="utf-8")
    data = tmp_path / "data"
    make_archive(data).close()  # schema in place before the race
    errors: list[BaseException] = []
    stop = threading.Event()

    def search_loop() -> None:
        reader = make_archive(data)
        try:
            while not stop.is_set():
                reader.search("الوزارة", filters={"year": []})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            reader.close()

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    processes = [
        subprocess.Popen(
            _import_command(data, path),
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for path in (first, second)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    stop.set()
    searcher.join()
    assert [p.returncode for p in processes] == [0, 0], [o[1][-500:] for o in outputs]
    assert not errors, errors
    archive = make_archive(data)
    assert archive.store.count() == 3000 and archive.check().consistent
    archive.close()
