#!/usr/bin/env python3
"""Train the shipped entity tagger on the NewsFANE Gold *train* split (sentences 0..3807).

    .venv/bin/python scripts/train_ner.py            # dev score, then the final model
    .venv/bin/python scripts/train_ner.py --dev-only # dev score only (quick iteration)

Development: train on the first 85% of the train split, score the whole extractor (tagger +
gazetteer + rules) on the last 15% with the project's scorer logic, once on the corpus text and
once on a "raw" copy (clitics re-attached, as in real articles). Final: retrain on all of train
and write ``archive/entities/model/ner.json.gz``. The test split is never read here.

Real text is not clitic-split, so every training sentence is also seen in a raw-like copy with
و ف ب ك ل glued to the next word and pronoun suffixes glued to the previous one. Half of the
sentences that hold names are seen once more with other names of the same type swapped in, so
the tagger learns contexts, not just the names it saw. Features that depend on training counts
are computed out-of-fold (5 blocks), so the tagger learns how far to trust them on words it has
not seen.

``--seeds 13,14,15`` trains one model per seed (other raw copies, swaps and hidden names) and
ships their mean. Measured on 3 December: honest 5-fold CV person 0.785 -> 0.788, organization
0.646 -> 0.650, but 4,000 of 81,553 mentions of 8,000 SaudiNewsNet articles changed, good and
bad ("الهلال الأحمر" lost, "jQuery" an organization), so the shipped model is still one seed's.

``--vocab`` adds whether a word (or a light stem of it) is in an Arabic dictionary (Ayaspell, see
``build_vocab.py``). Measured on 7 December, honest 5-fold CV, two seeds: person 0.785 -> 0.790
and 0.785 -> 0.793 (recall +0.010, +0.014), organization 0.645 -> 0.645 and 0.647 -> 0.648.
The shipped model is trained with it:

    .venv/bin/python scripts/build_vocab.py --out /tmp/vocab.txt.gz
    .venv/bin/python scripts/train_ner.py --no-dev --shape --labels PER,ORG,LOC,MIS \
        --vocab /tmp/vocab.txt.gz
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.entities.features import (  # noqa: E402
    PAD,
    Featurizer,
    NameShape,
    read_vocab,
    token_form,
    token_offsets,
    tokenize,
)
from archive.entities.lexicon import load_lexicon  # noqa: E402

SHARED = ROOT.parent / "shared"
DATA = SHARED / "datasets" / "newsfane" / "NewsFANE_Gold_2014_170K.txt"
SCORER = SHARED / "eval" / "ner_eval.py"
OUT = ROOT / "archive" / "entities" / "model" / "ner.json.gz"
VOCAB_FILE = "vocab.txt.gz"  # the dictionary words, beside the model (see ``write_vocab``)
TRAIN_SENTENCES = 3808  # the fixed train split; everything after it is test
FOLDS = 5

PERSON = {"Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist",
          "Police", "Businessperson", "Lawyer", "Engineer"}  # fmt: skip
ORGANIZATION = {"Non-Governmental", "Sports", "Government", "Media", "Commercial",
                "Educational", "Medical-Science", "Entertainment", "Religious_ORG"}  # fmt: skip
LOCATION = {"Nation", "Population-Center", "State-or-Province", "Continent", "GPE-Cluster",
            "County-or-District", "Land-Region-Natural", "Water-Body", "Land", "Celestial",
            "Building-Grounds", "Airport", "Subarea-Facility", "Path"}  # fmt: skip
PROCLITIC_TOKENS = {"و", "ف", "ب", "ل", "ك"}
SUFFIX_TOKENS = {"ه", "ها", "هم", "هما", "هن", "كم", "كما", "نا"}

Span = tuple[int, int, str]  # characters start:end, coarse type
Sentence = list[tuple[str, str]]  # (token, BIO tag)
Example = tuple[list[str], list[str]]  # tokens, labels


def coarse(label: str) -> str | None:
    if label in PERSON:
        return "PER"
    if label in ORGANIZATION:
        return "ORG"
    if label in LOCATION:
        return "LOC"
    if label and label != "O":
        return "MIS"  # other named things (groups, works, events): kept only with --labels
    return None


def read_sentences(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, _, tag = line.partition("\t")
        current.append((token, tag.strip() or "O"))
    if current:
        sentences.append(current)
    return sentences


def entity_tokens(sentence: list[tuple[str, str]]) -> list[tuple[int, int, str | None]]:
    """Token spans (first, last + 1, coarse type) of the gold entities, as the scorer reads them."""
    spans, begin, kind = [], -1, None
    for i, (_, tag) in enumerate([*sentence, ("", "O")]):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and begin >= 0 and label == kind:
            continue
        if begin >= 0:
            spans.append((begin, i, coarse(kind)))
        begin, kind = (i, label) if prefix in ("B", "I") else (-1, None)
    return spans


def render(words: list[str], spans: list[tuple[int, int, str | None]]) -> tuple[str, list[Span]]:
    """Text of space-joined words and the character spans of the typed entities."""
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    return text, [(starts[i], starts[j - 1] + len(words[j - 1]), k) for i, j, k in spans if k]


def corpus_view(sentence: Sentence) -> tuple[str, list[Span]]:
    return render([t for t, _ in sentence], entity_tokens(sentence))


def raw_view(sentence: Sentence, rng: random.Random, p: float = 0.85) -> tuple[str, list[Span]]:
    """The sentence as a real article would write it: clitics attached to their words."""
    words = [t.replace("\u200e", "").replace("\ufeff", "") for t, _ in sentence]
    spans = entity_tokens(sentence)
    groups: list[list[int]] = []  # runs of original token indices that become one word
    i = 0
    while i < len(words):
        group = [i]
        while words[group[-1]] in PROCLITIC_TOKENS and group[-1] + 1 < len(words):
            nxt = words[group[-1] + 1]
            if not nxt[:1].isalpha() or rng.random() > p:
                break
            group.append(group[-1] + 1)
        groups.append(group)
        i = group[-1] + 1
    merged: list[list[int]] = []
    for group in groups:
        last = words[group[-1]]
        if merged and last in SUFFIX_TOKENS and len(group) == 1 and rng.random() < p:
            merged[-1].extend(group)
        else:
            merged.append(group)
    new_words, owner, lead = [], {}, {}
    for g, group in enumerate(merged):
        word = ""
        for t in group:
            piece = words[t]
            lead[t] = len(word)  # where this original token starts inside the new word
            if word.endswith("ل") and piece.startswith("ال") and word in ("ل", "ول", "فل"):
                word, piece = word + "ل", piece[2:]  # ل + الامم -> للامم
                lead[t] = 0 if word == "لل" else 1
            elif word.endswith("ة") and piece in SUFFIX_TOKENS:
                word = word[:-1] + "ت"
            word += piece
            owner[t] = g
        new_words.append(word)
    starts, pos = [], 0
    for w in new_words:
        starts.append(pos)
        pos += len(w) + 1
    char_spans = []
    for i, j, kind in spans:
        if kind:
            last = owner[j - 1]
            end = starts[last] + len(new_words[last])
            char_spans.append((starts[owner[i]] + lead[i], end, kind))
    return " ".join(new_words), char_spans


def bio(text: str, spans: list[Span]) -> tuple[list[str], list[str]]:
    """Tokens (as the extractor tokenizes) and their BIO labels."""
    tokens, labels = [], []
    ordered = sorted(spans)
    words = tokenize(text)
    for word, s in zip(words, token_offsets(text, words), strict=True):
        e = s + len(word)
        label = "O"
        for a, b, kind in ordered:
            if s < b and e > a:
                label = ("I-" if s > a else "B-") + kind
                break
        tokens.append(text[s:e])
        labels.append(label)
    return tokens, labels


def count_stats(examples: list[Example]) -> dict[str, list[int]]:
    """Per word form: (outside, person, organization, location) token counts."""
    column = {"O": 0, "PER": 1, "ORG": 2, "LOC": 3}
    stats: dict[str, list[int]] = {}
    for tokens, labels in examples:
        for token, label in zip(tokens, labels, strict=True):
            stats.setdefault(token_form(token), [0, 0, 0, 0])[column.get(label[2:], 0)] += 1
    return stats


NAME_BUCKETS = (1_000, 5_000, 20_000)


def name_classes(path: Path | None) -> dict[str, frozenset[str]]:
    """Word classes from the name ranks of ``build_name_lists.py``: "nf1" (among the 1,000
    most common given names of some country), "nf5", "nf20", and "nl1".. for family names."""
    if path is None:
        return {}
    classes: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        form, *ranks = line.split("\t")
        for prefix, rank in zip(("nf", "nl"), map(int, ranks), strict=True):
            bound = next((b for b in NAME_BUCKETS if 0 < rank <= b), None)
            if bound:
                classes.setdefault(f"{prefix}{bound // 1000}", set()).add(form)
    return {name: frozenset(forms) for name, forms in sorted(classes.items())}


def name_shape(stats: dict[str, list[int]], args: argparse.Namespace) -> NameShape | None:
    """The letters-of-names model from training counts: Arabic word types mostly seen in
    persons' names against those mostly seen outside any name."""
    if not args.shape:
        return None
    arabic = {f: c for f, c in stats.items() if "\u0621" <= f[0] <= "\u064a" and len(f) > 1}
    names = [f for f, c in arabic.items() if c[1] > c[0] + c[2] + c[3]]
    others = [f for f, c in arabic.items() if c[0] > c[1] + c[2] + c[3]]
    return NameShape.train(names, others)


