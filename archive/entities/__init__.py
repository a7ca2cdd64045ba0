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
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from archive.entities import native

# compiled modules (scripts/build_native.py), when built from exactly these sources
NATIVE = native.enable(__path__)

from archive.entities.aliases import AliasTable, load_aliases  # noqa: E402
from archive.entities.types import EntityExtractor, Extraction, Mention  # noqa: E402

__all__ = [
    "AliasTable",
    "EntityExtractor",
    "Extraction",
    "Mention",
    "default_extractor",
    "extract_lines",
    "extract_many",
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


def extract_many(extractor: EntityExtractor, texts: Sequence[str]) -> list[Extraction]:
    """``extractor.extract`` of each text; in one call when the extractor takes batches (the
    default one tags a batch in one pass, several times faster than one text at a time)."""
    many = getattr(extractor, "extract_many", None)
    if many is not None:
        return many(texts)
    return [extractor.extract(text) for text in texts]
