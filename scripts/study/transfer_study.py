#!/usr/bin/env python3
"""What limits the hidden-space probes on the external sets: more prompts, other negatives, or neither?

Questions (docs/transfer-study.md has the answers and numbers):
  1. Learning curve. Does a probe fitted on more of our catalog's train pairs do better on the external
     sets? For k = 50, 100, 200, 400 and all train pairs per contrast (twins stay together: the i-th
     positive and the i-th negative are one pair), fit the probe and score the external prompts; k < all
     is drawn 3 times (numpy default_rng(0)) and averaged.
  2. Background. The same, with compile's background negatives added (every m-th train prompt of each of
     the m conditions outside the contrast, `TrainingSet.background`), or all of those prompts.
  3. Where the committed multi-layer probe fails: its external AUC for each pair of sources (the
     external catalog's id prefixes, e.g. `gandalf` against `notinject`).
  4. Two scorers that did not help: the committed multi-layer probe read as the maximum over a prompt's
     windows (`hidden_windows`) instead of its mean, and k-nearest neighbours by cosine similarity.
  5. Both detectors at once (--with OTHER_MODEL): the mean of the two committed multi-layer probes'
     z-scored external scores (each z-scored over the contrast's external prompts; a fixed, equal weight).
  6. Model selection (--regularization): the probe fitted on all train pairs and compile's background at
     each C of a grid one step wider than compile's (1e-4 … 1), and the mean difference of the
     standardized features (diagonal LDA, no background), and the two averaged, scored on the external
     sets and on our held-out split: does cross-validation's C transfer?
  7. All-but-the-top (--top-directions): the same probe at the committed C after removing the mean and
     the top k principal directions of its train rows (Mu & Viswanath 2018), k = 0, 1, 2, 4, 8, 16.
  8. The ceiling (--ceiling): how well a multi-layer probe separates an external contrast when it is
     fitted on that external set itself (5-fold cross-validation; QuixBugs grouped by program), and on
     the other benchmarks of the contrast only (leave one benchmark out: its positives and negatives are
     the test set). A diagnostic of the detector's states, never a codebook: nothing fitted here is kept.
  9. The multi-layer probe fitted on windows (--windows, which implies --multilayer): compile's
     multi-layer probe reads the prompt's mean; here it reads every layer's `hidden_windows` and is
     fitted as multiple-instance learning, the probe choosing its own windows (every window first takes
     its prompt's label; then, 3 times, each positive keeps its highest-scoring window, every window of
     the negatives and of compile's background stays negative); a prompt scores by its best window. Also
     fitted once on the window of each positive that the behavior's committed mean difference scores
     highest, as compile selects windows for its one-layer probe. External and held-out AUC, and TPR at
     1% FPR, at the committed C, beside the committed multi-layer probe's (which reads windows where
     compile 0.8.0 chose them).
 10. What compile 0.8.0 builds (in question 9's table): the multi-layer probe of the prompts' means
     (fitted here at the committed C) selects each positive's window, and one fit on those windows and
     every window of the negatives and the background.

The probe here is compile's at the committed codebook's layer and C (`direction_layers`, the
selection's `probe_c` or `multilayer_probe_c`), read as the mean (`hidden_mean`, whatever pooling
compile chose): a standardized L2 logistic regression (sklearn lbfgs), as docs/multilayer-study.md fits it.
Nothing here is chosen by an external number; the external sets are only scored (question 8 fits on
them, as a diagnostic of the detectors, and keeps nothing).

Input: the committed artifacts, work/<model>/activations.h5 (make extract) and
work/external/<model>/activations.h5 (make evaluate-external). Needs numpy, h5py, scikit-learn.

  python scripts/study/transfer_study.py --model all-MiniLM-L6-v2                  # about 3 minutes
  python scripts/study/transfer_study.py --model all-MiniLM-L6-v2 --multilayer     # all layers at once
  python scripts/study/transfer_study.py --model SmolLM2-135M-Instruct --skip-curve --with all-MiniLM-L6-v2
  python scripts/study/transfer_study.py --model all-MiniLM-L6-v2 --multilayer --regularization --top-directions
  python scripts/study/transfer_study.py --model all-MiniLM-L6-v2 --windows                        # seconds
"""
import argparse
import json
import os
import struct
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import h5py
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAIRS = [50, 100, 200, 400]
DRAWS = 3
CS = [0.0001, 0.001, 0.01, 0.1, 1]   # compile's grid (ScorerSelection.probeCs) and one stronger
TOP = [0, 1, 2, 4, 8, 16]
MIL_ROUNDS = 3