NAME_LISTS = ("g:first", "g:pername", "g:orgname", "gc:first", "gc:pername", "gc:orgname")


def _unlisted(features: tuple[list[str], list[str], list[str]]) -> tuple[list[str], ...]:
    """A word's features as if no list of names held it."""
    return tuple([f for f in group if not f.startswith(NAME_LISTS)] for group in features)


def sequence_features(
    tokens: list[str], featurizer: Featurizer, cache: dict, unlisted: frozenset[int] = frozenset()
) -> list[list[str]]:
    """Attributes per token; the tokens in ``unlisted`` are seen without name-list features."""
    forms = [PAD, PAD, *(token_form(t) for t in tokens), PAD, PAD]
    feats = []
    for position, form in enumerate(forms):
        if form not in cache:
            cache[form] = featurizer.features(form)
        feats.append(_unlisted(cache[form]) if position - 2 in unlisted else cache[form])
    rows = []
    for i in range(2, len(forms) - 2):
        row = [f"0|{f}" for f in feats[i][0]]
        row += [f"-1|{f}" for f in feats[i - 1][1]] + [f"1|{f}" for f in feats[i + 1][1]]
        row += [f"-2|{f}" for f in feats[i - 2][2]] + [f"2|{f}" for f in feats[i + 2][2]]
        rows.append(row)
    return rows


