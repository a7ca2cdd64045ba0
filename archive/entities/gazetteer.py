"""Finds the configured entities (``config/entities/*.tsv``) in tokenized text.

Matching is on folded words, so spelling variants meet; the first word may carry an attached
conjunction or preposition ("وبوتين", "للأمم المتحدة"). A Latin alias is looked for only as
written, capitalized, three letters at least ("Sony", "BBC"; not "UN", and not "apple").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from archive.entities.aliases import AliasTable
from archive.entities.features import CLITIC_PREFIXES, attached_forms, positions
from archive.entities.lexicon import HAMZAS, fold

CompiledNames = dict[str, tuple[str | None, dict[str, list[tuple[tuple[str, ...], str]]]]]


# clitics read before a first word of two letters ("وأم كلثوم", "ولبن لادن", "لبي بي سي",
# "بدي خيا"), which ``attached_forms`` leaves out (``cores`` reads words of four letters or
# more, as the tagger was trained); not ك (like), which turns short words into others ("كما")
SHORT_FIRST_CLITICS = tuple(p for p in CLITIC_PREFIXES if "ك" not in p)


def _spellings(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The name as folded ("عبدالعزيز") and with "عبد" written apart ("عبد العزيز")."""
    apart: list[str] = []
    for word in words:
        if word.startswith("عبدال") and len(word) > 5:
            apart += ["عبد", word[3:]]
        else:
            apart.append(word)
    return {words, tuple(apart)}


_CAPITAL = re.compile("[A-Z]")  # every Latin name starts with one (see ``_latin_name``)


def _arabic(text: str) -> bool:
    return any("\u0621" <= ch <= "\u064a" for ch in text)


def _latin_name(alias: str) -> bool:
    """Whether a Latin alias is looked for: every word capitalized as names are ("Sony",
    "Credit Suisse", "BBC"), three letters at least; "UN", "AP" and lowercase words are not."""
    words = alias.split()
    return len(alias) >= 3 and all(w[:1].isupper() and w.isascii() for w in words)


def _compiled(
    index: dict[str, list[tuple[tuple[str, ...], str]]],
    first_forms: dict[str, list[str]],
    form_of: Callable[[str], str],
) -> CompiledNames:
    """First word as written in text (``first_forms``: that form -> the index's first words it
    can be read as, the bare reading first) -> (the kind of the one-word name, or None; second
    word -> [(the words after the second, kind)], longest first). Indexed by two words, a
    first word shared by hundreds of names ("وزارة", "الأمير") costs one lookup, not hundreds
    of comparisons; each first word's names are compiled once and shared by its attached
    forms ("وزارة", "ووزارة", "بوزارة"). A form with two readings ("وام": WAM, or و + أم of
    "أم كلثوم"; "فريد" or ف + ريد) finds the names of both."""
    by_first: CompiledNames = {}
    for first, options in index.items():
        one_word: str | None = None
        longer: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words, kind in options:  # longest first: the order carries over
            if len(words) == 1:
                one_word = one_word or kind
                continue
            second, *rest = map(form_of, words[1:])
            longer.setdefault(second, []).append((tuple(rest), kind))
        by_first[first] = (one_word, longer)
    compiled: CompiledNames = {}
    for form, firsts in first_forms.items():
        key = form_of(form)
        readings = [compiled[key]] if key in compiled else []
        readings += [by_first[first] for first in firsts]
        compiled[key] = readings[0] if len(readings) == 1 else _merged(readings)
    return compiled


def _merged(readings: list[tuple[str | None, dict]]) -> tuple[str | None, dict]:
    """One compiled entry for the readings of a form, in order: the first one-word kind, and
    every reading's longer names, longest first."""
    one_word = next((kind for kind, _ in readings if kind is not None), None)
    longer: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for _, names_by_second in readings:
        for second, names in names_by_second.items():
            longer.setdefault(second, []).extend(names)
    for names in longer.values():
        names.sort(key=lambda name: -len(name[0]))  # stable: the earlier reading first
    return one_word, longer


