"""Importing: every format of the contract, stable ids, idempotency, precise rejections."""

from __future__ import annotations

import gc
import json
import zipfile
from pathlib import Path

from conftest import FIXTURES, SEED_ID, SEEDS

from archive.api import Archive


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_seed_imports_with_title_and_source(archive: Archive) -> None:
    report = archive.import_paths([SEEDS], workers=1)
    assert (report.imported, report.rejected) == (1, 0)
    article = archive.get_article(SEED_ID).stored.article
    assert article.title.startswith("أعرب وزير الخارجية الروسي")
    assert article.source == "تاس"
    assert "المصدر:" not in article.content and "الصورة:" not in article.content


def test_reimport_is_unchanged_and_edit_updates(archive: Archive, tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.jsonl",
        json.dumps({"title": "عنوان", "content": "نص أول", "url": "https://x.example/1"}) + "\n",
    )
    assert archive.import_paths([path], workers=1).imported == 1
    again = archive.import_paths([path], workers=1)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    write(path, json.dumps({"title": "عنوان", "content": "نص معدل", "url": "https://x.example/1"}))
    edited = archive.import_paths([path], workers=1)
    assert (edited.imported, edited.updated) == (0, 1)
    assert archive.store.count() == 1
    assert archive.search("معدل").total == 1 and archive.search("أول").total == 0


def test_every_format(archive: Archive, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    write(folder / "a.json", json.dumps([{"headline": "خبر جيسون", "body": "نص"}]))
    write(folder / "b.jsonl", json.dumps({"title": "خبر سطور", "text": "نص"}) + "\n")
    write(folder / "nested" / "c.csv", "title,content,published\nخبر جدول,نص,2015-01-02\n")
    write(folder / "d.md", "---\ntitle: خبر ماركداون\ndate: 2014-05-06\n---\nالنص هنا\n")
    buffer = folder / "e.zip"
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("inner.json", json.dumps([{"title": "خبر مضغوط", "content": "نص"}]))
    report = archive.import_paths([folder], workers=1)
    assert report.rejected == 0, report.errors
    assert report.imported == 5
    assert archive.search("", filters={"year": ["2015"]}).total == 1
    assert archive.search("ماركداون").hits[0].date == "2014-05-06"


def test_rejections_say_where_and_why_and_keep_the_rest(archive: Archive, tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.jsonl",
        "\n".join(
            [
                json.dumps({"title": "سليم", "content": "نص"}),
                "{not json",
                json.dumps({"author": "بلا عنوان ولا نص"}),
                json.dumps(["a", "list"]),
                json.dumps({"title": "سليم ثان", "content": "نص"}),
            ]
        ),
    )
    report = archive.import_paths([path], workers=1)
    assert report.imported == 2 and report.rejected == 3
    lines = {error["line"]: error["reason"] for error in report.errors}
    assert "invalid JSON" in lines[2]
    assert "neither title nor content" in lines[3]
    assert "not an object" in lines[4]


def test_missing_path_is_reported(archive: Archive, tmp_path: Path) -> None:
    report = archive.import_paths([tmp_path / "nope"], workers=1)
    assert report.rejected == 1 and "no such file" in report.errors[0]["reason"]


def test_windows_1256_and_utf16_are_decoded(archive: Archive, tmp_path: Path) -> None:
    write(tmp_path / "legacy.csv", "title,content\nخبر قديم,نص بترميز ويندوز\n", "cp1256")
    write(
        tmp_path / "wide.jsonl",
        json.dumps({"title": "خبر عريض", "content": "نص"}, ensure_ascii=False),
        "utf-16",
    )
    report = archive.import_paths([tmp_path], workers=1)
    assert report.rejected == 0, report.errors
    assert archive.search("ويندوز").total == 1 and archive.search("عريض").total == 1


def test_given_entities_are_kept_as_given(archive: Archive) -> None:
    archive.import_paths([FIXTURES / "articles.jsonl"], workers=1)
    hit = archive.search("", filters={"person": ["Jane Example"]}).hits[0]
    assert hit.id == "fx-given-1"
    assert hit.persons == ["أحمد التجريبي", "Jane Example"]
    assert hit.organizations == ["هيئة الاختبار"]


def test_duplicate_ids_in_one_batch_keep_the_later(archive: Archive, tmp_path: Path) -> None:
    path = write(
        tmp_path / "dups.json",
        json.dumps(
            [
                {"id": "same", "title": "الأول", "content": "نص"},
                {"id": "same", "title": "الثاني", "content": "نص"},
            ]
        ),
    )
    report = archive.import_paths([path], workers=1)
    assert archive.store.count() == 1 and report.warnings
    assert archive.get_article("same").stored.article.title == "الثاني"


def test_parallel_analysis_gives_the_same_index(tmp_path: Path) -> None:
    from conftest import make_archive

    records = [
        {"id": f"p{i}", "title": f"خبر رقم {i}", "content": "أعلنت أرامكو السعودية أرباحها"}
        for i in range(450)
    ]
    path = write(tmp_path / "many.json", json.dumps(records))
    serial, parallel = make_archive(tmp_path / "s"), make_archive(tmp_path / "p")
    serial.import_paths([path], workers=1)
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    parallel.import_paths([path], workers=2)
    assert serial.search("ارامكو").to_json()["total"] == parallel.search("ارامكو").total == 450
    assert serial.search("ارامكو").facets == parallel.search("ارامكو").facets
    # the import quiets the collector while it runs, and gives the process back as it was
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)