def _hidden_names(labels: list[str], rng: random.Random, share: float) -> frozenset[int]:
    """Tokens of a random ``share`` of the sentence's persons and organizations: seen as if
    no list knew them. Most names in training are listed (the lists were grown on news like
    it), far fewer in new text; hiding some teaches the tagger to read the context too."""
    hidden: set[int] = set()
    keep = True
    for position, label in enumerate(labels):
        if label.startswith("B-"):
            keep = label[2:] not in ("PER", "ORG") or rng.random() >= share
        if label != "O" and not keep:
            hidden.add(position)
    return frozenset(hidden)


def build_examples(
    sentences: list[Sentence], rng: random.Random, augment: bool, swap: float = 0.0
) -> list[list[Example]]:
    """Per sentence: the corpus view, and (with ``augment``) a raw-text view. With ``swap``,
    that share of the sentences holding names is seen once more with other names of the same
    type in their place, so the tagger learns contexts rather than name lists."""
    per_sentence = []
    for sentence in sentences:
        views = [bio(*corpus_view(sentence))]
        if augment:
            views.append(bio(*raw_view(sentence, rng)))
        per_sentence.append(views)
    if swap:
        pool: dict[str, list[list[str]]] = {}
        for views in per_sentence:
            for kind, tokens in _entities(*views[0]):
                pool.setdefault(kind, []).append(tokens)
        for views in per_sentence:
            if rng.random() < swap and any(lab != "O" for lab in views[0][1]):
                views.append(_swapped(*views[0], pool, rng))
    return per_sentence


