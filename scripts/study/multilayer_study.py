#!/usr/bin/env python3
"""Multi-layer hidden-space probes: do they beat the probe on the single CV-chosen layer?

Question: compile's hidden-space probe reads one layer's pooled hidden state (hidden_mean). Does a probe
that reads several layers at once (all stored layers concatenated, a window of layers around the chosen
one, or an average of per-layer probes) separate the contrasts better, and would grouped cross-validation
on the train split choose it? Also tried: averaging the mean difference and the probe at the chosen layer, and
probes on a d-dimensional average of the layers.

Everything is fitted on the catalog's train split (split 0). Every choice (layer, C, variant) is made by
5-fold cross-validation on train. The folds are grouped so that twins and prompts of the same template
family never straddle folds (union-find over `twin` and `family` in --groups; codebook_study.py groups by
twin + topic instead). Every AUC that chooses is computed on the contrast's own prompts, positives against
their negatives. The held-out split (catalog split 1) and the external human-written sets are only
reported, never used to choose.

Per contrast (the 5 with an external set), each variant is a standardized L2 logistic regression (sklearn
lbfgs) on the contrast's train prompts plus a background of the other 14 conditions' train prompts as
negatives (every 14th of each, in id order):
  baseline       one layer and C in {1e-3, 1e-2, 0.1, 1}, the pair with the best out-of-fold (OOF) AUC
  meandiff       mean(positives) - mean(negatives) of the contrast prompts, at the baseline's layer
  concat_all     all stored layers concatenated, C in {1e-4, 1e-3, 1e-2, 0.1}
  window_pm1/2   the baseline's layer +-1 / +-2, concatenated, same C grid
  ens_all/top3   mean of the per-layer probes' z-scored outputs, over all layers / the 3 best by OOF AUC
  md_plus_probe  mean of the z-scored meandiff and baseline outputs
  mean_raw       the mean over all stored layers of the raw hidden states (d features), the baseline's C grid
  mean_std       each layer standardized per feature with the (fold's) training rows, then averaged over all
                 stored layers (d features), same C grid
  mean_last_half mean_std over the deeper half of the stored layers (positions L//2 .. L-1)
  cv_pick        per contrast, the variant above with the best OOF AUC
The external TPR at 1% FPR takes its threshold from the external negatives themselves (a diagnostic).
The mean external AUC difference to the baseline gets a 95% interval from a paired bootstrap over the
external prompts (1,000 resamples, stratified by class, numpy default_rng(0)). The generator is shared by the
models in --models order, so a model's intervals depend on the models run before it; the default order gives
the numbers in docs/multilayer-study.md. The resamples do not depend on the variants (every variant is scored
on the same resamples), so adding a variant leaves the other variants' intervals unchanged.

Input: the pooled hidden states that scripts/study/codebook_study.py caches under --cache
(<model>-catalog-<key>.npz and <model>-external-<key>.npz, with `hidden` [n, stored layers, d]); if a file
is missing, the script says which and prints the codebook_study.py command that builds it. When several
files match, the script uses the one whose recorded catalog_sha256 equals the current catalog's
(conditions/ for the catalog, work/external/catalog/ for the external set). If several match, or none
does, it takes the newest. The external file must hold the same number of layers as the catalog file.
Layer numbers in the output are positions in the stored layers. For SmolLM2 the cache holds the layers
passed to codebook_study.py --layers (0,3,9,15,18,21,27,30 for docs/multilayer-study.md).

Example (about 5 minutes on one core; markdown tables on stdout, progress on stderr):
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python scripts/study/multilayer_study.py
  OMP_NUM_THREADS=1 python scripts/study/multilayer_study.py --models all-MiniLM-L6-v2 --json /tmp/ml.json
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import glob
import hashlib
import json
import struct
import sys
import time
import warnings
import zipfile

import numpy as np
from scipy.stats import rankdata
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

warnings.filterwarnings("ignore", category=ConvergenceWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = ("all-MiniLM-L6-v2", "SmolLM2-135M-Instruct")
# The --layers each model's cache was built with for docs/multilayer-study.md (for the "build it" message).
BUILD_LAYERS = {"SmolLM2-135M-Instruct": " --layers 0,3,9,15,18,21,27,30"}
CONTRASTS = [("harmful_vs_harmless", "harmful", "harmless"),
             ("injection_vs_benign_instruction", "injection", "benign_instruction"),
             ("uncertain_vs_confident", "uncertain", "confident"),
             ("tool_call_vs_natural_language", "tool_call", "natural_language"),
             ("code_violated_vs_code_expected", "code_violated", "code_expected")]
SHORT = {c: p for c, p, _ in CONTRASTS}
VARIANTS = ["baseline", "meandiff", "concat_all", "window_pm1", "window_pm2", "ens_all", "ens_top3",
            "md_plus_probe", "mean_raw", "mean_std", "mean_last_half", "cv_pick"]
C_LAYER = [0.001, 0.01, 0.1, 1.0]
C_CONCAT = [0.0001, 0.001, 0.01, 0.1]
TRAIN_SPLIT, HELDOUT_SPLIT = 0, 1
FOLDS = 5
MAX_ITER = 3000
BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------- cache files

def catalog_sha256(directory):
    """The catalog's catalog_sha256 as Sources/Extraction/Catalog.swift defines it, or None if absent."""
    path = os.path.join(directory, "catalog.json")
    if not os.path.exists(path):
        return None
    conds = []
    for c in json.load(open(path))["contrasts"]:
        for side in ("positive", "negative"):
            if c[side] not in conds:
                conds.append(c[side])
    h = hashlib.sha256()
    for name in ["catalog.json"] + [c + ".jsonl" for c in conds]:
        p = os.path.join(directory, name)
        if not os.path.exists(p):
            return None
        data = open(p, "rb").read()
        h.update(name.encode() + b"\0" + struct.pack("<Q", len(data)) + data)
    return h.hexdigest()