def tpr_at_fpr01(positive, negative):
    """The share of positives above the lowest threshold that flags at most 1% of the negatives."""
    threshold = np.sort(negative)[::-1][int(np.floor(0.01 * len(negative)))]
    return float(np.mean(positive > threshold))


def best_per_prompt(scores, owner, count):
    """Each of `count` prompts' highest score over its rows (`owner`: each row's prompt)."""
    out = np.full(count, -np.inf)
    np.maximum.at(out, owner, scores)
    return out


def best_rows(scores, owner):
    """The row of each prompt 0…max(owner) whose score is highest."""
    return np.array([np.flatnonzero(owner == b)[np.argmax(scores[owner == b])] for b in range(owner.max() + 1)])


def logistic(positive, negative, c):
    return LogisticRegression(C=c, max_iter=5000).fit(np.r_[positive, negative], np.r_[np.ones(len(positive)), np.zeros(len(negative))])


def multiple_instance_probe(positive, owner, negative, c):
    """A probe on instances (windows, tokens) that choose their own positives: first every row of a
    positive prompt is positive (`owner`: each positive row's prompt); then, `MIL_ROUNDS` times, each
    positive prompt keeps its highest-scoring row, every negative row stays negative, and it is refitted."""
    probe = logistic(positive, negative, c)
    for _ in range(MIL_ROUNDS):
        probe = logistic(positive[best_rows(probe.decision_function(positive), owner)], negative, c)
    return probe


def tensors(path):
    """A safetensors file's F32/I64 tensors, as float64/int64 arrays."""
    data = open(path, "rb").read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        array = np.frombuffer(data[8 + size + start:8 + size + end], dtype=dtype).reshape(info["shape"])
        out[name] = array.astype(np.float64) if dtype == np.float32 else array
    return out


def auc(positive, negative):
    return roc_auc_score(np.r_[np.ones(len(positive)), np.zeros(len(negative))], np.r_[positive, negative])


