""" "Did you mean": the indexed words closest to a word that found nothing."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


def closest(word: str, vocabulary: Iterable[tuple[str, int]], limit: int = 3) -> list[str]:
    """Indexed terms within two edits of ``word`` (one for words of 4 letters or fewer),
    nearest first, then most frequent; the word itself when it is indexed. Edit distance in C
    (rapidfuzz): a slice of a newspaper's vocabulary is thousands of terms."""
    frequency = dict(vocabulary)
    if frequency.get(word):
        return [word]  # a known word: keep it (another word of the query found nothing)
    max_edits = 1 if len(word) <= 4 else 2
    found = process.extract(
        word, list(frequency), scorer=Levenshtein.distance, score_cutoff=max_edits, limit=None
    )
    ranked = sorted(found, key=lambda item: (item[1], -frequency[item[0]], item[0]))
    return [term for term, _, _ in ranked[:limit]]
