"""Record mapping: field aliases, text cleaning, ids and fingerprints, against their definitions."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.ingest.readers import RawRecord
from archive.ingest.records import record_id, to_article
from archive.models import Article

# Whatever real exports hold between words: every kind of space and line break, controls,
# format characters, decomposed letters.
PIECES = [
    " ", "  ", "\n", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\x00", "\x1b", "\x7f",
    "\x9f", "\u00a0", "\u2028", "\u3000", "\u200b", "\u200c", "\ufeff", "e\u0301", "a", "Z", "ب",
    "ة", "٢", "ـ", "َ", ",", "،",
]  # fmt: skip
MESSY = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def cleaned(value: str) -> str:
    """What a field's text must become: NFC, controls dropped, each line's runs of spaces
    (any Unicode space) one space, lines trimmed, empty lines dropped."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch
        for ch in text
        if not (ord(ch) <= 0x1F and ch not in "\t\n") and not (0x7F <= ord(ch) <= 0x9F)
    )
    return "\n".join(line for line in (" ".join(part.split()) for part in text.split("\n")) if line)


def article(data: dict[str, object]) -> Article:
    return to_article(RawRecord("x.json", 1, data), 1_000_000)[0]


@settings(max_examples=400)
@given(title=MESSY, content=MESSY)
def test_text_is_cleaned_as_defined(title: str, content: str) -> None:
    data = {"title": title, "content": content, "url": "https://example.org/a"}
    mapped = article(data)
    assert mapped.content == cleaned(content)
    assert mapped.title == cleaned(title).replace("\n", " ")


def test_field_aliases_first_alias_that_holds_a_value_wins() -> None:
    mapped = article(
        {
            " Headline ": "عنوان",
            "BODY": "",  # empty: the next alias is used
            "text": "النص",
            "Published": "2015-07-21",
            "newspaper": "okaz",
            "Link": "https://example.org/1",
            "writer": "كاتب",
            "keywords": "سياسة، اقتصاد",
        }
    )
    assert (mapped.title, mapped.content, mapped.date) == ("عنوان", "النص", "2015-07-21")
    assert (mapped.source, mapped.url, mapped.author) == ("okaz", "https://example.org/1", "كاتب")
    assert mapped.tags == ("سياسة", "اقتصاد")
    # of two keys that read the same, the later one counts (as a dict of lowered keys would)
    assert article({"Title": "الأول", "title ": "الثاني", "content": "نص"}).title == "الثاني"
    # records of one file with other keys get their own mapping
    assert article({"article": "نص آخر", "subject": "عنوان آخر"}).content == "نص آخر"


def test_record_id_is_the_id_the_article_gets() -> None:
    for data in (
        {"id": " a-1 ", "title": "ت", "content": "ن"},
        {"url": "https://example.org/x", "content": "ن"},
        {"guid": "g", "link": "https://example.org/y", "text": "ن"},
    ):
        assert record_id(RawRecord("x.json", 1, data)) == article(data).id
    assert record_id(RawRecord("x.json", 1, {"title": "ت", "content": "ن"})) is None


def test_fingerprint_is_the_digest_stored_archives_hold() -> None:
    """Archives store these digests: a re-import compares with them, so they never change."""
    for mapped in (
        article({"id": "a", "title": "عنوان", "content": "نص", "date": "2015-07-21"}),
        Article("b", "t", "c", None, "s", "u", "a", ("x", "y"), ("p",), ("o",)),
    ):
        payload = json.dumps(asdict(mapped), ensure_ascii=False, sort_keys=True)
        digest = hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()
        assert mapped.fingerprint() == digest
