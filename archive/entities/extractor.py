"""The default extractor: the shipped tagger, the configured gazetteer, and the naming rules.

Pipeline for one text: tokenize -> tag (cached per-type emissions, Viterbi on candidate runs)
-> add configured names the tagger missed -> clean spans (titles, attached clitics, places)
-> find further mentions of the names this text already uses -> name each mention within the
article -> map names to canonical ones through the alias table.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Sequence
from itertools import compress, pairwise
from operator import itemgetter
from pathlib import Path

from archive.analysis import STOPWORDS, normalize, stop_form
from archive.entities.aliases import AliasTable, load_aliases
from archive.entities.canonical import Draft, resolve
from archive.entities.features import (
    PROCLITICS,
    Featurizer,
    NameShape,
    attached_forms,
    cores,
    gapped_offsets,
    positions,
    read_vocab,
    token_form,
    tokenize_gapped,
    vocab_kind,
)
from archive.entities.gazetteer import SHORT_FIRST_CLITICS, CompiledNames, Gazetteer
from archive.entities.lexicon import HAMZAS, Lexicon, fold, load_lexicon
from archive.entities.model import TaggerModel
from archive.entities.native import SOURCE_DIR
from archive.entities.rules import PATRONYMIC, clitic_cut, display, letters_offset, strip_titles
from archive.entities.types import Extraction, Mention

MODEL_PATH = SOURCE_DIR / "model" / "ner.json.gz"
KINDS = {"PER": "person", "ORG": "organization", "LOC": "location"}
_PUNCT = frozenset({"Q", "(", ")", "∅"})
# pronoun suffixes written apart (as in clitic-split corpora): never a word of a name
_PRONOUNS = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا"})
# heads dropped before a known organization's own name (the annotation convention of news NER)
_SOFT_HEADS = frozenset({"وكاله", "الوكاله", "قناه", "القناه", "منظمه", "المنظمه"})
# verbs whose subject right after them is a speaker (folded forms): "قال X", "وأضاف X"
_SPEAKER_VERBS = frozenset(
    {"قال", "قالت", "يقول", "تقول", "اضاف", "اضافت", "اشار", "اشارت", "اكد", "اكدت", "صرح",
     "صرحت", "اوضح", "اوضحت", "تابع", "تابعت", "يضيف", "يءكد", "اعتبر", "اعتبرت"}
)  # fmt: skip
_COMPETITIONS = frozenset(map(normalize, ("دوري", "كأس", "مسابقة")))  # not جائزة: "جائزة نوبل"
# words of amounts (folded): no name starts with them; with currencies, no person holds them
_NUMBER_WORDS = frozenset(
    map(normalize, ("مليون", "مليوني", "ملايين", "مليار", "ملياري", "مليارات", "ألف", "آلاف"))
)
_AMOUNTS = _NUMBER_WORDS | frozenset(
    map(normalize, ("دينار", "دولار", "ريال", "درهم", "يورو", "جنيه", "دنانير", "دولارات"))
)
# plural and dual endings: "الامدادات", "المثقفين" are not names
_PLURAL = ("ات", "ين", "ون", "تين", "يين", "وا")


def _in_an_address(text: str, at: int) -> bool:
    """Whether offset ``at`` of ``text`` lies in an e-mail or web address (the run of text
    without spaces around it holds "@", "://" or "www.")."""
    begin = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [k for k in (text.find(" ", at), text.find("\n", at)) if k >= 0]
    chunk = text[begin : min(ends) if ends else len(text)]
    return "@" in chunk or "://" in chunk or "www." in chunk.lower()


def _is_sign(form: str) -> bool:
    """A token that is no word of a name: punctuation, quotes (folded to "Q"), signs."""
    return form in _PUNCT or not form[:1].isalnum()


# stop words as text that folds alef maksura writes them ("على" -> "علي"): a surname alone
# that reads as one ("بن علي" ... "الحصار علي الشعب") is not looked for again
_FOLDED_STOPWORDS = frozenset(map(normalize, STOPWORDS))
_NASAB = frozenset({"بن", "ابن", "بنت"})  # "X بن <a known name>" is X, the known one's child
# words that the next word of a name belongs to (forms: آل -> ال): "آل وديان" is one family
_NAME_LINKS = _NASAB | frozenset({"ال", "ابو", "ابا", "ابي", "ام", "ولد", "بو"})
_SENTENCE_ENDS = frozenset({".", "!", "?", "؟", "؛", ":", "…"})


def _sentence_end(forms: list[str], t: int) -> bool:
    """Whether token t ends a sentence: a dot between short words is an acronym's
    ("د . ب . أ", "ان.بي.سي"), not a full stop."""
    form = forms[t]
    if form != ".":
        return form in _SENTENCE_ENDS
    return not (len(forms[t - 1]) <= 2 and t + 1 < len(forms) and len(forms[t + 1]) <= 2)


_BREAKS = frozenset(
    {"في", "من", "عن", "الي", "مع", "منذ", "حتي", "خلال", "ضد", "عند", "لدي", "نحو", "(", ")"}
    # ... brackets ("(يونيسكو)" after a name is another mention), and pronouns,
    # demonstratives and relatives, which no name holds ("وزارة الدفاع وهي", "التي")
    | {"هو", "هي", "وهو", "وهي", "هذا", "هذه", "ذلك", "تلك", "الذي", "التي", "الذين", "اللذين"}
)
# verbs of being, particles and conjunctions a name found by the tagger never holds ("وزارة
# الدفاع أنه", "للجامعة كان", "المعهد عبر تاريخه"); a configured name may ("أوليفر كان", "إيه
# أو إل", "جامعة الصداقة بين الشعوب")
_NO_NAME_WORDS = frozenset(
    map(normalize, ("كان", "كانت", "كانوا", "كانا", "يكون", "تكون", "هناك", "هنا", "ثم", "فقط",
                    "عبر", "بين", "إنه", "أنه", "إنها", "أنها", "أنهم", "لكن", "لكنه", "ومن",
                    "وفي", "وما", "وقد", "قد", "لقد", "إلا", "أولئك", "أو"))
)  # fmt: skip
_NO_NAME_AFTER = _BREAKS | _NO_NAME_WORDS  # words a tagged name does not run on into
_OPENING_QUOTE = re.compile(r"\s*[\"«“„']\s*")
_INITIAL_HAMZAS = frozenset("أإآ")
# adverbs, which end any name they follow ("800 ريال شهرياً", "الحكومة الآن")
_ADVERBS = frozenset(
    map(normalize, ("الآن", "أيضا", "أيضاً", "حاليا", "حالياً", "شهريا", "شهرياً", "سنويا",
                    "سنوياً", "يوميا", "يومياً", "أسبوعيا", "أسبوعياً", "مؤخرا", "مؤخراً", "رسميا",
                    "رسمياً", "تقريبا", "تقريباً", "جدا", "جداً", "فورا", "فوراً", "أمس", "غدا",
                    "غداً", "سابقا", "سابقاً", "لاحقا", "لاحقاً", "مسبقا", "مسبقاً", "بشدة",
                    "وبشدة", "برأسمال", "ميدانيا", "ميدانياً", "ماديا", "ماديًا", "وماديا",
                    "معنويا", "معنويًا", "ومعنويا"))
)  # fmt: skip
# nouns of places: with ب or ل attached ("بشارع", "بمدينة") they end a person's name
_PLACE_NOUNS = frozenset(
    map(normalize, ("شارع", "حي", "مدينة", "منطقة", "محافظة", "قرية", "مركز", "مستشفى", "مطار",
                    "ميناء", "جامعة", "مخيم", "ساحة", "ميدان"))
)  # fmt: skip
_CAPITAL = normalize("العاصمة")  # "العاصمة البريطانية" is a city, named by its country
# roads and squares: "طريق الملك عبدالله" is a place, whoever it is named after
_STREETS = frozenset(
    map(normalize, ("طريق", "الطريق", "شارع", "الشارع", "ميدان", "الميدان", "دوار", "الدوار"))
)
# heads that go in pairs inside one name ("جهاز إذاعة وتلفزيون الخليج")
_PAIRED_HEADS = frozenset(map(normalize, ("إذاعة", "تلفزيون")))
# titles that are no family names (unlike الشيخ، السيد): one inside a name starts another
_RANKS = frozenset(
    map(normalize, ("الأمير", "الأميرة", "الملك", "الرئيس", "الوزير", "الدكتور", "الدكتورة",
                    "المهندس", "الأستاذ", "اللواء", "العميد", "العقيد", "الفريق"))
)  # fmt: skip
# kin groups: "عشيرة البونمر" is a tribe, not a man
_GROUP_HEADS = frozenset(
    map(normalize, ("عشيرة", "العشيرة", "عشائر", "قبيلة", "القبيلة", "قبائل", "عائلة", "العائلة",
                    "أسرة", "الأسرة"))
)  # fmt: skip
# honorifics of the person named after an organization ("المجلس الأعلى للقضاء الدكتور ...")
_HONORIFICS = frozenset(
    map(normalize, ("الدكتور", "الدكتورة", "المهندس", "المهندسة", "الأستاذ", "الأستاذة",
                    "السيد", "السيدة", "معالي", "سعادة", "فضيلة", "سماحة"))
)  # fmt: skip
# ... and the title left at its end once they are cut ("مجلس الشورى الشيخ"), and epithets
# the press gives a group ("داعش الإرهابي" is داعش)
_TRAILING_TITLES = frozenset(
    map(normalize, ("الشيخ", "أمين", "الإرهابي", "الإرهابية", "الإرهابيين", "المتطرف", "المتطرفة"))
)


def _written_stopword(word: str) -> bool:
    """A stop word as written with alef maksura (على، إلى، لدى), or the vocative يا."""
    return word == "يا" or (word.endswith("ى") and stop_form(word) in STOPWORDS)


def _compound_stopwords() -> frozenset[str]:
    """Stop words with a clitic or a pronoun, as ``stop_form`` writes them (see
    ``_stopword_in``): listed once, so that the check is one set lookup."""
    forms: set[str] = set()
    for word in STOPWORDS:
        if len(word) > 2:
            forms.update(word + conjunction for conjunction in "وف")  # "كماو"
        if len(word) > 1:
            forms.update(clitic + word for clitic in PROCLITICS)  # "وأين"
            forms.update(word + suffix for suffix in _PRONOUNS)  # "لدينا"
    return frozenset(forms - STOPWORDS)


_COMPOUND_STOPWORDS = _compound_stopwords()


def _stopword_in(word: str) -> bool:
    """A written word that is a stop word with a clitic or a pronoun ("وأين", "لدينا" = لدي +
    نا), or a stop word of three letters or more with a conjunction stuck to its end ("كماو")."""
    form = stop_form(word)
    return form in STOPWORDS or form in _COMPOUND_STOPWORDS


# institutions named after their patrons ("جامعة الملك سعود"), and the patrons' titles; folded
_INSTITUTIONS = frozenset(
    map(normalize, ("جامعة", "مركز", "مدينة", "مستشفى", "مؤسسة", "جائزة", "مكتبة", "كلية", "معهد",
                    "أكاديمية", "صندوق", "مجمع", "دارة", "كرسي", "برنامج", "مسجد", "جامع", "مطار",
                    "طريق", "شارع", "ملعب", "استاد", "قاعدة"))
)  # fmt: skip
# ... that run their own institution inside another: "مستشفى جامعة الملك عبدالعزيز" (but
# "ملعب مدينة الملك عبدالله" and "طريق مطار الملك خالد" are places of those)
_OUTER_INSTITUTIONS = frozenset(map(normalize, ("مستشفى", "كلية", "معهد", "مركز", "مكتبة", "مطار")))
_PATRONS = frozenset(map(normalize, ("الملك", "الأمير", "الأميرة", "السلطان", "الشيخ", "الإمام")))


def _headed_by(doc: _Doc, t: int, heads: frozenset[str]) -> bool:
    """Whether word t is one of ``heads``, alone or with a clitic attached ("مركز", "ومركز")."""
    return doc.forms[t] in heads or not heads.isdisjoint(doc.cores[doc.ids[t]])


def _complement(forms: list[str], t: int) -> bool:
    """Whether word t goes on an organization's name: "للإغاثة", "والأعمال", "الإنسانية" after
    one of those, "للعلوم والتقنية"."""
    form = forms[t]
    previous = forms[t - 1]
    if form.startswith("لل") or (form.startswith("ول") and form[2:3] == "ل"):
        return True
    return form.startswith(("ال", "وال")) and previous.startswith(("لل", "ال", "وال", "ول"))


def _bare_words(words: set[str]) -> set[str]:
    """Words of configured names without those that carry a clitic: "والاثار" and "لرعايه" of
    "... للسياحة والآثار", "... لرعاية الشباب" are و + الاثار, ل + رعايه elsewhere."""
    return {
        w
        for w in words
        if not (len(w) > 3 and w[0] in PROCLITICS and (w[1:3] == "ال" or w[1:] in words))
    }


class _FormSet:
    """ "Does this form occur in the document?", answered through the type ids."""

    def __init__(self, ids: list[int], model: TaggerModel) -> None:
        self.ids, self.cache = set(ids), model.cache

    def __contains__(self, form: object) -> bool:
        return self.cache.get(form) in self.ids  # type: ignore[call-overload]


class _Doc:
    """One text being extracted: its tokens, their types and forms, offsets on demand."""

    def __init__(
        self, text: str, pairs: list[tuple[str, str]], model: TaggerModel, rows: bool = True
    ) -> None:
        self.text, self.pairs, self.model = text, pairs, model
        self.words: list[str] = list(map(itemgetter(1), pairs))
        self.ids = model.type_ids(self.words, rows)
        self.forms: list[str] = list(map(model.forms.__getitem__, self.ids))
        self.cores = model.cores
        self._starts: list[int] | None = None
        self._form_set: _FormSet | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = gapped_offsets(self.pairs)
        return self._starts

    def form_set(self) -> _FormSet:
        if self._form_set is None:
            self._form_set = _FormSet(self.ids, self.model)
        return self._form_set


class CrfExtractor:
    """Persons and organizations from raw Arabic text (see the module docstring)."""

    def __init__(self, model_path: Path = MODEL_PATH, config_dir: Path | None = None) -> None:
        self.lexicon: Lexicon = load_lexicon(config_dir)
        self.aliases: AliasTable = load_aliases(config_dir)
        self.gazetteer = Gazetteer(self.aliases)
        lex = self.lexicon
        # words of text that are no part of a name (see ``_configured_names``, ``_given_names``)
        self._not_a_name = (
            set(STOPWORDS)
            | lex.title_words
            | lex.nationalities
            | lex.places
            | lex.org_heads
            | lex.org_names
            | lex.particles
            | lex.say_verbs
        )
        classes = self.lexicon.word_classes()
        self.model = TaggerModel.load(
            model_path,
            lambda data: Featurizer(
                {**classes, **{k: frozenset(v) for k, v in data.get("name_classes", {}).items()}},
                {k: tuple(v) for k, v in data["stats"].items()},
                NameShape(**data["shape"]) if "shape" in data else None,
                data.get("wide", False),
                self._configured_names(data["stats"]),
                read_vocab(model_path.parent / data["vocab"]) if "vocab" in data else None,
            ),
        )
        stats = self.model.featurizer.stats
        configured = self.gazetteer.entries()
        self._title_words = self.lexicon.title_words
        self._given = self.model.featurizer.classes["first"]  # with the configured given names

        # word forms known to start or belong to names: a clitic is never cut from them
        def named(counts: tuple[int, ...] | None) -> int:
            return counts[1] + counts[2] if counts else 0

        # ... but not a clitic glued to a name the training text names far more often: "لريال"
        # (ل + ريال, seen once) is cut to ريال like any other attached clitic
        self._known = (
            {
                form
                for form, counts in stats.items()
                if named(counts) > counts[0]
                and not any(named(stats.get(core)) >= 3 * named(counts) for core in cores(form))
            }
            | set(classes["first"])  # the lists' given names, not the gazetteer's ("فستان")
            | _bare_words({w for ws, _ in configured for w in ws})
            | {ws[0] for ws, _ in configured}  # "بليكس" is no ب + "ليكس" of "ويكي ليكس"
            | set(self.lexicon.org_heads)
            | set(self.lexicon.org_names)
        )
        # words training saw often and never in a name (see ``clitic_cut``)
        self._plain_words = {
            form for form, counts in stats.items() if counts[0] >= 3 and not named(counts)
        }
        self._gazetteer_generation = -1
        self._first_word_types = bytearray()  # see ``_configured``
        self._say_ids: set[int] = set()
        self._say_forms = sorted({f for v in _SPEAKER_VERBS for f in attached_forms(v)})
        self._institution_ids: set[int] = set()
        self._institution_forms = sorted(
            {f for head in self.lexicon.place_institutions for f in attached_forms(head)}
        )
        self._gazetteer_forms: CompiledNames = self.gazetteer.compile(token_form)
        # the first two words of configured names whose first word has two letters ("أم
        # كلثوم"), as word forms
        self._short_firsts = {
            (token_form(ws[0]), token_form(ws[1]))
            for ws, _ in configured
            if len(ws) > 1 and len(ws[0]) == 2
        }
        indefinite_heads = {h for h in self.lexicon.org_heads if not h.startswith("ال")}
        self._splitting_heads = indefinite_heads - _PAIRED_HEADS
        self._places = classes["place"]  # one-word places
        self._all_heads = self.lexicon.org_heads | self.lexicon.org_generic_heads
        # what heads a tagged organization that holds a configured name ("مطار الملك فهد")
        self._all_named_heads = self.lexicon.org_heads | self.lexicon.named_after
        # words that may go on after an organization's name: of configured names, heads,
        # nationalities, places (see ``_starts_a_person``)
        self._org_words = (
            {w for ws, kind in configured if kind == "organization" for w in ws}
            | self.lexicon.org_heads
            | self.lexicon.nationalities
            | self.lexicon.places
        )
        # names an organization is known by on its own: "وكالة رويترز" names رويترز
        self._org_known = {ws for ws, kind in configured if kind == "organization"} | {
            (n,) for n in self.lexicon.org_names
        }
        # heads that name no body alone: "جامعة", and definite ones ("التلفزيون", "السلطة")
        # but "الاتحاد" or "الأزهر", which lists know as names
        self._lone_heads = indefinite_heads | {
            h
            for h in self.lexicon.org_heads | self.lexicon.org_generic_heads
            if h.startswith("ال")
            and (h,) not in self._org_known
            and self.aliases.lookup("organization", h) is None
        }
        self._name_stop = self._title_words | self.lexicon.nationalities | self.lexicon.particles
        # titles a name never goes on with: bare titles ("عضو"), titles as predicates ("وزيرا").
        # Definite ones ("السيد", "الشيخ") are family names too: they end a name only when a
        # nationality or another title follows ("... الرئيس الأميركي").
        single_titles = {
            t for t in self.lexicon.titles if " " not in t and len(t) > 2 and t not in self._given
        }
        self._definite_titles = {t for t in single_titles if t.startswith("ال")}
        self._role_words = {t for t in single_titles if not t.startswith("ال")} | {
            (t[2:] if t.startswith("ال") else t) + "ا" for t in single_titles
        }

        def mostly_words(counts: tuple[int, ...]) -> bool:
            return counts[0] > named(counts)

        # words listed as parts of persons' names: given names, name lists, configured names
        self._listed_person_words = (
            set(self._given)
            | classes["pername"]
            # the first word of a configured name, and a surname searched for alone ("أوباما");
            # not "ضيوف" of "عبدو ضيوف", which the gazetteer marks as a word (guests) alone,
            # nor a word training saw mostly outside names ("دين" of "دين شمس الدين": religion)
            | {
                ws[0]
                for ws, kind in configured
                if kind == "person" and not (ws[0] in stats and mostly_words(stats[ws[0]]))
            }
        )
        # ... and the words mostly tagged as names in training
        self._person_words = self._listed_person_words | {
            form for form, counts in stats.items() if counts[1] > counts[0]
        }

    def extract(self, text: str) -> Extraction:
        """The persons and organizations of ``text`` (an article: title + blank line + body)."""
        return self.extract_many([text])[0]

    def extract_many(self, texts: Sequence[str]) -> list[Extraction]:
        """``extract`` of each text; the tagger scores them all at once, which costs much less
        than one by one (a batch of a few dozen articles is a good size)."""
        # the batch makes many small objects and no cycles that outlive it: the collector,
        # which would scan them again and again, waits for the end (7 % less CPU, measured)
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._extract_batch(texts)
        finally:
            if enabled:
                gc.enable()

    def _extract_batch(self, texts: Sequence[str]) -> list[Extraction]:
        self.model.restart_if_full()
        docs = [  # the rows of new types are summed once, for the batch, when it is tagged
            (k, _Doc(text, pairs, self.model, rows=False))
            for k, text in enumerate(texts)
            if (pairs := tokenize_gapped(text))
        ]
        results = [Extraction([]) for _ in texts]
        tagged = self.model.tag_many([doc.ids for _, doc in docs])
        for (k, doc), spans in zip(docs, tagged, strict=True):
            results[k] = self._extraction(doc, spans)
        return results

    def _extraction(self, doc: _Doc, tagged: list[tuple[int, int, str]]) -> Extraction:
        text = doc.text
        configured = self._configured(doc)
        tagged += self._after_say_verbs(doc, tagged, configured)
        tagged = self._split_pairs(doc, self._dash_joined(doc, self._families(doc, tagged)))
        tagged = self._named_after(doc, tagged)
        configured = self._joined(configured, tagged)
        configured_spans = {(i, j) for i, j, _ in configured}
        drafts, configured_at = [], {}
        for i, j, label in self._merge(doc, tagged, configured):
            draft = self._draft(doc, i, j, label, (i, j) in configured_spans)
            if draft is not None:
                drafts.append(draft)
                if (i, j) in configured_spans:
                    configured_at[draft.tokens] = (i, j)
        if not drafts:
            return Extraction([])
        drafts += self._more_mentions(doc, drafts)
        drafts = self._not_places(doc, drafts)
        drafts.sort(key=lambda d: d.start)
        drafts = self._not_descriptors(text, drafts, configured_at)
        names = resolve(drafts, self._given)
        canon, configured_as = self.aliases.canonical, self.aliases.lookup
        self._short_club_names(drafts, names, configured_at)
        # a configured alias that holds a title ("الملك سلمان") names its entry, although the
        # title is cut from the name: every mention named like it takes the entry's name
        known: dict[tuple[str, str], str] = {}
        for d, name in zip(drafts, names, strict=True):
            if d.tokens in configured_at and configured_as(d.kind, name) is None:
                i, j = configured_at[d.tokens]
                alias = " ".join(doc.words[i:j])
                entry = configured_as(d.kind, alias)
                if entry is not None and entry != alias:
                    known[d.kind, name] = entry
        if known:
            names = [known.get((d.kind, n), n) for d, n in zip(drafts, names, strict=True)]
        mentions = []
        for d, name in zip(drafts, names, strict=True):
            canonical = canon(d.kind, name)
            vague = (
                d.kind == "person"
                and " " not in (key := fold(name))
                and key in self._given
                and configured_as(d.kind, name) is None
            )
            mentions.append(
                Mention(text[d.start : d.end], d.kind, d.start, d.end, name, canonical, vague)
            )
        return Extraction(mentions)

    @staticmethod
    def _not_descriptors(
        text: str, drafts: list[Draft], configured_at: dict[tuple[int, int], tuple]
    ) -> list[Draft]:
        """ "وكالة الأنباء الدولية "كاز إنفورم"", "شبكة التواصل الاجتماعي «تويتر»": what the
        tagger found just before a configured organization's quoted name describes it; the
        quoted name is the organization. (Drafts in text order.)"""
        dropped = {
            k
            for k, (d, after) in enumerate(pairwise(drafts))
            if d.kind == after.kind == "organization"
            and d.tokens not in configured_at
            and after.tokens in configured_at
            and _OPENING_QUOTE.fullmatch(text[d.end : after.start])
        }
        return [d for k, d in enumerate(drafts) if k not in dropped] if dropped else drafts

    def _short_club_names(
        self, drafts: list[Draft], names: list[str], configured_at: dict[tuple[int, int], tuple]
    ) -> None:
        """A one-word organization no alias knows that ends one configured name the article
        uses is that name ("يونايتد" after "مانشستر يونايتد"; not "مدريد" beside ريال and
        أتلتيكو, nor "ميلان", an alias of إيه سي ميلان, beside إنتر ميلان)."""
        endings: dict[str, set[str]] = {}
        for d, name in zip(drafts, names, strict=True):
            if d.kind == "organization" and len(d.keys) > 1 and d.tokens in configured_at:
                endings.setdefault(d.keys[-1], set()).add(name)
        if not endings:
            return
        known = {n for n in names if ("organization", n) in self.aliases}
        ambiguous = self.lexicon.ambiguous_orgs  # "الشباب" beside "الرئاسة العامة لرعاية الشباب"
        for k, d in enumerate(drafts):
            if (
                d.kind == "organization"
                and len(d.keys) == 1
                and names[k] not in known
                and d.keys[0] not in ambiguous
            ):
                full = endings.get(d.keys[0])
                if full is not None and len(full) == 1:
                    names[k] = next(iter(full))

    @staticmethod
    def _joined(
        configured: list[tuple[int, int, str]], tagged: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """A configured name that a tagged name goes on after ("خادم الحرمين الشريفين الملك
        سلمان" + "سلمان بن عبدالعزيز آل سعود") is one name: the two joined."""
        return [
            (i, max([j, *(b for a, b, t in tagged if t == "PER" and i < a < j < b)]), k)
            if k == "person"
            else (i, j, k)
            for i, j, k in configured
        ]

    def _merge(
        self, doc: _Doc, tagged: list[tuple[int, int, str]], configured: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """Non-overlapping spans: longer first, and on equal length the configured name. A
        tagged span that swallows a configured name loses to it unless what it adds in front
        heads an organization ("منظمة الأمم المتحدة") or it only adds words after the name;
        a tagged organization that ends inside a configured one loses to it too, and so does
        one that starts inside it and runs on past a word no name holds ("قناة [إم بي سي من
        تصويره]" is قناة إم بي سي; not "منظمة [الأمم المتحدة للتربية ...]")."""
        labels = {"person": "PER", "organization": "ORG"}
        pool = [(i, j, labels.get(k, k), 0) for i, j, k in configured]
        orgs = [c for c in configured if c[2] == "organization"]
        for i, j, kind in tagged:
            if kind == "ORG" and any(
                i < c[0] < j < c[1] or (c[0] < i < c[1] < j and doc.forms[c[1]] in _NO_NAME_AFTER)
                for c in orgs
            ):
                continue
            inside = [c for c in configured if i <= c[0] and c[1] <= j and c[1] - c[0] < j - i]
            if kind == "ORG" and len(inside) > 1 and self._two_entities(doc, inside):
                continue  # "تويتر فيسبوك": two configured names side by side are two
            if inside and any(
                c[0] > i
                and not (kind == "ORG" and doc.forms[i] in self._all_named_heads)
                and not (kind == "PER" and doc.forms[c[0] - 1] in _NASAB)
                and not (kind == "PER" and self._given_names(doc.forms[i : c[0]]))
                for c in inside
            ):
                continue
            if kind == "PER" and any(
                c[2] == "person" and self._run_on(doc.forms[c[1] : j]) for c in inside
            ):
                continue  # "يوسف وهبي صامتا": a word that names no one does not go on a name
            body = next(
                (
                    c
                    for c in inside
                    if kind == "ORG"
                    and c[2] == "organization"
                    and c[1] < j
                    and self._starts_a_person(doc.forms[c[1]])
                ),
                None,
            )
            if body is not None:  # "مركز الملك سلمان للإغاثة ... رأفت الصباغ": a man after it
                if j - body[1] > 1:
                    pool.append((body[1], j, "PER", 1))
                continue
            pool.append((i, j, kind, 1))
        pool.sort(key=lambda s: (s[0] - s[1], s[3], s[0]))
        taken = bytearray(len(doc.ids))
        chosen = []
        for i, j, kind, _ in pool:
            if not any(taken[i:j]):
                chosen.append((i, j, kind))
                taken[i:j] = b"\x01" * (j - i)
        chosen.sort()
        return chosen

    def _starts_a_person(self, form: str) -> bool:
        """A given name no organization's name uses as a word: what follows is a man."""
        return form in self._given and form not in self._org_words

    def _run_on(self, added: Sequence[str]) -> bool:
        """Whether words the tagger put after a configured person's name are a run-on, not
        the rest of the name: one of them is a word training saw often and never in a name,
        and the first does not start with ال, as a family name does ("متعب بن عبدالله العمر",
        "فهد بن عبد العزيز الهندي" are other men than the listed ones)."""
        return (
            bool(added)
            and not added[0].startswith("ال")
            and not self._plain_words.isdisjoint(added)
        )

    def _configured_names(self, stats: dict[str, list[int]]) -> dict[str, frozenset[str]]:
        """More members of the tagger's word classes, from the gazetteer: the first word of a
        configured person's name is a given name, a configured one-word organization an
        organization's name. Training learned those classes from lists that know its own names;
        at run time the gazetteer's thousands of names reach names training never saw
        ("هيرمان", "كوندوليزا"). Words training saw at all stay as they were, and so do short
        and definite ones ("جين" a gene, "الحبيب" the beloved) and words that read as a clitic
        and a word training saw ("وولي")."""
        given, organizations = set(), set()
        for names, kind in self.gazetteer.entries():
            first = names[0]
            if first in self._not_a_name or len(first) < 3 or first in stats:
                continue
            if any(c in stats or c in self._not_a_name for c in cores(first)):
                continue  # "وولي" (Wole Soyinka) is و + ولي to any text: "وولي العهد"
            if first in self.lexicon.not_persons:
                continue  # "كوكب" (of the singer كوكب حمزة) is a planet alone
            if (
                kind == "person"
                and len(names) > 1
                and len(first) > 3
                and first[:2] != "ال"
                and self.aliases.lookup("organization", first) is None  # "نيكي", the index
            ):
                given.add(first)
            elif kind == "organization" and len(names) == 1:
                organizations.add(first)
        return {"first": frozenset(given), "orgname": frozenset(organizations)}

    def _holds_a_name(self, forms: Sequence[str]) -> bool:
        """Whether a name list or training knows one of these words as a name's."""
        return any(f in self._person_words for f in forms)

    def _given_names(self, forms: list[str]) -> bool:
        """Whether the words a tagged person puts before a configured surname are the rest of
        a name ("هيرمان اينشتاين" is Einstein's father, "رافايل نادال" the full name): words of
        names, words training never saw, the dash of "فرانك - فالتر"; not titles, places or other
        words of text."""
        stats = self.model.featurizer.stats
        return all(
            f in self._person_words or (f not in stats and f not in self._not_a_name) or f == "-"
            for f in forms
        )

    def _two_entities(self, doc: _Doc, inside: list[tuple[int, int, str]]) -> bool:
        """Whether configured organizations inside one span are side by side and name two
        entries (not a name and its acronym: "حركة المقاومة الإسلامية حماس" is one)."""
        entries = {
            (i, j): self.aliases.lookup(kind, " ".join(doc.words[i:j]))
            for i, j, kind in inside
            if kind == "organization"
        }
        return any(a[1] <= b[0] and entries[a] != entries[b] for a in entries for b in entries)

    # --- spans to drafts ----------------------------------------------------------------------

    def _draft(
        self, doc: _Doc, i: int, j: int, label: str, configured: bool = False
    ) -> Draft | None:
        kind = KINDS.get(label, label)
        if kind not in ("person", "organization"):
            return None
        forms, given = doc.forms, self._given
        if kind == "person" and i and forms[i - 1] in self.lexicon.named_after:
            return None  # "مطار الملك فهد", "مسجد الحسن الثاني": named after him
        # a name starts and ends with a word: not a sign, a quote or a stop word (but a
        # configured name is what it is: "فان باستن", not فإن + باستن)
        while i < j and (
            _is_sign(forms[i])
            or (forms[i] in STOPWORDS and forms[i] not in given and not configured)
        ):
            i += 1
        # "الكشف على مرسي": على (on) as written, though it folds into علي (Ali); what follows
        # is a person only if a name list knows a word of it ("على تويتر" is no one)
        if (
            kind == "person"
            and j - i > 1
            and stop_form(doc.words[i]) in STOPWORDS
            and not configured
        ):
            i += 1
            if not self._holds_a_name(forms[i:j]):
                return None
        # "ويملك محمد السلطان", "وأي شيء": و glued to a common word or a stop word before a
        # name is the sentence's (training, which is clitic-split, never shows it glued)
        if (
            kind == "person"
            and not configured
            and j - i > 1
            and self._glued_word(doc.words[i], forms[i])
        ):
            i += 1
            if j - i == 1 and not self._holds_a_name(forms[i:j]):
                return None  # "وأي تبديل": what is left is a word, not a name
        while j > i and _is_sign(forms[j - 1]):
            j -= 1
        if kind == "person" and i < j:
            i += strip_titles(
                forms[i:j], self._title_words, self.lexicon.nationalities, self._given
            )
            if not forms[i].isalpha() or forms[i] in _PRONOUNS:
                return None
            # a place before a full name is where it was said ("كابول عبدالرحمن رحيمي")
            if j - i >= 3 and forms[i] in self._places and forms[i] not in given:
                i += 1
            j = next((t for t in range(i + 1, j) if self._ends_name(forms, t)), j)
        elif kind == "organization" and j - i > 1:
            generic = self.lexicon.org_generic_heads
            # "برشلونة الإسباني": a configured club's or company's nationality says where it
            # is from, not what it is called, when the club is known by its first word alone
            # or by a longer name that no head begins ("مانشستر يونايتد الإنجليزي"); a body's
            # stays ("الجيش الإسرائيلي", "المفوضية الأوروبية", "للتحالف العربي", "النصر
            # العماني"), and so does a company's name ("كيان السعودية")
            if (
                configured
                and j - i == 2
                and forms[j - 1] in self.lexicon.nationalities
                and forms[i] not in self.lexicon.org_heads
                and self._known_alone((forms[i], *doc.cores[doc.ids[i]]))
            ) or (j - i > 2 and self._nationality_added(doc, i, j)):
                j -= 1
            while j - i > 1 and (forms[i] in generic or set(doc.cores[doc.ids[i]]) & generic):
                i += 1
            # "وكالة فرانس برس", "منظمة الأمم المتحدة": the agency is named by what follows
            if (
                j - i > 1
                and _SOFT_HEADS.intersection((forms[i], *doc.cores[doc.ids[i]]))
                and tuple(forms[i + 1 : j]) in self._org_known
            ):
                i += 1
            # a head cut off may leave the name's opening quote: «ناشيونال ريفيو»
            while i < j and _is_sign(forms[i]):
                i += 1
        # a preposition or a bracket inside a span is where the name ended ("مديرية كريتر في
        # شمال المدينة", "... والعلوم (يونيسكو)"), and so is the end of a sentence ("وزارة
        # الدفاع. وعلى صعيد متصل"), but not inside a configured organization's name ("هيئة
        # الأمر بالمعروف والنهي عن المنكر")
        j = next(
            (
                t
                for t in range(i + 1, j)
                if (forms[t] in _BREAKS and not (configured and kind == "organization"))
                or forms[t] in _ADVERBS
                or (forms[t] in _NO_NAME_WORDS and not configured)
                or _sentence_end(forms, t)
                or (kind == "person" and forms[t] == "Q")  # a quote ends a person's name
                # ... and so does a stop word written with ى ("سمير حسين على أن": على, on,
                # folds into علي) and the vocative ("مجدك يا سلمان")
                or (kind == "person" and _written_stopword(doc.words[t]))
                # ... and a stop word with a clitic or a pronoun ("ستانلي بأن", "أحمد عليه")
                # that is no word of a name, or is written with the stop word's hamza
                or (
                    kind == "person"
                    and not configured
                    and self._compound_stopword(doc.words[t], forms[t])
                )
                # ... and a verb in the future ("سيرخيو سيلعب", "صلاح المزروع سيرأس")
                or (kind == "person" and not configured and self._future_verb(forms[t]))
                or (kind == "organization" and forms[t] in _HONORIFICS)
                # ... and "الشيخ" before a name ("والإفتاء الشيخ عبدالعزيز"), but not in آل
                # الشيخ or after an institution named for him ("مؤسسة الشيخ عيد")
                or (
                    kind == "organization"
                    and forms[t] == "الشيخ"
                    and forms[t - 1] != "ال"
                    and forms[t - 1] not in _INSTITUTIONS
                    and t + 1 < j
                )
            ),
            j,
        )
        while j > i and _is_sign(forms[j - 1]):
            j -= 1
        # ... and a title at its end belongs to the person named next ("مجلس الشورى الشيخ")
        while (
            kind == "organization"
            and j - i > 1
            and forms[j - 1] in _TRAILING_TITLES
            and forms[j - 2] != "ال"  # "آل الشيخ" is a family
        ):
            j -= 1
        if i >= j:
            return None
        return self._make(doc, i, j, kind)

    def _nationality_added(self, doc: _Doc, i: int, j: int) -> bool:
        """Whether tokens i..j-1 are a configured organization's name of two words or more
        that begins with no head, and a nationality after it that no alias holds."""
        forms, lookup = doc.forms, self.aliases.lookup
        return (
            forms[j - 1] in self.lexicon.nationalities
            and forms[i] not in self._all_heads
            and self._all_heads.isdisjoint(doc.cores[doc.ids[i]])
            and lookup("organization", " ".join(forms[i : j - 1])) is not None
            and lookup("organization", " ".join(forms[i:j])) is None
        )

    def _known_alone(self, first: tuple[str, ...]) -> bool:
        """Whether a word without the article (its readings: bare, without a clitic) names an
        organization alone: a searched alias ("برشلونة"), or one not searched that is no place
        ("~لخويا"; not "~روما", which cut from "روما الإيطالي" would be the city)."""
        if any(w.startswith("ال") for w in first):
            return False
        if any((w,) in self._org_known for w in first):
            return True
        lookup, places = self.aliases.lookup, self.lexicon.places
        return any(lookup("organization", w) is not None and w not in places for w in first)

    def _compound_stopword(self, written: str, form: str) -> bool:
        """ "بأن", "لأنه", "فهو", "ولم": a stop word with a clitic, written with its hamza or
        after و/ف, and no word of a name; not ب/ك/ل before a stop word's letters written
        without one, which foreign surnames are ("بليس" Bliss, "كاين" Kane, "بيكون" Bacon)."""
        plain = stop_form(written)
        if plain not in _COMPOUND_STOPWORDS:
            return False
        if len(plain) <= 3 and plain[0] not in PROCLITICS:
            return False  # "إيه" (what; the letter A of "كيفن إيه هاسيت") is أي + ه
        if not HAMZAS.isdisjoint(written):
            return True
        return plain[0] in "وف" and plain[1:] in STOPWORDS and form not in self._person_words

    @staticmethod
    def _clitic_stopword(plain: str) -> bool:
        """A stop word with a clitic or a pronoun, after و/ف too ("لدينا", "ولدينا"), as
        ``stop_form`` writes it."""
        return plain in _COMPOUND_STOPWORDS or (
            plain[:1] in "وف" and plain[1:] in _COMPOUND_STOPWORDS
        )

    def _ends_name(self, forms: list[str], t: int) -> bool:
        """Whether a person's name stops before word t: a number, a sign, a detached pronoun,
        a title ("عضو", "وزيرا", "الرئيس الأميركي"), a preposition with ال ("للحرمين"), or "و"
        and a given name or an organization's head ("سعود وفيصل" is two people, "خالد واتحاد
        البلوي" a man and a club)."""
        form = forms[t]
        after = forms[t + 1] if t + 1 < len(forms) else ""
        if form == "-" and after.isalpha() and after not in self._name_stop:
            return False  # "كيم جونغ - إيل", "بان كي - مون" (see also ``_split_pairs``)
        return (
            not form.isalpha()
            or form in _PRONOUNS
            or form in self._role_words
            or (
                form in self._definite_titles
                and (after in self.lexicon.nationalities or after in self._title_words)
                and forms[t - 1] != "ال"  # "آل الشيخ المشرف العام": the family's name
            )
            or form.startswith("لل")
            or (
                form[0] == "و"
                and forms[t - 1] not in _NAME_LINKS  # "آل وديان" is a family
                and (form[1:] in self._given or form[1:] in self.lexicon.org_heads)
            )
            # ... or a place with ب or ل attached ("فيصل بالطائف", "فاير بول بشارع الأمير")
            or (
                form[0] in "بل"
                and len(form) > 4  # "بنيس" is Bennis, not ب + نيس (Nice)
                and (form[1:] in self._places or form[1:] in _PLACE_NOUNS)
            )
        )

    def _make(self, doc: _Doc, i: int, j: int, kind: str) -> Draft | None:
        """A draft for tokens i..j-1, with an attached clitic cut from its first word."""
        forms, words = doc.forms, doc.words
        cut, first_key = 0, forms[i]
        if (
            j - i > 1
            and first_key[:-2] in SHORT_FIRST_CLITICS
            and (first_key[-2:], forms[i + 1]) in self._short_firsts
        ):  # "وأم كلثوم", "ولبن لادن": a clitic before a first word of two letters
            cut, first_key = len(first_key) - 2, first_key[-2:]
        elif first_key[:1] in PROCLITICS:
            cut, first_key = clitic_cut(first_key, self._known, doc.form_set(), self._plain_words)
        starts = doc.starts
        start = starts[i]
        first_word = display(words[i])
        if cut:
            start += letters_offset(words[i], cut)
            first_word = first_word[cut:]
        if first_key.startswith("ال") and first_word.startswith("لل"):
            first_word = "ال" + first_word[2:]  # ل + ال: the article's alef comes back
        # quotes inside an organization's name are not words of it: «قناة « الإخبارية»
        rest = [t for t in range(i + 1, j) if forms[t] != "Q"]
        keys = (first_key, *map(forms.__getitem__, rest))
        names = (first_word, *(display(words[t]) for t in rest))
        if (
            kind == "person"
            and len(keys) == 1
            and keys[0] in self.lexicon.org_names
            and keys[0] not in self._listed_person_words
        ):
            kind = "organization"  # a one-word organization's name ("وموبايلي") is not a man's
        if not all(names) or (kind == "person" and not self._person_like(keys)):
            return None
        if all(n.isascii() and n.islower() for n in names):
            return None  # Latin names are written with capitals: "www", "dell" name no one
        if len(keys) == 1 and keys[0] in _ADVERBS:
            return None  # "ميدانيا، واصل النصر تدريباته", "ماديا ومعنويا": an adverb
        if all(n.isascii() for n in names) and _in_an_address(doc.text, start):
            return None  # "Ibrahim.badawood@gmail.com": a piece of an e-mail or web address
        if kind == "person" and len(keys) == 1 and self._plural_construct(keys[0], doc):
            return None
        if (
            kind == "person"
            and len(keys) == 1
            and cut
            and self._clitic_stopword(stop_form(words[i]))
        ):
            return None  # "ولدينا" (and we have) is no و + ل + دينا
        if kind == "person" and self._word_before_a_stranger(keys):
            return None
        if kind == "organization" and len(keys) == 1 and keys[0] in self._lone_heads:
            return None  # "جامعة" alone names no organization
        if kind == "organization" and sum(map(len, keys)) <= 2 and keys not in self._org_known:
            return None  # "د" of "د." (Dr), "تي" of a cut acronym
        end = starts[j - 1] + len(words[j - 1])
        return Draft(kind, start, end, names, keys, (i, j))

    def _hamza_inside(self, written: str, key: str) -> bool:
        """ "الزائر", "المؤشر", "الشواطئ", "سأكتب": a word written with a hamza inside it
        (after its first letter, the article aside) that no name list knows is a word: the
        tagger, which sees words without their hamzas, took it for a name."""
        body = written[2:] if written.startswith("ال") else written
        if body[:1] in PROCLITICS and body[1:2] in _INITIAL_HAMZAS:
            body = body[1:]  # "وآيزنهاور": the hamza begins the word after the clitic
        if body.endswith("ء"):
            body = body[:-1]  # "الشقحاء", "علاء": a final hamza is common in names
        return (
            not HAMZAS.isdisjoint(body[1:])
            and key not in self._person_words
            and not any(c in self._person_words for c in (*cores(key), key[3:]))  # "أبوأحمد"
        )

    def _glued_word(self, written: str, form: str) -> bool:
        """و and a word training saw often and never in a name, or a stop word as written:
        "ويملك", "وأي" (but not "وعلي", nor a name that begins with و: "وليد", "وائل")."""
        return (
            form[:1] == "و"
            and form not in self._person_words
            and (form[1:] in self._plain_words or stop_form(written)[1:] in STOPWORDS)
        )

    def _word_before_a_stranger(self, keys: tuple[str, ...]) -> bool:
        """ "سعر كرتون الطماطم", "قصر باكنغهام", "كان كاسيتش": a name that starts with a word
        training saw often and never in a name, and holds no word a list or training knows
        as a name's (nor بن), is a phrase the tagger took for one."""
        return (
            len(keys) > 1
            and keys[0] in self._plain_words
            and keys[0] not in self._given
            and "بن" not in keys
            and not self._holds_a_name(keys)
        )

    def _plural_construct(self, key: str, doc: _Doc) -> bool:
        """ "محققو الشرطة", "مديرو التعليم", "متمردو دارفور": a plural noun before its
        complement drops the ن of -ون; where training or the text shows the plural (محققون,
        المحققين), a word no name list knows is no man's name."""
        if len(key) < 5 or not key.endswith("و") or key in self._listed_person_words:
            return False  # "ألفارو" is a given name, though "الفارين" are fugitives
        stem, stats, forms = key[:-1], self.model.featurizer.stats, doc.form_set()
        plurals = (stem + "ون", stem + "ين", "ال" + stem + "ون", "ال" + stem + "ين")
        return any(p in stats or p in forms for p in plurals)

    def _person_like(self, keys: tuple[str, ...]) -> bool:
        """A place, a bare title, a nationality or a set phrase is not a person, nor is a name
        headed like an organization, a kin group or a thing ("جيش تركي", "عشيرة البونمر",
        "صاروخ غراد")."""
        joined = " ".join(keys)
        if joined in self.lexicon.places or joined in self.lexicon.not_persons:
            return False
        if keys[0] in self.lexicon.org_heads or keys[0] in _GROUP_HEADS:
            return False
        if not self.lexicon.thing_heads.isdisjoint(keys):  # "فيروس كورونا", "كيس شاي البابونج"
            return False
        return not all(k in self._name_stop for k in keys)

    def _not_places(self, doc: _Doc, drafts: list[Draft]) -> list[Draft]:
        """Drop "persons" that are places: a place name followed by no name-like word ("نور
        سلطان يهدفان" after "موسكو و"), or a place name after words that are not names."""
        persons = [d for d in drafts if d.kind == "person"]
        places = self.lexicon.places
        said = Counter(k for d in persons for k in set(d.keys))

        def name_like(key: str) -> bool:
            return (
                key in self._person_words
                or PATRONYMIC.search(key) is not None
                or (said[key] > 1 and key not in places)
            )

        in_full_names = {k for d in persons if len(d.keys) > 1 for k in d.keys}
        headed = self._headed_names(doc, drafts)
        said_twice = {k for k, n in said.items() if n > 1} | in_full_names
        kept = []
        for d in drafts:
            keys = d.keys
            if d.kind == "person":
                # a stop word alone is that word, whatever name it folds into: "على" (on) is
                # "علي" (Ali) once alef maksura is folded, "لي" (to me)
                if len(keys) == 1 and stop_form(d.words[0]) in STOPWORDS:
                    continue
                # ... and so is one with a clitic ("وأين", "لدينا" read as ل + "دينا") or run into
                # a و or ف typed without its space ("كماو أشار")
                if (
                    len(keys) == 1
                    and keys[0] not in said_twice
                    and _stopword_in(display(doc.words[d.tokens[0]]))
                ):
                    continue
                # ... and so is a word with a hamza inside that no name of the text or of a
                # list holds ("الزائر"; not "الصائغ" beside "توفيق الصائغ")
                if (
                    len(keys) == 1
                    and keys[0] not in in_full_names
                    and self._hamza_inside(d.words[0], keys[0])
                ):
                    continue
                # a competition named after a sponsor or a patron ("دوري عبداللطيف جميل", "كأس
                # الملك") names the competition, not the man
                first = d.tokens[0]
                if first and _COMPETITIONS.intersection(
                    (doc.forms[first - 1], *doc.cores[doc.ids[first - 1]])
                ):
                    continue
                # an amount ("ملياري دينار") is no one
                if _AMOUNTS.intersection(keys):
                    continue
                # a nationality without its article ("... - بنجلاديشي" in a list of names)
                if len(keys) == 1 and "ال" + keys[0] in self.lexicon.nationalities:
                    continue
                # a common word alone ("نبيه", "الحكيم") needs its full name in this text
                if (
                    len(keys) == 1
                    and keys[0] not in in_full_names
                    and (
                        self._common_word(keys[0])
                        or self._adjective(doc, d)
                        or self._definite_noun(keys[0], said)
                    )
                ):
                    continue
                head = next((m for m in range(len(keys), 0, -1) if " ".join(keys[:m]) in places), 0)
                if head and not any(name_like(k) for k in keys[head:]):
                    continue
                if keys[-1] in places and not any(name_like(k) for k in keys[:-1]):
                    continue
            elif " ".join(keys) in places and keys not in self._org_known:
                continue  # "الجزيرة العربية", "كوريا الجنوبية": a place, not an organization
            elif (
                len(keys) == 1
                and keys[0] in self.lexicon.nationalities
                and (d.kind, d.words[0]) not in self.aliases
                and not self._named_by_context(doc, d.tokens[0])
            ):
                continue  # «رافال» الفرنسية: an adjective, whatever the tagger made of it
            elif keys[0] in _NUMBER_WORDS:
                continue  # "آلاف ريال للمركز الثاني"
            elif keys[0] == _CAPITAL and len(keys) == 2 and keys[1] in self.lexicon.nationalities:
                continue  # "العاصمة البريطانية": London, a place
            elif len(keys) > 1 and keys[0] in _STREETS:
                continue  # "طريق الملك عبدالله": a road, a place
            elif len(keys) == 1 and self._describes_the_noun_before(doc, d):
                continue  # "النص الصريح" (the explicit text), not the Tunisian daily
            elif " ".join(keys) in self.lexicon.not_organizations:
                continue  # "ريال" (the currency), "شبكة الإنترنت"
            elif len(keys) == 1 and keys[0] in self.lexicon.ambiguous_orgs:
                named = self._with_own_head(doc, d)
                if named is not None:
                    d = named  # "حركة الشباب", the Somali movement, not the club
                elif not self._shown_organization(doc, d, headed):
                    continue  # "الشباب" the youth, not the club
            kept.append(d)
        return kept

    def _describes_the_noun_before(self, doc: _Doc, draft: Draft) -> bool:
        """Whether a one-word organization that no list knows is a dictionary word right after
        a definite noun (``_after_a_definite_noun``) that is no word of an organization's name:
        that noun's adjective ("الأمر الإلهي الصريح"), whatever the tagger learned of the word
        as a name."""
        key, vocab, lexicon = draft.keys[0], self.model.featurizer.vocab, self.lexicon
        before = self._after_a_definite_noun(doc, draft.tokens[0])
        if (
            before is None
            or vocab is None
            or key in lexicon.org_names
            or key in lexicon.ambiguous_orgs
            or self.aliases.lookup("organization", key) is not None
            or before in self._org_words
            or before in self._all_heads
            or before in _SOFT_HEADS
            or before in self._title_words
        ):
            return False
        return vocab_kind(key, cores(key), vocab) != "n"

    @staticmethod
    def _after_a_definite_noun(doc: _Doc, first: int) -> str | None:
        """The form of the word before token ``first`` when both are written with the article
        and no clitic, the earlier one no verb of the "التحق" shape: a noun and, it may be, its
        adjective ("النص الصريح", "المفاوض النصراوي")."""
        if first == 0:
            return None
        before = display(doc.words[first - 1])
        if (
            not display(doc.words[first]).startswith("ال")
            or not before.startswith("ال")
            or len(before) <= 3
            or (len(before) <= 5 and before.startswith("الت"))  # "التحق", "التقى": verbs
        ):
            return None
        return doc.forms[first - 1]

    def _with_own_head(self, doc: _Doc, draft: Draft) -> Draft | None:
        """An everyday word tagged as an organization with the word before it, when the two
        are a configured organization's name that a head begins ("حركة الشباب", "حزب النهضة"):
        that organization, not the club of the word alone. Heads dropped before a name anyway
        ("نادي", "صحيفة", "قناة") are left out."""
        first, last = draft.tokens
        if not first:
            return None
        head = doc.forms[first - 1]
        if head in self.lexicon.org_generic_heads or head in _SOFT_HEADS or not head.isalpha():
            return None
        if self.aliases.lookup("organization", f"{head} {draft.keys[0]}") is None:
            return None
        return self._make(doc, first - 1, last, "organization")

    def _named_by_context(self, doc: _Doc, first: int) -> bool:
        """Whether a nationality adjective at token ``first`` names an organization: a photo
        credit "(الفرنسية)" (AFP), a club after its head ("فريق العربي")."""
        if first == 0:
            return False
        before, heads = doc.forms[first - 1], self._all_heads
        return (
            before == "(" or before in heads or not heads.isdisjoint(doc.cores[doc.ids[first - 1]])
        )

    def _headed_names(self, doc: _Doc, drafts: list[Draft]) -> set[str]:
        """Words this text writes after an organization head: "نادي الشباب", "صحيفة الرياض"."""
        heads, forms = self.lexicon.org_heads, doc.forms
        named = set()
        for d in drafts:
            if d.kind != "organization":
                continue
            first = d.tokens[0]
            if d.keys[0] in heads and len(d.keys) > 1:
                named.add(d.keys[1])
            elif first > 0 and forms[first - 1] in heads:
                named.add(d.keys[0])
        return named

    def _shown_organization(self, doc: _Doc, draft: Draft, headed: set[str]) -> bool:
        """Whether an everyday word tagged as an organization is shown to be one: a head before
        it somewhere in the text, or a sport or press word in its sentence, near it; but not
        where the words right beside it show the everyday word ("فئة الشباب")."""
        forms, context = doc.forms, self.lexicon.org_context
        first, last = draft.tokens
        before, after = self.lexicon.everyday_before, self.lexicon.everyday_after
        if (
            (first and forms[first - 1] in before)
            or (first > 1 and f"{forms[first - 2]} {forms[first - 1]}" in before)
            or (last < len(forms) and forms[last] in after)
        ):
            return False
        if draft.keys[0] in headed:
            return True
        for t in range(first - 1, max(-1, first - 13), -1):
            if _sentence_end(forms, t):
                break
            if forms[t] in context:
                return True
        for t in range(last, min(len(forms), last + 12)):
            if forms[t] in context:
                return True
            if _sentence_end(forms, t):
                break
        return False

    def _definite_noun(self, key: str, said: Counter[str]) -> bool:
        """A definite word alone that no list knows and that is no nisba ("الحجاج" the
        pilgrims, "المرصد" the observatory; "الحوثي", "القحطاني" are family names)."""
        return (
            key.startswith("ال")
            and not key.endswith("ي")
            and key not in self._listed_person_words
            and said[key] < 2
        )

    def _adjective(self, doc: _Doc, draft: Draft) -> bool:
        """A lone definite word right after a noun with a possessive suffix is its adjective
        ("وفهمه الحكيم": his wise understanding), and so is one written without a clitic right
        after a definite noun that is no title and no word of a name ("المفاوض النصراوي": the
        Nassr negotiator; not "التحق الخفاجي", a verb), unless the word is a listed name."""
        key, first = draft.keys[0], draft.tokens[0]
        if not key.startswith("ال") or first == 0 or key in self._listed_person_words:
            return False
        before = display(doc.words[first - 1])
        if before in _PRONOUNS or (len(before) > 3 and before.endswith(("ه", "ها", "هم"))):
            return True
        noun = self._after_a_definite_noun(doc, first)
        return (
            noun is not None
            and noun not in self._title_words
            and noun not in self._person_words
            and noun not in self.lexicon.nationalities
        )

    def _common_word(self, key: str) -> bool:
        """Mostly not a name in the training text, and not a known name."""
        counts = self.model.featurizer.stats.get(key)
        return (
            counts is not None
            and counts[0] > 2 * (counts[1] + counts[2])
            and key not in self._person_words
        )

    def _families(
        self, doc: _Doc, tagged: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """ "سلمان بن عبدالعزيز ال سعود": a family name after a detached "آل" (folded "ال")
        goes on the person's name, where the tagger stopped before it."""
        forms, n = doc.forms, len(doc.forms)
        out: list[tuple[int, int, str]] = []
        for i, j, label in tagged:
            if out and out[-1][2] == "PER" and out[-1][1] + 1 == i and forms[i - 1] == "ال":
                i = out.pop()[0]  # the family name was tagged apart: one name
            elif (
                label == "PER"
                and j + 1 < n
                and forms[j] == "ال"
                and forms[j + 1].isalpha()
                and forms[j + 1] not in STOPWORDS
            ):
                j += 2
            elif (
                label == "PER"
                and j - i >= 3
                and j < n
                and forms[j - 2] in _NASAB
                and self._nisba(forms[j])
            ):
                j += 1  # "جمعان بن دايس" + "الغامدي": the tribe's name after the father's
            out.append((i, j, label))
        return out

    def _nisba(self, form: str) -> bool:
        """Whether a word is a family name of the form ال...ي ("الغامدي", "المتحمي"): a name
        list or training knows it as a name's, or training hardly saw it; not a nationality or a
        word of text ("الذي", "الدولي", "الآلي"). Training saw "الحربي" (military) twice."""
        if not (len(form) > 4 and form.startswith("ال") and form.endswith("ي")):
            return False
        counts = self.model.featurizer.stats.get(form)
        return (
            form not in STOPWORDS
            and form not in self._not_a_name
            and (counts is None or counts[0] <= 2 or form in self._person_words)
        )

    def _named_after(
        self, doc: _Doc, tagged: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """ "جامعة الملك عبدالعزيز", "مركز الملك سلمان للإغاثة": an organization named after a
        king, a prince or a sheikh holds the name; it is not a mention of the person. The
        organization runs on over its complement ("للإغاثة والأعمال الإنسانية")."""
        forms, n = doc.forms, len(doc.forms)
        heads, titles = _INSTITUTIONS, _PATRONS
        out: list[tuple[int, int, str]] = []
        for i, j, label in tagged:
            if label == "PER" and i >= 1 and forms[i] in titles and forms[i - 1] in heads:
                i += 1  # the tagger took the title in: "مطار" + "الملك عبدالعزيز"
            if label == "PER" and i >= 2 and forms[i - 1] in titles:
                if out and out[-1][2] == "ORG" and out[-1][1] == i:  # "جامعة الملك" + "عبدالعزيز"
                    start = out.pop()[0]
                elif forms[i - 2] in heads:
                    start = i - 2
                    # a head before the head: "بمستشفى مدينة الملك عبدالعزيز" is the hospital
                    if start and _headed_by(doc, start - 1, _OUTER_INSTITUTIONS):
                        start -= 1
                else:
                    out.append((i, j, label))
                    continue
                while j < n and j - start < 10 and _complement(forms, j):
                    j += 1
                if j < n and j - start < 10 and forms[j].startswith("ال") and forms[j][-1] in "يه":
                    j += 1  # "مؤسسة الشيخ عيد بن محمد آل ثاني الخيرية"
                out.append((start, j, "ORG"))
                continue
            out.append((i, j, label))
        return out

    def _split_pairs(
        self, doc: _Doc, tagged: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """Tagged spans that hold two names, cut in two: persons over a detached "و"
        ("سيدورف و كلارنس"), an attached one ("بوتين وبلاتر", see ``_glued_name``), a dash or a
        rank (below); organizations where و and an
        indefinite head start a second one ("وزارة الدفاع ووزارة الداخلية"; a definite head
        may end the first one's name: "هيئة الإذاعة والتلفزيون")."""
        forms, heads, given = doc.forms, self._splitting_heads, self._given
        named: set[str] | None = None  # the words of the article's persons, when needed
        out = []
        for i, j, label in tagged:
            if label == "PER" and j - i > 1:
                for t in range(i + 1, j):
                    if self._glued_name(forms[t]) and forms[t - 1] not in _NAME_LINKS:
                        if named is None:
                            named = {
                                forms[k] for a, b, x in tagged if x == "PER" for k in range(a, b)
                            }
                        if forms[t][1:] in named or forms[t][1:] in given:
                            out.append((i, t, label))
                            i = t
            if label == "PER" and j - i > 2:
                for t in range(i + 1, j - 1):
                    after = forms[t + 1]
                    if forms[t] == "و" or (
                        # a given name after a family name and a dash: "فهد العازمي - سلطان
                        # الجلاوي" (but "جان - كيفن", "كيم جونغ - إيل" are one man)
                        forms[t] == "-" and after in given and forms[t - 1] not in given
                    ):
                        out.append((i, t, label))
                        i = t + 1
                    elif t - i >= 2 and forms[t] in _RANKS and after in given:
                        # a rank that is no family name starts another mention: "محمد بن
                        # سلمان الأمير محمد بن سلمان"
                        out.append((i, t, label))
                        i = t
            elif label == "ORG" and j - i > 2:
                for t in range(i + 2, j):
                    if forms[t][0] == "و" and forms[t][1:] in heads:
                        out.append((i, t, label))
                        i = t
            out.append((i, j, label))
        return out

    def _dash_joined(
        self, doc: _Doc, tagged: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """A given name alone, a dash, and a full name are one man: "فرانك - فالتر شتاينماير"
        (the dash after a family name parts two, see ``_split_pairs``; "دعاء بهاء الدين - ريم
        سليمان" are two women, "سليمان - إبراهيم" may be two men)."""
        forms, given = doc.forms, self._given
        if "-" not in forms:
            return tagged
        out: list[tuple[int, int, str]] = []
        for i, j, label in sorted(tagged):
            if out:
                a, b, before = out[-1]
                if (
                    before == label == "PER"
                    and b - a == 1
                    and j - i >= 2
                    and i == b + 1
                    and forms[b] == "-"
                    and forms[b - 1] in given
                    and forms[i] in given
                    and " ".join(forms[i:j]) not in self.lexicon.not_persons  # "- طيب الله ثراه"
                ):
                    out[-1] = (a, j, label)
                    continue
            out.append((i, j, label))
        return out

    def _glued_name(self, form: str) -> bool:
        """ "وبلاتر" in "بوتين وبلاتر": a word of a person's name that is و glued to a longer
        word and is no name itself ("وليد", "والتون"). It starts a second person when the rest
        names a person elsewhere in the article or is a given name (see ``_split_pairs``)."""
        return form[:1] == "و" and len(form) > 3 and form not in self._person_words

    def _after_say_verbs(
        self, doc: _Doc, tagged: list[tuple[int, int, str]], configured: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """ "قال الأعرجي": a word never seen in training, right after a verb of saying, that no
        list knows as something else, is the speaker: a person (up to three such words)."""
        say = self._say_ids  # current: ``_configured`` ran on this document just before
        hits = positions(doc.ids, say)
        if not hits:
            return []
        covered = bytearray(len(doc.ids) + 1)
        for i, j, _ in (*tagged, *configured):
            covered[i:j] = b"\x01" * (j - i)
        found = []
        for i in hits:
            j = i + 1
            while (
                j < len(doc.ids) and j - i <= 3 and not covered[j] and self._unknown(doc.forms[j])
            ):
                j += 1
            if j > i + 1:
                found.append((i + 1, j, "PER"))
                covered[i + 1 : j] = b"\x01" * (j - i - 1)
        return found

    def _future_verb(self, form: str) -> bool:
        """ "سيلعب", "سيرأس", "ستقاتل": س and a verb training saw, never a name ("سيمونز",
        "سيرغي" are names)."""
        if len(form) < 5 or form[0] != "س" or form[1] not in "يتن" or form in self._person_words:
            return False
        stem = form[2:]
        counts = self.model.featurizer.stats.get(stem)
        # "سياني" is no س + اني (me), "سيلان" no س + لان (because): a verb seen more than once
        return (
            counts is not None
            and counts[0] > max(1, counts[1] + counts[2])
            and stem not in _FOLDED_STOPWORDS
        )

    def _unknown(self, form: str) -> bool:
        """An Arabic word the tagger never saw and no list knows: a stranger's name, likely."""
        return (
            len(form) > 2
            and not form.endswith(_PLURAL)
            and (form[-1] != "ه" or form in self._given)
            and "\u0621" <= form[0] <= "\u064a"
            and form.isalpha()
            and form not in self.model.featurizer.stats
            and form not in self._not_a_name
            and not any(
                c in self._not_a_name or c in self.model.featurizer.stats for c in cores(form)
            )
        )

    def _configured(self, doc: _Doc) -> list[tuple[int, int, str]]:
        """The configured names in the document (see ``Gazetteer``), found by their forms."""
        model = self.model
        if self._gazetteer_generation != model.generation:
            self._say_ids = set(model.type_ids(self._say_forms))
            self._institution_ids = set(model.type_ids(self._institution_forms))
            self._gazetteer_generation = model.generation
            self._first_word_types = bytearray()
        # per type id, whether its form can start a configured name: a list lookup per token
        # instead of a string lookup in the ~76,000 forms (new types are looked up once)
        starts, forms = self._first_word_types, model.forms
        if len(starts) < len(forms):
            starts.extend(map(self._gazetteer_forms.__contains__, forms[len(starts) :]))
        at = list(compress(range(len(doc.ids)), map(starts.__getitem__, doc.ids)))
        found = [
            (i, j, kind)
            for i, j, kind in self.gazetteer.find(doc.forms, self._gazetteer_forms, at)
            if not (i and kind == "organization" and self._in_title(doc, i))
            and not (kind == "person" and self._patron_namesake(doc, i))
            and not (j - i == 1 and self.gazetteer.hamza_added(doc.words[i]))
            # "على الرضا" (on approval) folds into علي الرضا, the imam: على as written is on,
            # unless a name follows it ("على خامنئي", as some papers write علي)
            and not (
                _written_stopword(doc.words[i]) and not self._holds_a_name(doc.forms[i + 1 : j])
            )
        ]
        latin = self.gazetteer.find_latin(doc.text, doc.words)
        return found + latin + self._place_institutions(doc)

    def _patron_namesake(self, doc: _Doc, i: int) -> bool:
        """Whether a configured person at i is a king's or a prince's name that an institution
        bears ("مركز الملك فهد الثقافي", "طريق الملك فهد"; see ``_named_after``)."""
        forms = doc.forms
        if i >= 1 and forms[i] in _PATRONS and _headed_by(doc, i - 1, _INSTITUTIONS):
            return True
        return i >= 2 and forms[i - 1] in _PATRONS and _headed_by(doc, i - 2, _INSTITUTIONS)

    def _in_title(self, doc: _Doc, i: int) -> bool:
        """Whether an organization's name at i is the end of a title: "وزيرة الخارجية
        الأميركية" names the minister; her ministry is not a mention of its own."""
        second = doc.forms[i]
        titles = self.lexicon.titles
        before = (doc.forms[i - 1], *doc.cores[doc.ids[i - 1]])
        return any(f"{first} {second}" in titles for first in before)

    def _place_institutions(self, doc: _Doc) -> list[tuple[int, int, str]]:
        """ "أمانة جدة", "بغرفة الرياض": an institution's head and a place name after it are
        one organization (``place_institutions.txt``), where the tagger may see the place only."""
        if self._institution_ids.isdisjoint(doc.ids):
            return []
        forms, places, found = doc.forms, self.lexicon.places, []
        for t in positions(doc.ids, self._institution_ids):
            for n in (3, 2, 1):
                if t + 1 + n <= len(forms) and " ".join(forms[t + 1 : t + 1 + n]) in places:
                    found.append((t, t + 1 + n, "organization"))
                    break
        return found

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
                if (
                    len(surname) > 2
                    and surname not in self._name_stop
                    and surname not in _FOLDED_STOPWORDS
                ):
                    sequences.setdefault(surname, []).append(((surname,), "person"))
                patronymic_heads.add(d.keys[:-1])
        for options in sequences.values():
            options.sort(key=lambda o: -len(o[0]))
        forms, ids = doc.forms, doc.ids
        # the text's word types that are a first word, bare or with a clitic ("ولافروف")
        firsts: dict[int, str] = {}
        model, present = self.model, set(ids)
        all_forms, all_cores, with_key = model.forms, model.cores, model.with_key
        candidates = {t for key in sequences for t in with_key.get(key, ()) if t in present}
        for type_id in candidates:
            form = all_forms[type_id]
            if form in sequences:
                firsts[type_id] = form
                continue
            for core in all_cores[type_id]:
                if core in sequences:
                    firsts[type_id] = core
                    break
        covered = bytearray(len(forms))
        for d in drafts:
            first, last = d.tokens
            covered[first:last] = b"\x01" * (last - first)
        found: list[Draft] = []
        n = len(forms)
        places = self.lexicon.places
        for i in positions(ids, firsts):
            # a surname again inside a place's name is the place ("خميس مشيط" beside
            # "عبدالعزيز بن مشيط")
            if covered[i] or (i and f"{forms[i - 1]} {forms[i]}" in places):
                continue
            # a stop word as written is no name again: "بأن" beside بان كي مون, "على" beside
            # علي; nor one read as a clitic and a name: "لدينا" (لدى + نا) beside دينا
            written = doc.words[i]
            if (
                _written_stopword(written)
                or self._compound_stopword(written, forms[i])
                or (forms[i] != firsts[ids[i]] and self._clitic_stopword(stop_form(written)))
            ):
                continue
            for keys, kind in sequences[firsts[ids[i]]]:
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