def test_folder_documentation_is_not_an_article(archive: Archive, tmp_path: Path) -> None:
    write(tmp_path / "README.md", "# About this dump\nNot an article.\n")
    write(tmp_path / "LICENSE.txt", "CC BY-NC-SA\n")
    write(tmp_path / "a.jsonl", json.dumps({"title": "خبر", "content": "نص"}) + "\n")
    assert archive.import_paths([tmp_path], workers=1).imported == 1
    assert archive.import_paths([tmp_path / "README.md"], workers=1).imported == 1  # if named


def test_a_name_has_one_spelling_per_archive(archive: Archive, tmp_path: Path) -> None:
    """Issue 4: "إياد الحربي" and "اياد الحربي" (a name no gazetteer knows) are one facet value,
    the spelling met first; `reindex` moves it to the spelling most articles use; a configured
    alias stays itself."""
    lines = [
        {"id": "a", "title": "زيارة", "content": "وقال وزير الدفاع اياد الحربي إن الزيارة مهمة"},
        {"id": "b", "title": "لقاء", "content": "وقال وزير الدفاع إياد الحربي إن اللقاء مثمر"},
        {"id": "c", "title": "مؤتمر", "content": "وقال وزير الدفاع إياد الحربي في مؤتمر صحافي"},
        {"id": "d", "title": "محادثات", "content": "وقال الوزير سيرجي لافروف إن المحادثات بناءة"},
    ]
    path = write(tmp_path / "a.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert archive.import_paths([path], workers=1).imported == 4

    def persons() -> dict[str, int]:
        result = archive.search("")
        return {f.value: f.count for f in result.facets["person"]}

    assert persons() == {"اياد الحربي": 3, "سيرغي لافروف": 1}
    assert archive.get_article("b").facets["person"] == ("اياد الحربي",)  # as the facet
    archive.reindex()
    assert persons() == {"إياد الحربي": 3, "سيرغي لافروف": 1}
    later = write(
        tmp_path / "b.jsonl",
        json.dumps({"id": "e", "title": "تصريح", "content": "وقال الوزير أياد الحربي إن"}) + "\n",
    )
    fresh = Archive(archive.settings)  # another process: the spellings come from the store
    try:
        assert fresh.import_paths([later], workers=1).imported == 1
        assert fresh.get_article("e").facets["person"] == ("إياد الحربي",)
    finally:
        fresh.close()
    assert persons() == {"إياد الحربي": 4, "سيرغي لافروف": 1}


def test_a_man_named_in_full_and_by_given_and_family_name_is_one_facet_value(
    archive: Archive, tmp_path: Path
) -> None:
    """Issue 4: the Saudi press writes "راشد بن إبراهيم الصفيان" once and "راشد الصفيان"
    elsewhere (138 such pairs in 8,000 SaudiNewsNet articles). They are one facet value,
    whichever came first, and after `reindex` the spelling most articles use; not when two
    men with other fathers share the short name, nor for a family name many men carry."""
    said = "وقال المهندس {} إن المشروع جاهز"
    names = [
        ("a", "راشد الصفيان"),
        ("b", "راشد بن إبراهيم الصفيان"),
        ("c", "راشد بن إبراهيم الصفيان"),
        ("d", "أحمد بن قاسم الحازمي"),
        ("e", "أحمد بن قشاش الحازمي"),
        ("f", "أحمد الحازمي"),
        ("g", "سعيد بن حمد الغامدي"),
        ("h", "سعيد الغامدي"),
    ]
    lines = [{"id": i, "title": "خبر", "content": said.format(name)} for i, name in names]
    path = write(tmp_path / "a.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    assert archive.import_paths([path], workers=1).imported == len(names)

    def persons() -> dict[str, int]:
        return {f.value: f.count for f in archive.search("").facets["person"]}

    others = {
        "أحمد بن قاسم الحازمي": 1,
        "أحمد بن قشاش الحازمي": 1,
        "أحمد الحازمي": 1,
        "سعيد بن حمد الغامدي": 1,
        "سعيد الغامدي": 1,
    }
    assert persons() == {"راشد الصفيان": 3, **others}
    archive.reindex()
    assert persons() == {"راشد بن إبراهيم الصفيان": 3, **others}
    later = write(
        tmp_path / "b.jsonl",
        json.dumps({"id": "i", "title": "خبر", "content": said.format("راشد الصفيان")}) + "\n",
    )
    fresh = Archive(archive.settings)  # another process: the spellings come from the store
    try:
        assert fresh.import_paths([later], workers=1).imported == 1
    finally:
        fresh.close()
    assert persons() == {"راشد بن إبراهيم الصفيان": 4, **others}
