"""Snippets: the best window, original words marked, everything else escaped."""

from __future__ import annotations

from archive.highlight import highlight, snippet
from archive.query import parse


def test_marks_the_original_surface_forms() -> None:
    text = "استقبلت مَكَّةُ المُكَرَّمَةُ الحجاج"
    html = snippet(text, parse("مكة"))
    assert "<mark>مَكَّةُ</mark>" in html


def test_marks_inflected_forms() -> None:
    html = snippet("بدأت المفاوضات مع الحوثيين في جنيف", parse("الحوثيون"))
    assert "<mark>الحوثيين</mark>" in html


def test_escapes_first_then_marks() -> None:
    html = snippet("<script>alert(1)</script> كلمة <b>", parse("كلمة"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>كلمة</mark>" in html and "&lt;b&gt;" in html


def test_window_prefers_more_distinct_terms() -> None:
    filler = " ".join(["حشو"] * 60)
    text = f"نفط {filler} نفط وأرامكو معا {filler}"
    html = snippet(text, parse("نفط أرامكو"), size=20)
    assert "<mark>وأرامكو</mark>" in html and html.startswith("… ")


def test_without_matches_the_snippet_is_the_beginning() -> None:
    html = snippet("أول الكلام ثم بقيته", parse(""))
    assert html.startswith("أول الكلام")


def test_full_highlight_keeps_all_text() -> None:
    text = "لافروف قال: لافروف & شركاه"
    html = highlight(text, parse("لافروف"))
    assert html.count("<mark>") == 2 and "&amp;" in html


def test_a_second_window_shows_terms_the_first_one_misses() -> None:
    filler = " ".join(["حشو"] * 80)
    text = f"بداية {filler} نفط نفط نفط هنا {filler} أرامكو هنا {filler}"
    html = snippet(text, parse("نفط أرامكو"), size=20)
    assert "<mark>نفط</mark>" in html and "<mark>أرامكو</mark>" in html
    assert html.count("…") >= 2
    first, second = html.index("<mark>نفط</mark>"), html.index("<mark>أرامكو</mark>")
    assert first < second  # in text order