def _entities(tokens: list[str], labels: list[str]) -> list[tuple[str, list[str]]]:
    """(type, tokens) of the PER and ORG entities of a labelled sentence."""
    found: list[tuple[str, list[str]]] = []
    for token, label in zip(tokens, labels, strict=True):
        if label.startswith("B-"):
            found.append((label[2:], [token]))
        elif label.startswith("I-") and found and found[-1][0] == label[2:]:
            found[-1][1].append(token)
    return [(kind, toks) for kind, toks in found if kind in ("PER", "ORG")]


def _swapped(
    tokens: list[str], labels: list[str], pool: dict[str, list[list[str]]], rng: random.Random
) -> Example:
    """The sentence with each PER/ORG entity replaced by a random one of the same type."""
    new_tokens: list[str] = []
    new_labels: list[str] = []
    i = 0
    while i < len(tokens):
        label = labels[i]
        kind = label[2:]
        if label.startswith("B-") and kind in pool:
            j = i + 1
            while j < len(tokens) and labels[j] == "I-" + kind:
                j += 1
            other = rng.choice(pool[kind])
            new_tokens += other
            new_labels += ["B-" + kind] + ["I-" + kind] * (len(other) - 1)
            i = j
        else:
            new_tokens.append(tokens[i])
            new_labels.append(label)
            i += 1
    return new_tokens, new_labels


# one trained model: its labels, transition weights and state-feature weights
Run = tuple[list[str], dict[tuple[str, str], float], dict[tuple[str, str], float]]


def _train_one(
    sentences: list[Sentence],
    args: argparse.Namespace,
    classes: dict[str, frozenset[str]],
    seed: int,
) -> Run:
    """One CRFsuite model on one random draw of the augmented copies: (labels, transitions,
    state features)."""
    import pycrfsuite  # only training needs it (the "train" extra)

    rng = random.Random(seed)
    examples = build_examples(sentences, rng, not args.no_augment, args.swap)
    block = (len(examples) + FOLDS - 1) // FOLDS
    trainer = pycrfsuite.Trainer(verbose=False)
    for fold in range(FOLDS):
        inside = range(fold * block, min(len(examples), (fold + 1) * block))
        outside = [v[0] for k, views in enumerate(examples) if k not in inside for v in [views]]
        stats = count_stats(outside)
        featurizer = Featurizer(
            classes,
            {k: tuple(v) for k, v in stats.items()},
            name_shape(stats, args),
            args.wide,
            vocab=args.vocab_words,
        )
        cache: dict = {}
        for k in inside:
            for view, (tokens, labels) in enumerate(examples[k]):
                labels = [lab if lab[2:] in args.labels else "O" for lab in labels]
                hidden = _hidden_names(labels, rng, args.list_dropout) if view else frozenset()
                trainer.append(sequence_features(tokens, featurizer, cache, hidden), labels)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.possible_transitions": True,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "model.crfsuite")
        started = time.time()
        trainer.train(path)
        print(f"  trained in {time.time() - started:.0f}s (seed {seed})", file=sys.stderr)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        return list(tagger.labels()), dict(info.transitions), dict(info.state_features)


