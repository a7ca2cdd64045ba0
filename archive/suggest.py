""" "Did you mean": the indexed words closest to a word that found nothing."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest(word: str, vocabulary: Iterable[tuple[str, int]], limit: int = 3) -> list[str]:
    """Indexed terms within two edits of ``word``, nearest first, then most frequent."""
    max_edits = 1 if len(word) <= 4 else 2
    scored = []
    for term, frequency in vocabulary:
        if term == word:
            continue
        distance = edit_distance(word, term, max_edits)
        if distance <= max_edits:
            scored.append((distance, -frequency, term))
    return [term for _, _, term in sorted(scored)[:limit]]
