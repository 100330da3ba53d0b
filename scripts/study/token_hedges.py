#!/usr/bin/env python3
"""Hedges read token by token: does a probe on single tokens beat the prompt's mean? (docs/transfer-study.md, section 15)

A hedge is often one cue word ("may", "reportedly", "some historians"), which the prompt's mean dilutes.
Here a probe reads every token's hidden state (all layers concatenated, standardized, L2 logistic) and a
sentence scores by its highest token, fitted as multiple-instance learning: first every token takes
its prompt's label; then, 3 times, each hedged prompt keeps only its highest-scoring token as the
positive and every token of a confident prompt stays negative, and the probe is refitted. Beside it,
the same logistic regression on the prompt's mean over all layers (the multi-layer probe without
compile's background). Two questions:
  ceiling   fitted on CoNLL's sentences themselves (5-fold, shuffled, seed 0; a diagnostic, nothing kept)
  transfer  fitted on our catalog's train split, scored on CoNLL (the external hedge contrast)

Its input is per-token hidden states, which extract stores as windows of one token when
`Pooling.windowSize` and `windowStride` (Sources/CodebookRuntime/Screen.swift) are both 1, for the
hedge contrast alone (MiniLM):

  mkdir -p /tmp/tok/catalog /tmp/tok/external
  for d in catalog external; do echo '{"format_version": 1, "contrasts": [{"name": "uncertain_vs_confident",
    "positive": "uncertain", "negative": "confident"}]}' > /tmp/tok/$d/catalog.json; done
  cp conditions/{uncertain,confident}.jsonl /tmp/tok/catalog/
  cp work/external/catalog/{uncertain,confident}.jsonl /tmp/tok/external/     # make evaluate-external
  # windowSize 32 -> 1, windowStride 16 -> 1, then: swift build -c release --product extract
  $B/extract --model models/all-MiniLM-L6-v2 --catalog /tmp/tok/catalog --out /tmp/tok/catalog.h5 --max-tokens 510
  $B/extract --model models/all-MiniLM-L6-v2 --catalog /tmp/tok/external --out /tmp/tok/external.h5 --max-tokens 510
  # restore Screen.swift and rebuild
  python scripts/study/token_hedges.py /tmp/tok/catalog.h5 /tmp/tok/external.h5      # about 2.5 minutes

Needs numpy, h5py, scikit-learn, and transfer_study.py beside it (its multiple-instance fit).
"""
import os
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_v, "2")

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

from transfer_study import best_per_prompt, multiple_instance_probe  # the same multiple-instance fit as question 9


class Sentences:
    """Every token's states (`hidden_windows` of one token), the prompt each token belongs to, the
    prompts' labels and means; all layers concatenated."""

    def __init__(self, path, split=None):
        tokens, owner, labels, means = [], [], [], []
        conditions = h5py.File(path, "r")["conditions"]
        for condition, label in (("uncertain", 1), ("confident", 0)):
            group = conditions[condition]
            states = group["hidden_windows"][:].reshape(group["hidden_windows"].shape[0], -1)
            offsets = group["window_offsets"][:]
            assert (offsets == group["token_offsets"][:]).all(), "windows of one token expected (see the docstring)"
            mean = group["hidden_mean"][:].reshape(len(offsets) - 1, -1)
            keep = np.ones(len(offsets) - 1, bool) if split is None else group["split"][:] == split
            for i in np.nonzero(keep)[0]:
                tokens.append(states[offsets[i]:offsets[i + 1]])
                owner += [len(labels)] * (offsets[i + 1] - offsets[i])
                labels.append(label)
                means.append(mean[i])
        self.tokens, self.owner = np.concatenate(tokens), np.array(owner)
        self.labels, self.means = np.array(labels), np.array(means)

    def subset(self, prompts):
        """The sentences `prompts` (indices), renumbered."""
        chosen = Sentences.__new__(Sentences)
        number = -np.ones(len(self.labels), int)
        number[prompts] = np.arange(len(prompts))
        rows = number[self.owner] >= 0
        chosen.tokens, chosen.owner = self.tokens[rows], number[self.owner[rows]]
        chosen.labels, chosen.means = self.labels[prompts], self.means[prompts]
        return chosen


class TokenProbe:
    def __init__(self, sentences, c):
        self.scaler = StandardScaler().fit(sentences.tokens)
        z = self.scaler.transform(sentences.tokens)
        hedged = sentences.labels[sentences.owner] == 1
        _, owner = np.unique(sentences.owner[hedged], return_inverse=True)   # hedged sentences numbered 0…
        self.probe = multiple_instance_probe(z[hedged], owner, z[~hedged], c)

    def scores(self, sentences):
        token_scores = self.probe.decision_function(self.scaler.transform(sentences.tokens))
        return best_per_prompt(token_scores, sentences.owner, len(sentences.labels))


class MeanProbe:
    def __init__(self, sentences, c):
        self.scaler = StandardScaler().fit(sentences.means)
        self.probe = LogisticRegression(C=c, max_iter=5000).fit(self.scaler.transform(sentences.means), sentences.labels)

    def scores(self, sentences):
        return self.probe.decision_function(self.scaler.transform(sentences.means))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    catalog, external = Sentences(sys.argv[1], split=0), Sentences(sys.argv[2])
    print("| question | C | prompt's mean | best token |")
    print("|---|---:|---:|---:|")
    for c in (0.01, 0.1):
        scores = {MeanProbe: np.zeros(len(external.labels)), TokenProbe: np.zeros(len(external.labels))}
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(external.means, external.labels):
            for reading, out in scores.items():
                out[test] = reading(external.subset(train), c).scores(external.subset(test))
        print(f"| ceiling: CoNLL, 5-fold | {c} | {roc_auc_score(external.labels, scores[MeanProbe]):.3f} | "
              f"{roc_auc_score(external.labels, scores[TokenProbe]):.3f} |", flush=True)
    for c in (0.001, 0.01, 0.1):
        aucs = [roc_auc_score(external.labels, reading(catalog, c).scores(external)) for reading in (MeanProbe, TokenProbe)]
        print(f"| transfer: our train split → CoNLL | {c} | {aucs[0]:.3f} | {aucs[1]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
