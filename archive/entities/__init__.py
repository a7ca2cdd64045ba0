"""Entity extraction: the persons and organizations an Arabic article names.

    >>> from archive.entities import default_extractor
    >>> default_extractor().extract("قال الرئيس فلاديمير بوتين ...").persons
    ['فلاديمير بوتين']

``EntityExtractor`` is the one interface; ``default_extractor()`` is the shipped offline model
(a CRF trained on NewsFANE Gold, with the gazetteer and rules of ``config/entities``). Another
model (CAMeL Tools, a transformer) plugs in by implementing ``extract(text) -> Extraction``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

from archive.entities.aliases import AliasTable, load_aliases
from archive.entities.types import EntityExtractor, Extraction, Mention

__all__ = [
    "AliasTable",
    "EntityExtractor",
    "Extraction",
    "Mention",
    "default_extractor",
    "extract_lines",
    "load_aliases",
]

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _default() -> EntityExtractor:
    from archive.entities.extractor import CrfExtractor

    return CrfExtractor()


def default_extractor() -> EntityExtractor:
    """The shipped extractor, loaded on first use (after a fork, each worker loads its own)."""
    with _lock:
        return _default()


def extract_lines(lines: Iterable[str], extractor: EntityExtractor | None = None) -> Iterator[dict]:
    """The ``archive extract`` contract: one input line is one document, one dict per line,
    in order (an empty line gives an empty result)."""
    extractor = extractor or default_extractor()
    for line in lines:
        text = line.rstrip("\r\n")
        yield extractor.extract(text).to_json() if text.strip() else Extraction([]).to_json()
