"""The compact linear-chain decoder for the shipped tagger (trained with CRFsuite).

Why our own decoder: a python-crfsuite Tagger needs ~30 feature strings per token, built and
hashed for every token: far too slow for bulk import. Here a token's emission is the sum of five
per-type vectors (the word itself and its neighbours at -2..+2, see ``features``), computed once
per word type and cached. Each type also keeps, per entity type, an upper bound on how far it
can push a token from O towards that type. Summed over a token's window, these bounds say which
tokens are surely O; Viterbi runs only over the short runs of candidate tokens in between.

Skipping is safe by construction up to one approximation: a run of entity tokens needs
emission evidence that pays for its transitions (O->B, B->I, ..., ->O); the smallest share per
token any run can get away with is the seed threshold, so every entity run holds a seed token
above it. Runs are then grown to neighbours that could join them.

The model file is gzipped JSON: labels, transition matrix, one weight vector per feature, and
the training counts the count features need.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from itertools import accumulate
from operator import add, itemgetter, sub
from pathlib import Path

from archive.entities.features import PAD, Featurizer, cores, token_form

NEG = -1e9  # a forbidden transition (I-X after anything but B-X or I-X)
OFFSETS = (-2, -1, 0, 1, 2)
DECODED = ("PER", "ORG")  # entity types worth decoding; others only compete inside runs
_CACHE_LIMIT = 400_000  # word types kept per process; the cache restarts when full
MARGIN = 1.0  # extra slack for runs of mixed types (PER next to ORG or LOC), which the bound ignores

# A type's record: per decoded type and per label (B, I), five margins: how far the word pushes
# that label above O on the token 2 after it, 1 after, itself, 1 before, 2 before. Then its
# five emission vectors, its form and its cores.
VECTORS = 10 * len(DECODED)
FORM = VECTORS + 1
CORES = VECTORS + 2
TypeRecord = tuple


class _Lattice:
    """The transitions among a subset of the labels (O always first)."""

    def __init__(self, model: TaggerModel, ids: list[int]) -> None:
        t = model.transitions
        self.ids = ids
        self.pick = itemgetter(*ids)
        self.start = [t[0][a] for a in ids]
        self.end = [t[a][0] for a in ids]
        self.trans = [[t[a][b] for b in ids] for a in ids]
        self.columns = [[t[a][b] for a in ids] for b in ids]
        position = {label: k for k, label in enumerate(ids)}
        self.predecessors: list[tuple[int, int] | None] = []
        for label in ids:
            name = model.labels[label]
            if name.startswith("I-"):
                b, i = model.labels.index("B-" + name[2:]), label
                self.predecessors.append((position[b], position[i]))
            else:
                self.predecessors.append(None)


class TaggerModel:
    """Labels tokens with BIO tags; label 0 must be ``O``."""

    def __init__(self, data: dict, featurizer: Featurizer) -> None:
        self.labels: list[str] = data["labels"]
        if self.labels[0] != "O":
            raise ValueError("label 0 of the model must be O")
        self.featurizer = featurizer
        self.transitions = self._transitions(data["transitions"])
        self._columns = [list(col) for col in zip(*self.transitions, strict=True)]
        self._n = len(self.labels)
        # feature -> its weights at all five offsets, flat: [offset -2 labels..., -1 ..., ...]
        n = self._n
        flat: dict[str, list[float]] = {}
        for key, vector in data["weights"].items():
            offset, _, feature = key.partition("|")
            slot = OFFSETS.index(int(offset))
            flat.setdefault(feature, [0.0] * (n * len(OFFSETS)))[slot * n : (slot + 1) * n] = vector
        self._weights = {k: tuple(v) for k, v in flat.items()}
        self._zero = (0.0,) * (n * len(OFFSETS))
        self._groups = [self._label_ids(kind) for kind in DECODED]
        self._runs = [self._run_costs(ids) for ids in self._groups]
        # label subsets to decode a run with, by mask of the decoded types it may hold
        others = [k for k, lab in enumerate(self.labels) if lab[2:] not in DECODED]
        self._lattices = [
            _Lattice(
                self,
                sorted(others + [k for bit, ids in enumerate(self._groups) if mask >> bit & 1 for k in ids]),
            )
            for mask in range(1, 2 ** len(DECODED))
        ]
        self.cache: dict[str, TypeRecord] = {}  # surface or form -> record
        self._pad = self._record(PAD)

    @classmethod
    def load(cls, path: Path, featurizer_factory: Callable[[dict], Featurizer]) -> TaggerModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(data, featurizer_factory(data))

    # --- set-up -------------------------------------------------------------------------------

    def _transitions(self, rows: list[list[float]]) -> list[list[float]]:
        matrix = [list(row) for row in rows]
        for j, label in enumerate(self.labels):
            if label.startswith("I-"):
                for i, prev in enumerate(self.labels):
                    if prev == "O" or prev[2:] != label[2:]:
                        matrix[i][j] = NEG
        return matrix

    def _label_ids(self, kind: str) -> tuple[int, int]:
        return self.labels.index("B-" + kind), self.labels.index("I-" + kind)

    def _run_costs(self, ids: tuple[int, int]) -> tuple[float, float, float]:
        """(enter, stay_in, leave): what transitions add to an entity run B I..I over all-O.

        A run a..b gains ``enter + dB[a] + sum(dI[i] + stay_in for a < i <= b) + leave`` over
        labelling it O, where dB/dI are the B/I emissions minus the O emission. ``leave``
        takes the dearer of the one-token and the longer run's exits, so it never undercounts.
        """
        t, (b, i), stay = self.transitions, ids, self.transitions[0][0]
        enter = t[0][b] - stay
        stay_in = t[i][i] - stay
        leave = max(t[b][0] - stay, t[b][i] - t[i][i] + t[i][0] - stay)
        return enter, stay_in, leave

    # --- per-type records ----------------------------------------------------------------------

    def _record(self, form: str) -> TypeRecord:
        own, near, far = self.featurizer.features(form)
        weights = self._weights
        found = [weights[f] for f in {*own, *near, *far} if f in weights]
        total = tuple(map(sum, zip(*found, strict=True))) if found else self._zero
        n = self._n
        vectors = tuple(total[s * n : (s + 1) * n] for s in range(len(OFFSETS)))
        margins = [v[k] - v[0] for ids in self._groups for k in ids for v in vectors]
        return (*margins, vectors, form, tuple(cores(form)))

    def record(self, surface: str) -> TypeRecord:
        """The cached record of a written word (by surface, then by normalized form)."""
        cache = self.cache
        rec = cache.get(surface)
        if rec is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            form = token_form(surface)
            rec = cache.get(form)
            if rec is None:
                rec = self._record(form)
                cache[form] = rec
            cache[surface] = rec
        return rec

    # --- candidates ----------------------------------------------------------------------------

    def _window(self, recs: Sequence[TypeRecord], base: int) -> map:
        """Per token, the exact emission margin of one label over O (five words' shares)."""
        pad = self._pad
        g = [list(map(itemgetter(base + k), recs)) for k in range(5)]
        h = map(add, g[2], [pad[base + 1], *g[1]])  # itself, and the word before
        h = map(add, h, [pad[base], pad[base], *g[0]])  # two before
        h = map(add, h, [*g[3][1:], pad[base + 3]])  # one after
        return map(add, h, [*g[4][2:], pad[base + 4], pad[base + 4]])  # two after

    def candidates(self, recs: Sequence[TypeRecord]) -> list[list[int]]:
        """Per decoded type, the tokens that may take its labels; the others are surely O.

        Per entity type, a token can be labelled only if some run B I..I through it beats O.
        With ``start[a] = enter + dB[a]`` and prefix sums P of ``dI + stay_in``, the best run
        through token j gains max over a <= j of (start[a] - P[a+1]) plus max over b >= j of
        P[b+1], plus ``leave``: running maxima, all in C-level passes.
        """
        chosen: list[list[int]] = []
        for k, (enter, stay_in, leave) in enumerate(self._runs):
            start = [x + enter for x in self._window(recs, 10 * k)]
            inner = [x + stay_in for x in self._window(recs, 10 * k + 5)]
            prefix = list(accumulate(inner, initial=0.0))
            best_start = accumulate(map(sub, start, prefix[1:]), max)
            best_end = list(accumulate(reversed(prefix), max))
            best_end.reverse()
            threshold = -leave - MARGIN
            best = map(add, best_start, best_end[1:])
            chosen.append([i for i, v in enumerate(best) if v > threshold])
        return chosen

    # --- decoding ------------------------------------------------------------------------------

    def emissions(self, recs: Sequence[TypeRecord], i: int) -> list[float]:
        n_tokens = len(recs)
        pad = self._pad[VECTORS]
        parts = [recs[i][VECTORS][2]]
        for delta, slot in ((-2, 0), (-1, 1), (1, 3), (2, 4)):
            # the word at i+delta, seen from token i at offset delta
            j = i + delta
            parts.append(recs[j][VECTORS][slot] if 0 <= j < n_tokens else pad[slot])
        return list(map(sum, zip(*parts, strict=True)))

    def viterbi(self, emissions: list[list[float]], lattice: _Lattice | None = None) -> list[int]:
        """Best label path (model label ids) for a run of tokens with O before and after it."""
        lat = lattice or self._lattices[-1]
        emissions = [lat.pick(em) for em in emissions]
        if len(emissions) == 1:  # a lone token between two O
            totals = list(map(add, map(add, lat.start, emissions[0]), lat.end))
            return [lat.ids[totals.index(max(totals))]]
        trans, columns = lat.trans, lat.columns
        score = list(map(add, lat.start, emissions[0]))
        back: list[list[int]] = []
        for em in emissions[1:]:
            row_back, row = [], []
            for k, preds in enumerate(lat.predecessors):
                if preds is None:  # any label may come before k
                    options = list(map(add, score, columns[k]))
                    best = max(options)
                    row_back.append(options.index(best))
                else:  # I-X: only B-X or I-X before it
                    b, i = preds
                    via_b, via_i = score[b] + trans[b][k], score[i] + trans[i][k]
                    best = via_b if via_b >= via_i else via_i
                    row_back.append(b if via_b >= via_i else i)
                row.append(best + em[k])
            back.append(row_back)
            score = row
        final = list(map(add, score, lat.end))
        path = [final.index(max(final))]
        for row_back in reversed(back):
            path.append(row_back[path[-1]])
        path.reverse()
        return [lat.ids[k] for k in path]

    def tag(self, recs: Sequence[TypeRecord]) -> list[tuple[int, int, str]]:
        """Entity spans as (first token, last token + 1, type) from per-token type records."""
        per_type = self.candidates(recs)
        if not any(per_type):
            return []
        owner: dict[int, int] = {}  # token -> bit mask of the types it is a candidate for
        for bit, tokens in enumerate(per_type):
            for i in tokens:
                owner[i] = owner.get(i, 0) | (1 << bit)
        runs: list[list[int]] = []  # [first, last, mask]
        for i in sorted(owner):
            if runs and i == runs[-1][1] + 1:
                runs[-1][1] = i
                runs[-1][2] |= owner[i]
            else:
                runs.append([i, i, owner[i]])
        spans: list[tuple[int, int, str]] = []
        emissions = self.emissions
        for first, last, mask in runs:
            path = self.viterbi(
                [emissions(recs, i) for i in range(first, last + 1)], self._lattices[mask - 1]
            )
            spans.extend(self._spans(path, first))
        return spans

    def tag_all(self, recs: Sequence[TypeRecord]) -> list[tuple[int, int, str]]:
        """Plain Viterbi over every token: the reference the skipping decoder is tested against."""
        if not recs:
            return []
        path = self.viterbi([self.emissions(recs, i) for i in range(len(recs))])
        return self._spans(path, 0)

    def _spans(self, path: list[int], offset: int) -> list[tuple[int, int, str]]:
        spans, begin, kind = [], -1, ""
        for i, label_id in enumerate([*path, 0]):
            label = self.labels[label_id]
            if begin >= 0 and not (label.startswith("I-") and label[2:] == kind):
                spans.append((offset + begin, offset + i, kind))
                begin = -1
            if label.startswith("B-"):
                begin, kind = i, label[2:]
        return spans