def npz_info(path):
    """(catalog_sha256, shape of `hidden`) of a cache file, without loading `hidden`."""
    with np.load(path, allow_pickle=False) as z:
        sha = json.loads(str(z["attrs"])).get("catalog_sha256")
    with zipfile.ZipFile(path) as zf, zf.open("hidden.npy") as f:
        version = np.lib.format.read_magic(f)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape = read(f)[0]
    return sha, shape


def pick_cache_file(cache, model, kind, catalog_dir, layers_shape=None):
    """The cache file of `model` and `kind` ("catalog" or "external") to use; exits if there is none."""
    pattern = os.path.join(cache, f"{model}-{kind}-*.npz")
    files = sorted(f for f in glob.glob(pattern) if not f.endswith(".tmp.npz"))
    build = (f"OMP_NUM_THREADS=1 python scripts/study/codebook_study.py --model {model}"
             f"{BUILD_LAYERS.get(model, '')} --cache {cache}")
    if not files:
        sys.exit(f"multilayer_study.py: no {pattern}; build it with: {build}")
    info = {f: npz_info(f) for f in files}
    if layers_shape is not None:
        files = [f for f in files if tuple(info[f][1][1:]) == tuple(layers_shape)]
        if not files:
            sys.exit(f"multilayer_study.py: no {pattern} holds hidden states of shape [n, {layers_shape[0]}, "
                     f"{layers_shape[1]}] like the catalog file; build it with: {build}")
    want = catalog_sha256(catalog_dir)
    where = os.path.relpath(catalog_dir, ROOT) + "/"
    matching = [f for f in files if want is not None and info[f][0] == want]
    pool = matching or files
    chosen = max(pool, key=lambda f: (os.path.getmtime(f), f))
    if matching:
        why = f"catalog_sha256 matches {where}, {len(matching)} of {len(files)} files do"
    elif want is None:
        why = f"{where} not found, so no catalog_sha256 to match"
    else:
        why = f"no file's catalog_sha256 matches {where} ({want[:12]}…)"
    if len(pool) > 1 or not matching:
        why += "; newest taken"
    log(f"{model} {kind}: using {chosen} ({why}; hidden {list(info[chosen][1])})")
    return chosen, info[chosen][1]


