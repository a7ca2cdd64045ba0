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
both sides. A batch of documents is scored and decoded together, laid end to end with padding
between them: numpy's cost per call, not per token, is what a document alone would pay most.

The model file is gzipped JSON: labels, transition matrix, one weight vector per feature, and
the training counts the count features need.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from itertools import chain, compress, repeat
from operator import is_
from pathlib import Path

import numpy as np

from archive.entities.features import PAD, Featurizer, cores, token_form

NEG = -1e9  # a forbidden transition (I-X after anything but B-X or I-X)
OFFSETS = (-2, -1, 0, 1, 2)
DECODED = ("PER", "ORG")  # entity types worth decoding; others only compete inside runs
MARGIN = 1.0  # slack for runs of mixed types (PER next to ORG or LOC) that the bound ignores
_TYPE_LIMIT = 300_000  # word types kept per process (~100 MB); the tables restart when full


_BARRIER = -1e4  # the margin of a padding token between documents: no entity run crosses it


def _ranks(lengths: np.ndarray) -> np.ndarray:
    """0, 1, .. within each of consecutive groups of the given lengths."""
    total = int(lengths.sum())
    starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.arange(total) - starts


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
        # form or core -> the type ids that have it: lets a document find the types that can
        # start a name it already uses without visiting all its types
        self.with_key: dict[str, list[int]] = {}
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
        type_id = len(self.forms)
        self.forms.append(form)
        self.cores.append(tuple(core_forms))
        with_key = self.with_key
        for key in {form, *core_forms}:
            if key in with_key:
                with_key[key].append(type_id)
            else:
                with_key[key] = [type_id]
        return type_id

    def _sum_pending(self) -> None:
        """Rows of the new types: sums of their features' weights, in one numpy call (for
        every type added since the last call)."""
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

    def restart_if_full(self) -> None:
        """Empty the type tables when they hold more than ``_TYPE_LIMIT`` types. Call it only
        between documents (or batches of them): ids held by a caller become invalid."""
        if len(self.forms) > _TYPE_LIMIT:
            self._reset()

    def type_ids(self, words: Sequence[str], rows: bool = True) -> list[int]:
        """Type ids of words. New types get their rows at once, or (``rows=False``, for a
        batch of documents) when the batch is tagged (``tag_many``)."""
        ids: list[int] = list(map(self.cache.get, words))  # type: ignore[arg-type]
        if None in ids:  # new words: found in C, added one by one
            add_one = self.type_id
            for k in compress(range(len(ids)), map(is_, ids, repeat(None))):
                ids[k] = add_one(words[k])
        if rows:
            self._sum_pending()
        return ids

    # --- scoring --------------------------------------------------------------------------------
    # Documents are scored together: their type ids laid end to end with two padding tokens
    # around each (exactly the context a document has alone), so a batch costs a few numpy
    # calls whatever the number of documents.

    @staticmethod
    def _layout(docs: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """(type ids of the batch with padding, position of each document's first token)."""
        lengths = np.fromiter((len(d) for d in docs), dtype=np.intp, count=len(docs))
        firsts = np.cumsum(np.concatenate(([0], lengths[:-1] + 2))) + 2
        seq = np.zeros(int(lengths.sum()) + 2 * len(docs) + 2, dtype=np.intp)
        seq[firsts.repeat(lengths) + _ranks(lengths)] = list(chain.from_iterable(docs))
        return seq, firsts

    def _emissions_at(self, seq: np.ndarray) -> np.ndarray:
        """Emission vectors of positions 2 .. len(seq) - 3 of a padded layout, one row each:
        the word at each offset -2 .. +2, seen from there."""
        n, size = self._n, len(seq)
        rows = self._rows[seq]
        total = rows[2 : size - 2, 2 * n : 3 * n].copy()
        for delta, slot in ((-2, 0), (-1, 1), (1, 3), (2, 4)):
            total += rows[2 + delta : size - 2 + delta, slot * n : (slot + 1) * n]
        return total

    def _candidate_mask(self, emissions: np.ndarray, padding: np.ndarray) -> np.ndarray:
        """Positions that may take an entity label; the others are surely O.

        A token can be labelled only if some run B I..I through it beats O. With
        ``start[a] = enter + dB[a]`` and prefix sums P of ``dI + stay_in``, the best run through
        token j gains max over a <= j of (start[a] - P[a+1]) plus max over b >= j of P[b+1],
        plus ``leave``. Padding positions get a margin no run pays for, so no run crosses from
        one document into the next.
        """
        margins = emissions.astype(np.float64)
        margins -= margins[:, :1].copy()
        margins[padding] = _BARRIER
        chosen = np.zeros(len(emissions), dtype=bool)
        for (b, i), (enter, stay_in, leave) in zip(self._groups, self._runs, strict=True):
            prefix = np.concatenate(([0.0], np.cumsum(margins[:, i] + stay_in)))
            best_start = np.maximum.accumulate(margins[:, b] + enter - prefix[1:])
            best_end = np.maximum.accumulate(prefix[::-1])[::-1]
            chosen |= best_start + best_end[1:] > -leave - MARGIN
        chosen[padding] = False
        return chosen

    def candidates(self, ids: Sequence[int]) -> np.ndarray:
        """The tokens of one document that may take an entity label (see ``_candidate_mask``)."""
        emissions = self._emissions_at(self._layout([ids])[0])
        return np.flatnonzero(self._candidate_mask(emissions, np.zeros(len(ids), dtype=bool)))

    # --- decoding ------------------------------------------------------------------------------

    def tag(self, ids: Sequence[int]) -> list[tuple[int, int, str]]:
        """Entity spans as (first token, last token + 1, type) from the tokens' type ids."""
        return self.tag_many([ids])[0]

    def tag_many(self, docs: Sequence[Sequence[int]]) -> list[list[tuple[int, int, str]]]:
        """``tag`` of each document, all scored and decoded at once."""
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        self._sum_pending()
        if not any(docs):
            return found
        seq, firsts = self._layout(docs)
        emissions = self._emissions_at(seq)
        inner = seq[2:-2]
        padding = np.zeros(len(inner), dtype=bool)
        padding[firsts[1:] - 4] = padding[firsts[1:] - 3] = True  # the pads between documents
        chosen = np.flatnonzero(self._candidate_mask(emissions, padding))
        if not len(chosen):
            return found
        # runs of consecutive candidate tokens, each decoded with O before and after it
        breaks = np.flatnonzero(np.diff(chosen) != 1) + 1
        starts = np.concatenate(([0], breaks))
        lengths = np.diff(np.concatenate((starts, [len(chosen)])))
        paths = self._viterbi_runs(emissions[chosen], starts, lengths)
        run_starts = chosen[starts] + 2  # positions in the layout
        owners = (np.searchsorted(firsts, run_starts, side="right") - 1).tolist()
        for doc, position, path in zip(owners, run_starts.tolist(), paths, strict=True):
            found[doc].extend(self._spans(path, position - int(firsts[doc])))
        return found

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
        emissions = self._emissions_at(self._layout([ids])[0])
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
