"""Snippets and highlighting from the original text, by the same analyzer as the index.

Every engine returns snippets built here, so a hit looks the same whichever engine found it.
HTML safety: the text is escaped piece by piece first; only the ``<mark>`` tags we add are markup.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from html import escape
from itertools import accumulate

import numpy as np

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


# --- a text's words and its folded form, by table lookups in numpy --------------------------
# A snippet needs the offsets of every word (windows are counted in words) but the analysis of
# only the few words that can match. Splitting a text with the word regex and normalizing its
# word forms cost ~25 ns a character (Python's regex engine, str.translate); the same answers
# come from one lookup table over the text's code points, in numpy, for a page of texts at once.

_UNSAFE = 0xFFFFFFFF  # folds to more than one character (İ) or outside words: not covered
_SPACE = ord(" ")  # what every character outside words folds to
_SIGMAS = (0x3C2, 0x3C3)  # lower() picks final or medial sigma by context: fold both to one
_SEPARATOR = "\U0010ffff"  # outside the table; normalize() keeps it


class _FoldTable:
    """For each code point of the Basic Multilingual Plane, what it folds to: its normalized
    form (``normalize``, one character of a word), 0 when normalization deletes it (a mark
    inside a word), a space when it is not part of a word (as WORD_PATTERN reads a text
    whose "_" are blanked). Learnt on first sight of each code point (a newspaper uses a few
    hundred), from the analyzer's own functions, so the table follows them if they change."""

    def __init__(self) -> None:
        self.known = np.zeros(0x10000, dtype=bool)
        self.folded = np.zeros(0x10000, dtype=np.uint32)
        self._lock = threading.Lock()

    def learn(self, points: np.ndarray) -> None:
        """Fill the entries of these code points (all below 0x10000)."""
        if self.known[points].all():
            return
        with self._lock:
            todo, learnt = np.unique(points[~self.known[points]]), []
            if not todo.size:  # learnt by another thread meanwhile
                return
            while todo.size:  # and the code points they fold to
                self._fill(todo)
                learnt.append(todo)
                folded = self.folded[todo]
                todo = np.setdiff1d(folded[folded < 0x10000], np.concatenate(learnt))
                todo = todo[~self.known[todo]]
            new = np.concatenate(learnt)
            # folding twice must change nothing: a normalized needle meets the folded text
            folded = self.folded[new]
            inside = (folded != 0) & (folded != _UNSAFE)
            self.folded[new[inside][self.folded[folded[inside]] != folded[inside]]] = _UNSAFE
            self.known[new] = True  # last: readers do not take the lock

    def _fill(self, points: np.ndarray) -> None:
        chars = [chr(c) for c in points.tolist()]
        forms = normalize(_SEPARATOR.join(chars)).split(_SEPARATOR)
        for char, form in zip(chars, forms, strict=True):
            if char == "_" or not WORD_PATTERN.fullmatch(char):
                folded = _SPACE
            elif not form:
                folded = 0
            elif len(form) == 1 and ord(form) < 0x10000 and WORD_PATTERN.fullmatch(form):
                folded = _SIGMAS[1] if ord(form) == _SIGMAS[0] else ord(form)
            else:
                folded = _UNSAFE
            self.folded[ord(char)] = folded

    def fold(self, text: str) -> np.ndarray | None:
        """The folded code points of a text; None when the table does not cover it."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if not points.size:
            return points
        if int(points.max()) >= 0x10000:
            return None
        self.learn(points)
        folded = self.folded[points]
        return None if (folded == _UNSAFE).any() else folded


_TABLE = _FoldTable()


def _fold_needle(needle: str) -> str | None:
    """A normalized needle as a folded text spells it; None when the table cannot."""
    folded = _TABLE.fold(needle)
    if folded is None or not folded.size or (folded == 0).any() or (folded == _SPACE).any():
        return None
    return folded.tobytes().decode("utf-32-le")


class _Scan:
    """A text's words (start and end offsets, numpy arrays) and, to find the words that can
    match, its folded form with the offset in the text of each folded character."""

    __slots__ = ("ends", "folded", "origin", "starts")

    def __init__(self, folded: np.ndarray) -> None:
        words = np.zeros(folded.size + 2, dtype=bool)
        words[1:-1] = folded != _SPACE
        edges = np.flatnonzero(words[1:] != words[:-1])
        self.starts, self.ends = edges[0::2], edges[1::2]
        kept = folded != 0
        self.origin = np.flatnonzero(kept)
        self.folded = folded[kept].tobytes().decode("utf-32-le")

    @classmethod
    def of(cls, text: str) -> _Scan | None:
        """None when the text holds a character the table does not cover."""
        folded = _TABLE.fold(text)
        return None if folded is None else cls(folded)

    def words_at(self, positions: list[int]) -> list[int]:
        """The distinct word numbers of these offsets into the folded text, in text order."""
        offsets = self.origin[positions]
        return np.unique(np.searchsorted(self.starts, offsets, side="right") - 1).tolist()


class Matcher:
    """Which query term (by number) a written word matches. It remembers every word form it
    has decided, so the snippets of one page share the work. Only words holding a needle
    (a form a matching word must contain) are decided: found by one search of a folded
    text (``hits``) or, for texts the fold table does not cover, by set operations and a
    search of each new normalized form (``matches``)."""

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
        # The same needles as a folded text spells them: where they occur there, and only
        # there, lie the words worth deciding (None: the folded scan cannot be used).
        folded = [_fold_needle(n) for n in needles] if self._candidate else [None]
        self.folded_needles = (
            re.compile("|".join(map(re.escape, sorted(folded, key=len, reverse=True))))
            if all(folded)
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
        """The term number ``surface`` matches, -1 for none (decided once, remembered)."""
        number = self.found.get(surface, -1)
        if number < 0 and surface not in self.decided:
            number = self._decide(surface) if self.active else -1
            self.decided.add(surface)
            if number >= 0:
                self.found[surface] = number
        return number

    def hits(self, text: str, scan: _Scan) -> list[tuple[int, int]]:
        """(word number, term number) of every matching word of a scanned text: only the
        words holding a needle are decided."""
        if not self.active or self.folded_needles is None:
            return []
        positions = [m.start() for m in self.folded_needles.finditer(scan.folded)]
        if not positions:
            return []
        found = []
        starts, ends = scan.starts, scan.ends
        for i in scan.words_at(positions):
            number = self(text[starts[i] : ends[i]])
            if number >= 0:
                found.append((i, number))
        return found


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
    (windows start a few words before a match, fewer in a window too short for them, so
    that it holds the match; a sliding window over the matches)."""
    context = max(0, min(CONTEXT_BEFORE, size - 1))
    best, first = (-1, -1), 0
    counts: dict[int, int] = {}
    end = 0
    for a, (start_index, _) in enumerate(hits):
        while end < len(hits) and hits[end][0] < start_index + size - context:
            counts[hits[end][1]] = counts.get(hits[end][1], 0) + 1
            end += 1
        score = (len(counts), end - a)
        if score > best:
            best, first = score, max(0, start_index - context)
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
    if missing and size >= 2:
        second = _best_window(missing, size // 2)
        if second > first + size or second + size // 2 < first:  # apart from the first one
            windows.append((second, second + size // 2 - 1))
    return [(a, min(b, count - 1)) for a, b in sorted(windows)]


def _words_by_regex(
    text: str, match: Matcher
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(matching words as (word number, term number), word starts, word ends) of a text the
    fold table does not cover, by the word regex."""
    surfaces, bounds = _words_with_bounds(text)
    matching = match.matches(set(surfaces))
    hits = [(i, matching[s]) for i, s in enumerate(surfaces) if s in matching] if matching else []
    return hits, bounds[1:-1:2], bounds[2::2]


def _scannable(match: Matcher) -> bool:
    return match.folded_needles is not None or not match.active


def _render(
    text: str,
    scanned: str,
    hits: list[tuple[int, int]],
    starts: Sequence[int],
    ends: Sequence[int],
    size: int,
) -> str:
    count = len(starts)
    if not count:
        return escape(scanned[:300])
    windows = _windows(hits, size, count)
    spans = [
        (int(starts[i]), int(ends[i])) for i, _ in hits if any(a <= i <= b for a, b in windows)
    ]
    parts = []
    for number, (a, b) in enumerate(windows):
        start = int(starts[a]) if a > 0 else 0
        end = int(ends[b]) if b < count - 1 else len(scanned)
        lead = "… " if start > 0 and number == 0 else ""
        tail = " …" if end < len(text) else ""
        parts.append(f"{lead}{_marked(scanned, spans, start, end).strip()}{tail}")
    return " ".join(parts)


def snippet(text: str, parsed: ParsedQuery, size: int = 40, match: Matcher | None = None) -> str:
    """The window of ``size`` words holding the most distinct query terms (then the most
    matches), plus a second, shorter one when terms are missing from it, cut at word
    boundaries, as escaped HTML with matches marked. Pass one ``matcher(parsed)`` for the
    snippets of one page: it remembers the words it has decided (or call ``snippets``)."""
    match = match or matcher(parsed)
    scanned = text[:SNIPPET_SCAN_CHARS]
    scan = _Scan.of(scanned) if _scannable(match) else None
    if scan is None:
        return _render(text, scanned, *_words_by_regex(scanned, match), size)
    return _render(text, scanned, match.hits(scanned, scan), scan.starts, scan.ends, size)


def snippets(
    texts: Sequence[str], parsed: ParsedQuery, size: int = 40, match: Matcher | None = None
) -> list[str]:
    """``snippet`` of each text (a page of hits), the texts scanned as one: numpy's cost per
    call is paid once a page, not once a hit."""
    match = match or matcher(parsed)
    parts = [text[:SNIPPET_SCAN_CHARS] for text in texts]
    joined = "\n".join(parts)  # a line break is outside words: no word spans two texts
    scan = _Scan.of(joined) if _scannable(match) and parts else None
    if scan is None:
        return [snippet(text, parsed, size, match) for text in texts]
    offsets = list(accumulate((len(part) + 1 for part in parts[:-1]), initial=0))
    first_words = [*np.searchsorted(scan.starts, offsets).tolist(), len(scan.starts)]
    hits = match.hits(joined, scan)
    results = []
    for k, (text, part) in enumerate(zip(texts, parts, strict=True)):
        first, last = first_words[k], first_words[k + 1]
        mine = hits[bisect_left(hits, (first, -1)) : bisect_left(hits, (last, -1))]
        results.append(
            _render(
                text,
                part,
                [(i - first, number) for i, number in mine],
                scan.starts[first:last] - offsets[k],
                scan.ends[first:last] - offsets[k],
                size,
            )
        )
    return results


def highlight(text: str, parsed: ParsedQuery, match: Matcher | None = None) -> str:
    """The whole text as escaped HTML with every match marked (for the article page). Pass
    one ``matcher(parsed)`` for the pieces of one page (title, paragraphs)."""
    if parsed.is_empty:
        return escape(text)
    match = match or matcher(parsed)
    scan = _Scan.of(text) if _scannable(match) else None
    if scan is None:
        hits, starts, ends = _words_by_regex(text, match)
    else:
        hits, starts, ends = match.hits(text, scan), scan.starts, scan.ends
    spans = [(int(starts[i]), int(ends[i])) for i, _ in hits]
    return _marked(text, spans, 0, len(text))
