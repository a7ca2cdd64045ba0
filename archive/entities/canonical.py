"""Within one article, every mention of an entity gets the fullest name the article uses.

"لافروف" -> "سيرغي لافروف", "دي خيا" -> "ديفيد دي خيا"; a misspelled given name ("سسرغي
لافروف") joins the spelling the article uses most; a given name with a patronymic ("نور
سلطان إيبيشيفيتش") joins the full name with the same given name ("نور سلطان نزارباييف"); a
given name alone ("فلاديمير") joins the one full name that starts with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from archive.entities.rules import PATRONYMIC

_HAMZA = frozenset("أإآؤئء")
_NASAB = frozenset({"بن", "ابن", "بنت"})
_LINKS = _NASAB | {"ابو", "ابي", "ابا", "ام", "ال", "عبد", "ولد", "بو"}  # start surnames


@dataclass
class Draft:
    """A mention before naming: its kind and its name words (display and folded)."""

    kind: str
    start: int
    end: int
    words: tuple[str, ...]
    keys: tuple[str, ...]
    tokens: tuple[int, int] = (0, 0)  # first token, last token + 1


def _similar(a: tuple[str, ...], b: tuple[str, ...], given_names: Collection[str]) -> bool:
    """Same words but one, and that one a near-miss spelling ("سسرغي" for "سيرغي"); two
    different known given names ("محمد", "أحمد") are two people."""
    if len(a) != len(b):
        return False
    different = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(different) != 1:
        return not different
    x, y = different[0]
    if x in given_names and y in given_names:
        return False
    return Levenshtein.distance(x, y) <= max(1, min(len(x), len(y)) // 3)


class _Cluster:
    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys  # folded words of the representative
        self.spellings: Counter[tuple[str, ...]] = Counter()
        self.first_seen: dict[tuple[str, ...], int] = {}

    def add(self, words: tuple[str, ...], order: int, count: int = 1) -> None:
        self.spellings[words] += count
        self.first_seen.setdefault(words, order)

    def name(self, given_names: Collection[str], keys_of: dict[tuple[str, ...], tuple]) -> str:
        def rank(words: tuple[str, ...]) -> tuple:
            given_known = keys_of[words][0] in given_names
            hamza = sum(ch in _HAMZA for ch in "".join(words))
            return (-self.spellings[words], not given_known, -hamza, self.first_seen[words])

        best: tuple[str, ...] = min(self.spellings, key=rank)
        return " ".join(best)


def resolve(drafts: list[Draft], given_names: Collection[str]) -> list[str]:
    """The within-article name of each draft, in order."""
    names = [" ".join(d.words) for d in drafts]
    for kind in ("person", "organization"):
        members = [i for i, d in enumerate(drafts) if d.kind == kind]
        if kind == "person":
            _resolve_persons(drafts, members, names, given_names)
        else:
            _resolve_by_fold(drafts, members, names, given_names)
    return names


def _resolve_by_fold(
    drafts: list[Draft], members: list[int], names: list[str], given_names: Collection[str]
) -> None:
    clusters: dict[tuple[str, ...], _Cluster] = {}
    keys_of = {}
    for i in members:
        d = drafts[i]
        clusters.setdefault(d.keys, _Cluster(d.keys)).add(d.words, i)
        keys_of[d.words] = d.keys
    for i in members:
        names[i] = clusters[drafts[i].keys].name(given_names, keys_of)


def _resolve_persons(
    drafts: list[Draft], members: list[int], names: list[str], given_names: Collection[str]
) -> None:
    keys_of = {drafts[i].words: drafts[i].keys for i in members}
    clusters: list[_Cluster] = []
    cluster_of: dict[tuple[str, ...], _Cluster] = {}
    # 1. full names (two words or more), merging near-identical spellings of the given names
    for i in members:
        d = drafts[i]
        if len(d.keys) < 2:
            continue
        cluster = cluster_of.get(d.keys)
        if cluster is None:
            cluster = next(
                (
                    c
                    for c in clusters
                    if len(c.keys) == len(d.keys)
                    and c.keys[-1] == d.keys[-1]
                    and _similar(c.keys[:-1], d.keys[:-1], given_names)
                ),
                None,
            )
            if cluster is None:
                cluster = _Cluster(d.keys)
                clusters.append(cluster)
            cluster_of[d.keys] = cluster
        cluster.add(d.words, i)
    # 2. a word that is no given name before a full name of the article is no part of it
    # ("ويلاحق حسين حبري", "رامبو سيلفستر ستالون"): the name is that full name
    by_keys = {c.keys: c for c in clusters}
    for cluster in list(clusters):
        keys = cluster.keys
        if (
            len(keys) > 2
            and keys[0] not in given_names
            and keys[0] not in _LINKS
            and keys[1] in given_names  # not "راوول دي بلازيو", "حجي أبو بكر"
        ):
            target = by_keys.get(keys[1:])
            if target is not None:
                clusters.remove(cluster)
                for k, owner in cluster_of.items():
                    if owner is cluster:
                        cluster_of[k] = target
    # 3. a name inside a longer one, or given names + patronymic, joins the longer full name
    alone = Counter(drafts[i].keys[0] for i in members if len(drafts[i].keys) == 1)
    for cluster in list(clusters):
        target = _fuller(cluster, clusters, alone, given_names)
        if target is not None:  # the fuller name stays the name: no spelling is merged in
            clusters.remove(cluster)
            for keys, owner in cluster_of.items():
                if owner is cluster:
                    cluster_of[keys] = target
    # 4. one word: a surname, else a given name, of exactly one full name
    for i in members:
        d = drafts[i]
        if len(d.keys) >= 2:
            names[i] = cluster_of[d.keys].name(given_names, keys_of)
            continue
        key = d.keys[0]
        # a surname, unless it is a father's name ("سلمان" in "محمد بن سلمان"); else a given name
        owners = [c for c in clusters if c.keys[-1] == key and c.keys[-2] not in _NASAB] or [
            c for c in clusters if c.keys[0] == key
        ]
        if len(owners) == 1:
            names[i] = owners[0].name(given_names, keys_of)


def _fuller(
    cluster: _Cluster, clusters: list[_Cluster], alone: Counter, given_names: Collection[str]
) -> _Cluster | None:
    """The one longer full name this cluster's name belongs to; the better attested one
    (surname used alone, more mentions) when several fit."""
    keys = cluster.keys
    # a compound surname ("دي خيا", "فان بيرسي", "أبو العيش") is the end of a full name that
    # starts with a given name; a tail that starts with one is another man ("سلمان بن
    # عبدالعزيز" beside "محمد بن سلمان بن عبدالعزيز"), and so is one after بن ("عبدالعزيز آل
    # سعود", the father of "مقرن بن عبدالعزيز آل سعود")
    surname = keys[0] not in given_names and not (
        keys[0] in _NASAB and keys[1] in given_names  # "بن علي": Ali's son, any of them
    )
    candidates = []
    for other in clusters:
        if other is cluster or len(other.keys) < len(keys):
            continue
        longer = other.keys
        if longer[0] != keys[0]:
            if (
                surname
                and longer[-len(keys) :] == keys
                and longer[0] in given_names
                and longer[-len(keys) - 1] not in _NASAB  # "بن عبدالعزيز آل سعود": a father
            ):
                candidates.append(other)
            continue
        # Arabic full names grow to the right (بن ...، آل ...): the short form is a prefix
        inside = len(longer) > len(keys) and longer[: len(keys)] == keys
        patronymic = (
            len(longer) == len(keys)
            and longer[:-1] == keys[:-1]
            and PATRONYMIC.search(keys[-1]) is not None
            and PATRONYMIC.search(longer[-1]) is None
        )
        if inside or patronymic:
            candidates.append(other)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    ranked = sorted(candidates, key=lambda c: -(alone[c.keys[-1]] + sum(c.spellings.values())))
    first, second = ranked[0], ranked[1]
    if alone[first.keys[-1]] + sum(first.spellings.values()) > alone[second.keys[-1]] + sum(
        second.spellings.values()
    ):
        return first
    return None
