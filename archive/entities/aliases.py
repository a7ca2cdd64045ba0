"""The configured gazetteer: canonical names and their aliases, Arabic and Latin.

``config/entities/persons.tsv`` and ``organizations.tsv`` hold one entity per line: the
canonical name, a TAB, then aliases separated by ``|``. Further files of a kind
(``persons.general.tsv``, a newsroom's own ``persons.local.tsv``) are read after it: the first
file to claim a spelling keeps it, so the curated file wins. An alias written ``~alias`` maps to the
canonical name but is not looked for in text (it is also a common word, or ambiguous).
Facet values are computed from this table at index time, so editing it and reindexing renames
or merges facet values without re-importing.

A name no alias knows gets one spelling per archive (``spellings``: kind and folded name ->
the spelling facets show), so "آشتون كارتر", "أشتون كارتر" and "اشتون كارتر" are one value: the
spelling the archive met first, and after ``archive reindex`` the one most articles use. The
store keeps the table; an import adds the names it meets first (``settle``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.entities.lexicon import ENTITIES_CONFIG, abd_joined, fold

FILES = {"person": "persons.tsv", "organization": "organizations.tsv"}


def gazetteer_files(base: Path, kind: str) -> list[Path]:
    """The kind's main file, then its other ``<stem>.*.tsv`` files in name order."""
    main = base / FILES[kind]
    stem = main.name.removesuffix(".tsv")
    return [main, *sorted(base.glob(f"{stem}.*.tsv"))]


_LINEAGE = frozenset({"بن", "ابن", "بنت", "ال"})  # بن X, آل X (folded: آل -> ال)
SpellingKey = tuple[str, str]  # kind, folded name


def _lineage(words: list[str]) -> bool:
    """Whether ``words`` are only lineage links: (بن|آل) name, (بن|آل) name, ..."""
    return len(words) % 2 == 0 and all(w in _LINEAGE for w in words[::2])


@dataclass(frozen=True)
class Entry:
    kind: str
    canonical: str
    aliases: tuple[str, ...]  # every spelling, the canonical included
    searchable: tuple[str, ...]  # the spellings worth looking for in text


def read_entries(path: Path, kind: str) -> list[Entry]:
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        canonical, _, rest = line.partition("\t")
        canonical = " ".join(canonical.split())
        if not canonical:
            continue
        aliases, searchable = [canonical], [canonical]
        for alias in rest.split("|"):
            alias = " ".join(alias.split())
            if alias.startswith("~"):
                aliases.append(alias[1:].strip())
            elif alias:
                aliases.append(alias)
                searchable.append(alias)
        entries.append(Entry(kind, canonical, tuple(aliases), tuple(searchable)))
    return entries


class AliasTable:
    """Maps any known spelling of an entity to its canonical name."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        # answers already given (names repeat): the configured name, or the spelled name and
        # its spelling key
        self._seen: dict[tuple[str, str], tuple[str, SpellingKey | None]] = {}
        self.spellings: dict[SpellingKey, str] = {}  # see the module docstring
        # asked for a spelling the table lacks (the store, for a process that outlives imports
        # made by others); not passed to worker processes
        self.spelling_source: Callable[[str, str], str | None] | None = None
        self._met: list[tuple[str, str, str]] = []  # spellings settled since the last take
        self._canonical: dict[tuple[str, str], str] = {}
        for entry in entries:
            for alias in entry.aliases:
                key = fold(alias)
                if key:
                    self._canonical.setdefault((entry.kind, key), entry.canonical)

    def canonical(self, kind: str, name: str) -> str:
        """The canonical name for ``name``; if no alias knows it, ``name`` as facets write it
        (see ``spelled``).

        A person's name that is a known name followed by more of its lineage ("محمد بن نايف
        بن عبدالعزيز آل سعود" after "محمد بن نايف") maps like the known name.
        """
        value, key = self._spelled(kind, name)
        if key is None:
            return value
        found = self.spellings.get(key)
        if found is None and self.spelling_source is not None:
            found = self.spelling_source(*key)
            if found is not None:
                self.spellings[key] = found
        return found if found is not None else value

    def _spelled(self, kind: str, name: str) -> tuple[str, SpellingKey | None]:
        """(configured name, None), or (the name as facets write it, its spelling key)."""
        seen = self._seen.get((kind, name))
        if seen is None:
            if len(self._seen) > 200_000:
                self._seen.clear()
            key = fold(name)
            found = self._lookup_folded(kind, key)
            seen = (found, None) if found is not None else (spelled(name), (kind, key))
            self._seen[kind, name] = seen
        return seen

    def __getstate__(self) -> dict:
        return {**self.__dict__, "spelling_source": None}

    def settle(self, kind: str, value: str) -> str:
        """The facet value of ``value`` (a ``canonical`` answer) for this archive: a name met
        first is kept as the spelling of every later one that folds like it (the importing
        process settles; ``take_met`` hands the new spellings to the store)."""
        name, key = self._spelled(kind, value)
        if key is None:
            return name
        found = self.spellings.get(key)
        if found is None:
            self.spellings[key] = found = name
            self._met.append((kind, key[1], name))
        return found

    def take_met(self) -> list[tuple[str, str, str]]:
        """(kind, folded name, spelling) settled since the last call."""
        met, self._met = self._met, []
        return met

    def majority_spellings(self, counts: Iterable[tuple[str, str, int]]) -> dict[SpellingKey, str]:
        """From (kind, name, articles) of stored names: each folded name's most used spelling
        (ties: the first in Unicode order), for the names no alias knows."""
        used: Counter[tuple[SpellingKey, str]] = Counter()
        for kind, name, count in counts:
            if self.lookup(kind, name) is None:
                used[(kind, fold(name)), spelled(name)] += count
        best: dict[SpellingKey, str] = {}
        for key, value in sorted(used, key=lambda kv: (-used[kv], kv[1])):
            best.setdefault(key, value)
        return best

    def lookup(self, kind: str, name: str) -> str | None:
        """The configured entry's canonical name for ``name``, None if no alias knows it."""
        return self._lookup_folded(kind, fold(name))

    def _lookup_folded(self, kind: str, key: str) -> str | None:
        found = self._canonical.get((kind, key))
        if found is None and kind == "person":
            words = key.split()
            for end in range(len(words) - 2, 1, -1):
                if words[end] in _LINEAGE:
                    found = self._canonical.get((kind, " ".join(words[:end])))
                    if found is not None or not _lineage(words[end:]):
                        break
        return found

    def __contains__(self, item: tuple[str, str]) -> bool:
        kind, name = item
        return (kind, fold(name)) in self._canonical


def spelled(name: str) -> str:
    """A name no alias knows, as a facet value: whitespace normalized and "عبد ال..." written
    as one word, the way most of the Saudi press writes it, so that "علي عبد الله صالح" and
    "علي عبدالله صالح" (48 and 7 of 6,000 SaudiNewsNet articles) are one value."""
    return abd_joined(" ".join(name.split()))


def load_aliases(config_dir: Path | None = None) -> AliasTable:
    """The alias table from ``config/entities``; call again to reload.

    ``config_dir`` may be a project config folder (holding ``entities/``) or the entities folder.
    """
    base = Path(config_dir) if config_dir else ENTITIES_CONFIG
    if (base / "entities").is_dir():
        base = base / "entities"
    entries: list[Entry] = []
    for kind in FILES:
        for path in gazetteer_files(base, kind):
            entries.extend(read_entries(path, kind))
    return AliasTable(entries)
