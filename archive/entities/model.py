"""The compact linear-chain decoder for the shipped tagger (trained with CRFsuite).

Why our own decoder: a python-crfsuite Tagger needs ~30 feature strings per token, built and
hashed for every token: far too slow for bulk import. Here every word *type* gets an id and a
row of numbers, computed once per process: its five emission vectors (its weight on the label
of the token 2 before it, 1 before, itself, 1 after, 2 after; see ``features``). A token's
emission is the sum of five rows' slices, so a whole document is scored with a few numpy
operations.

Most tokens are surely O. For each decoded type (PER, ORG) a run B I..I beats all-O only if
its emission margins over O pay for its transitions; the best run through each token is found
with prefix sums and running maxima (exact for single-type runs, with a small margin for runs
touching another type). Viterbi then decodes the short runs of candidate tokens, with O on
both sides, all runs of a document at once.

The model file is gzipped JSON: labels, transition matrix, one weight vector per feature, and
the training counts the count features need.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from archive.entities.features import PAD, Featurizer, cores, token_form

NEG = -1e9  # a forbidden transition (I-X after anything but B-X or I-X)
OFFSETS = (-2, -1, 0, 1, 2)
DECODED = ("PER", "ORG")  # entity types worth decoding; others only compete inside runs
MARGIN = 1.0  # slack for runs of mixed types (PER next to ORG or LOC) that the bound ignores
_TYPE_LIMIT = 300_000  # word types kept per process (~100 MB); the tables restart when full


class TaggerModel:
    """Labels tokens with BIO tags; label 0 must be ``O``."""

    def __init__(self, data: dict, featurizer: Featurizer) -> None:
        self.labels: list[str] = data["labels"]
        if self.labels[0] != "O":
            raise ValueError("label 0 of the model must be O")
        self.featurizer = featurizer
        self.transitions = self._transitions(data["transitions"])
        n = self._n = len(self.labels)
        # feature -> its weights at all five offsets, flat: [offset -2 labels..., -1 ..., ...]
        rows: dict[str, np.ndarray] = {}
        for key, vector in data["weights"].items():
            offset, _, feature = key.partition("|")
            slot = OFFSETS.index(int(offset))
            row = rows.setdefault(feature, np.zeros(n * len(OFFSETS)))
            row[slot * n : (slot + 1) * n] = vector
        # row 0 is all zeros: the features of a type with no known feature
        self._feature_row = {feature: k for k, feature in enumerate(rows, start=1)}
        self._weights = np.array([np.zeros(n * len(OFFSETS)), *rows.values()])
        self._groups = [self._label_ids(kind) for kind in DECODED]
        self._runs = [self._run_costs(ids) for ids in self._groups]
        self._transition_array = np.array(self.transitions)
        self._kind_of = [label[2:] for label in self.labels]  # "" for O
        self._begins = [label.startswith("B-") for label in self.labels]
        self._reset()

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

    # --- word types -----------------------------------------------------------------------------

    def _reset(self) -> None:
        """Empty type tables; id 0 is the padding type outside the text. Ids of the previous
        tables are invalid after this: ``generation`` tells callers that keep ids."""
        self.generation = getattr(self, "generation", -1) + 1
        self.cache: dict[str, int] = {}  # surface or form -> type id
        self.forms: list[str] = []
        self.cores: list[tuple[str, ...]] = []
        self._rows = np.zeros((4096, self._n * len(OFFSETS)), dtype=np.float32)
        self._pending: list[list[int]] = []  # feature rows of types whose row is not summed yet
        self._add_type(PAD)
        self._sum_pending()

    def _add_type(self, form: str) -> int:
        """A new type id; its row is summed later, with the other new types of the document."""
        get = self._feature_row.get
        core_forms = cores(form)
        # own features include the near and far ones (see ``Featurizer.features``)
        own = self.featurizer.features(form, core_forms)[0]
        found = [k for k in map(get, own) if k is not None]
        self._pending.append(found or [0])
        self.forms.append(form)
        self.cores.append(tuple(core_forms))
        return len(self.forms) - 1

    def _sum_pending(self) -> None:
        """Rows of the new types: sums of their features' weights, in one numpy call."""
        if not self._pending:
            return
        first = len(self.forms) - len(self._pending)
        while len(self.forms) > len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        flat = np.fromiter(chain.from_iterable(self._pending), dtype=np.intp)
        starts = np.cumsum([0] + [len(p) for p in self._pending[:-1]])
        self._rows[first : len(self.forms)] = np.add.reduceat(self._weights[flat], starts, axis=0)
        self._pending = []

    def type_id(self, surface: str) -> int:
        """The id of a written word's type (cached by surface, then by normalized form).

        Call ``type_ids`` for whole documents: it also fills the rows of new types."""
        cache = self.cache
        found = cache.get(surface)
        if found is None:
            form = token_form(surface)
            found = cache.get(form)
            if found is None:
                found = cache[form] = self._add_type(form)
            cache[surface] = found
        return found

    def type_ids(self, words: Sequence[str], new_document: bool = False) -> list[int]:
        """Type ids of words. Tables full? They restart before a new document (never inside
        one: the ids a caller holds for the current document stay valid)."""
        if new_document and len(self.forms) > _TYPE_LIMIT:
            self._reset()
        get, add_one = self.cache.get, self.type_id
        ids = [get(w) or add_one(w) for w in words]
        self._sum_pending()
        return ids

    # --- scoring --------------------------------------------------------------------------------

    def _window_rows(self, ids: Sequence[int]) -> np.ndarray:
        """Rows of the document's types with two padding rows on each side."""
        return self._rows[np.array([0, 0, *ids, 0, 0], dtype=np.intp)]

    def _emissions(self, rows: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """Emission vectors of some tokens (indices into the document), one row each."""
        n = self._n
        total = rows[tokens + 2, 2 * n : 3 * n].copy()
        for delta, slot in ((-2, 0), (-1, 1), (1, 3), (2, 4)):
            # the word at token + delta, seen from the token at offset delta
            total += rows[tokens + 2 + delta, slot * n : (slot + 1) * n]
        return total

    def candidates(self, ids: Sequence[int], rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Per decoded type, the tokens that may take its labels; the others are surely O.

        A token can be labelled only if some run B I..I through it beats O. With
        ``start[a] = enter + dB[a]`` and prefix sums P of ``dI + stay_in``, the best run through
        token j gains max over a <= j of (start[a] - P[a+1]) plus max over b >= j of P[b+1],
        plus ``leave``.
        """
        rows = self._window_rows(ids) if rows is None else rows
        emissions = self._emissions(rows, np.arange(len(ids)))
        margins = emissions - emissions[:, :1]
        chosen = []
        for (b, i), (enter, stay_in, leave) in zip(self._groups, self._runs, strict=True):
            prefix = np.concatenate(([0.0], np.cumsum(margins[:, i] + stay_in)))
            best_start = np.maximum.accumulate(margins[:, b] + enter - prefix[1:])
            best_end = np.maximum.accumulate(prefix[::-1])[::-1]
            chosen.append(np.flatnonzero(best_start + best_end[1:] > -leave - MARGIN))
        return chosen

    # --- decoding ------------------------------------------------------------------------------

    def tag(self, ids: Sequence[int]) -> list[tuple[int, int, str]]:
        """Entity spans as (first token, last token + 1, type) from the tokens' type ids."""
        if not ids:
            return []
        rows = self._window_rows(ids)
        chosen = np.unique(np.concatenate(self.candidates(ids, rows)))
        if not len(chosen):
            return []
        # runs of consecutive candidate tokens, each decoded with O before and after it
        breaks = np.flatnonzero(np.diff(chosen) != 1) + 1
        starts = np.concatenate(([0], breaks))
        lengths = np.diff(np.concatenate((starts, [len(chosen)])))
        paths = self._viterbi_runs(self._emissions(rows, chosen), starts, lengths)
        spans: list[tuple[int, int, str]] = []
        for start, path in zip(chosen[starts].tolist(), paths, strict=True):
            spans.extend(self._spans(path, start))
        return spans

    def _viterbi_runs(
        self, emissions: np.ndarray, starts: np.ndarray, lengths: np.ndarray
    ) -> list[list[int]]:
        """Best label paths of many runs at once (emission rows of all runs, run after run).

        Runs are processed longest first, so at step k the runs still going are a prefix."""
        t = self._transition_array
        order = np.argsort(-lengths, kind="stable")
        first = starts[order]
        longest = int(lengths[order[0]])
        going = np.searchsorted(-lengths[order], -np.arange(longest), side="left")  # length > k
        score = t[0] + emissions[first]
        back = np.zeros((len(emissions), self._n), dtype=np.intp)
        for step in range(1, longest):
            active = int(going[step])
            here = first[:active] + step
            options = score[:active, :, None] + t[None, :, :]
            back[here] = options.argmax(axis=1)
            score[:active] = options.max(axis=1) + emissions[here]
        last = (score + t[:, 0]).argmax(axis=1).tolist()
        paths: list[list[int]] = [[]] * len(starts)
        long_runs = int(going[1]) if longest > 1 else 0
        back_rows = back.tolist() if long_runs else []
        for run, (begin, label) in enumerate(zip(first.tolist(), last, strict=True)):
            if run >= long_runs:  # one token: its label is the whole path
                paths[int(order[run])] = [label]
                continue
            path = [label]
            for k in range(begin + int(lengths[order[run]]) - 1, begin, -1):
                label = back_rows[k][label]
                path.append(label)
            path.reverse()
            paths[int(order[run])] = path
        return paths

    def tag_all(self, ids: Sequence[int]) -> list[tuple[int, int, str]]:
        """Plain Viterbi over every token: the reference the skipping decoder is tested against."""
        if not ids:
            return []
        emissions = self._emissions(self._window_rows(ids), np.arange(len(ids)))
        path = self._viterbi_runs(emissions, np.array([0]), np.array([len(ids)]))[0]
        return self._spans(path, 0)

    def _spans(self, path: list[int], offset: int) -> list[tuple[int, int, str]]:
        """(first, last + 1, type) of the entities a label path holds."""
        kind_of, begins = self._kind_of, self._begins
        if len(path) == 1:
            label = path[0]
            return [(offset, offset + 1, kind_of[label])] if begins[label] else []
        spans, begin, kind = [], -1, ""
        for i, label in enumerate([*path, 0]):
            if begin >= 0 and (begins[label] or kind_of[label] != kind):
                spans.append((offset + begin, offset + i, kind))
                begin = -1
            if begins[label]:
                begin, kind = i, kind_of[label]
        return spans
