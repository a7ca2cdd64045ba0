"""The analyzer: normalization, tokenization with offsets, stemming, stop words."""

from __future__ import annotations

import pytest

from archive.analysis import analyze_word, normalize, query_word, stem, terms, tokens


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("مَكَّةُ", "مكه"),  # harakat and shadda go, teh marbuta -> heh
        ("ولدٌ", "ولد"),  # tanween
        ("نلْسون", "نلسون"),  # sukun
        ("روبرـــــت", "روبرت"),  # tatweel
        ("أحمد", "احمد"),
        ("إعلان", "اعلان"),
        ("آخر", "اخر"),
        ("ٱلله", "الله"),  # alef wasla
        ("مستشفى", "مستشفي"),  # alef maksura -> yeh
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),  # both spellings meet
        ("٢٠١٥", "2015"),
        ("۱۹۹۰", "1990"),  # extended (Persian) digits
        ("OPEC", "opec"),
    ],
)
def test_normalize_folds_spelling_variants(written: str, normalized: str) -> None:
    assert normalize(written) == normalized


def test_tokens_keep_offsets_into_the_original_text() -> None:
    text = "قال مَكَّة، و2015 الـــحوثيين!"
    found = list(tokens(text))
    assert [text[t.start : t.end] for t in found] == [t.surface for t in found]
    assert [t.surface for t in found] == ["قال", "مَكَّة", "و2015", "الـــحوثيين"]
    assert found[1].exact == "مكه"


def test_stop_words_are_flagged_not_indexed() -> None:
    assert analyze_word("في")[3] is True
    assert terms("اجتماع في الرياض").exact == "اجتماع الرياض"


def test_exact_and_stem_terms_stay_aligned() -> None:
    result = terms("أعلن الحوثيون في اليمن هدنة")
    exact, stems = result.exact.split(), result.stem.split()
    assert len(exact) == len(stems)
    assert stems[exact.index("الحوثيون")] == stem("الحوثيون")


@pytest.mark.parametrize(
    "forms",
    [
        ("الحوثيون", "الحوثيين", "حوثي", "والحوثيون"),
        ("المعلمون", "معلم", "المعلمين", "للمعلمين"),
        ("السيارات", "سيارة", "بالسيارة"),
        ("الكتاب", "كتابي", "والكتاب"),
        ("اعمالهم", "الاعمال"),  # pronoun suffix (beyond Lucene), via Snowball
    ],
)
def test_inflected_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    stems = {stem(normalize(form)) for form in forms}
    assert len(stems) == 1, stems


@pytest.mark.parametrize("word", ["سيارات", "محاكم", "اماكن", "تفاهم", "فيينا", "روبرت"])
def test_snowball_overstemming_is_refused(word: str) -> None:
    # Snowball alone cuts these to 3 letters or takes a noun's letters for verb affixes.
    assert len(stem(normalize(word))) >= 4


def readings(word: str) -> set[str]:
    _, primary, alternatives, _ = analyze_word(word)
    return {primary, *alternatives}


@pytest.mark.parametrize(
    ("base", "attached"),
    [
        ("وزير", "الوزير"),  # initial و: radical here, conjunction in وقال
        ("وزارة", "والوزارة"),
        ("أرامكو", "لأرامكو"),  # single-letter proclitics ب ل ك ف
        ("مكة", "بمكة"),
        ("روسيا", "ولروسيا"),
    ],
)
def test_readings_of_a_proclitic_meet(base: str, attached: str) -> None:
    indexed = readings(attached)
    assert query_word(base)[1][0] in indexed  # the base form finds the attached one
    assert readings(base) & indexed


def test_query_word_drops_stop_words_and_marks() -> None:
    assert query_word("في") is None
    assert query_word("ـــ") is None
    assert query_word("موسكو") == ("موسكو", ("موسكو",))
