"""The default extractor: the shipped tagger, the configured gazetteer, and the naming rules.

Pipeline for one text: tokenize -> tag (cached per-type emissions, Viterbi on candidate runs)
-> add configured names the tagger missed -> clean spans (titles, attached clitics, places)
-> find further mentions of the names this text already uses -> name each mention within the
article -> map names to canonical ones through the alias table.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from pathlib import Path

from archive.analysis import STOPWORDS
from archive.entities.aliases import AliasTable, load_aliases
from archive.entities.canonical import Draft, resolve
from archive.entities.features import (
    PROCLITICS,
    Featurizer,
    attached_forms,
    token_offsets,
    tokenize,
)
from archive.entities.gazetteer import Gazetteer
from archive.entities.lexicon import Lexicon, load_lexicon
from archive.entities.model import FORM, TaggerModel
from archive.entities.rules import PATRONYMIC, clitic_cut, display, letters_offset, strip_titles
from archive.entities.types import Extraction, Mention

MODEL_PATH = Path(__file__).resolve().parent / "model" / "ner.json.gz"
KINDS = {"PER": "person", "ORG": "organization", "LOC": "location"}
_PUNCT = frozenset({"Q", "(", ")", "∅"})
# pronoun suffixes written apart (as in clitic-split corpora): never a word of a name
_PRONOUNS = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا"})
_form_of = itemgetter(FORM)


def _name_word(form: str) -> bool:
    return form.isalpha() and form not in _PRONOUNS


class _Doc:
    """One text being extracted: its tokens, their forms and type records, offsets on demand."""

    def __init__(self, text: str, words: list[str], recs: list) -> None:
        self.text, self.words, self.recs = text, words, recs
        self.forms: list[str] = list(map(_form_of, recs))
        self._starts: list[int] | None = None
        self._form_set: set[str] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = token_offsets(self.text, self.words)
        return self._starts

    def form_set(self) -> set[str]:
        if self._form_set is None:
            self._form_set = set(self.forms)
        return self._form_set


class CrfExtractor:
    """Persons and organizations from raw Arabic text (see the module docstring)."""

    def __init__(self, model_path: Path = MODEL_PATH, config_dir: Path | None = None) -> None:
        self.lexicon: Lexicon = load_lexicon(config_dir)
        self.aliases: AliasTable = load_aliases(config_dir)
        self.gazetteer = Gazetteer(self.aliases)
        classes = self.lexicon.word_classes()
        self.model = TaggerModel.load(
            model_path,
            lambda data: Featurizer(classes, {k: tuple(v) for k, v in data["stats"].items()}),
        )
        stats = self.model.featurizer.stats
        configured = self.gazetteer.entries()
        self._title_words = self.lexicon.title_words
        self._given = classes["first"]
        # word forms known to start or belong to names: a clitic is never cut from them
        self._known = (
            {form for form, counts in stats.items() if counts[1] + counts[2] > counts[0]}
            | set(self._given)
            | {w for ws, _ in configured for w in ws}
            | set(self.lexicon.org_heads)
        )
        self._name_stop = self._title_words | self.lexicon.nationalities | self.lexicon.particles
        # words known to be parts of persons' names: given names, configured names, training
        self._person_words = (
            set(self._given)
            | classes["pername"]
            | {w for ws, kind in configured if kind == "person" for w in ws}
            | {form for form, counts in stats.items() if counts[1] > counts[0]}
        )

    def extract(self, text: str) -> Extraction:
        """The persons and organizations of ``text`` (an article: title + blank line + body)."""
        words = tokenize(text)
        if not words:
            return Extraction([])
        cache, record = self.model.cache, self.model.record
        recs = [cache.get(w) or record(w) for w in words]
        doc = _Doc(text, words, recs)
        spans = _merge(self.model.tag(recs), self.gazetteer.find(doc.forms))
        drafts = [d for s in spans if (d := self._draft(doc, *s)) is not None]
        if not drafts:
            return Extraction([])
        drafts += self._more_mentions(doc, drafts)
        drafts = self._not_places(drafts)
        drafts.sort(key=lambda d: d.start)
        names = resolve(drafts, self._given)
        canonical = self.aliases.canonical
        return Extraction(
            [
                Mention(text[d.start : d.end], d.kind, d.start, d.end, name, canonical(d.kind, name))
                for d, name in zip(drafts, names, strict=True)
            ]
        )

    # --- spans to drafts ----------------------------------------------------------------------

    def _draft(self, doc: _Doc, i: int, j: int, label: str) -> Draft | None:
        kind = KINDS.get(label, label)
        if kind not in ("person", "organization"):
            return None
        forms = doc.forms
        while i < j and (forms[i] in _PUNCT or (forms[i] in STOPWORDS and forms[i] not in self._given)):
            i += 1
        while j > i and forms[j - 1] in _PUNCT:
            j -= 1
        if kind == "person" and i < j:
            i += strip_titles(forms[i:j], self._title_words, self.lexicon.nationalities)
            # a name is words: it ends before a number, a sign or a detached pronoun
            j = next((t for t in range(i, j) if not _name_word(forms[t])), j)
        if i >= j:
            return None
        return self._make(doc, i, j, kind)

    def _make(self, doc: _Doc, i: int, j: int, kind: str) -> Draft | None:
        """A draft for tokens i..j-1, with an attached clitic cut from its first word."""
        forms, words = doc.forms, doc.words
        cut, first_key = 0, forms[i]
        if first_key[:1] in PROCLITICS:
            cut, first_key = clitic_cut(first_key, self._known, doc.form_set())
        starts = doc.starts
        start = starts[i]
        first_word = display(words[i])
        if cut:
            start += letters_offset(words[i], cut)
            first_word = first_word[cut:]
        elif first_key != forms[i]:  # ل + ال: the article's alef comes back in the name
            first_word = "ال" + first_word[2:]
        keys = (first_key, *forms[i + 1 : j])
        names = (first_word, *map(display, words[i + 1 : j]))
        if not all(names) or (kind == "person" and not self._person_like(keys)):
            return None
        end = starts[j - 1] + len(words[j - 1])
        return Draft(kind, start, end, names, keys, (i, j))

    def _person_like(self, keys: tuple[str, ...]) -> bool:
        """A place, a bare title or a nationality is not a person."""
        if " ".join(keys) in self.lexicon.places:
            return False
        return not all(k in self._name_stop for k in keys)

    def _not_places(self, drafts: list[Draft]) -> list[Draft]:
        """Drop "persons" that are places: a place name followed by no name-like word ("نور
        سلطان يهدفان" after "موسكو و"), or a place name after words that are not names."""
        persons = [d for d in drafts if d.kind == "person"]
        if not persons:
            return drafts
        places = self.lexicon.places
        said = Counter(k for d in persons for k in set(d.keys))

        def name_like(key: str) -> bool:
            return (
                key in self._person_words
                or PATRONYMIC.search(key) is not None
                or (said[key] > 1 and key not in places)
            )

        kept = []
        for d in drafts:
            keys = d.keys
            if d.kind == "person":
                head = next((m for m in range(len(keys), 0, -1) if " ".join(keys[:m]) in places), 0)
                if head and not any(name_like(k) for k in keys[head:]):
                    continue
                if keys[-1] in places and not any(name_like(k) for k in keys[:-1]):
                    continue
            kept.append(d)
        return kept

    # --- more mentions of names already found -------------------------------------------------

    def _more_mentions(self, doc: _Doc, drafts: list[Draft]) -> list[Draft]:
        """Untagged occurrences of names this text uses: a surname alone, a full name again,
        or the given names of a person followed by a patronymic."""
        sequences: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        patronymic_heads: set[tuple[str, ...]] = set()
        for d in drafts:
            sequences.setdefault(d.keys[0], []).append((d.keys, d.kind))
            if d.kind == "person" and len(d.keys) >= 2:
                surname = d.keys[-1]
                if len(surname) > 2 and surname not in self._name_stop:
                    sequences.setdefault(surname, []).append(((surname,), "person"))
                patronymic_heads.add(d.keys[:-1])
        for options in sequences.values():
            options.sort(key=lambda o: -len(o[0]))
        firsts = {form: first for first in sequences for form in attached_forms(first)}
        forms = doc.forms
        covered = bytearray(len(forms))
        for d in drafts:
            first, last = d.tokens
            covered[first:last] = b"\x01" * (last - first)
        found: list[Draft] = []
        n = len(forms)
        for i in [i for i, form in enumerate(forms) if form in firsts]:
            if covered[i]:
                continue
            for keys, kind in sequences[firsts[forms[i]]]:
                end = i + len(keys)
                if end > n or any(covered[t] or forms[t] != keys[t - i] for t in range(i + 1, end)):
                    continue
                if kind == "person" and keys in patronymic_heads:
                    if end >= n or covered[end] or not PATRONYMIC.search(forms[end]):
                        continue
                    end += 1
                draft = self._make(doc, i, end, kind)
                if draft is not None:
                    found.append(draft)
                    covered[i:end] = b"\x01" * (end - i)
                break
        return found


def _merge(
    tagged: list[tuple[int, int, str]], configured: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """Non-overlapping spans: longer first; on equal length the configured name wins."""
    labels = {"person": "PER", "organization": "ORG"}
    pool = [(i, j, labels.get(k, k), 0) for i, j, k in configured]
    pool += [(i, j, k, 1) for i, j, k in tagged]
    pool.sort(key=lambda s: (s[0] - s[1], s[3], s[0]))
    taken = bytearray(max((j for _, j, _, _ in pool), default=0))
    chosen = []
    for i, j, kind, _ in pool:
        if not any(taken[i:j]):
            chosen.append((i, j, kind))
            taken[i:j] = b"\x01" * (j - i)
    chosen.sort()
    return chosen