# --------------------------------------------------------------------------------------------- groups

def build_groups(ids, groups_json):
    """Union-find: each prompt joined with its twin and with every prompt sharing its family string."""
    g = json.load(open(groups_json))["groups"]
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    for pid in ids:
        info = g[pid]
        union("id:" + pid, "fam:" + info["family"])
        if info.get("twin"):
            union("id:" + pid, "id:" + info["twin"])
    roots = [find("id:" + p) for p in ids]
    uniq = {r: i for i, r in enumerate(dict.fromkeys(roots))}
    return np.array([uniq[r] for r in roots])


# -------------------------------------------------------------------------------------------- helpers

def auc(y, s):
    return float(roc_auc_score(y, s))


def tpr_at_fpr(y, s, fpr=0.01):
    neg = s[y == 0]
    thr = np.quantile(neg, 1 - fpr)
    return float(np.mean(s[y == 1] > thr))


class Std:
    """Standardization with the fitted rows' mean and std (ddof 0; a std below 1e-8 is replaced by 1)."""

    def fit(self, X):
        self.mu = X.mean(0)
        sd = X.std(0)
        sd[sd < 1e-8] = 1.0
        self.sd = sd
        return self

    def __call__(self, X):
        return (X - self.mu) / self.sd


def lr(C):
    return LogisticRegression(C=C, solver="lbfgs", max_iter=MAX_ITER, warm_start=True)


def training_rows(conds, cond, ids, split, pos, neg):
    """A contrast's training rows: its positives P and negatives N (train split, in id order), then the
    background B, every m-th train prompt of each of the m other conditions. Returns P, N, B, their
    concatenation idx, the labels y (background negative) and isc (True for the contrast's own rows)."""
    ids = np.asarray(ids)
    tr_mask = split == TRAIN_SPLIT

    def cidx(ci):
        ix = np.where(tr_mask & (cond == ci))[0]
        return ix[np.argsort(ids[ix])]

    ip, ineg = conds.index(pos), conds.index(neg)
    P, N = cidx(ip), cidx(ineg)
    others = [c for c in range(len(conds)) if c not in (ip, ineg)]
    B = np.concatenate([cidx(c)[::len(others)] for c in others])
    idx = np.concatenate([P, N, B])
    y = np.r_[np.ones(len(P)), np.zeros(len(N) + len(B))].astype(int)
    isc = np.r_[np.ones(len(P) + len(N)), np.zeros(len(B))].astype(bool)
    return P, N, B, idx, y, isc


def oof_path(X, y, folds, Cs, reduction=None):
    """OOF decision scores for each C (warm-started along increasing C). `reduction`, when given, makes a
    feature map (e.g. LayerStdMean) that is fitted on each fold's training rows before the standardization."""
    out = np.zeros((len(Cs), len(y)))
    for tr, te in folds:
        Atr, Ate = X[tr], X[te]
        if reduction is not None:
            r = reduction().fit(Atr)
            Atr, Ate = r(Atr), r(Ate)
        sc = Std().fit(Atr)
        Xtr, Xte = sc(Atr), sc(Ate)
        m = lr(Cs[0])
        for k, C in enumerate(Cs):
            m.set_params(C=C)
            m.fit(Xtr, y[tr])
            out[k, te] = m.decision_function(Xte)
    return out


def fit_full(X, y, C):
    sc = Std().fit(X)
    m = lr(C).fit(sc(X), y)
    return lambda Z: m.decision_function(sc(Z))


def flat(H, layers):
    return H[:, layers, :].reshape(len(H), -1)


