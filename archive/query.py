"""The query language readers type, parsed once into terms every engine understands.

    words          all must match (AND)
    "a phrase"     the words in this order, adjacent after analysis
    -word -"a b"   must not match
    a OR b         either (binds tighter than the implicit AND)
    word*          prefix (3+ letters; shorter ones would expand to most of the vocabulary)

Parsing never fails: unbalanced quotes close at the end, lone operators are words or nothing,
syntax characters of FTS5 or Lucene are just punctuation. What cannot be searched is reported
in ``notices`` instead of raising.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive.analysis import normalize, query_word, strip_clitics, words

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32
MIN_PREFIX = 3


@dataclass(frozen=True)
class Term:
    """One query word: matches its exact normalized form or one of its stems.

    As a prefix, ``exact`` and ``stems[0]`` (the prefix without its clitics) are beginnings.
    """

    exact: str
    stems: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]


Clause = Term | Phrase


@dataclass(frozen=True)
class ParsedQuery:
    must: tuple[tuple[Clause, ...], ...] = ()  # AND of OR-groups
    must_not: tuple[Clause, ...] = ()
    notices: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        """Nothing to match on: the search browses everything (minus exclusions)."""
        return not self.must

    def positive_terms(self) -> list[Term]:
        """Every term a matching document may contain: what highlighting marks."""
        found: list[Term] = []
        for group in self.must:
            for clause in group:
                found.extend(clause.terms if isinstance(clause, Phrase) else (clause,))
        return found

    def words(self) -> list[str]:
        return [term.exact for term in self.positive_terms()]


# A chunk is a quoted phrase (closing quote optional) or a run of non-space characters.
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})


def _words(text: str, allow_prefix: bool, notices: list[str]) -> list[Term]:
    """Analyzed words of a chunk; a trailing * on the chunk makes its last word a prefix."""
    star = allow_prefix and text.rstrip().endswith("*")
    surfaces = words(text)
    result: list[Term] = []
    for i, surface in enumerate(surfaces):
        if star and i == len(surfaces) - 1:
            norm = normalize(surface)  # stop words too: في* means words starting with في
            if len(norm) >= MIN_PREFIX:
                result.append(Term(norm, (strip_clitics(norm),), prefix=True))
            else:
                notices.append(f"prefix {surface}* ignored: a prefix needs {MIN_PREFIX}+ letters")
            continue
        analyzed = query_word(surface)
        if analyzed is not None:
            result.append(Term(*analyzed))
    return result


def parse(text: str) -> ParsedQuery:
    """Parse what a reader typed. Never raises."""
    notices: list[str] = []
    text = (text or "").translate(_QUOTES)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(f"query shortened to its first {MAX_QUERY_CHARS} characters")

    groups: list[list[Clause]] = []
    must_not: list[Clause] = []
    pending_or = False
    negate_next = False  # Lucene's NOT word
    had_words = False
    for match in _CHUNK.finditer(text):
        negate, phrase_text, bare = match.group(1), match.group(2), match.group(3)
        if negate_next and bare is None:
            negate = "-"
        if bare is not None:
            if bare in ("OR", "||"):
                pending_or = bool(groups)
                continue
            if bare in ("AND", "&&"):
                continue
            if bare == "NOT":
                negate_next = True
                continue
            negate = "-" if negate_next else ""
            if bare.startswith("-") and len(bare) > 1:
                negate, bare = "-", bare[1:]
            terms = _words(bare, allow_prefix=True, notices=notices)
            clauses: list[Clause] = list(terms)
        else:
            terms = _words(phrase_text, allow_prefix=False, notices=notices)
            clauses = [Phrase(tuple(terms))] if len(terms) > 1 else list(terms)
        negate_next = False
        had_words = had_words or bool(words(bare or phrase_text or ""))
        if not clauses:
            pending_or = False
            continue
        if negate:
            must_not.extend(clauses)
            pending_or = False
            continue
        if pending_or and groups:
            groups[-1].append(clauses[0])
            groups.extend([c] for c in clauses[1:])
        else:
            groups.extend([c] for c in clauses)
        pending_or = False

    if len(groups) > MAX_CLAUSES:
        groups = groups[:MAX_CLAUSES]
        notices.append(f"only the first {MAX_CLAUSES} words were used")
    if had_words and not groups and not must_not and not notices:
        notices.append("the query holds only common words (stop words); showing all articles")
    return ParsedQuery(
        must=tuple(tuple(group) for group in groups),
        must_not=tuple(must_not[:MAX_CLAUSES]),
        notices=tuple(notices),
    )
