"""The one Arabic analyzer: text in, terms out, for every engine and for highlighting.

Both search engines index the terms this module produces (design principle 3), so a word
matches the same documents whichever engine answers. Each token yields two terms:

* ``exact``: the normalized surface form (no harakat, tatweel, hamza-on-alef, ...), and
* ``stem``: the light stem of that form (clitics and inflectional suffixes removed).

Queries match either; a document holding the exact form scores both and ranks first.

Conformance with Lucene's ArabicAnalyzer (ArabicNormalizer + ArabicStemmer + stop words) is
deliberate and tested in ``tests/test_analysis_conformance.py``. Where we differ we say so below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pyarabic.araby as araby
import Stemmer

from archive.config import CONFIG_DIR

# --- normalization ---------------------------------------------------------------------------

# Marks removed everywhere: pyarabic's harakat (fatha ... sukun, shadda, tanween) and tatweel,
# plus the Quranic annotation marks, superscript alef and invisible joiners, which Lucene keeps
# but which only ever appear as decoration in news text.
_DELETED = (
    set(araby.TASHKEEL)
    | {araby.TATWEEL, araby.MINI_ALEF}
    | {chr(c) for c in range(0x0610, 0x061B)}
    | {chr(c) for c in range(0x064B, 0x0660)}
    | {chr(c) for c in range(0x06D6, 0x06EE)}
    | {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"}
)
_FOLDED = {
    # Lucene: alef with madda / hamza above / hamza below -> bare alef. We add alef wasla.
    araby.ALEF_MADDA: araby.ALEF,
    araby.ALEF_HAMZA_ABOVE: araby.ALEF,
    araby.ALEF_HAMZA_BELOW: araby.ALEF,
    araby.ALEF_WASLA: araby.ALEF,
    # Lucene: alef maksura -> yeh; teh marbuta -> heh.
    araby.ALEF_MAKSURA: araby.YEH,
    araby.TEH_MARBUTA: araby.HEH,
    # Beyond Lucene: hamza on waw and on yeh fold to the bare hamza (as pyarabic's
    # normalize_hamza does), so the two accepted spellings مسؤول / مسئول and شؤون / شئون meet.
    araby.WAW_HAMZA: araby.HAMZA,
    araby.YEH_HAMZA: araby.HAMZA,
    # Persian/Urdu code points that appear in copy-pasted Arabic text.
    "\u06cc": araby.YEH,  # farsi yeh
    "\u06a9": araby.KAF,  # keheh
    "\u06c1": araby.HEH,  # heh goal
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}
_NORMALIZE = str.maketrans({**dict.fromkeys(_DELETED, None), **_FOLDED, **_DIGITS})
# Stop words are recognized before alef maksura is folded, as Lucene does: على (on) is a stop
# word, علي (the name Ali) is not, although both normalize to علي.
_STOP_FORM = str.maketrans(
    {
        **dict.fromkeys(_DELETED, None),
        **{k: v for k, v in _FOLDED.items() if k != araby.ALEF_MAKSURA},
        **_DIGITS,
    }
)


def normalize(text: str) -> str:
    """Fold spelling variation away: the form under which words are compared."""
    return text.translate(_NORMALIZE).lower()


# --- tokenization ----------------------------------------------------------------------------

# A word is a run of letters/digits, with the deleted marks allowed inside it so that offsets
# cover the whole written word (مَكَّة is one token, not three). One character class is 3x
# faster than an alternation; "_" (a \w character) is blanked out of the text first.
_MARKS = "".join(sorted(_DELETED))
_WORD = re.compile(f"[\\w{re.escape(_MARKS)}]+")
WORD_PATTERN = _WORD  # for callers that tokenize text of their own (blank "_" first)


def words(text: str) -> list[str]:
    """The written words of a text, in order."""
    return _WORD.findall(text.replace("_", " "))


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """The written words of a text with their offsets."""
    return _WORD.finditer(text.replace("_", " "))


class Token(NamedTuple):
    """A word of the original text, with its offsets and its terms."""

    start: int
    end: int
    surface: str
    exact: str
    stem: str
    alts: tuple[str, ...]
    is_stop: bool


# --- stop words ------------------------------------------------------------------------------


def stop_form(word: str) -> str:
    """The form under which stop words are compared (normalized, alef maksura kept)."""
    return word.translate(_STOP_FORM).lower()


def load_stopwords(path: Path = CONFIG_DIR / "stopwords_ar.txt") -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(stop_form(line))
    return frozenset(words)


STOPWORDS = load_stopwords()

# --- stemming --------------------------------------------------------------------------------

# Lucene's ArabicStemmer, in its order: the first matching prefix is removed (one only), then
# every suffix of the list is tried once, in order, each needing 2 letters left. The prefix و
# needs a word of 4+ letters, the others leave 2+. We add و+لل and ف+لل (وللمملكة).
_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "ولل", "فلل", "لل", "و")
# Lucene lists ية and ة too; after normalization they are يه and ه, already in the list.
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_snowball = Stemmer.Stemmer("arabic")


# The same rules as lookups (this runs for every new word form of an import): a 3-letter
# prefix leaves 2+ letters, so no prefix of the list starts another one's match wrongly.
_PREFIXES_3 = frozenset(p for p in _PREFIXES if len(p) == 3)
_PREFIXES_2 = frozenset(p for p in _PREFIXES if len(p) == 2)


def _strip_prefix(word: str) -> str:
    size = len(word)
    if size >= 5 and word[:3] in _PREFIXES_3:
        return word[3:]
    if size >= 4 and (word[:2] in _PREFIXES_2 or word[0] == "و"):
        return word[2:] if word[:2] in _PREFIXES_2 else word[1:]
    return word


def _strip_suffixes(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def strip_clitics(word: str) -> str:
    """A normalized word without its attached article/conjunction (Lucene's prefix rule)."""
    return _strip_prefix(word)


def light_stem(word: str) -> str:
    """Lucene's light stemmer on a normalized word."""
    return _strip_suffixes(_strip_prefix(word))


# Pronoun suffixes that Lucene's list lacks. Snowball knows them (and knows when a word is long
# enough to lose one); we keep its removals of these only.
_PRONOUN_SUFFIXES = frozenset({"كم", "هم", "هن", "هما", "كما", "نا"})  # not كن: يتمكن


def stem(word: str) -> str:
    """Light stem of a normalized word, refined by Snowball Arabic where it is safe.

    Lucene's light stemmer misses the pronoun suffixes (كم، هم، نا، هما، كما...): ايمانكم stays
    whole. Snowball Arabic removes them, but it also over-stems: it takes سي/ست/سن from nouns as
    the future prefix (سيارات -> يارا), drops a final ت from names (روبرت -> روبر), and
    under-stems وال/بال (والحسن -> والحس). The rule: start from Lucene's light stem and take
    Snowball's stem only when it is that stem minus a pronoun suffix, leaving 4+ letters
    (with 3, محاكم -> محا, اماكن -> اما, تفاهم -> تفا, فيينا -> فيي on SaudiNewsNet).
    Non-Arabic words pass through.
    """
    if not word or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    return _refine(light_stem(word))


_PRONOUN_ENDINGS = tuple(_PRONOUN_SUFFIXES)


def _refine(light: str) -> str:
    if len(light) < 6 or not light.endswith(_PRONOUN_ENDINGS):
        return light  # nothing Snowball could take that we would keep
    snow = _snowball.stemWord(light)
    if len(snow) >= 4 and light.startswith(snow) and light[len(snow) :] in _PRONOUN_SUFFIXES:
        return snow
    return light


# --- readings ----------------------------------------------------------------------------------

# A word's first letter may be a proclitic or part of the word: و (وزير، وزارة vs وقال),
# ب ل ك ف (لأرامكو، بمكة vs كتاب، فريق، لبنان). A light stemmer must pick one reading; Lucene
# picks "conjunction" for و and "part of the word" for the others, so وزير and الوزير fall apart
# (زير vs وزير) and لأرامكو never meets أرامكو. We keep the stemmer's pick as the word's stem and
# index the other readings too, as alternative stems (a column of their own, weighted lower).
# A query word matches a document word when their readings meet. The cost: a rare word can
# meet the alternative reading of another (تاب the verb, in كتاب). Two-letter alternatives are
# indexed but not searched for: لجنة read as ل + جنة would reach جنين and جنة.
_PROCLITICS = "بلكف"
MIN_QUERY_ALTERNATIVE = 3


def _suffix_stem(word: str) -> str:
    return _refine(_strip_suffixes(word))


def alternative_stems(exact: str, primary: str) -> tuple[str, ...]:
    """The readings of a normalized word other than its primary stem."""
    if not exact or not ("\u0621" <= exact[0] <= "\u064a"):
        return ()
    found: list[str] = []
    bare = strip_clitics(exact)
    if exact[0] == "و" and bare == exact[1:]:
        found.append(_suffix_stem(exact))  # و as the first radical: وزير
        if bare[0] in _PROCLITICS and len(bare) >= 4:
            found.append(stem(bare[1:]))  # و + proclitic: ولروسيا
    elif bare != exact and bare[0] == "و" and len(bare) >= 4:
        found.append(stem(bare))  # الوزير read as ال + و + زير
    elif exact[0] in _PROCLITICS and bare == exact and len(exact) >= 4:
        found.append(stem(exact[1:]))  # لأرامكو, بمكة
    return tuple(a for a in dict.fromkeys(found) if a and a != primary)


# --- terms -----------------------------------------------------------------------------------


Analyzed = tuple[str, str, tuple[str, ...], bool]  # exact, stem, alternative stems, is_stop
_WORDS: dict[str, Analyzed] = {}  # a plain dict: faster than lru_cache on the hot path
_WORDS_MAX = 500_000


def limit_word_cache(size: int) -> None:
    """Keep at most ``size`` analyzed word forms (a server needs few; an import, many)."""
    global _WORDS_MAX
    _WORDS_MAX = size
    for cache in (_WORDS, _INDEXED):
        if len(cache) > size:
            cache.clear()


# A word's stop form folds to its normalized form (they differ only in alef maksura), so a
# word whose normalized form is none of these is no stop word: most words skip stop_form.
_STOP_EXACT = frozenset(word.replace(araby.ALEF_MAKSURA, araby.YEH) for word in STOPWORDS)


def _analyze(surface: str) -> Analyzed:
    """``stem`` and ``alternative_stems`` of a new word form, inlined: the clitic is stripped
    once, and only a word starting with و or a proclitic (or with و after its article) can
    have another reading."""
    exact = normalize(surface)
    if not exact:
        return "", "", (), True
    if exact in _STOP_EXACT and stop_form(surface) in STOPWORDS:
        return exact, exact, (), True
    first = exact[0]
    if not ("\u0621" <= first <= "\u064a"):
        return exact, exact, (), False  # not Arabic: passes through
    bare = _strip_prefix(exact)
    primary = _refine(_strip_suffixes(bare))
    if first == "و" or first in _PROCLITICS or bare[0] == "و":
        return exact, primary, alternative_stems(exact, primary), False
    return exact, primary, (), False


def analyze_word(surface: str) -> Analyzed:
    """(exact, stem, alternative stems, is_stop) of one written word; cached because news
    vocabulary repeats (up to ``_WORDS_MAX`` forms, then the cache starts over)."""
    found = _WORDS.get(surface)
    if found is None:
        if len(_WORDS) >= _WORDS_MAX:
            _WORDS.clear()
        found = _WORDS[surface] = _analyze(surface)
    return found


def tokens(text: str) -> Iterator[Token]:
    """Every word of ``text`` with offsets into it (stop words included, flagged)."""
    for match in iter_words(text):
        surface = match.group()
        exact, stem_, alts, is_stop = analyze_word(surface)
        if exact:
            yield Token(match.start(), match.end(), surface, exact, stem_, alts, is_stop)


class Terms(NamedTuple):
    """The indexable terms of a text, each list as one space-separated string (the column
    text both engines index with a whitespace tokenizer; cheap to pass between processes).
    Word i of ``exact`` and word i of ``stem`` are one written word (positions matter for
    phrases); ``alt`` holds the alternative stems, without positions."""

    exact: str
    stem: str
    alt: str


IndexedWord = tuple[str, str, str]  # exact, stem, alternative stems joined by spaces


class _IndexedWords(dict[str, IndexedWord | None]):
    """Written word -> what ``terms`` indexes of it, None for a stop word (or only marks).
    A miss is analyzed in ``__missing__``, so that ``terms`` looks words up with ``map``
    (a loop in C) and then keeps only what it joins: an import's hottest loop."""

    def __missing__(self, surface: str) -> IndexedWord | None:
        if len(self) >= _WORDS_MAX:
            self.clear()
        exact, stem_, alts, is_stop = _analyze(surface)
        found = self[surface] = None if is_stop else (exact, stem_, " ".join(alts))
        return found


_INDEXED = _IndexedWords()


def terms(text: str) -> Terms:
    """Indexable terms of ``text``: stop words dropped."""
    if "_" in text:
        text = text.replace("_", " ")
    kept = [found for found in map(_INDEXED.__getitem__, _WORD.findall(text)) if found]
    return Terms(
        " ".join([found[0] for found in kept]),
        " ".join([found[1] for found in kept]),
        " ".join([found[2] for found in kept if found[2]]),
    )


def query_word(surface: str) -> tuple[str, tuple[str, ...]] | None:
    """(exact, readings) of one query word, or None when it carries no meaning (stop word,
    marks). The readings are its stem first, then its alternative stems."""
    exact, stem_, alts, is_stop = analyze_word(surface)
    if not exact or is_stop:
        return None
    return exact, (stem_, *(alt for alt in alts if len(alt) >= MIN_QUERY_ALTERNATIVE))


def salient_words(text: str, limit: int) -> list[str]:
    """The most frequent non-stop words of a text (3+ letters), as written, for "more like this"
    queries: one written form per stem."""
    counts: dict[str, int] = {}
    form: dict[str, str] = {}
    for surface in words(text):
        exact, stem_, _, is_stop = analyze_word(surface)
        if is_stop or len(exact) < 3 or exact.isdigit():
            continue
        counts[stem_] = counts.get(stem_, 0) + 1
        form.setdefault(stem_, exact)
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    return [form[s] for s in ranked[:limit]]
