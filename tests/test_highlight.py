"""Snippets: the best window, original words marked, everything else escaped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.analysis import normalize, stem
from archive.highlight import Matcher, highlight, snippet
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


# Letters, hamza forms, alef maksura, teh marbuta, harakat, tatweel and digits: what the
# analyzer folds, so that words and queries meet in many spellings.
_LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآؤئىة٠١2"
_MARKS = "\u064e\u064f\u0650\u0651\u0652\u064b\u0640"
_word = st.text(alphabet=_LETTERS + _MARKS, min_size=1, max_size=9)


_PREFIXES = ("", "و", "ال", "وال", "بال", "لل", "ب", "ف", "ول")
_SUFFIXES = ("", "ه", "ها", "ات", "ين", "ون", "ية", "كم", "هما")


@st.composite
def _query_and_text(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Query words, and a text mixing random words with inflected forms of the query's."""
    query = draw(
        st.lists(st.tuples(st.sampled_from(_PREFIXES), _word).map("".join), min_size=1, max_size=3)
    )
    cores = [stem(normalize(w)) or w for w in query]  # inflected forms of the stem, not the word
    inflected = st.tuples(
        st.sampled_from(_PREFIXES), st.sampled_from(query + cores), st.sampled_from(_SUFFIXES)
    ).map("".join)
    text = draw(st.lists(st.one_of(_word, inflected), max_size=30))
    return query, text


@settings(max_examples=300, deadline=None)
@given(_query_and_text())
def test_the_candidate_filter_never_drops_a_matching_word(
    case: tuple[list[str], list[str]],
) -> None:
    """The matcher skips words whose normalized form holds no query needle; every word the
    full decision accepts must survive that filter, prefixes included."""
    query, text = case
    for q in (" ".join(query), " ".join(f"{w}*" for w in query)):
        parsed = parse(q)
        whole = Matcher(parsed)
        expected = {w: n for w in set(text) if (n := whole._decide(w)) >= 0}
        assert Matcher(parsed).matches(set(text)) == expected
