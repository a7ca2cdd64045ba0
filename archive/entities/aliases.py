"""The configured gazetteer: canonical names and their aliases, Arabic and Latin.

``config/entities/persons.tsv`` and ``organizations.tsv`` hold one entity per line: the
canonical name, a TAB, then aliases separated by ``|``. An alias written ``~alias`` maps to the
canonical name but is not looked for in text (it is also a common word, or ambiguous).
Facet values are computed from this table at index time, so editing it and reindexing renames
or merges facet values without re-importing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.entities.lexicon import ENTITIES_CONFIG, abd_joined, fold

FILES = {"person": "persons.tsv", "organization": "organizations.tsv"}
_LINEAGE = frozenset({"بن", "ابن", "بنت", "ال"})  # بن X, آل X (folded: آل -> ال)


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
        self._seen: dict[tuple[str, str], str] = {}  # answers already given: names repeat
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
        seen = self._seen.get((kind, name))
        if seen is not None:
            return seen
        if len(self._seen) > 200_000:
            self._seen.clear()
        found = self.lookup(kind, name)
        self._seen[kind, name] = found = found if found is not None else spelled(name)
        return found

    def lookup(self, kind: str, name: str) -> str | None:
        """The configured entry's canonical name for ``name``, None if no alias knows it."""
        key = fold(name)
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
    for kind, filename in FILES.items():
        entries.extend(read_entries(base / filename, kind))
    return AliasTable(entries)
