"""Finds the configured entities (``config/entities/*.tsv``) in tokenized text.

Matching is on folded words, so spelling variants meet; the first word may carry an attached
conjunction or preposition ("وبوتين", "للأمم المتحدة"). Only Arabic-script spellings are looked
for: Latin aliases exist to map names, and short acronyms (UN, WHO) are ordinary English words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from archive.entities.aliases import AliasTable
from archive.entities.features import attached_forms, positions
from archive.entities.lexicon import fold

CompiledNames = dict[int, list[tuple[tuple[int, ...], str]]]


def _spellings(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The name as folded ("عبدالعزيز") and with "عبد" written apart ("عبد العزيز")."""
    apart: list[str] = []
    for word in words:
        if word.startswith("عبدال") and len(word) > 5:
            apart += ["عبد", word[3:]]
        else:
            apart.append(word)
    return {words, tuple(apart)}


def _arabic(text: str) -> bool:
    return any("\u0621" <= ch <= "\u064a" for ch in text)


class Gazetteer:
    def __init__(self, aliases: AliasTable) -> None:
        # first folded word -> [(all folded words, kind)], longest first
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for entry in aliases.entries:
            for alias in entry.searchable:
                words = tuple(fold(alias).split())
                if words and _arabic(alias):
                    for variant in _spellings(words):
                        self.index.setdefault(variant[0], []).append((variant, entry.kind))
        for options in self.index.values():
            options.sort(key=lambda option: -len(option[0]))
        # the first word may carry an attached و ف ب ك ل: look those forms up directly
        self.first_forms: dict[str, str] = {}
        for first in self.index:
            for form in attached_forms(first):
                self.first_forms.setdefault(form, first)

    def entries(self) -> list[tuple[tuple[str, ...], str]]:
        """Every searchable name as (folded words, kind)."""
        return [option for options in self.index.values() for option in options]

    def compile(self, type_ids: Callable[[list[str]], list[int]]) -> CompiledNames:
        """The names as word type ids (``type_ids`` maps folded words to ids): first word ->
        [(the other words, kind)], longest first."""
        firsts = list(self.first_forms)
        compiled: CompiledNames = {}
        for type_id, form in zip(type_ids(firsts), firsts, strict=True):
            for words, kind in self.index[self.first_forms[form]]:
                rest = tuple(type_ids(list(words[1:]))) if len(words) > 1 else ()
                compiled.setdefault(type_id, []).append((rest, kind))
        return compiled

    @staticmethod
    def find(ids: Sequence[int], compiled: CompiledNames) -> list[tuple[int, int, str]]:
        """(first token, last token + 1, kind) of every configured name in a document, given
        its tokens' type ids."""
        found: list[tuple[int, int, str]] = []
        n = len(ids)
        covered = 0
        for i in positions(ids, compiled):
            if i < covered:
                continue
            for rest, kind in compiled[ids[i]]:
                end = i + 1 + len(rest)
                if end <= n and tuple(ids[i + 1 : end]) == rest:
                    found.append((i, end, kind))
                    covered = end
                    break
        return found
