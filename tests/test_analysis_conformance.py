"""Conformance with Lucene's Arabic analysis (ArabicNormalizer, ArabicStemmer, ArabicAnalyzer),
class by class, on our own cases: an article holding one form is found by a query for the other.

Where we go further than Lucene (hamza on waw/yeh, pronoun suffixes, proclitics ب ل ك ف, initial
و read both ways) the cases are in the last tables; archive/analysis.py says why.
"""

from __future__ import annotations

import pytest

from archive.analysis import analyze_word, query_word


def found_by(document_word: str, query: str) -> bool:
    """Does a document holding ``document_word`` match the one-word query ``query``?"""
    analyzed = query_word(query)
    if analyzed is None:
        return False
    exact, readings = analyzed
    doc_exact, doc_stem, doc_alts, is_stop = analyze_word(document_word)
    return not is_stop and (
        doc_exact == exact or doc_stem in readings or any(alt in readings for alt in doc_alts)
    )


def both_ways(a: str, b: str) -> None:
    assert found_by(a, b), f"an article with {a} is not found by {b}"
    assert found_by(b, a), f"an article with {b} is not found by {a}"


NORMALIZATION = {
    "alef with hamza above": ("أحمد", "احمد"),
    "alef with hamza below": ("إنتاج", "انتاج"),
    "alef with madda": ("آبار", "ابار"),
    "alef wasla": ("ٱستقلال", "استقلال"),
    "alef maksura": ("مصطفى", "مصطفي"),
    "teh marbuta": ("مدرسة", "مدرسه"),
    "tatweel": ("جمـــيل", "جميل"),
    "fatha": ("كَتب", "كتب"),
    "damma": ("كُتب", "كتب"),
    "kasra": ("بِنت", "بنت"),
    "fathatan": ("شكراً", "شكرا"),
    "dammatan": ("كتابٌ", "كتاب"),
    "kasratan": ("بيتٍ", "بيت"),
    "shadda": ("مدرّس", "مدرس"),
    "sukun": ("مسْجد", "مسجد"),
    "all marks at once": ("مُدَرِّسَةٌ", "مدرسة"),
    "arabic-indic digits": ("٢٠٢٣", "2023"),
    "extended arabic-indic digits": ("۱۴۰۰", "1400"),
    "latin case": ("OPEC", "opec"),
}
PREFIXES = {
    "ال": ("المصنع", "مصنع"),
    "وال": ("والمصنع", "مصنع"),
    "بال": ("بالمصنع", "مصنع"),
    "كال": ("كالمصنع", "مصنع"),
    "فال": ("فالمصنع", "مصنع"),
    "لل": ("للمصنع", "مصنع"),
    "و": ("ومصنع", "مصنع"),
}
SUFFIXES = {
    "ها": ("سيارتها", "سيارت"),
    "ان": ("لاعبان", "لاعب"),
    "ات": ("لاعبات", "لاعب"),
    "ون": ("لاعبون", "لاعب"),
    "ين": ("لاعبين", "لاعب"),
    "يه": ("لاعبيه", "لاعب"),
    "ية": ("عربية", "عرب"),
    "ه": ("لاعبه", "لاعب"),
    "ة": ("لاعبة", "لاعب"),
    "ي": ("لاعبي", "لاعب"),
    "prefix and suffix": ("واللاعبون", "لاعب"),
    "suffixes combined": ("لاعبهات", "لاعب"),
}
FORMS = {
    "feminine": ("كبير", "كبيرة"),
    "sound masculine plural": ("المهندسون", "مهندس"),
    "sound feminine plural": ("المهندسات", "مهندسة"),
    "dual": ("الطرفان", "طرف"),
    "nisba adjective": ("السعودية", "السعودي"),
    "definite and indefinite": ("الاقتصاد", "اقتصاد"),
    "plural and definite singular": ("الحوثيين", "حوثي"),
}
BEYOND_LUCENE = {
    "hamza on waw vs on yeh": ("مسؤول", "مسئول"),
    "hamza on yeh vs on waw": ("شئون", "شؤون"),
    "pronoun suffix هم": ("أعمالهم", "الأعمال"),
    "pronoun suffix نا": ("مجتمعنا", "المجتمع"),
    "proclitic ل": ("لأرامكو", "أرامكو"),
    "proclitic ب": ("بالرياض", "الرياض"),
    "proclitic ب on an indefinite word": ("بسوريا", "سوريا"),
    "و + proclitic": ("ولروسيا", "روسيا"),
    "initial و as radical": ("وزير", "الوزير"),
    "initial و as radical, feminine": ("وزارة", "الوزارة"),
}


@pytest.mark.parametrize(("a", "b"), NORMALIZATION.values(), ids=NORMALIZATION.keys())
def test_normalization(a: str, b: str) -> None:
    both_ways(a, b)


@pytest.mark.parametrize(("a", "b"), PREFIXES.values(), ids=PREFIXES.keys())
def test_prefixes(a: str, b: str) -> None:
    both_ways(a, b)


@pytest.mark.parametrize(("a", "b"), SUFFIXES.values(), ids=SUFFIXES.keys())
def test_suffixes(a: str, b: str) -> None:
    both_ways(a, b)


@pytest.mark.parametrize(("a", "b"), FORMS.values(), ids=FORMS.keys())
def test_feminine_and_plural_forms(a: str, b: str) -> None:
    both_ways(a, b)


@pytest.mark.parametrize(("a", "b"), BEYOND_LUCENE.values(), ids=BEYOND_LUCENE.keys())
def test_beyond_lucene(a: str, b: str) -> None:
    both_ways(a, b)


@pytest.mark.parametrize("word", ["في", "من", "على", "هذا", "التي", "إلى", "أن", "كان"])
def test_stop_words_never_match(word: str) -> None:
    assert query_word(word) is None and analyze_word(word)[3]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("الو", "لو"),  # too short to lose its article (Lucene: 2 letters must remain)
        ("كتب", "تب"),  # a short word keeps its letters
        ("English", "Englis"),  # Latin words are not stemmed
    ],
)
def test_short_and_foreign_words_are_not_stripped(a: str, b: str) -> None:
    assert not found_by(a, b)
