"""Tagger features of a word *type*, shared by training (``scripts/train_ner.py``) and decoding.

Every feature belongs to one word and is used at a fixed offset from the token being labelled
(-2 .. +2). No feature looks at two words at once, so a token's emission score is a sum of
per-type contributions that the decoder computes once per type and caches: that is what makes
extraction fast. Features are computed on the analyzer's normalized form, so hamza, ة/ه and
harakat variants are one type, and on clitic-stripped "cores", so "ولافروف" shares evidence
with "لافروف".
"""

from __future__ import annotations

import gzip
import math
import re
from bisect import bisect
from collections import Counter
from collections.abc import Collection, Container, Mapping, Sequence
from functools import lru_cache
from itertools import accumulate, chain, compress, repeat
from pathlib import Path
from typing import TypeVar

from archive.analysis import WORD_PATTERN, normalize

# Words as the analyzer sees them, plus every other visible character as a token of its own
# (quotes, brackets, commas are strong context). Like the analyzer, blank "_" out first.
TOKEN_PATTERN = re.compile(f"{WORD_PATTERN.pattern}|[^\\s\\w]")


_GAPPED = re.compile(f"(\\s*)({TOKEN_PATTERN.pattern})")


def tokenize(text: str) -> list[str]:
    """The tokens of ``text``. Only whitespace lies between them (see ``token_offsets``)."""
    return TOKEN_PATTERN.findall(text.replace("_", " "))


def tokenize_gapped(text: str) -> list[tuple[str, str]]:
    """(whitespace before, token) for every token of ``text``: the offsets come for free."""
    return _GAPPED.findall(text.replace("_", " "))


def gapped_offsets(pairs: list[tuple[str, str]]) -> list[int]:
    """Start offsets of the tokens of ``tokenize_gapped``: lengths summed in C."""
    return list(accumulate(map(len, chain.from_iterable(pairs))))[::2]


T = TypeVar("T")


def positions(ids: Sequence[T], wanted: Container[T]) -> list[int]:
    """Indexes of the ids that are in ``wanted``, found in C (a comprehension costs 3x)."""
    return list(compress(range(len(ids)), map(wanted.__contains__, ids)))


def token_offsets(text: str, tokens: list[str]) -> list[int]:
    """Start offsets of ``tokens`` in ``text``: each is the next occurrence after the last,
    because only whitespace separates tokens."""
    starts, pos, find = [], 0, text.find
    for token in tokens:
        pos = find(token, pos)
        starts.append(pos)
        pos += len(token)
    return starts


PAD = "<s>"  # the type standing for "outside the text" at either end
_QUOTES = frozenset("\"'«»“”„‘’`‹›")
_OPEN = frozenset("([{")
_CLOSE = frozenset(")]}")
PROCLITICS = "وفبكل"

# Counts of a word in the training data, as (outside, person, organization, location).
Stats = Mapping[str, tuple[int, int, int, int]]


def token_form(surface: str) -> str:
    """The form features are computed on: normalized word, or a class for punctuation."""
    form = normalize(surface)
    if not form:
        return "∅"
    if len(form) == 1 and not form.isalnum():
        if form in _QUOTES:
            return "Q"
        if form in _OPEN:
            return "("
        if form in _CLOSE:
            return ")"
    return form


def cores(form: str) -> list[str]:
    """Readings of ``form`` without an attached conjunction or preposition (و ف ب ك ل).

    "ولافروف" -> ["لافروف", "افروف"], "للامم" -> ["لامم", "الامم"]. Wrong readings are harmless:
    they carry no learned weight.
    """
    out: list[str] = []
    if len(form) >= 4 and form[0] in "وف":
        rest = form[1:]
        out.append(rest)
        if len(rest) >= 4 and rest[0] in "بكل":
            out.append(rest[1:])
        if rest.startswith("لل") and len(rest) >= 4:
            out.append("ال" + rest[2:])
    elif len(form) >= 4 and form[0] in "بكل":
        out.append(form[1:])
        if form.startswith("لل"):
            out.append("ال" + form[2:])
    return out


# the clitics, alone or two together, that can be attached before a word
CLITIC_PREFIXES = ("و", "ف", "ب", "ك", "ل", "وب", "ول", "وك", "فب", "فل", "فك")


@lru_cache(maxsize=65536)
def attached_forms(word: str) -> frozenset[str]:
    """``word`` and the forms it takes with an attached و ف ب ك ل (the inverse of ``cores``)."""
    forms = {word}
    for prefix in CLITIC_PREFIXES:
        forms.add(prefix + word)
    if word.startswith("ال"):
        forms.update(p + word[2:] for p in ("لل", "ولل", "فلل"))
    return frozenset(f for f in forms if f == word or word in cores(f))