class Study:
    def __init__(self, model, multilayer):
        self.model, self.multilayer = model, multilayer
        artifacts = os.path.join(ROOT, "artifacts", model)
        self.config = json.load(open(os.path.join(artifacts, "config.json")))
        self.regions = tensors(os.path.join(artifacts, "regions.safetensors"))
        self.train = h5py.File(os.path.join(ROOT, "work", model, "activations.h5"), "r")["conditions"]
        self.external = h5py.File(os.path.join(ROOT, "work", "external", model, "activations.h5"), "r")["conditions"]
        self.directions = [(k, d) for k, d in enumerate(self.config["directions"])
                           if d["positive"] in self.external and d["negative"] in self.external]

    def features(self, group, k, train_only):
        split = group["split"][:]
        if self.multilayer:
            x = group["hidden_mean"][:].reshape(len(split), -1)
        else:
            x = group["hidden_mean"][:, int(self.regions["direction_layers"][k]), :]
        return x[split == 0] if train_only else x

    def chosen_c(self, d):
        """The committed C of the probe this study refits (one-layer or multi-layer)."""
        return d["selection"]["multilayer_probe_c" if self.multilayer else "probe_c"]

    def background_prompts(self, d, stride=0):
        """(group, indices) of the train prompts of the conditions outside `d`: every `stride`-th of each,
        or every m-th of each of the m conditions (stride 0: compile's `TrainingSet.background`)."""
        others = [o for o in self.train if o not in (d["positive"], d["negative"])]
        return [(self.train[o], np.flatnonzero(self.train[o]["split"][:] == 0)[::stride or len(others)]) for o in others]

    def background(self, k, d, stride=0):
        """The features of `background_prompts`."""
        return np.concatenate([self.features(group, k, False)[prompts] for group, prompts in self.background_prompts(d, stride)])

    def curve(self, background_stride):
        """External AUC per number of train pairs; background_stride None: no background, 0: every
        m-th prompt of each of the m other conditions (compile's), s: every s-th."""
        rng = np.random.default_rng(0)
        rows = []
        for k, d in self.directions:
            c = self.chosen_c(d)
            positives = self.features(self.train[d["positive"]], k, True)
            negatives = self.features(self.train[d["negative"]], k, True)
            if background_stride is None:
                background = np.zeros((0, positives.shape[1]))
            else:
                background = self.background(k, d, background_stride)
            external = np.r_[self.features(self.external[d["positive"]], k, False),
                             self.features(self.external[d["negative"]], k, False)]
            n_external = len(self.external[d["positive"]]["split"])
            pairs = min(len(positives), len(negatives))
            row = []
            for size in PAIRS + [pairs]:
                aucs = []
                for _ in range(DRAWS if size < pairs else 1):
                    chosen = rng.permutation(pairs)[:size]
                    x = np.r_[positives[chosen], negatives[chosen], background]
                    y = np.r_[np.ones(size), np.zeros(size + len(background))]
                    scaler = StandardScaler().fit(x)
                    probe = LogisticRegression(C=c, max_iter=10000).fit(scaler.transform(x), y)
                    s = probe.decision_function(scaler.transform(external))
                    aucs.append(auc(s[:n_external], s[n_external:]))
                row.append(float(np.mean(aucs)))
            rows.append((d["name"], c, pairs, row))
            print(f"  {d['name']}: {' '.join(f'{a:.3f}' for a in row)}", file=sys.stderr, flush=True)
        return rows

    def all_pairs(self, k, d):
        """Train rows (all train pairs, then compile's background) and labels; the external and the
        held-out prompts, positives first, with their numbers of positives."""
        def split(name, train):
            group = self.train[name]
            x = self.features(group, k, False)
            return x[group["split"][:] == (0 if train else 1)]
        background = self.background(k, d)
        p, n = split(d["positive"], True), split(d["negative"], True)
        x = np.r_[p, n, background]
        y = np.r_[np.ones(len(p)), np.zeros(len(n) + len(background))]
        external = (np.r_[self.features(self.external[d["positive"]], k, False),
                          self.features(self.external[d["negative"]], k, False)],
                    len(self.external[d["positive"]]["split"]))
        held_positive = split(d["positive"], False)
        held_out = (np.r_[held_positive, split(d["negative"], False)], len(held_positive))
        return x, y, len(p) + len(n), external, held_out

    def regularization(self):
        """External and held-out AUC of the probe at each C of `CS`, of the standardized mean difference, and
        of the two averaged (the committed C's probe; each z-scored on the train rows, an equal weight)."""
        rows = []
        for k, d in self.directions:
            x, y, contrast, external, held_out = self.all_pairs(k, d)
            scaler = StandardScaler().fit(x)
            standardized = scaler.transform(x)
            def aucs(score):
                return [auc(s[:m], s[m:]) for s, m in ((score(scaler.transform(z)), m) for z, m in (external, held_out))]
            probes = [LogisticRegression(C=c, max_iter=20000).fit(standardized, y) for c in CS]
            row = [aucs(probe.decision_function) for probe in probes]
            contrast_rows, contrast_labels = standardized[:contrast], y[:contrast]
            direction = contrast_rows[contrast_labels == 1].mean(0) - contrast_rows[contrast_labels == 0].mean(0)
            row.append(aucs(lambda z: z @ direction))
            # The committed C's probe and the mean difference, each z-scored on the train rows, averaged.
            c = self.chosen_c(d)
            probe = probes[CS.index(c)]
            train = [probe.decision_function(standardized), standardized @ direction]
            row.append(aucs(lambda z: sum((s - t.mean()) / t.std() for s, t in zip([probe.decision_function(z), z @ direction], train))))
            rows.append((d["name"], c, row))
            print(f"  {d['name']}: " + " ".join(f"{a:.3f}/{b:.3f}" for a, b in row), file=sys.stderr, flush=True)
        return rows

    def top_directions(self):
        """External and held-out AUC of the probe at the committed C, the top k principal directions removed."""
        rows = []
        for k, d in self.directions:
            x, y, _, external, held_out = self.all_pairs(k, d)
            centre = x.mean(0)
            _, _, vt = np.linalg.svd(x - centre, full_matrices=False)
            c = self.chosen_c(d)
            row = []
            for top in TOP:
                def remove(z):
                    return (z - centre) - ((z - centre) @ vt[:top].T) @ vt[:top]
                scaler = StandardScaler().fit(remove(x))
                probe = LogisticRegression(C=c, max_iter=20000).fit(scaler.transform(remove(x)), y)
                row.append([auc(s[:m], s[m:]) for s, m in
                            ((probe.decision_function(scaler.transform(remove(z))), m) for z, m in (external, held_out))])
            rows.append((d["name"], c, row))
            print(f"  {d['name']}: " + " ".join(f"{a:.3f}/{b:.3f}" for a, b in row), file=sys.stderr, flush=True)
        return rows

    def ceiling(self, cs=(0.001, 0.01, 0.1)):
        """Per external contrast: the 5-fold AUC of a probe on all layers' means at each C, fitted on the
        external prompts; then, per benchmark with both classes (the source name's first word), the AUC
        on it of the probe at C 0.01 fitted on the contrast's other benchmarks."""
        rows = []
        for k, d in self.directions:
            x, y, names = [], [], []
            for side, label in ((d["positive"], 1), (d["negative"], 0)):
                group = self.external[side]
                x.append(group["hidden_mean"][:].reshape(len(group["split"]), -1))
                y += [label] * len(group["split"])
                names += [i.decode() if isinstance(i, bytes) else i for i in group["ids"][:]]
            x, y = np.concatenate(x), np.array(y)
            benchmark = np.array([n.rsplit("-", 1)[0].split("-")[0] for n in names])
            if d["name"] == "code_violated_vs_code_expected":
                # QuixBugs: the two versions of a program share its number, and stay in one fold.
                folds = GroupKFold(5).split(x, y, np.array([n.rsplit("-", 1)[1] for n in names]))
            else:
                folds = StratifiedKFold(5, shuffle=True, random_state=0).split(x, y)
            folds = list(folds)
            in_domain = []
            for c in cs:
                scores = np.zeros(len(y))
                for train, test in folds:
                    scaler = StandardScaler().fit(x[train])
                    probe = LogisticRegression(C=c, max_iter=20000).fit(scaler.transform(x[train]), y[train])
                    scores[test] = probe.decision_function(scaler.transform(x[test]))
                in_domain.append(auc(scores[y == 1], scores[y == 0]))
            held = []
            for name in sorted(set(benchmark)):
                test = benchmark == name
                if len(set(y[test])) < 2 or len(set(y[~test])) < 2:
                    continue
                scaler = StandardScaler().fit(x[~test])
                probe = LogisticRegression(C=0.01, max_iter=20000).fit(scaler.transform(x[~test]), y[~test])
                s = probe.decision_function(scaler.transform(x[test]))
                held.append((name, auc(s[y[test] == 1], s[y[test] == 0])))
            rows.append((d["name"], in_domain, held))
            print(f"  {d['name']}: {in_domain} {held}", file=sys.stderr, flush=True)
        return rows, cs

    def windows(self, group, prompts):
        """The rows of `hidden_windows` (every layer, flattened) of the prompts `prompts` (indices), and
        for each row the position of its prompt in `prompts`."""
        offsets = group["window_offsets"][:]
        rows = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in prompts])
        owner = np.concatenate([[n] * (offsets[i + 1] - offsets[i]) for n, i in enumerate(prompts)]).astype(int)
        states = group["hidden_windows"][rows[0]:rows[-1] + 1][rows - rows[0]]
        return states.reshape(len(rows), -1), owner

    def multilayer_windows(self):
        """Question 9: per contrast, the committed multi-layer probe (mean), one fitted on windows, and
        one fitted on the windows the mean difference selects, each as (external AUC, held-out AUC,
        external TPR at 1% FPR)."""
        def split(group, which):
            return np.flatnonzero(group["split"][:] == which)

        rows = []
        for k, d in self.directions:
            positives, negatives = self.train[d["positive"]], self.train[d["negative"]]
            x_positive, owner = self.windows(positives, split(positives, 0))
            # Negatives: every window of the contrast's negatives and of compile's background prompts.
            x_negative = np.concatenate([self.windows(negatives, split(negatives, 0))[0]] +
                                        [self.windows(group, prompts)[0] for group, prompts in self.background_prompts(d)])
            c = self.chosen_c(d)
            scaler = StandardScaler().fit(np.r_[x_positive, x_negative])
            z_positive, z_negative = scaler.transform(x_positive), scaler.transform(x_negative)
            probe = multiple_instance_probe(z_positive, owner, z_negative, c)
            # As compile's final fit selects windows: once, by the behavior's mean difference at its layer
            # (the committed direction; compile's folds use each fold's own).
            layer, hidden = int(self.regions["direction_layers"][k]), self.regions["direction_vectors"][k]
            by_mean_difference = x_positive.reshape(len(x_positive), -1, hidden.size)[:, layer, :] @ hidden
            selected = logistic(z_positive[best_rows(by_mean_difference, owner)], z_negative, c)
            # Question 10, what compile 0.8.0 builds: the multi-layer probe of the prompts' means (fitted
            # here, as compile fits it, not read from the artifacts, whose probe may now read windows)
            # selects each positive's window; one fit on those and every negative window, standardized on them.
            means = [self.features(positives, k, True), self.features(negatives, k, True)] + \
                [self.features(group, k, False)[prompts] for group, prompts in self.background_prompts(d)]
            mean_scaler = StandardScaler().fit(np.concatenate(means))
            mean_probe = logistic(mean_scaler.transform(means[0]), mean_scaler.transform(np.concatenate(means[1:])), c)
            chosen = x_positive[best_rows(mean_probe.decision_function(mean_scaler.transform(x_positive)), owner)]
            built_scaler = StandardScaler().fit(np.r_[chosen, x_negative])
            built = logistic(built_scaler.transform(chosen), built_scaler.transform(x_negative), c)

            def scorer(model, by=scaler):
                def prompt_scores(group, prompts):
                    x, o = self.windows(group, prompts)
                    return best_per_prompt(model.decision_function(by.transform(x)), o, len(prompts))
                return prompt_scores

            def committed(group, prompts):
                return self.multilayer_scores(k, group, windows=d.get("multilayer_probe_pooling") == "window_max")[prompts]

            def every(group):
                return np.arange(len(group["split"]))

            result = []
            for score in (committed, scorer(probe), scorer(selected), scorer(built, built_scaler)):
                external = [score(self.external[d[side]], every(self.external[d[side]])) for side in ("positive", "negative")]
                held_out = [score(self.train[d[side]], split(self.train[d[side]], 1)) for side in ("positive", "negative")]
                result.append([auc(*external), auc(*held_out), tpr_at_fpr01(*external)])
            rows.append((d["name"], c, result))
            print(f"  {d['name']}: {result}", file=sys.stderr, flush=True)
        return rows

    def multilayer_scores(self, k, group, windows):
        w, b = self.regions["multilayer_probe_weights"][k], self.regions["multilayer_probe_bias"][k]
        mean, std = self.regions["multilayer_probe_mean"][k], self.regions["multilayer_probe_std"][k]
        if not windows:
            return (((group["hidden_mean"][:] - mean) / std) * w).sum(axis=(1, 2)) + b
        scores = np.concatenate([(((group["hidden_windows"][s:s + 2000] - mean) / std) * w).sum(axis=(1, 2)) + b
                                 for s in range(0, group["hidden_windows"].shape[0], 2000)])
        offsets = group["window_offsets"][:]
        return np.array([scores[offsets[i]:offsets[i + 1]].max() for i in range(len(offsets) - 1)])

    def by_source(self):
        rows = []
        for k, d in self.directions:
            sources = {}
            for side in ("positive", "negative"):
                group = self.external[d[side]]
                ids = np.array([i.decode() if isinstance(i, bytes) else i for i in group["ids"][:]])
                prefix = np.array([i.rsplit("-", 1)[0] for i in ids])
                scores = self.multilayer_scores(k, group, windows=d.get("multilayer_probe_pooling") == "window_max")
                sources[side] = {p: scores[prefix == p] for p in sorted(set(prefix))}
            for p, sp in sources["positive"].items():
                rows.append((d["name"], p, [(q, auc(sp, sn)) for q, sn in sources["negative"].items()]))
        return rows

    def windows_and_neighbours(self, ks=(5, 20, 100)):
        rows = []
        for k, d in self.directions:
            pos, neg = self.external[d["positive"]], self.external[d["negative"]]
            mean_auc = auc(self.multilayer_scores(k, pos, False), self.multilayer_scores(k, neg, False))
            window_auc = auc(self.multilayer_scores(k, pos, True), self.multilayer_scores(k, neg, True))
            layer = int(self.regions["direction_layers"][k])

            def unit(x):
                return x / np.linalg.norm(x, axis=1, keepdims=True)
            train_p = self.train[d["positive"]]["hidden_mean"][:, layer, :][self.train[d["positive"]]["split"][:] == 0]
            train_n = self.train[d["negative"]]["hidden_mean"][:, layer, :][self.train[d["negative"]]["split"][:] == 0]
            centre = np.r_[train_p, train_n].mean(0)
            train_p, train_n = unit(train_p - centre), unit(train_n - centre)
            x = unit(np.r_[pos["hidden_mean"][:, layer, :], neg["hidden_mean"][:, layer, :]] - centre)
            near_p = -np.sort(-(x @ train_p.T), axis=1)
            near_n = -np.sort(-(x @ train_n.T), axis=1)
            n = pos["hidden_mean"].shape[0]
            knn = [auc((near_p[:, :m].mean(1) - near_n[:, :m].mean(1))[:n], (near_p[:, :m].mean(1) - near_n[:, :m].mean(1))[n:])
                   for m in ks]
            rows.append((d["name"], layer, mean_auc, window_auc, knn))
        return rows, ks

    def two_detectors(self, other):
        rows = []
        for k, d in self.directions:
            scores = []
            for study in (self, other):
                pos, neg = study.external[d["positive"]], study.external[d["negative"]]
                scores.append(np.r_[study.multilayer_scores(k, pos, False), study.multilayer_scores(k, neg, False)])
            n = self.external[d["positive"]]["hidden_mean"].shape[0]
            both = sum((s - s.mean()) / s.std() for s in scores)
            rows.append((d["name"], [auc(s[:n], s[n:]) for s in scores + [both]]))
        return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--multilayer", action="store_true", help="the learning curves on every layer at once")
    parser.add_argument("--skip-curve", action="store_true", help="only questions 3 and 4")
    parser.add_argument("--with", dest="other", help="another committed codebook, for question 5")
    parser.add_argument("--regularization", action="store_true", help="only question 6 (and 7 if asked)")
    parser.add_argument("--top-directions", action="store_true", help="only question 7 (and 6 if asked)")
    parser.add_argument("--ceiling", action="store_true", help="only question 8")
    parser.add_argument("--windows", action="store_true", help="only question 9")
    args = parser.parse_args()
    study = Study(args.model, args.multilayer or args.windows)
    what = "multi-layer probe" if args.multilayer else "probe"
    print(f"# {args.model}\n")
    if args.windows:
        print("## 9–10. The multi-layer probe as committed and fitted on windows: "
              "external AUC / held-out AUC / external TPR at 1% FPR\n")
        print("| contrast | C | committed | windows, multiple-instance | windows the mean difference selects "
              "| windows the mean's multi-layer probe selects, one fit |\n|---|---:|---|---|---|---|")
        rows = study.multilayer_windows()
        for name, c, result in rows:
            print(f"| {name} | {c:g} | " + " | ".join(" / ".join(f"{a:.3f}" for a in cells) for cells in result) + " |")
        means = np.mean([r[2] for r in rows], axis=0)
        print("| **mean** | | " + " | ".join(" / ".join(f"{a:.3f}" for a in cells) for cells in means) + " |")
        return
    if args.ceiling:
        rows, cs = study.ceiling()
        print("## 8. The ceiling: a multi-layer probe fitted on the external set itself (5-fold AUC), and on its other benchmarks\n")
        print("| contrast | " + " | ".join(f"5-fold, C {c:g}" for c in cs) + " | each benchmark, fitted on the others (C 0.01) |")
        print("|---|" + "---:|" * len(cs) + "---|")
        for name, in_domain, held in rows:
            print(f"| {name} | " + " | ".join(f"{a:.3f}" for a in in_domain) + " | "
                  + (", ".join(f"{b} {a:.3f}" for b, a in held) or "(one benchmark)") + " |")
        return
    if args.regularization or args.top_directions:
        questions = [("6. External / held-out AUC of the {} by C; the standardized mean difference last", study.regularization,
                      [f"C {c:g}" for c in CS] + ["std. mean difference", "both, averaged"])] if args.regularization else []
        if args.top_directions:
            questions.append(("7. External / held-out AUC of the {} at its C, the top k principal directions removed",
                              study.top_directions, [f"k {t}" for t in TOP]))
        for title, question, columns in questions:
            print(f"## {title.format(what)}\n")
            print("| contrast | chosen C | " + " | ".join(columns) + " |")
            print("|---|---:|" + "---:|" * len(columns))
            rows = question()
            for name, c, row in rows:
                print(f"| {name} | {c:g} | " + " | ".join(f"{a:.3f} / {b:.3f}" for a, b in row) + " |")
            means = np.mean([r[2] for r in rows], axis=0)
            print("| **mean** | | " + " | ".join(f"**{a:.3f}** / {b:.3f}" for a, b in means) + " |\n")
        return
    if not args.skip_curve:
        for title, stride in [("no background", None), ("compile's background", 0), ("every other-condition train prompt", 1)]:
            print(f"## 1–2. External AUC of the {what} by train pairs per contrast: {title}\n")
            print("| contrast | C | " + " | ".join(str(p) for p in PAIRS) + " | all |")
            print("|---|---:|" + "---:|" * (len(PAIRS) + 1))
            rows = study.curve(stride)
            for name, c, pairs, row in rows:
                print(f"| {name} | {c} | " + " | ".join(f"{a:.3f}" for a in row) + f" ({pairs}) |")
            means = np.mean([r[3] for r in rows], axis=0)
            print("| **mean** | | " + " | ".join(f"**{a:.3f}**" for a in means) + " |\n")
    print("## 3. The committed multi-layer probe's external AUC by source\n")
    print("| contrast | positives | against each source of negatives |\n|---|---|---|")
    for name, p, pairs in study.by_source():
        print(f"| {name} | {p} | " + ", ".join(f"{q} {a:.3f}" for q, a in pairs) + " |")
    rows, ks = study.windows_and_neighbours()
    print("\n## 4. Scorers that did not help (external AUC)\n")
    print("| contrast | multi-layer probe, mean | the same, window maximum | layer | "
          + " | ".join(f"{k} nearest" for k in ks) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(ks))
    for name, layer, mean_auc, window_auc, knn in rows:
        print(f"| {name} | {mean_auc:.3f} | {window_auc:.3f} | {layer} | " + " | ".join(f"{a:.3f}" for a in knn) + " |")
    m = np.mean([[r[2], r[3]] + r[4] for r in rows], axis=0)
    print("| **mean** | " + f"**{m[0]:.3f}** | **{m[1]:.3f}** | | " + " | ".join(f"**{a:.3f}**" for a in m[2:]) + " |")
    if args.other:
        other = Study(args.other, False)
        assert [d["name"] for _, d in other.directions] == [d["name"] for _, d in study.directions], "different contrasts"
        print(f"\n## 5. Both detectors: the multi-layer probes' external AUC, and their z-scored mean\n")
        print(f"| contrast | {args.model} | {args.other} | both |\n|---|---:|---:|---:|")
        rows = study.two_detectors(other)
        for name, aucs in rows:
            print(f"| {name} | " + " | ".join(f"{a:.3f}" for a in aucs) + " |")
        m = np.mean([r[1] for r in rows], axis=0)
        print("| **mean** | " + " | ".join(f"**{a:.3f}**" for a in m) + " |")


if __name__ == "__main__":
    main()
