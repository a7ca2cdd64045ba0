"""Snippets and highlighting from the original text, by the same analyzer as the index.

Every engine returns snippets built here, so a hit looks the same whichever engine found it.
HTML safety: the text is escaped piece by piece first; only the ``<mark>`` tags we add are markup.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from archive.analysis import analyze_word, iter_words, strip_clitics, words
from archive.query import ParsedQuery, Term

SNIPPET_SCAN_CHARS = 60_000  # longer articles: the snippet comes from their first 60k characters
CONTEXT_BEFORE = 6  # words shown before the first match of a window

Matcher = Callable[[str], int]  # a written word -> the query term (>= 0) it matches, or -1


def matcher(parsed: ParsedQuery) -> Matcher:
    """Which query term (by number) a written word matches, memoized per word form."""
    terms = parsed.positive_terms()
    exact: dict[str, int] = {}
    stems: dict[str, int] = {}
    prefixes: list[tuple[int, Term]] = []
    for number, term in enumerate(terms):
        if term.prefix:
            prefixes.append((number, term))
            continue
        exact.setdefault(term.exact, number)
        for stem in term.stems:
            stems.setdefault(stem, number)
    seen: dict[str, int] = {}

    def decide(surface: str) -> int:
        word_exact, word_stem, alts, is_stop = analyze_word(surface)
        if is_stop or not word_exact:
            return -1
        number = exact.get(word_exact, stems.get(word_stem, -1))
        if number >= 0:
            return number
        for alt in alts:
            if alt in stems:
                return stems[alt]
        bare = strip_clitics(word_exact) if prefixes else ""
        for number, term in prefixes:
            if word_exact.startswith(term.exact) or bare.startswith(term.stems[0]):
                return number
        return -1

    def match(surface: str) -> int:
        found = seen.get(surface)
        if found is None:
            found = seen[surface] = decide(surface)
        return found

    return match


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
    """First word of the ``size``-word window with the most distinct terms, then most matches."""
    best, first = (-1, -1), 0
    for a, (start_index, _) in enumerate(hits):
        inside = [n for i, n in hits[a:] if i < start_index + size - CONTEXT_BEFORE]
        score = (len(set(inside)), len(inside))
        if score > best:
            best, first = score, max(0, start_index - CONTEXT_BEFORE)
    return first


def snippet(text: str, parsed: ParsedQuery, size: int = 40, match: Matcher | None = None) -> str:
    """The window of ``size`` words holding the most distinct query terms (then the most
    matches), cut at word boundaries, as escaped HTML with matches marked. Pass one
    ``matcher(parsed)`` for many snippets of one query: it remembers the words it has seen."""
    scanned = text[:SNIPPET_SCAN_CHARS]
    surfaces = words(scanned)
    if not surfaces:
        return escape(scanned[:300])
    if parsed.positive_terms():
        match = match or matcher(parsed)
        hits = [(i, n) for i, surface in enumerate(surfaces) if (n := match(surface)) >= 0]
    else:
        hits = []
    first = _best_window(hits, size) if hits else 0
    last = min(len(surfaces), first + size) - 1
    marked_words = {i for i, _ in hits if first <= i <= last}
    start = end = 0
    spans = []
    for i, found in enumerate(iter_words(scanned)):  # offsets, up to the window's end only
        if i == first:
            start = found.start() if first > 0 else 0
        if i in marked_words:
            spans.append(found.span())
        if i == last:
            end = found.end() if last < len(surfaces) - 1 else len(scanned)
            break
    html = _marked(scanned, spans, start, end).strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{html}{suffix}"


def highlight(text: str, parsed: ParsedQuery) -> str:
    """The whole text as escaped HTML with every match marked (for the article page)."""
    if parsed.is_empty:
        return escape(text)
    match = matcher(parsed)
    spans = [found.span() for found in iter_words(text) if match(found.group()) >= 0]
    return _marked(text, spans, 0, len(text))