def _ratio(part: int, total: int) -> str:
    if part == 0:
        return "0"
    share = part / total
    return "l" if share < 0.3 else "m" if share < 0.7 else "h"


@lru_cache(maxsize=4096)
def _stats_features(prefix: str, counts: tuple[int, int, int, int] | None) -> tuple[str, ...]:
    """How often the word was a person, an organization, a place: bucketed shares."""
    if counts is None:
        return (prefix + "oov",)
    total = sum(counts)
    return (
        f"{prefix}rp:{_ratio(counts[1], total)}",
        f"{prefix}ro:{_ratio(counts[2], total)}",
        f"{prefix}rl:{_ratio(counts[3], total)}",
        f"{prefix}n:{'r' if total < 3 else 'f'}",
    )


def _shape(form: str) -> str:
    first = form[0]
    if "\u0621" <= first <= "\u064a":
        return "a"
    if first.isdigit():
        return "d"
    if first.isalpha():
        return "l"
    return "p"


def _vowels(form: str) -> str:
    """Share of long-vowel letters (ا و ي) after the article: transliterated foreign names
    ("دويسنبرج", "كافو", "ساركوزي") carry more of them than Arabic words built on roots."""
    body = form[2:] if form.startswith("ال") and len(form) > 4 else form
    share = (body.count("ا") + body.count("و") + body.count("ي")) / len(body)
    return "0" if share < 0.2 else "1" if share < 0.34 else "2" if share < 0.5 else "3"


def _length(form: str) -> str:
    n = len(form)
    return "1" if n == 1 else "2" if n == 2 else "3" if n <= 4 else "5" if n <= 6 else "7"


@lru_cache(maxsize=256)
def _gram_slices(size: int) -> tuple[slice, ...]:
    """The letter pairs then triples of a padded word of ``size`` characters, as slices."""
    return tuple(slice(i, i + n) for n in (2, 3) for i in range(size - n + 1))


