"""The query language: never fails, always means something sensible."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.query import Phrase, Term, parse


def test_words_are_anded_in_order() -> None:
    parsed = parse("نفط أرامكو")
    assert [group[0].exact for group in parsed.must] == ["نفط", "ارامكو"]


def test_phrase_exclusion_or_and_prefix() -> None:
    parsed = parse('"وزير الخارجية" -روسيا أرامكو OR سابك الحوث*')
    phrase, either, prefix = parsed.must
    assert isinstance(phrase[0], Phrase) and [t.exact for t in phrase[0].terms] == [
        "وزير",
        "الخارجيه",
    ]
    assert [t.exact for t in either] == ["ارامكو", "سابك"]
    assert prefix[0] == Term("الحوث", ("حوث",), prefix=True)
    assert parsed.must_not == (Term("روسيا", ("روسيا",)),)


def test_lucene_style_operators() -> None:
    parsed = parse("لافروف NOT روسيا AND موسكو")
    assert [g[0].exact for g in parsed.must] == ["لافروف", "موسكو"]
    assert [c.exact for c in parsed.must_not] == ["روسيا"]


def test_unbalanced_quote_closes_at_the_end() -> None:
    parsed = parse('"وزير الخارجية')
    assert isinstance(parsed.must[0][0], Phrase)


def test_only_stop_words_browse_with_a_notice() -> None:
    parsed = parse("في من على")
    assert parsed.is_empty and parsed.notices


def test_short_prefix_is_refused_with_a_reason() -> None:
    parsed = parse("ال*")
    assert parsed.is_empty and "prefix" in parsed.notices[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses(text: str) -> None:
    parsed = parse(text)
    for term in parsed.positive_terms():
        assert term.exact and all(term.stems)
        assert '"' not in term.exact and all('"' not in s for s in term.stems)


def test_very_long_query_is_shortened_with_a_notice() -> None:
    parsed = parse("كلمة " * 2000)
    assert len(parsed.must) <= 32 and parsed.notices
