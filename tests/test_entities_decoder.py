"""The compact decoder: it skips tokens that are surely O, and must agree with plain Viterbi."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from archive.entities import default_extractor
from archive.entities.extractor import MODEL_PATH, CrfExtractor
from archive.entities.features import (
    cores,
    read_vocab,
    token_form,
    token_offsets,
    tokenize,
    vocab_kind,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_9dab9691f7e9a554.txt"

TEXTS = [
    SEED.read_text(encoding="utf-8"),
    "أكد خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود خلال استقباله وزير الخارجية "
    "الأمريكي جون كيري في جدة أمس أهمية التعاون مع الولايات المتحدة ومجلس التعاون الخليجي.",
    "وقال المتحدث باسم وزارة الصحة إن منظمة الصحة العالمية أرسلت فريقا إلى الرياض، "
    "فيما أعلنت شركة أرامكو السعودية وسابك نتائجهما للربع الثاني.",
    "سجل نجم الهلال ناصر الشمري هدفين في مرمى النصر، وقال مدرب الفريق إن اللاعبين قدموا "
    "مباراة كبيرة أمام جماهير نادي الهلال في ملعب الملك فهد الدولي.",
]


def test_skipping_decoder_agrees_with_full_viterbi() -> None:
    model = default_extractor().model
    agree = total = 0
    for text in TEXTS:
        ids = model.type_ids(tokenize(text))
        fast = {s for s in model.tag(ids) if s[2] in ("PER", "ORG")}  # the types it decodes
        full = {s for s in model.tag_all(ids) if s[2] in ("PER", "ORG")}
        agree += len(fast & full)
        total += len(fast | full)
    assert total > 10
    assert agree / total >= 0.97


def test_candidates_are_a_small_share_of_tokens() -> None:
    model = default_extractor().model
    ids = model.type_ids(tokenize(TEXTS[0]))
    candidates = set(model.candidates(ids).tolist())
    assert 0 < len(candidates) < 0.4 * len(ids)


def test_token_offsets_point_at_the_tokens() -> None:
    text = "قال «بوتين»:\tمرحبا_بكم\n\nو(لافروف) ٢٠١٥"
    words = tokenize(text)
    for word, start in zip(words, token_offsets(text, words), strict=True):
        assert text.replace("_", " ")[start : start + len(word)] == word


def test_forms_and_cores() -> None:
    assert token_form("«") == token_form("»") == token_form('"') == "Q"
    assert token_form("الأوراسيّ") == "الاوراسي"
    assert "لافروف" in cores("ولافروف")
    assert "الامم" in cores("للامم")
    assert cores("بوش") == []  # too short to carry a clitic


def test_dictionary_words_stems_and_foreign_names() -> None:
    """A word of the dictionary, a word whose light stem is in it, a name that is neither."""
    vocab = frozenset({"كتاب", "وزير", "قال"})
    assert vocab_kind("كتاب", cores("كتاب"), vocab) == "e"
    assert vocab_kind("والكتاب", cores("والكتاب"), vocab) == "s"  # و + ال cut
    assert vocab_kind("وزيرها", cores("وزيرها"), vocab) == "s"  # a pronoun suffix cut
    assert vocab_kind("لافروف", cores("لافروف"), vocab) == "n"
    assert vocab_kind("بها", cores("بها"), vocab) == "n"  # no stem of under 3 letters


def test_shipped_model_reads_its_dictionary() -> None:
    """The dictionary travels beside the model (its own license); foreign names are not in it,
    common words are, folded as the extractor folds text."""
    vocab = CrfExtractor().model.featurizer.vocab
    assert vocab is not None and len(vocab) > 50_000
    assert vocab == read_vocab(MODEL_PATH.parent / "vocab.txt.gz")
    assert {"كتاب", "وزير", "مسءول"} <= vocab  # مسؤول folded
    assert not {"لافروف", "بوتين", "نزارباييف"} & vocab


def test_model_is_small_and_self_contained() -> None:
    """The shipped model is one small file; how fast it loads is measured by
    benchmarks/extract_speed.py (model_load_seconds), not here."""
    assert MODEL_PATH.stat().st_size < 3_000_000
    model = CrfExtractor().model
    assert model.labels[0] == "O" and {"B-PER", "I-PER", "B-ORG", "I-ORG"} <= set(model.labels)
    assert model.featurizer.shape is not None  # the letters-of-names table travels with it


def _persons(text: str) -> list[str]:
    return default_extractor().extract(text).persons


def test_works_in_forked_workers() -> None:
    expected = [default_extractor().extract(t).persons for t in TEXTS]
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        pytest.skip("fork is not available here")
    with context.Pool(2) as pool:
        assert pool.map(_persons, TEXTS) == expected


def test_type_tables_restart_between_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the per-process type tables fill up they restart; results must not change."""
    import archive.entities.model as model_module

    expected = [CrfExtractor().extract(t).to_json() for t in TEXTS * 2]
    monkeypatch.setattr(model_module, "_TYPE_LIMIT", 50)
    small = CrfExtractor()
    assert [small.extract(t).to_json() for t in TEXTS * 2] == expected
    assert small.model.generation > 1


def test_a_batch_is_tagged_as_its_documents_one_by_one() -> None:
    """Documents scored together (one layout, padding between them) get the spans each gets
    alone, whatever their lengths and neighbours, empty ones included."""
    model = CrfExtractor().model
    docs = [model.type_ids(tokenize(t)) for t in [*TEXTS, "", "بوتين", TEXTS[1], ""]]
    alone = [model.tag(ids) for ids in docs]
    assert sum(map(len, alone)) > 10
    assert model.tag_many(docs) == alone
    assert model.tag_many(docs[::-1]) == alone[::-1]


def test_extract_many_equals_extract() -> None:
    extractor = CrfExtractor()
    texts = [*TEXTS, "", "   ", "قال الرئيس فلاديمير بوتين"]
    assert [e.to_json() for e in extractor.extract_many(texts)] == [
        extractor.extract(t).to_json() for t in texts
    ]