def mean_model(runs: list[Run]) -> tuple[list[str], list[list[float]], dict[str, list[float]]]:
    """(labels with O first, transition matrix, feature -> weight per label): the mean of the
    runs' weights, a weight missing from a run counting 0; weights under 1e-3 are dropped."""
    labels = ["O", *sorted({lab for run in runs for lab in run[0]} - {"O"})]
    index = {lab: k for k, lab in enumerate(labels)}
    share = 1 / len(runs)
    transitions = [[0.0] * len(labels) for _ in labels]
    summed: dict[str, list[float]] = {}
    for _, run_transitions, state_features in runs:
        for (a, b), w in run_transitions.items():
            transitions[index[a]][index[b]] += w * share
        for (attr, label), w in state_features.items():
            summed.setdefault(attr, [0.0] * len(labels))[index[label]] += w * share
    weights = {
        attr: [round(w, 4) if abs(w) >= 1e-3 else 0.0 for w in vector]
        for attr, vector in summed.items()
        if any(abs(w) >= 1e-3 for w in vector)
    }
    return labels, [[round(w, 4) for w in row] for row in transitions], weights


def train(
    sentences: list[Sentence], args: argparse.Namespace, classes: dict[str, frozenset[str]]
) -> dict:
    """Train CRFsuite on ``sentences`` once per seed and export the mean of the models.

    The models differ only in the random raw-text copies, name swaps and hidden names they
    saw. A log-linear model's weights average into one model of the same size: an ensemble
    that costs the decoder nothing more."""
    jobs = [(sentences, args, classes, seed) for seed in args.seeds]
    if len(jobs) > 1 and args.jobs > 1 and not multiprocessing.current_process().daemon:
        with multiprocessing.get_context("fork").Pool(min(args.jobs, len(jobs))) as pool:
            runs = pool.starmap(_train_one, jobs)
    else:
        runs = [_train_one(*job) for job in jobs]
    labels, transitions, weights = mean_model(runs)
    all_stats = count_stats([bio(*corpus_view(s)) for s in sentences])  # the corpus text
    shape = name_shape(all_stats, args)
    extra: dict = {"shape": shape.to_json()} if shape else {}
    if args.wide:
        extra["wide"] = True
    if args.vocab_words is not None:
        extra["vocab"] = VOCAB_FILE  # written beside the model by ``write_vocab``
    if args.name_classes:
        extra["name_classes"] = {k: sorted(v) for k, v in args.name_classes.items()}
    return {
        **extra,
        "format": 1,
        "labels": labels,
        "transitions": transitions,
        "weights": weights,
        "stats": {k: v for k, v in sorted(all_stats.items())},
        "meta": {
            "source": "NewsFANE Gold 2014 (Alotaibi & Lee, COLING 2014), CC BY-SA 3.0",
            "sentences": len(sentences),
            "c1": args.c1,
            "c2": args.c2,
            "iterations": args.iterations,
            "augmented": not args.no_augment,
            "swap": args.swap,
            "seeds": list(args.seeds),
        },
    }


def write_model(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))


def write_vocab(vocab: frozenset[str] | None, folder: Path) -> None:
    """The dictionary words, once per folder of models that name them (a file of its own: it
    keeps its own license, see archive/entities/model/NOTICE.md)."""
    if vocab is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / VOCAB_FILE, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.write("".join(word + "\n" for word in sorted(vocab)))


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ner_eval", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(
    model_path: Path,
    views: list[tuple[str, list[Span]]],
    scorer: ModuleType,
    config_dir: Path | None = None,
) -> tuple[list[set], list[set]]:
    """Gold and predicted (type, normalized text) sets per text, as ``ner_eval.py`` reads them."""
    from archive.entities.extractor import CrfExtractor

    extractor = CrfExtractor(model_path, config_dir)
    names = {"PER": "person", "ORG": "organization"}
    gold, pred = [], []
    for text, spans in views:
        gold.append({(names[k], scorer.norm(text[s:e])) for s, e, k in spans if k in names})
        result = extractor.extract(text).to_json()
        pred.append(scorer.predicted_entities(result))
    return gold, pred


