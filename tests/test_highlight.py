"""Snippets: the best window, original words marked, everything else escaped."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.analysis import normalize, stem
from archive.highlight import (
    Matcher,
    _FoldTable,
    _Scan,
    _words_by_regex,
    highlight,
    snippet,
    snippets,
)
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


def test_short_windows_hold_their_matches() -> None:
    """A window shorter than the context before its first match (snippet_words < 14 in
    config/archive.toml) still shows the matches."""
    text = " ".join(["نفط", *["حشو"] * 20, "أرامكو", *["حشو"] * 20])
    assert snippet(text, parse("نفط أرامكو"), size=1) == "<mark>نفط</mark> …"
    for size in range(2, 14):
        html = snippet(text, parse("نفط أرامكو"), size=size)
        assert "<mark>نفط</mark>" in html and "<mark>أرامكو</mark>" in html


def test_case_and_sigma_forms_meet() -> None:
    """lower() makes a final capital sigma final (ς) and İ two characters: the fast scan of
    a text meets them as normalize() does."""
    assert "<mark>ΛΟΓΟΣ</mark>" in snippet("قال ΛΟΓΟΣ هنا", parse("λογος"))
    assert "<mark>İstanbul</mark>" in snippet("في İstanbul أمس", parse("İstanbul"))


# What the fold table must treat like the word regex and normalize(): Latin case, the dotted
# capital I (two characters once lowered), final and medial sigma, marks alone, "_", digits,
# punctuation, and characters beyond the Basic Multilingual Plane (the regex path answers).
_OTHER = "AaİiıΣσςßẞ_-،.«»()\n 😀𝐀"
_mixed_word = st.text(alphabet=_LETTERS + _MARKS + _OTHER, min_size=1, max_size=9)


@settings(max_examples=300, deadline=None)
@given(_query_and_text(), st.lists(_mixed_word, max_size=12))
def test_the_folded_scan_finds_what_the_word_regex_finds(
    case: tuple[list[str], list[str]], noise: list[str]
) -> None:
    """Word offsets and matching words from the fold table equal those of the word regex
    and the full decision, for any text the table covers; any text gets the same snippet
    whether scanned alone or with the rest of its page."""
    query, words = case
    text = " ".join(words + noise)
    for q in (" ".join(query), " ".join(f"{w}*" for w in query), " ".join(noise)):
        parsed = parse(q)
        expected = _words_by_regex(text, Matcher(parsed))
        scan = _Scan.of(text)
        if scan is not None and Matcher(parsed).folded_needles is not None:
            assert Matcher(parsed).hits(text, scan) == expected[0]
            assert scan.starts.tolist() == expected[1] and scan.ends.tolist() == expected[2]
        page = [text, " ".join(noise), text[: len(text) // 2]]
        assert snippets(page, parsed, size=8) == [snippet(t, parsed, size=8) for t in page]
        assert highlight(text, parsed).count("<mark>") == (len(expected[0]) if q.strip() else 0)


def test_threads_learn_the_fold_table_together() -> None:
    """Threads of a server meet new characters at the same time: each gets a whole answer."""
    table = _FoldTable()
    text = "قال الأمير: إنّ «أرامكو» ΛΟΓΟΣ Straße ١٢٣ ok"
    start = threading.Barrier(8)

    def fold() -> bytes:
        start.wait()
        folded = table.fold(text)
        assert folded is not None
        return folded.tobytes()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: fold(), range(8)))
    assert len(set(results)) == 1 and table.known.sum() >= len(set(text))
