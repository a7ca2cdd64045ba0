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

The Gulf press names a man in full once ("عادل بن زيد الطريفي") and by given and family name
elsewhere ("عادل الطريفي"): such names are one person's (``Families``) unless the archive also
holds another forebear between the same two names ("أحمد بن قاسم الغامدي", "أحمد بن قشاش
الغامدي"): then "أحمد الغامدي" could be either, and each keeps its own value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.entities.lexicon import ENTITIES_CONFIG, abd_joined, fold, read_list

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


_FOREBEAR_LINKS = frozenset({"بن", "ابن", "بنت"})
Lineage = tuple[tuple[str, ...], tuple[str, ...]]  # forebears named, family (آل X)


def _forebears(words: list[str], start: int) -> tuple[tuple[str, ...], int]:
    """The names after the links (بن/بنت X, بن Y...) that begin at ``start``, and where they
    end."""
    end = start
    while end + 1 < len(words) and words[end] in _FOREBEAR_LINKS:
        end += 2
    return tuple(words[start + 1 : end : 2]), end


def _chains_agree(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether two lists of forebears can be one man's: one begins the other."""
    short, long = sorted((one, other), key=len)
    return long[: len(short)] == short


def _has_forebears(key: str) -> bool:
    """Whether a folded name names forebears after a name (a link inside it)."""
    return any(f" {link} " in key for link in _FOREBEAR_LINKS)


def _lineage_of(words: list[str]) -> Lineage:
    """The forebears a folded person's name writes after its first بن/بنت, and its family if
    آل X follows them; what follows is not lineage ("الأمير فيصل بن بندر بن خالد" -> (بندر،
    خالد), ())."""
    start = next((k for k, w in enumerate(words) if k and w in _FOREBEAR_LINKS), len(words))
    chain, end = _forebears(words, start)
    family = (
        tuple(words[end : end + 2])
        if words[end : end + 1] == ["ال"] and end + 1 < len(words)
        else ()
    )
    return chain, family


def _lineage_size(lineage: Lineage) -> tuple[int, int]:
    return len(lineage[0]), len(lineage[1])


def lineage_split(key: str) -> tuple[str, tuple[str, ...]]:
    """A folded person's name as (given + family name, the forebears named between them):
    "عادل بن زيد الطريفي" -> ("عادل الطريفي", ("زيد",)). A name with no forebears between two
    names ("عادل الطريفي", "محمد بن سلمان", "سلمان بن عبدالعزيز ال سعود" that ends in its
    lineage) is its own short form, with none."""
    words = key.split()
    if len(words) >= 4 and words[1] in _FOREBEAR_LINKS:
        forebears, end = _forebears(words, 1)
        family = words[end:]
        if family and not _FOREBEAR_LINKS.intersection(family) and not _lineage(family):
            return " ".join([words[0], *family]), forebears
    return key, ()


class Families:
    """Folded person names grouped by their short form (``lineage_split``), but for family
    names too many men carry (``shared``, folded: ``shared_family_names.txt``)."""

    def __init__(self, keys: Iterable[str] = (), shared: Container[str] = frozenset()) -> None:
        self._members: dict[str, dict[str, tuple[str, ...]]] = {}
        self._shared = shared
        for key in keys:
            self.add(key)

    def add(self, key: str) -> None:
        short, forebears = lineage_split(key)
        if " " in short and short.rsplit(" ", 1)[1] not in self._shared:
            self._members.setdefault(short, {})[key] = forebears

    def kin(self, key: str) -> list[str]:
        """The other names of ``key``'s person, or none when the forebears named differ (one
        list of forebears must begin every other: "بن محمد" and "بن محمد بن ناصر" agree)."""
        short, forebears = lineage_split(key)
        members = self._members.get(short)
        if not members:
            return []
        chains = [c for c in (*members.values(), forebears) if c]
        longest = max(chains, key=len, default=())
        if not all(_chains_agree(c, longest) for c in chains):
            return []
        return [k for k in members if k != key]

    def groups(self) -> Iterator[list[str]]:
        """Every family of more than one name whose forebears agree."""
        for members in self._members.values():
            first = next(iter(members))
            if len(members) > 1 and self.kin(first):
                yield list(members)


@dataclass(frozen=True)
class Entry:
    kind: str
    canonical: str
    aliases: tuple[str, ...]  # every spelling, the canonical included
    searchable: tuple[str, ...]  # the spellings worth looking for in text


def read_entries(path: Path, kind: str) -> list[Entry]:
    entries: list[Entry] = []
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

    def __init__(self, entries: list[Entry], shared_families: frozenset[str] = frozenset()) -> None:
        self.entries = entries
        self.shared_families = shared_families  # see ``Families``
        # answers already given (names repeat): the configured name, or the spelled name and
        # its spelling key
        self._seen: dict[tuple[str, str], tuple[str, SpellingKey | None]] = {}
        self._spellings: dict[SpellingKey, str] = {}  # see the module docstring
        self._families: Families | None = None  # of the persons in _spellings, made when needed
        # asked for a spelling the table lacks (the store, for a process that outlives imports
        # made by others); not passed to worker processes
        self.spelling_source: Callable[[str, str], str | None] | None = None
        self._met: list[tuple[str, str, str]] = []  # spellings settled since the last take
        self._canonical: dict[tuple[str, str], str] = {}
        # (kind, canonical) -> the longest lineage an entry's aliases write (see _lineage_of)
        self._lineages: dict[tuple[str, str], Lineage] = {}
        for entry in entries:
            slot = (entry.kind, entry.canonical)
            for key in map(fold, entry.aliases):
                if not key:
                    continue
                self._canonical.setdefault((entry.kind, key), entry.canonical)
                if _has_forebears(key):  # one alias in 30: the others write no lineage
                    lineage = _lineage_of(key.split())
                    known = self._lineages.get(slot, lineage)
                    self._lineages[slot] = max(known, lineage, key=_lineage_size)

    @property
    def spellings(self) -> dict[SpellingKey, str]:
        return self._spellings

    @spellings.setter
    def spellings(self, table: dict[SpellingKey, str]) -> None:
        self._spellings = table
        self._families = None

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
        return {**self.__dict__, "spelling_source": None, "_families": None}

    def settle(self, kind: str, value: str) -> str:
        """The facet value of ``value`` (a ``canonical`` answer) for this archive: a name met
        first is kept as the spelling of every later one that folds like it (the importing
        process settles; ``take_met`` hands the new spellings to the store)."""
        name, key = self._spelled(kind, value)
        if key is None:
            return name
        found = self._spellings.get(key)
        if found is None:
            if kind == "person":
                found = self._kin_spelling(key[1])
            self._spellings[key] = found = found or name
            self._met.append((kind, key[1], found))
        return found

    def _kin_spelling(self, key: str) -> str | None:
        """The spelling of a name of the same person met before (see ``Families``)."""
        if self._families is None:
            persons = (k for kind, k in self._spellings if kind == "person")
            self._families = Families(persons, self.shared_families)
        found = None
        for other in self._families.kin(key):
            found = self._spellings.get(("person", other))
            if found is not None:
                break
        self._families.add(key)
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
        articles = Counter[SpellingKey]()
        for (key, _), count in used.items():
            articles[key] += count
        persons = (k for kind, k in best if kind == "person")
        for group in Families(persons, self.shared_families).groups():
            keys = [("person", k) for k in group]
            value = best[min(keys, key=lambda k: (-articles[k], best[k]))]
            best.update(dict.fromkeys(keys, value))
        return best

    def lookup(self, kind: str, name: str) -> str | None:
        """The configured entry's canonical name for ``name``, None if no alias knows it."""
        return self._lookup_folded(kind, fold(name))

    def _lookup_folded(self, kind: str, key: str) -> str | None:
        """A configured name also answers for itself with more lineage after it, and a short
        configured name ("عادل الجبير") for the long form ("عادل بن أحمد الجبير")."""
        found = self._canonical.get((kind, key))
        if found is None and kind == "person":
            words = key.split()
            for end in range(len(words) - 2, 1, -1):
                if words[end] in _LINEAGE:
                    prefix = " ".join(words[:end])
                    found = self._canonical.get((kind, prefix))
                    if found is not None:
                        if not self._same_lineage(kind, found, words):
                            found = None
                        break
                    if not _lineage(words[end:]):
                        break
            if found is None:
                short, forebears = lineage_split(key)
                if forebears:
                    found = self._canonical.get((kind, short))
                    if found is not None and not self._same_lineage(kind, found, words):
                        found = None  # "سعود بن خالد الفيصل" is not سعود الفيصل بن عبدالعزيز
        return found

    def _same_lineage(self, kind: str, canonical: str, words: list[str]) -> bool:
        """Whether a name that goes on after an alias of the entry ``canonical`` (``words``,
        folded) can be that entry: the lineage it writes agrees with the longest one the
        entry's aliases write, where both name forebears or a family ("فهد بن عبدالعزيز بن
        معمر" is not فهد بن عبدالعزيز آل سعود, "الأمير فيصل بن بندر بن خالد" not فيصل بن بندر
        بن عبدالعزيز; "سعود بن نايف آل سعود" is سعود بن نايف بن عبدالعزيز). What follows the
        lineage is the tagger's run-on ("السلطان قابوس بن سعيد سلطان عمان")."""
        known_chain, known_family = self._lineages.get((kind, canonical), ((), ()))
        if not known_chain and not known_family:
            return True
        chain, family = _lineage_of(words)
        if not _chains_agree(chain, known_chain) or (
            family and known_family and family != known_family
        ):
            return False
        # a longer chain where the entry writes a family: its last "بن X" may be a family name
        # (ابن معمر)
        return not (len(chain) > len(known_chain) and known_family and not family)

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
    shared = frozenset(map(fold, read_list(base / "shared_family_names.txt")))
    return AliasTable(entries, shared)