class LayerStdMean:
    """Per-layer, per-feature standardization with the fitted rows' mean and std, then the mean over layers."""

    def __init__(self, layers):
        self.layers = list(layers)

    def fit(self, H):
        X = H[:, self.layers, :]
        self.mu = X.mean(0)  # [layers, d]
        sd = X.std(0)
        sd[sd < 1e-8] = 1.0
        self.sd = sd
        return self

    def __call__(self, H):
        return ((H[:, self.layers, :] - self.mu) / self.sd).mean(1)


def oof_path_layerstd(H, y, folds, Cs, layers):
    """oof_path on the LayerStdMean features, the per-layer standardization fitted on each fold's training rows."""
    return oof_path(H, y, folds, Cs, reduction=lambda: LayerStdMean(layers))


def fit_full_layerstd(H, y, C, layers):
    ls = LayerStdMean(layers).fit(H)
    f = fit_full(ls(H), y, C)
    return lambda Z: f(ls(Z))


# ---------------------------------------------------------------------------------------------- study

def run_model(name, cat_file, ext_file, groups_json, scores):
    """All variants for all contrasts of one model. Fills `scores` with the external scores (float32)."""
    cat = np.load(cat_file, allow_pickle=False)
    ext = np.load(ext_file, allow_pickle=False)
    conds = list(cat["conds"])
    cond, ids, split = cat["cond"], cat["ids"], cat["split"]
    H = cat["hidden"].astype(np.float64)
    econds = list(ext["conds"])
    econd = ext["cond"]
    EH = ext["hidden"].astype(np.float64)
    L = H.shape[1]
    groups_all = build_groups(list(ids), groups_json)
    res = {}
    for cname, pos, neg in CONTRASTS:
        t0 = time.time()
        ip, ineg = conds.index(pos), conds.index(neg)
        P, N, B, idx, y, isc = training_rows(conds, cond, ids, split, pos, neg)
        yc = y[isc]
        grp = groups_all[idx]
        folds = list(GroupKFold(FOLDS).split(idx, y, grp))
        Htr = H[idx]
        hmask = (split == HELDOUT_SPLIT) & ((cond == ip) | (cond == ineg))
        Hh, yh = H[hmask], (cond[hmask] == ip).astype(int)
        emask = (econd == econds.index(pos)) | (econd == econds.index(neg))
        He, ye = EH[emask], (econd[emask] == econds.index(pos)).astype(int)

        R = {}

        def record(key, oof, score_fn, extra=None):
            sh, se = score_fn(Hh), score_fn(He)
            scores[f"{name}|{cname}|{key}|ext"] = se.astype(np.float32)
            R[key] = dict(oof=auc(yc, oof[isc]), heldout=auc(yh, sh),
                          external=auc(ye, se), ext_tpr1=tpr_at_fpr(ye, se))
            if extra:
                R[key].update(extra)

        # baseline: per-layer probes over the C grid; (layer, C) with the best OOF AUC,
        # ties -> smaller C, then lower layer
        layer_oof = np.zeros((L, len(C_LAYER), len(y)))
        layer_auc = np.zeros((L, len(C_LAYER)))
        for l in range(L):
            layer_oof[l] = oof_path(Htr[:, l, :], y, folds, C_LAYER)
            for k in range(len(C_LAYER)):
                layer_auc[l, k] = auc(yc, layer_oof[l, k][isc])
        best = max(((layer_auc[l, k], -k, -l) for l in range(L) for k in range(len(C_LAYER))))
        lb, kb = -best[2], -best[1]
        Cb = C_LAYER[kb]
        fb = fit_full(Htr[:, lb, :], y, Cb)
        record("baseline", layer_oof[lb, kb], lambda Z: fb(Z[:, lb, :]),
               dict(layer=int(lb), C=Cb, layer_oof_auc=layer_auc.max(1).round(4).tolist()))

        # mean difference at the chosen layer (contrast prompts only)
        def md_dir(rows, l):
            Xl = Htr[rows, l, :]
            yy = y[rows]
            return Xl[yy == 1].mean(0) - Xl[yy == 0].mean(0)

        md_oof = np.zeros(len(y))
        for tr, te in folds:
            trc = tr[isc[tr]]
            md_oof[te] = Htr[te, lb, :] @ md_dir(trc, lb)
        dfull = md_dir(np.where(isc)[0], lb)
        record("meandiff", md_oof, lambda Z: Z[:, lb, :] @ dfull)

        # all stored layers concatenated
        Xall = flat(Htr, list(range(L)))
        co = oof_path(Xall, y, folds, C_CONCAT)
        ca = [auc(yc, co[k][isc]) for k in range(len(C_CONCAT))]
        kc = int(np.argmax(ca))  # first max -> smaller C
        fc = fit_full(Xall, y, C_CONCAT[kc])
        record("concat_all", co[kc], lambda Z: fc(flat(Z, list(range(L)))), dict(C=C_CONCAT[kc]))

        # windows around the chosen layer
        for w in (1, 2):
            lays = list(range(max(0, lb - w), min(L, lb + w + 1)))
            Xw = flat(Htr, lays)
            wo = oof_path(Xw, y, folds, C_CONCAT)
            wa = [auc(yc, wo[k][isc]) for k in range(len(C_CONCAT))]
            kw = int(np.argmax(wa))
            fw = fit_full(Xw, y, C_CONCAT[kw])
            record(f"window_pm{w}", wo[kw], (lambda f, ls: (lambda Z: f(flat(Z, ls))))(fw, lays),
                   dict(C=C_CONCAT[kw], layers=lays))

        # layer ensembles: each layer's probe at its own best C, z-scored by its OOF mean and std
        kbest = layer_auc.argmax(1)  # first max -> smallest C
        lauc = layer_auc[np.arange(L), kbest]
        per_layer_full = {l: fit_full(Htr[:, l, :], y, C_LAYER[kbest[l]]) for l in range(L)}
        zs = [(layer_oof[l, kbest[l]].mean(), layer_oof[l, kbest[l]].std()) for l in range(L)]
        top3 = list(np.argsort(-lauc, kind="stable")[:3])
        for tag, lays in (("ens_all", list(range(L))), ("ens_top3", top3)):
            oof = np.mean([(layer_oof[l, kbest[l]] - zs[l][0]) / zs[l][1] for l in lays], 0)
            fn = (lambda ls: (lambda Z: np.mean(
                [(per_layer_full[l](Z[:, l, :]) - zs[l][0]) / zs[l][1] for l in ls], 0)))(lays)
            record(tag, oof, fn, dict(layers=[int(l) for l in lays]))

        # mean difference + probe at the chosen layer, each z-scored on the (fold-)train contrast rows
        avg_oof = np.zeros(len(y))
        for tr, te in folds:
            trc = tr[isc[tr]]
            d = md_dir(trc, lb)
            sc = Std().fit(Htr[tr, lb, :])
            mm = lr(Cb).fit(sc(Htr[tr, lb, :]), y[tr])
            a_tr, b_tr = Htr[trc, lb, :] @ d, mm.decision_function(sc(Htr[trc, lb, :]))
            a_te, b_te = Htr[te, lb, :] @ d, mm.decision_function(sc(Htr[te, lb, :]))
            avg_oof[te] = 0.5 * ((a_te - a_tr.mean()) / a_tr.std() + (b_te - b_tr.mean()) / b_tr.std())
        ctr = np.where(isc)[0]
        a_tr, b_tr = Htr[ctr, lb, :] @ dfull, fb(Htr[ctr, lb, :])
        ma, sa, mb, sb = a_tr.mean(), a_tr.std(), b_tr.mean(), b_tr.std()
        record("md_plus_probe", avg_oof,
               lambda Z: 0.5 * ((Z[:, lb, :] @ dfull - ma) / sa + (fb(Z[:, lb, :]) - mb) / sb))

        # d-dimensional layer averages, C from the single-layer grid (first max -> smaller C)
        Xm = Htr.mean(1)
        mo = oof_path(Xm, y, folds, C_LAYER)
        mauc = [auc(yc, mo[k][isc]) for k in range(len(C_LAYER))]
        km = int(np.argmax(mauc))
        fm = fit_full(Xm, y, C_LAYER[km])
        record("mean_raw", mo[km], lambda Z: fm(Z.mean(1)), dict(C=C_LAYER[km], layers=list(range(L))))
        for tag, lays in (("mean_std", list(range(L))), ("mean_last_half", list(range(L // 2, L)))):
            so = oof_path_layerstd(Htr, y, folds, C_LAYER, lays)
            sauc = [auc(yc, so[k][isc]) for k in range(len(C_LAYER))]
            ks = int(np.argmax(sauc))
            fs = fit_full_layerstd(Htr, y, C_LAYER[ks], lays)
            record(tag, so[ks], fs, dict(C=C_LAYER[ks], layers=lays))

        # CV pick across all variants (meandiff included); ties -> the earlier variant
        cands = list(R)
        pick = max(cands, key=lambda k: (round(R[k]["oof"], 6), -cands.index(k)))
        R["cv_pick"] = dict(R[pick], picked=pick)
        scores[f"{name}|{cname}|cv_pick|ext"] = scores[f"{name}|{cname}|{pick}|ext"]
        scores[f"{name}|{cname}|y|ext"] = ye.astype(np.int8)
        R["_info"] = dict(n_train=int(len(y)), n_pos=int(len(P)), n_neg=int(len(N)),
                          n_bg=int(len(B)), n_groups=int(len(np.unique(grp))),
                          n_groups_contrast=int(len(np.unique(grp[isc]))),
                          n_heldout=int(len(yh)), n_ext_pos=int(ye.sum()),
                          n_ext_neg=int((1 - ye).sum()), secs=round(time.time() - t0, 1))
        res[cname] = R
        log(f"{name} {cname}: {R['_info']['secs']}s, baseline layer {lb} C {Cb}; " +
            " ".join(f"{k}:{v['oof']:.3f}/{v['heldout']:.3f}/{v['external']:.3f}"
                     for k, v in R.items() if not k.startswith("_")))
    return res, L


# --------------------------------------------------------------------------------------------- report

def fauc(y, s):
    """Mann-Whitney AUC (ties count half)."""
    r = rankdata(s)
    n1 = y.sum()
    n0 = len(y) - n1
    return (r[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def bootstrap(det, scores, rng):
    """Per variant: BOOTSTRAP resamples of the mean (over contrasts) external AUC minus the baseline's."""
    deltas = {v: np.zeros(BOOTSTRAP) for v in VARIANTS[1:]}
    for c, _, _ in CONTRASTS:
        y = scores[f"{det}|{c}|y|ext"].astype(int)
        pos, neg = np.where(y == 1)[0], np.where(y == 0)[0]
        sc = {v: scores[f"{det}|{c}|{v}|ext"] for v in VARIANTS}
        for b in range(BOOTSTRAP):
            ix = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
            yb = y[ix]
            base = fauc(yb, sc["baseline"][ix])
            for v in VARIANTS[1:]:
                deltas[v][b] += (fauc(yb, sc[v][ix]) - base) / len(CONTRASTS)
    return deltas


def report(det, res, deltas, n_layers, files):
    P = print
    CN = [c for c, _, _ in CONTRASTS]
    head = "| variant | " + " | ".join(SHORT[c] for c in CN)
    P(f"\n## {det}\n")
    P(f"Cache: {os.path.basename(files[0])}, {os.path.basename(files[1])}; {n_layers} stored layers "
      f"(positions 0..{n_layers - 1}).")
    i = res[CN[0]]["_info"]
    P(f"Train rows per contrast: {i['n_pos']} positive + {i['n_neg']} negative + {i['n_bg']} background = "
      f"{i['n_train']}; held-out: {i['n_heldout']} per contrast.")
    P("Groups (all train rows / contrast rows) and external positives/negatives: " +
      ", ".join(f"{SHORT[c]} {res[c]['_info']['n_groups']}/{res[c]['_info']['n_groups_contrast']}, "
                f"{res[c]['_info']['n_ext_pos']}/{res[c]['_info']['n_ext_neg']}" for c in CN) + ".")

    m = {v: [np.mean([res[c][v][k] for c in CN]) for k in ("oof", "heldout", "external", "ext_tpr1")]
         for v in VARIANTS}
    P("\nMean over the 5 contrasts\n")
    P("| variant | OOF AUC | held-out AUC | external AUC | external TPR at 1% FPR |\n|---|---:|---:|---:|---:|")
    for v in VARIANTS:
        P(f"| {v} | " + " | ".join(f"{x:.3f}" for x in m[v]) + " |")

    P("\nAUC per contrast: OOF / held-out / external\n")
    P(head + " |\n|---" + "|---:" * len(CN) + "|")
    for v in VARIANTS:
        r = {c: res[c][v] for c in CN}
        cells = [f"{r[c]['oof']:.3f}/{r[c]['heldout']:.3f}/{r[c]['external']:.3f}" for c in CN]
        P(f"| {v} | " + " | ".join(cells) + " |")

    P("\nExternal TPR at 1% FPR (threshold from the external negatives)\n")
    P(head + " | mean |\n|---" + "|---:" * (len(CN) + 1) + "|")
    for v in VARIANTS:
        P(f"| {v} | " + " | ".join(f"{res[c][v]['ext_tpr1']:.3f}" for c in CN) + f" | {m[v][3]:.3f} |")

    P("\nWould train CV prefer it to the baseline? OOF AUC minus the baseline's (✓ if > 0) / "
      "external AUC minus the baseline's\n")
    P(head + " |\n|---" + "|---:" * len(CN) + "|")
    for v in VARIANTS[1:]:
        cells = []
        for c in CN:
            do = res[c][v]["oof"] - res[c]["baseline"]["oof"]
            de = res[c][v]["external"] - res[c]["baseline"]["external"]
            cells.append(f"{'✓' if do > 0 else '✗'} {do:+.3f} / {de:+.3f}")
        P(f"| {v} | " + " | ".join(cells) + " |")

    P(f"\nMean external AUC minus the baseline's: point estimate, 95% interval of a paired bootstrap over the "
      f"external prompts ({BOOTSTRAP}x, stratified), and the point estimate without code_violated\n")
    P("| variant | OOF > baseline | Δ external | 95% interval | Δ external without code_violated |\n"
      "|---|---:|---:|---:|---:|")
    CN4 = [c for c in CN if not c.startswith("code_violated")]
    boot = {}
    for v in VARIANTS[1:]:
        d = deltas[v]
        point = np.mean([res[c][v]["external"] - res[c]["baseline"]["external"] for c in CN])
        lo, hi = np.percentile(d, 2.5), np.percentile(d, 97.5)
        wins = sum(res[c][v]["oof"] > res[c]["baseline"]["oof"] for c in CN)
        no_cv = np.mean([res[c][v]["external"] - res[c]["baseline"]["external"] for c in CN4])
        boot[v] = dict(delta=float(point), lo=float(lo), hi=float(hi), oof_wins=int(wins),
                       delta_without_code_violated=float(no_cv))
        P(f"| {v} | {wins} of {len(CN)} | {point:+.3f} | [{lo:+.3f}, {hi:+.3f}] | {no_cv:+.3f} |")

    rule = [res[c]["concat_all" if res[c]["concat_all"]["oof"] > res[c]["baseline"]["oof"] else "baseline"]
            for c in CN]
    rm = [np.mean([r[k] for r in rule]) for k in ("oof", "heldout", "external", "ext_tpr1")]
    P("\nRule \"concat_all where its OOF AUC beats the baseline's, else the baseline\": mean OOF / held-out / "
      f"external AUC {rm[0]:.3f} / {rm[1]:.3f} / {rm[2]:.3f}, external TPR at 1% FPR {rm[3]:.3f}.")
    P("CV pick: " + ", ".join(f"{SHORT[c]} {res[c]['cv_pick']['picked']}" for c in CN) + ".")
    P("Baseline (stored layer position, C): " +
      ", ".join(f"{SHORT[c]} {res[c]['baseline']['layer']}, {res[c]['baseline']['C']}" for c in CN) + ".")
    P("Best OOF AUC per stored layer (max over C): " +
      "; ".join(f"{SHORT[c]} " + " ".join(f"{a:.3f}" for a in res[c]["baseline"]["layer_oof_auc"])
                for c in CN) + ".")
    P("concat_all C: " + ", ".join(f"{SHORT[c]} {res[c]['concat_all']['C']}" for c in CN) + ".")
    for w in ("window_pm1", "window_pm2"):
        P(f"{w} (layers, C): " +
          ", ".join(f"{SHORT[c]} {res[c][w]['layers']}, {res[c][w]['C']}" for c in CN) + ".")
    P("ens_top3 layers: " + ", ".join(f"{SHORT[c]} {res[c]['ens_top3']['layers']}" for c in CN) + ".")
    P(f"mean_last_half positions: {res[CN[0]]['mean_last_half']['layers']}.")
    for v in ("mean_raw", "mean_std", "mean_last_half"):
        P(f"{v} C: " + ", ".join(f"{SHORT[c]} {res[c][v]['C']}" for c in CN) + ".")
    return boot


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", default="/tmp/codebook-study-cache",
                    help="codebook_study.py's cache of pooled features (default %(default)s)")
    ap.add_argument("--groups", default=os.path.join(ROOT, "conditions", "groups.json"),
                    help="twin and family of every catalog prompt (default <repo>/conditions/groups.json)")
    ap.add_argument("--models", default=",".join(MODELS), help="comma list (default %(default)s)")
    ap.add_argument("--json", default=None,
                    help="write all numbers here (default <cache>/multilayer-results.json)")
    args = ap.parse_args()
    models = [m for m in args.models.split(",") if m]
    if not os.path.exists(args.groups):
        sys.exit(f"multilayer_study.py: no {args.groups} (--groups)")

    files = {}
    for model in models:
        cat, shape = pick_cache_file(args.cache, model, "catalog", os.path.join(ROOT, "conditions"))
        ext_catalog = os.path.join(ROOT, "work", "external", "catalog")
        ext, _ = pick_cache_file(args.cache, model, "external", ext_catalog, layers_shape=shape[1:])
        files[model] = (cat, ext)

    t_start = time.time()
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    out = dict(models={}, bootstrap={}, files={}, layers={}, seconds=None,
               versions=dict(numpy=np.__version__, sklearn=__import__("sklearn").__version__,
                             scipy=__import__("scipy").__version__))
    print("# Multi-layer hidden-space probes vs the single CV-chosen layer probe")
    print(f"\nModels: {', '.join(models)}. Grouped {FOLDS}-fold CV on the train split chooses; "
          "held-out and external are only reported.")
    for model in models:
        scores = {}
        res, n_layers = run_model(model, *files[model], args.groups, scores)
        deltas = bootstrap(model, scores, rng)
        out["models"][model] = res
        out["files"][model] = [os.path.basename(f) for f in files[model]]
        out["layers"][model] = n_layers
        out["bootstrap"][model] = report(model, res, deltas, n_layers, files[model])
        sys.stdout.flush()
    out["seconds"] = round(time.time() - t_start, 1)
    print(f"\nRan in {out['seconds']:.0f} s (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}).")
    out_json = args.json or os.path.join(args.cache, "multilayer-results.json")
    with open(out_json, "w") as f:
        json.dump(out, f, indent=1)
    log(f"wrote {out_json}")


if __name__ == "__main__":
    main()
