"""Raw records to articles: field aliases, cleaning, validation and stable ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from archive.dates import DateError, parse_date
from archive.ingest.readers import RawRecord
from archive.models import Article


class RecordError(ValueError):
    """A record that cannot be stored; the message says why."""


# Common names for each article field, first match wins (after lower-casing the keys).
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "article_id", "uid", "guid"),
    "title": ("title", "headline", "heading", "subject", "العنوان"),
    "content": (
        "content",
        "body",
        "text",
        "article",
        "article_body",
        "fulltext",
        "full_text",
        "story",
        "النص",
        "المحتوى",
    ),
    "date": (
        "date",
        "date_published",
        "published",
        "published_at",
        "publish_date",
        "pubdate",
        "pub_date",
        "datetime",
        "created_at",
        "date_extracted",
        "timestamp",
        "التاريخ",
    ),
    "source": ("source", "newspaper", "publisher", "site", "sitename", "outlet", "المصدر"),
    "url": ("url", "link", "href", "permalink", "source_url", "الرابط"),
    "author": ("author", "authors", "byline", "writer", "الكاتب"),
    "tags": ("tags", "keywords", "categories", "category", "section"),
    "persons": ("persons", "people", "person", "الأشخاص"),
    "organizations": ("organizations", "organisations", "orgs", "organization", "المنظمات"),
}
_LIST_SPLIT = re.compile(r"\s*[;|،,]\s*")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _tidy_line(line: str) -> str:
    """A line without control characters, its runs of spaces (any Unicode space) one space.
    Most lines hold no character that is not printable, so no control and no space but " ":
    they skip the regular expression and, without double spaces, the split."""
    if line.isprintable():
        return line.strip(" ") if "  " not in line else " ".join(line.split())
    return " ".join(_CONTROL.sub("", line).split())


def _text(value: object) -> str:
    """A field value as clean text: Unicode NFC, no control characters, tidy spaces, no
    empty lines."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v is not None)
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(filter(None, map(_tidy_line, text.split("\n"))))


def _names(value: object) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list) else _LIST_SPLIT.split(str(value))
    return tuple(dict.fromkeys(t for item in items if (t := _text(item).replace("\n", " "))))


Plan = dict[str, tuple[object, ...]]  # article field -> the record's keys that may hold it


@lru_cache(maxsize=1024)
def _plan(keys: tuple[object, ...]) -> Plan:
    """Where each article field is found in records with these keys: the keys matching its
    aliases (compared stripped and lower-cased; of two keys that compare equal, the later one
    counts), in alias order. Cached: the records of a file usually share their keys."""
    by_name = {str(key).strip().lower(): key for key in keys}
    return {
        field: tuple(by_name[alias] for alias in aliases if alias in by_name)
        for field, aliases in FIELD_ALIASES.items()
    }


class _Fields:
    """A raw record read by article field (``FIELD_ALIASES``)."""

    __slots__ = ("data", "plan")

    def __init__(self, raw: RawRecord) -> None:
        self.data = raw.data
        self.plan = _plan(tuple(raw.data))

    def pick(self, field: str) -> object:
        """The value of the first alias of ``field`` that the record fills, else None."""
        for key in self.plan[field]:
            value = self.data[key]
            if value not in (None, "", []):
                return value
        return None


def stable_id(url: str, title: str, content: str) -> str:
    """Derived from the url when there is one, else from the text: the same article gets the
    same id on every import."""
    basis = url.strip() if url.strip() else f"{title}\n{content}"
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def _given_id(data: _Fields) -> str:
    return _text(data.pick("id")).replace("\n", " ")


def _url(data: _Fields) -> str:
    return _text(data.pick("url")).replace("\n", "")


def record_id(raw: RawRecord) -> str | None:
    """The id ``to_article`` gives this record, when it is known without cleaning the whole
    text (a given id, or a url); None otherwise. Cheap: the importer looks up the stored
    fingerprints of a batch with it before the records are mapped (in worker processes)."""
    data = _Fields(raw)
    if given := _given_id(data):
        return given
    url = _url(data)
    return stable_id(url, "", "") if url.strip() else None


def to_article(raw: RawRecord, max_chars: int) -> tuple[Article, list[str]]:
    """The article a record describes, and warnings about what was dropped from it."""
    data = _Fields(raw)
    warnings: list[str] = []
    title = _text(data.pick("title")).replace("\n", " ")
    content = _text(data.pick("content"))
    url = _url(data)
    if not title and not content:
        if not url:
            raise RecordError("neither title nor content (nor a url to keep it by)")
        # e.g. a link to a PDF page: an item of the source archive, kept by its url
        warnings.append("no title or content; stored by its url")
    if len(title) + len(content) > max_chars:
        raise RecordError(
            f"article of {len(title) + len(content):,} characters is over the"
            f" limit of {max_chars:,} (ARCHIVE_MAX_ARTICLE_CHARS)"
        )
    given_id = _given_id(data)
    date = None
    raw_date = data.pick("date")
    if raw_date is not None:
        try:
            date = parse_date(raw_date)
        except DateError as error:
            warnings.append(f"date dropped: {error}")
    article = Article(
        id=given_id or stable_id(url, title, content),
        title=title,
        content=content,
        date=date,
        source=_text(data.pick("source")).replace("\n", " "),
        url=url,
        author=_text(data.pick("author")).replace("\n", " "),
        tags=_names(data.pick("tags")),
        persons=_names(data.pick("persons")),
        organizations=_names(data.pick("organizations")),
    )
    return article, warnings