class Gazetteer:
    def __init__(self, aliases: AliasTable) -> None:
        # first folded word -> [(all folded words, kind)], longest first
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # Latin names as written, case and all: first word -> [(words, kind)], longest first
        self.latin: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        with_hamza: set[str] = set()  # folded names some spelling writes with a hamza
        for entry in aliases.entries:
            for alias in entry.searchable:
                words = tuple(fold(alias).split())
                if not HAMZAS.isdisjoint(alias):
                    with_hamza.add(" ".join(words))
                if words and _arabic(alias):
                    for variant in _spellings(words):
                        self.index.setdefault(variant[0], []).append((variant, entry.kind))
                elif _latin_name(alias):
                    written = tuple(alias.split())
                    self.latin.setdefault(written[0], []).append((written, entry.kind))
        for options in (*self.index.values(), *self.latin.values()):
            options.sort(key=lambda option: -len(option[0]))
        # the first word may carry an attached و ف ب ك ل: look those forms up directly
        self.first_forms: dict[str, list[str]] = {}
        for first in self.index:
            for form in attached_forms(first):
                self.first_forms.setdefault(form, []).append(first)
        # ... and a first word of two letters, too short for ``attached_forms``, with a clitic:
        # "وأم كلثوم", "ولبن لادن" (none of these words is a one-word name)
        for first, options in self.index.items():
            if len(first) == 2 and all(len(words) > 1 for words, _ in options):
                for clitic in SHORT_FIRST_CLITICS:
                    self.first_forms.setdefault(clitic + first, []).append(first)
        for form, firsts in self.first_forms.items():
            firsts.sort(key=lambda first: first != form)  # the bare reading first
        self._latin = _compiled(self.latin, {first: [first] for first in self.latin}, str)
        # forms whose one-word name (the first reading that is one) no spelling writes with
        # a hamza ("وام", WAM; see ``hamza_added``)
        one_word = {first for first, options in self.index.items() if len(options[-1][0]) == 1}
        hamza_free = one_word - with_hamza  # (options are longest first: the last is shortest)
        self._hamza_free_forms = frozenset(
            form
            for form, firsts in self.first_forms.items()
            if next((f for f in firsts if f in one_word), None) in hamza_free
        )

    def hamza_added(self, written: str) -> bool:
        """Whether a word found as a one-word name writes a hamza that no spelling of the
        name has: then it is another word ("وأم", and mother, is not وام, the agency). Writers
        leave hamzas out, they do not put in ones a name lacks."""
        return not HAMZAS.isdisjoint(written) and fold(written) in self._hamza_free_forms

    def entries(self) -> list[tuple[tuple[str, ...], str]]:
        """Every searchable name as (folded words, kind)."""
        return [option for options in self.index.values() for option in options]

    def compile(self, form_of: Callable[[str], str]) -> CompiledNames:
        """The names as the tagger's word forms (``form_of``: a folded word's form), for
        ``find``. Kept as strings, the names' thousands of words need no rows in the tagger's
        tables."""
        return _compiled(self.index, self.first_forms, form_of)

    @staticmethod
    def find(
        forms: Sequence[str], compiled: CompiledNames, at: Sequence[int] | None = None
    ) -> list[tuple[int, int, str]]:
        """(first token, last token + 1, kind) of every configured name in a document, given
        its tokens' forms (and ``at``, the tokens whose form is in ``compiled``, if known)."""
        found: list[tuple[int, int, str]] = []
        n = len(forms)
        covered = 0
        for i in positions(forms, compiled) if at is None else at:
            if i < covered:
                continue
            one_word, longer = compiled[forms[i]]
            match = None
            if i + 1 < n:
                for rest, kind in longer.get(forms[i + 1], ()):
                    end = i + 2 + len(rest)
                    if end <= n and (not rest or tuple(forms[i + 2 : end]) == rest):
                        match = (i, end, kind)
                        break
            if match is None and one_word is not None:
                match = (i, i + 1, one_word)
            if match is not None:
                found.append(match)
                covered = match[1]
        return found

    def find_latin(self, text: str, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """``find`` for the Latin names written in a document ("أجهزة Dell", "موقع BBC"); a
        text with no capital Latin letter, most Arabic articles, has none."""
        if _CAPITAL.search(text) is None:
            return []
        return self.find(words, self._latin)