def counts(gold: list[set], pred: list[set]) -> dict[str, list[int]]:
    """(true positives, false positives, false negatives) per kind."""
    found = {}
    for kind in ("person", "organization"):
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            g = {e for e in g if e[0] == kind}
            p = {e for e in p if e[0] == kind}
            tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        found[kind] = [tp, fp, fn]
    return found


def report_of(found: dict[str, list[int]]) -> dict:
    report = {}
    for kind, (tp, fp, fn) in found.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        report[kind] = {"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3), "gold": tp + fn}
    return report


def evaluate(model_path: Path, views: list[tuple[str, list[Span]]], scorer: ModuleType) -> dict:
    """Entity-level P/R/F1 of the whole extractor, as ``ner_eval.py`` computes them."""
    return report_of(counts(*predictions(model_path, views, scorer)))


def dev_reports(model: Path, dev: list[Sentence]) -> list[tuple[str, dict]]:
    """Scores on the dev sentences as written in the corpus, and re-glued as in real text."""
    scorer = load_scorer()
    rng = random.Random(7)
    views = {
        "corpus": [corpus_view(s) for s in dev],
        "raw": [raw_view(s, rng, p=1.0) for s in dev],
    }
    return [(name, evaluate(model, v, scorer)) for name, v in views.items()]


def name_words(sentences: list[Sentence]) -> set[str]:
    """Folded words of the gold persons and organizations of some sentences."""
    from archive.entities.lexicon import fold

    words = set()
    for sentence in sentences:
        for i, j, kind in entity_tokens(sentence):
            if kind in ("PER", "ORG"):
                words.update(fold(" ".join(t for t, _ in sentence[i:j])).split())
    return words


def unlisted_config(held: list[Sentence], others: list[Sentence], folder: Path) -> Path:
    """A copy of config/ whose name lists and alias files leave out every name word of the
    held-out sentences that no other training sentence names: lists as if built without
    ever seeing this stretch of text, as they were for any new text (the test split, real
    articles). Scores with it are the honest estimate of what lists bring to unseen names.

    The general gazetteer files (``*.general.tsv``) are kept whole: they were written from
    general knowledge without reading NewsFANE, like any resource a held-out text meets."""
    import shutil

    from archive.entities.lexicon import fold

    unseen = name_words(held) - name_words(others)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "config", folder)
    for name in ("first_names.txt", "person_names.txt", "org_names.txt", "persons.tsv",
                 "organizations.tsv"):  # fmt: skip
        path = folder / "entities" / name
        kept = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("#") or not unseen.intersection(fold(line).split())
        ]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def fold_blocks(n: int, k: int) -> list[range]:
    """k contiguous blocks of the train split: a held-out block is a stretch of other topics."""
    size = (n + k - 1) // k
    return [range(f * size, min(n, (f + 1) * size)) for f in range(k)]


def _cv_fold(job: tuple) -> tuple[int, dict, list]:
    fold, sentences, args, classes = job
    block = fold_blocks(len(sentences), args.cv)[fold]
    path = args.cv_dir / f"fold{fold}.json.gz"
    if not args.cv_reuse or not path.exists():
        inside = [s for k, s in enumerate(sentences) if k not in block]
        write_model(train(inside, args, classes), path)
    held = [sentences[k] for k in block]
    scorer = load_scorer()
    views = [corpus_view(s) for s in held]
    config = None
    if args.honest_lists:
        others = [s for k, s in enumerate(sentences) if k not in block]
        config = unlisted_config(held, others, args.cv_dir / f"config{fold}")
    gold, pred = predictions(path, views, scorer, config)
    errors = [
        (text, sorted(g - p), sorted(p - g))
        for (text, _), g, p in zip(views, gold, pred, strict=True)
        if g != p
    ]
    return fold, counts(gold, pred), errors


