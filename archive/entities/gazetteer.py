"""Finds the configured entities (``config/entities/*.tsv``) in tokenized text.

Matching is on folded words, so spelling variants meet; the first word may carry an attached
conjunction or preposition ("وبوتين", "للأمم المتحدة"). Only Arabic-script spellings are looked
for: Latin aliases exist to map names, and short acronyms (UN, WHO) are ordinary English words.
"""

from __future__ import annotations

from collections.abc import Sequence

from archive.entities.aliases import AliasTable
from archive.entities.features import attached_forms
from archive.entities.lexicon import fold


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
                    self.index.setdefault(words[0], []).append((words, entry.kind))
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

    def find(self, forms: Sequence[str]) -> list[tuple[int, int, str]]:
        """(first token, last token + 1, kind) of every configured name in ``forms``."""
        first_forms = self.first_forms
        found: list[tuple[int, int, str]] = []
        n = len(forms)
        covered = 0
        for i in [i for i, form in enumerate(forms) if form in first_forms]:
            if i < covered:
                continue
            for words, kind in self.index[first_forms[forms[i]]]:
                end = i + len(words)
                if end <= n and all(forms[i + k] == words[k] for k in range(1, len(words))):
                    found.append((i, end, kind))
                    covered = end
                    break
        return found
