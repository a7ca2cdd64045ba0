"""Word lists from ``config/entities/``: the human-editable knowledge the extractor uses.

Every entry is stored under its *fold* (``archive.analysis.normalize`` applied word by word,
marks and punctuation dropped), so "الأوراسي", "الاوراسي" and "الأوراسيّ" are one key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.analysis import WORD_PATTERN, normalize
from archive.config import CONFIG_DIR
from archive.entities.features import attached_forms

ENTITIES_CONFIG = CONFIG_DIR / "entities"


HAMZAS = frozenset("أإآؤئء")  # the letters that carry a hamza, which folding takes away
_ABD = re.compile(r"\bعبد (?=ال)")


def abd_joined(text: str) -> str:
    """ "عبد ال..." written as one word ("عبد العزيز" -> "عبدالعزيز"): the press writes both."""
    return _ABD.sub("عبد", text)


@lru_cache(maxsize=65536)  # names recur from article to article: each is folded once
def fold(text: str) -> str:
    """Spelling-insensitive key of a word or phrase: the analyzer's normalize, word by word,
    with "عبد ال..." written as one word (``abd_joined``)."""
    return abd_joined(" ".join(w for w in map(normalize, WORD_PATTERN.findall(text)) if w))


def read_list(path: Path) -> list[str]:
    """Entries of a one-per-line list; ``#`` starts a comment, blank lines are skipped."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def _feminine(word: str) -> str:
    """The ـة form of a nationality adjective, folded (الروسي -> الروسيه)."""
    return word + "ه"


@dataclass(frozen=True)
class Lexicon:
    """Folded word sets, by class: the tagger's gazetteer features and the rules' lists."""

    titles: frozenset[str]  # single words and multi-word titles, folded
    org_heads: frozenset[str]
    say_verbs: frozenset[str]
    particles: frozenset[str]
    first_names: frozenset[str]
    places: frozenset[str]  # whole place names (may be several words)
    nationalities: frozenset[str]
    org_names: frozenset[str] = frozenset()
    org_generic_heads: frozenset[str] = frozenset()
    not_persons: frozenset[str] = frozenset()  # phrases that look like names but are not
    not_organizations: frozenset[str] = frozenset()  # ... like organizations but are not
    ambiguous_orgs: frozenset[str] = frozenset()  # one-word organizations that are everyday words
    org_context: frozenset[str] = frozenset()  # words that show such a word names a club, a paper
    # ... and words right before or after it that show the everyday word (see ``load_lexicon``)
    everyday_before: frozenset[str] = frozenset()
    everyday_after: frozenset[str] = frozenset()
    person_names: frozenset[str] = frozenset()
    place_institutions: frozenset[str] = frozenset()  # heads that name a place's institution
    named_after: frozenset[str] = frozenset()  # heads of things named after a person
    thing_heads: frozenset[str] = frozenset()  # nouns of things (with clitics: لصاروخ) in no name

    @property
    def title_words(self) -> frozenset[str]:
        return frozenset(w for t in self.titles for w in t.split())

    def word_classes(self) -> dict[str, frozenset[str]]:
        """Single-word sets the tagger turns into ``g:<class>`` features."""
        return {
            "title": frozenset(t for t in self.titles if " " not in t),
            "orghead": self.org_heads,
            "say": self.say_verbs,
            "part": self.particles,
            "first": frozenset(w for n in self.first_names for w in n.split()[:1]),
            "place": frozenset(p for p in self.places if " " not in p),
            "nat": self.nationalities,
            "orgname": frozenset(n for n in self.org_names if " " not in n),
            "pername": frozenset(n for n in self.person_names if " " not in n),
        }


def _with_cases(names: frozenset[str]) -> frozenset[str]:
    """Place names that begin with أبو also as the text writes them after a preposition or
    a noun ("بمحافظة أبي عريش") and as its object (أبا), folded."""
    return names | {
        case + name[3:] for name in names if name.startswith("ابو ") for case in ("ابي", "ابا")
    }


def _with_clitics(phrases: frozenset[str]) -> frozenset[str]:
    """Words and phrases also as text writes them with a clitic attached to the first word
    ("بمباراة", "ووزير الشباب")."""
    found: set[str] = set()
    for phrase in phrases:
        first, space, rest = phrase.partition(" ")
        found.update(form + space + rest for form in attached_forms(first))
    return frozenset(found)


def load_lexicon(config_dir: Path | None = None) -> Lexicon:
    base = Path(config_dir) if config_dir else ENTITIES_CONFIG
    if (base / "entities").is_dir():
        base = base / "entities"

    def folded(name: str) -> frozenset[str]:
        return frozenset(k for k in map(fold, read_list(base / name)) if k)

    nationalities = folded("nationalities.txt")
    return Lexicon(
        titles=folded("titles.txt"),
        org_heads=folded("org_heads.txt"),
        say_verbs=folded("say_verbs.txt"),
        particles=folded("name_particles.txt"),
        first_names=folded("first_names.txt"),
        places=_with_cases(folded("places.txt")),
        nationalities=nationalities | {_feminine(n) for n in nationalities},
        org_names=folded("org_names.txt"),
        org_generic_heads=folded("org_generic_heads.txt"),
        not_persons=folded("not_persons.txt"),
        not_organizations=folded("not_organizations.txt"),
        ambiguous_orgs=folded("org_names_ambiguous.txt"),
        org_context=_with_clitics(folded("org_context_words.txt")),
        everyday_before=_with_clitics(folded("everyday_word_before.txt")),
        everyday_after=folded("everyday_word_after.txt"),
        person_names=folded("person_names.txt"),
        place_institutions=folded("place_institutions.txt"),
        thing_heads=_with_clitics(folded("thing_heads.txt")),
        named_after=frozenset(
            f
            for head in folded("named_after_heads.txt")
            for word in (head, "ال" + head)
            for f in attached_forms(word)
        ),
    )