class NameShape:
    """How much a word's letters look like a person's name: the mean log-odds of its letter
    pairs and triples, names against other words, learned from the training types. Names never
    seen in training ("جوتشولك", "خاجيبور") still share letter sequences with names that were,
    which a word's affixes alone do not show."""

    def __init__(self, table: Mapping[str, float], cuts: Sequence[float]) -> None:
        self.table, self.cuts = dict(table), tuple(cuts)
        self._buckets = tuple(str(k) for k in range(len(self.cuts) + 1))

    @staticmethod
    def grams(form: str) -> list[str]:
        return list(map(f"^{form}$".__getitem__, _gram_slices(len(form) + 2)))

    def score(self, form: str) -> float:
        # every step in C: this runs once for each new word type a process meets
        slices = _gram_slices(len(form) + 2)
        pieces = map(f"^{form}$".__getitem__, slices)
        return sum(map(self.table.get, pieces, repeat(0.0))) / len(slices)

    def bucket(self, form: str) -> str:
        return self._buckets[bisect(self.cuts, self.score(form))]

    @classmethod
    def train(cls, names: Collection[str], others: Collection[str], buckets: int = 8) -> NameShape:
        """From word types that were names and types that were not (add-one smoothing);
        bucket edges at quantiles of the training types' scores."""
        name_counts = Counter(g for w in names for g in cls.grams(w))
        other_counts = Counter(g for w in others for g in cls.grams(w))
        n_names, n_others = sum(name_counts.values()) or 1, sum(other_counts.values()) or 1
        log = math.log
        table = {
            g: round(log((name_counts[g] + 1) / n_names) - log((other_counts[g] + 1) / n_others), 3)
            for g in name_counts.keys() | other_counts.keys()
            if name_counts[g] + other_counts[g] >= 2
        }
        shape = cls(table, ())
        scores = sorted(shape.score(w) for w in [*names, *others])
        cuts = [scores[len(scores) * k // buckets] for k in range(1, buckets)] if scores else []
        return cls(table, cuts)

    def to_json(self) -> dict:
        return {"table": dict(self.table), "cuts": list(self.cuts)}


def _class_features(
    prefix: str, classes: Mapping[str, frozenset[str]]
) -> dict[str, tuple[str, ...]]:
    """Word -> the features of the classes it belongs to ("g:first", "g:place"...)."""
    names: dict[str, list[str]] = {}
    for name, words in classes.items():
        for word in words:
            names.setdefault(word, []).append(name)
    return {word: tuple(prefix + n for n in found) for word, found in names.items()}


# endings cut from a word to find its stem in a dictionary of Arabic words (see ``vocab_kind``)
_STEM_SUFFIXES = ("هما", "كما", "هم", "ها", "كم", "نا", "ات", "ون", "ين", "ان", "يه", "ه", "ي")
# ... by their last letter: a word is tried with the two or four that can end it, not all
_SUFFIXES_BY_LAST = {
    last: tuple(s for s in _STEM_SUFFIXES if s[-1] == last)
    for last in {s[-1] for s in _STEM_SUFFIXES}
}


def read_vocab(path: Path) -> frozenset[str]:
    """Dictionary words, one per line, gzipped when the name ends in ".gz"."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def vocab_kind(form: str, core_forms: list[str], vocab: Container[str]) -> str:
    """ "e" when a dictionary of Arabic words holds ``form``, "s" when it holds a light stem of
    it (article, clitics, a suffix cut), "n" when it holds neither. Names foreign to Arabic
    ("لافروف", "جوتشولك") are "n" though training never saw them: a third of the person words
    of NewsFANE's train split are, against 4 % of the other words."""
    if form in vocab:
        return "e"
    stems = [form, *core_forms]
    stems += [s[2:] for s in stems if s.startswith("ال") and len(s) > 4]
    for stem in stems:
        if stem in vocab:
            return "s"
        for suffix in _SUFFIXES_BY_LAST.get(stem[-1], ()):
            cut = len(stem) - len(suffix)
            if cut >= 3 and stem.endswith(suffix) and stem[:cut] in vocab:
                return "s"
    return "n"


class Featurizer:
    """Features of a word type, given the gazetteer classes and the training counts."""

    def __init__(
        self,
        classes: Mapping[str, frozenset[str]],
        stats: Stats,
        shape: NameShape | None = None,
        wide: bool = False,
        whole_words: Mapping[str, frozenset[str]] | None = None,
        vocab: Container[str] | None = None,
    ) -> None:
        """``whole_words``: more members of some classes that count only as whole words, not
        as the core of a longer one (a given name "ستان" says nothing of "فستان", a dress).
        ``vocab``: a dictionary of Arabic words (see ``vocab_kind``)."""
        self.classes = {
            name: words | (whole_words or {}).get(name, frozenset())
            for name, words in classes.items()
        }
        self.stats = stats
        self.shape = shape
        self.wide = wide
        self.vocab = vocab
        self._gaz = _class_features("g:", self.classes)
        self._gaz_core = _class_features("gc:", classes)

    def features(
        self, form: str, core_forms: list[str] | None = None
    ) -> tuple[list[str], list[str], list[str]]:
        """(own, near, far): used at offset 0, at offsets -1/+1, and at offsets -2/+2.

        Each list holds the next one: own ⊇ near ⊇ far (the decoder relies on it).
        ``core_forms`` may pass ``cores(form)`` when the caller has it already.
        """
        if form == PAD:
            return ["w:" + PAD], ["w:" + PAD], ["w:" + PAD]
        shape = _shape(form)
        word = ["w:" + form, "sh:" + shape]
        gaz = list(self._gaz.get(form, ()))
        if shape != "a":
            near = word + gaz
            return ["b", *near, "len:" + _length(form)], near, word
        if core_forms is None:
            core_forms = cores(form)
        stats = list(_stats_features("", self.stats.get(form)))
        known_core = None
        for core in core_forms:
            gaz += self._gaz_core.get(core, ())
            if known_core is None and core in self.stats:
                known_core = core
        if known_core is not None:
            stats += _stats_features("c", self.stats[known_core])
        # what the letters say of an unseen word: name-like (``NameShape``), in a dictionary
        unseen = ["ns:" + self.shape.bucket(form)] if self.shape is not None else []
        if self.vocab is not None:
            unseen.append("lx:" + vocab_kind(form, core_forms, self.vocab))
        far = [*word, *gaz, *stats, *unseen] if self.wide else [*word, *gaz]
        near = [*word, *gaz, *stats, *unseen, "x2:" + form[-2:], "x3:" + form[-3:]]
        near.append("p2:" + form[:2])
        if form.startswith("ال"):
            near.append("al")
        own = [
            "b",
            *near,
            *("c:" + c for c in core_forms),
            "p3:" + form[:3],
            "x1:" + form[-1:],
            "x4:" + form[-4:],
            "v:" + _vowels(form),
            "len:" + _length(form),
        ]
        return own, near, far
