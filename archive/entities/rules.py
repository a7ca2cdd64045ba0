"""Small rules that turn tagged token spans into clean names.

* An attached conjunction or preposition (و ف ب ك ل) is cut from the first word of a mention
  when the rest of the word is the known name ("ولافروف" -> "لافروف", "بالأمم" -> "الأمم").
  ل + ال ("للأمم") cannot be cut without losing the alef, so the text keeps it and the name
  gets its ال back.
* Titles and roles ("الرئيس", "وزير الخارجية الروسي") are not part of a person's name.
* A place is not a person, even when it equals a name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container
from functools import lru_cache

from archive.analysis import normalize
from archive.entities.features import cores

# Marks that are not letters of a name: harakat, tatweel, bidi and zero-width controls.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\ufeff]")
# Patronymics as transliterated from Russian and neighbours: ايبيشيفيتش، بتروفنا ...
PATRONYMIC = re.compile(r"(?:يتش|يفيتش|وفيتش|وفنا|يفنا|وفيتشا)$")


@lru_cache(maxsize=65536)
def display(surface: str) -> str:
    """A word as shown to readers: as written, minus harakat, tatweel and invisible marks."""
    return _MARKS.sub("", surface)


def letters_offset(surface: str, letters: int) -> int:
    """Index in ``surface`` just after its first ``letters`` letters (marks ride along)."""
    seen = 0
    for index, char in enumerate(surface):
        if normalize(char):
            if seen == letters:
                return index
            seen += 1
    return len(surface)


def clitic_cut(
    form: str,
    known: Collection[str],
    doc_forms: Container[str],
    plain: Collection[str] = frozenset(),
) -> tuple[int, str]:
    """How many letters to cut from the first word of a mention, and the word's name form.

    Returns (letters cut from the text, folded form of the name word). The text is cut only when
    the remainder is a substring; for ل+ال the name word is rebuilt ("للامم" -> "الامم"). A
    short word of ``plain`` (seen often, never in a name) keeps its first letter: "بيان" (a
    statement) is no ب + يان (Jan).
    """
    if len(form) <= 4 and form in plain:
        return 0, form
    if form.startswith("لل") and len(form) > 3:
        if form[1:] in known or form[1:] in doc_forms:  # ل + a name that starts with ل: "لليفربول"
            return 1, form[1:]
        return 0, "ال" + form[2:]
    if form in known:
        return 0, form
    for core in cores(form):
        if core.startswith("لل") and len(core) > 3:  # و/ف, then ل + ال: "وللاتصالات"
            more, key = clitic_cut(core, known, doc_forms, plain)
            return len(form) - len(core) + more, key
        if form[0] == "ك" and len(core) < 4 and core not in doc_forms:
            continue  # "كابل" is a cable, not ك (like) + ابل (Apple) unless the text has ابل
        if core in known or core in doc_forms or (core.startswith("ال") and form[0] in "وفبك"):
            return len(form) - len(core), core  # every other reading ends the word
    return 0, form


def strip_titles(
    forms: list[str],
    titles: Collection[str],
    nationalities: Collection[str],
    given: Collection[str] = frozenset(),
) -> int:
    """Number of leading words of a person span that are a title, a role or its complement
    ("الرئيس الأميركي", "وزير الخارجية"); a given name after a title is not its complement
    ("الأمير الوليد بن طلال")."""
    k = 0
    stripped = False
    while k < len(forms) - 1:
        form = forms[k]
        bare = next((c for c in cores(form) if c in titles), form)
        complement = bare in nationalities or (bare.startswith("ال") and bare not in given)
        if bare in titles or (stripped and complement):
            stripped = stripped or bare in titles
            k += 1
            continue
        break
    return k