def cross_validate(
    sentences: list[Sentence], args: argparse.Namespace, classes: dict[str, frozenset[str]]
) -> None:
    """k-fold cross-validation over the train split (contiguous blocks), micro-averaged."""
    args.cv_dir.mkdir(parents=True, exist_ok=True)
    write_vocab(args.vocab_words, args.cv_dir)  # the fold models share it
    jobs = [(fold, sentences, args, classes) for fold in range(args.cv)]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        results = sorted(pool.map(_cv_fold, jobs, chunksize=1))
    total = {kind: [0, 0, 0] for kind in ("person", "organization")}
    errors = []
    for fold, found, wrong in results:
        print(f"cv fold {fold}: {json.dumps(report_of(found))}")
        for kind, values in found.items():
            total[kind] = [a + b for a, b in zip(total[kind], values, strict=True)]
        errors.extend(wrong)
    print(f"cv[{args.cv} folds] {json.dumps(report_of(total))}")
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as handle:
            for text, missed, wrong in errors:
                handle.write(f"- {text}\n  missed: {missed}\n  wrong: {wrong}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dev-only", action="store_true")
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--no-augment", action="store_true")
    parser.add_argument("--swap", type=float, default=0.5, help="share of name-swapped copies")
    parser.add_argument("--labels", default="PER,ORG,LOC")
    parser.add_argument("--shape", action="store_true", help="letters-of-names feature")
    parser.add_argument("--names", type=Path, help="name ranks from build_name_lists.py")
    parser.add_argument("--wide", action="store_true", help="counts and shape at offsets -2/+2")
    parser.add_argument("--vocab", type=Path, help="dictionary words from build_vocab.py")
    parser.add_argument(
        "--list-dropout", type=float, default=0.0, help="share of names hidden from the lists"
    )
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument(
        "--seeds", default="13", help="comma-separated: one model per seed, weights averaged"
    )
    parser.add_argument("--dev-model", type=Path, help="keep the dev model at this path")
    parser.add_argument("--eval-model", type=Path, help="only score this (dev) model on dev")
    parser.add_argument("--cv", type=int, default=0, help="k-fold cross-validation on train only")
    parser.add_argument("--cv-dir", type=Path, default=Path(tempfile.gettempdir()) / "ner_cv")
    parser.add_argument("--cv-reuse", action="store_true", help="score the fold models kept")
    parser.add_argument("--jobs", type=int, default=2, help="folds trained at once")
    parser.add_argument("--errors", type=Path, help="write the held-out mistakes here")
    parser.add_argument(
        "--honest-lists",
        action="store_true",
        help="score folds with lists that leave out the names only the held-out block has",
    )
    args = parser.parse_args()
    args.labels = set(args.labels.split(","))
    args.seeds = [int(seed) for seed in args.seeds.split(",")]

    sentences = read_sentences(args.data)[:TRAIN_SENTENCES]  # the test split is never read
    args.name_classes = name_classes(args.names)
    args.vocab_words = read_vocab(args.vocab) if args.vocab else None
    classes = {**load_lexicon().word_classes(), **args.name_classes}
    cut = int(len(sentences) * 0.85)
    if args.cv:
        cross_validate(sentences, args, classes)
        return
    if args.eval_model:
        for name, report in dev_reports(args.eval_model, sentences[cut:]):
            print(f"dev[{name}] {json.dumps(report)}")
        return
    if not args.no_dev:
        print(f"dev: train on {cut} sentences, score on {len(sentences) - cut}", file=sys.stderr)
        data = train(sentences[:cut], args, classes)
        with tempfile.TemporaryDirectory() as tmp:
            path = args.dev_model or Path(tmp) / "dev.json.gz"
            write_model(data, path)
            write_vocab(args.vocab_words, path.parent)
            for name, report in dev_reports(path, sentences[cut:]):
                print(f"dev[{name}] {json.dumps(report)}")
    if not args.dev_only:
        data = train(sentences, args, classes)
        write_model(data, args.out)
        write_vocab(args.vocab_words, args.out.parent)
        size = args.out.stat().st_size
        print(f"wrote {args.out} ({size / 1e6:.2f} MB, {len(data['weights'])} features)")


if __name__ == "__main__":
    main()
