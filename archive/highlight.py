"""Snippets and highlighting from the original text, by the same analyzer as the index.

Every engine returns snippets built here, so a hit looks the same whichever engine found it.
HTML safety: the text is escaped piece by piece first; only the ``<mark>`` tags we add are markup.
"""

from __future__ import annotations

import re
from html import escape
from itertools import accumulate

from archive.analysis import WORD_PATTERN, analyze_word, normalize, strip_clitics
from archive.query import ParsedQuery, Term

SNIPPET_SCAN_CHARS = 12_000  # longer articles: the snippet comes from their first 12k characters
CONTEXT_BEFORE = 6  # words shown before the first match of a window
_SPLIT = re.compile(f"({WORD_PATTERN.pattern})").split  # separators and words, alternating


def _words_with_bounds(text: str) -> tuple[list[str], list[int]]:
    """The written words of a text, and where each part ends: word i runs from
    ``bounds[2 * i]`` to ``bounds[2 * i + 1]``. All in C: no Python step per word."""
    parts = _SPLIT(text.replace("_", " "))
    return parts[1::2], [0, *accumulate(map(len, parts))]


def _span(bounds: list[int], i: int) -> tuple[int, int]:
    """(start, end) of word i, from ``_words_with_bounds``."""
    return bounds[2 * i + 1], bounds[2 * i + 2]


class Matcher:
    """Which query term (by number) a written word matches. It remembers every word form it
    has decided, so the snippets of one page share the work: after the first hits, a text's
    words are matched with set operations, in C."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self.exact: dict[str, int] = {}
        self.stems: dict[str, int] = {}
        self.prefixes: list[tuple[int, Term]] = []
        for number, term in enumerate(parsed.positive_terms()):
            if term.prefix:
                self.prefixes.append((number, term))
                continue
            self.exact.setdefault(term.exact, number)
            for stem in term.stems:
                self.stems.setdefault(stem, number)
        self.active = bool(self.exact or self.prefixes)
        self.found: dict[str, int] = {}  # matching word forms -> term number
        self.decided: set[str] = set()  # every word form looked at
        # Every form that can match holds one of these in its normalized form: the analyzer's
        # exact forms, stems and readings are all substrings of it (prefixes and suffixes are
        # cut, never letters changed). Most words of a text fail this test, in C.
        needles = {*self.exact, *self.stems, *(t.exact for _, t in self.prefixes)}
        needles |= {t.stems[0] for _, t in self.prefixes}
        self._candidate = (
            re.compile("|".join(map(re.escape, sorted(needles, key=len, reverse=True)))).search
            if needles and all(needles)
            else None
        )

    def _decide(self, surface: str) -> int:
        word_exact, word_stem, alts, is_stop = analyze_word(surface)
        if is_stop or not word_exact:
            return -1
        number = self.exact.get(word_exact, self.stems.get(word_stem, -1))
        if number >= 0:
            return number
        for alt in alts:
            if alt in self.stems:
                return self.stems[alt]
        bare = strip_clitics(word_exact) if self.prefixes else ""
        for number, term in self.prefixes:
            if word_exact.startswith(term.exact) or bare.startswith(term.stems[0]):
                return number
        return -1

    def matches(self, forms: set[str]) -> dict[str, int]:
        """The matching forms among ``forms``, with their term numbers."""
        if not self.active:
            return {}
        new = list(forms - self.decided)
        if self._candidate is not None:
            folded = normalize("\n".join(new)).split("\n")
            if len(folded) != len(new):  # a form that folds a line break: one by one
                folded = [normalize(surface) for surface in new]
            search = self._candidate
            new = [surface for surface, form in zip(new, folded, strict=True) if search(form)]
        for surface in new:
            number = self._decide(surface)
            if number >= 0:
                self.found[surface] = number
        self.decided |= forms
        return {surface: self.found[surface] for surface in forms & self.found.keys()}

    def __call__(self, surface: str) -> int:
        return self.matches({surface}).get(surface, -1)


def matcher(parsed: ParsedQuery) -> Matcher:
    return Matcher(parsed)


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """``text[start:end]`` escaped, with each span wrapped in <mark>."""
    parts: list[str] = []
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def _best_window(hits: list[tuple[int, int]], size: int) -> int:
    """First word of the ``size``-word window with the most distinct terms, then most matches
    (windows start a few words before a match; a sliding window over the matches)."""
    best, first = (-1, -1), 0
    counts: dict[int, int] = {}
    end = 0
    for a, (start_index, _) in enumerate(hits):
        while end < len(hits) and hits[end][0] < start_index + size - CONTEXT_BEFORE:
            counts[hits[end][1]] = counts.get(hits[end][1], 0) + 1
            end += 1
        score = (len(counts), end - a)
        if score > best:
            best, first = score, max(0, start_index - CONTEXT_BEFORE)
        number = hits[a][1]
        counts[number] -= 1
        if not counts[number]:
            del counts[number]
    return first


def _windows(hits: list[tuple[int, int]], size: int, count: int) -> list[tuple[int, int]]:
    """Up to two word ranges (first, last): the best window of ``size`` words, and, when query
    terms found in the text are missing from it, a shorter second window around them."""
    first = _best_window(hits, size) if hits else 0
    windows = [(first, first + size - 1)]
    inside = {n for i, n in hits if first <= i < first + size}
    missing = [(i, n) for i, n in hits if n not in inside]
    if missing:
        second = _best_window(missing, size // 2)
        if second > first + size or second + size // 2 < first:  # apart from the first one
            windows.append((second, second + size // 2 - 1))
    return [(a, min(b, count - 1)) for a, b in sorted(windows)]


def snippet(text: str, parsed: ParsedQuery, size: int = 40, match: Matcher | None = None) -> str:
    """The window of ``size`` words holding the most distinct query terms (then the most
    matches), plus a second, shorter one when terms are missing from it, cut at word
    boundaries, as escaped HTML with matches marked. Pass one ``matcher(parsed)`` for the
    snippets of one page: it remembers the words it has decided."""
    scanned = text[:SNIPPET_SCAN_CHARS]
    surfaces, bounds = _words_with_bounds(scanned)
    if not surfaces:
        return escape(scanned[:300])
    hits: list[tuple[int, int]] = []
    matching = (match or matcher(parsed)).matches(set(surfaces))
    if matching:
        hits = [(i, matching[s]) for i, s in enumerate(surfaces) if s in matching]
    windows = _windows(hits, size, len(surfaces))
    spans = [_span(bounds, i) for i, _ in hits if any(a <= i <= b for a, b in windows)]
    parts = []
    for number, (a, b) in enumerate(windows):
        start = _span(bounds, a)[0] if a > 0 else 0
        end = _span(bounds, b)[1] if b < len(surfaces) - 1 else len(scanned)
        lead = "… " if start > 0 and number == 0 else ""
        tail = " …" if end < len(text) else ""
        parts.append(f"{lead}{_marked(scanned, spans, start, end).strip()}{tail}")
    return " ".join(parts)


def highlight(text: str, parsed: ParsedQuery, match: Matcher | None = None) -> str:
    """The whole text as escaped HTML with every match marked (for the article page). Pass
    one ``matcher(parsed)`` for the pieces of one page (title, paragraphs)."""
    if parsed.is_empty:
        return escape(text)
    surfaces, bounds = _words_with_bounds(text)
    matching = (match or matcher(parsed)).matches(set(surfaces))
    spans = [_span(bounds, i) for i, surface in enumerate(surfaces) if surface in matching]
    return _marked(text, spans, 0, len(text))
