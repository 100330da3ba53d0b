#!/usr/bin/env python3
"""Codebook study (issue #14): what limits the 3-D behavioral codebook, and what lets it carry more signal.

Everything is fitted on the catalogs' train split. Every choice (layer, pooling, population, basis) is made
by 5-fold cross-validation on train, grouped so that twins and topics never straddle folds (the same
criterion as the catalogs' held-out split). Held-out (catalog heldout split) and external (human-written
benchmarks, split all) AUCs are only reported, never used to choose.

Stages (cached under --cache, outside the repository):
  1. load: per prompt and layer, pooled token perturbations (mean over all content tokens, mean without the
     first token, median, 90th percentile, max, std over tokens) and hidden_mean, for the selected layers.
  2. grid: for each variant (pooling x population x basis), layer and contrast: train grouped-CV AUC and the
     full-train fit's held-out and external AUC of four read-outs: logistic regression on the 64-D pooled
     perturbation (lr64), on the 3-D projection z (z), on the codebook's (sum,u,v) exactly as compile does
     (suv: unstandardized, C=1), and on (sum,u,v) standardized with the population mean/std (suv_std).
     Plus the hidden-space probe (standardized logistic regression, C=1, on hidden_mean) per layer.
  3. tables: the five questions of the study, printed as markdown.

Example:
  OMP_NUM_THREADS=1 python scripts/study/codebook_study.py --model all-MiniLM-L6-v2
  OMP_NUM_THREADS=1 python scripts/study/codebook_study.py --model SmolLM2-135M-Instruct --layers 0:31:2
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import collections
import hashlib
import json
import sys
import time

import h5py
import numpy as np
from scipy.interpolate import PchipInterpolator
from sklearn.cross_decomposition import PLSRegression
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

POOLS = ("mean_all", "mean_nofirst", "median", "q90", "max", "std")
READOUTS = ("lr64", "z", "suv", "suv_std")
SEED = 14


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------- loading

def _decode(a):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in a]


def pool_condition(g, layers, sink):
    """Pooled token perturbations of one condition, read in slices of prompts. Returns {pool: [n, L, 64]}.

    `sink`: the SPEC §3 rule for causal detectors: order statistics (median, q90, max, std) leave content
    position 0 out when the prompt has at least two tokens. mean_all / mean_nofirst are both computed.
    """
    off = g["token_offsets"][:]
    n = len(off) - 1
    out = {p: np.zeros((n, len(layers), 64), np.float32) for p in POOLS}
    tp = g["token_perturbations"]
    i = 0
    step = 48
    while i < n:
        j = min(n, i + step)
        t0, t1 = int(off[i]), int(off[j])
        block = tp[t0:t1][:, layers, :].astype(np.float64)
        for k in range(i, j):
            a, b = int(off[k]) - t0, int(off[k + 1]) - t0
            x = block[a:b]
            out["mean_all"][k] = x.mean(0)
            xs = x[1:] if len(x) >= 2 else x
            out["mean_nofirst"][k] = xs.mean(0)
            xo = xs if sink else x
            md, q9 = np.percentile(xo, [50, 90], axis=0)
            out["median"][k] = md
            out["q90"][k] = q9
            out["max"][k] = xo.max(0)
            out["std"][k] = xo.std(0)
        i = j
    return out


def load(path, layers, cache_dir, tag):
    """Returns dict: conds (list), cond [N] index, ids [N], split [N], pools {pool: [N, L, 64]},
    file_mean [N, L, 64] (prompt_perturbations), hidden [N, L, d], attrs."""
    st = os.stat(path)
    key = hashlib.sha256(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime}|{layers}|v1".encode()).hexdigest()[:16]
    cpath = os.path.join(cache_dir, f"{tag}-{key}.npz")
    if os.path.exists(cpath):
        z = np.load(cpath, allow_pickle=False)
        d = {k: z[k] for k in z.files}
        d["pools"] = {p: d.pop("pool_" + p) for p in POOLS}
        d["conds"] = list(d["conds"])
        d["ids"] = list(d["ids"])
        d["attrs"] = json.loads(str(d["attrs"]))
        return d
    t = time.time()
    h = h5py.File(path, "r")
    attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in h.attrs.items()}
    sink = attrs.get("model_type") == "llama"
    conds = sorted(h["conditions"].keys())
    cond, ids, split, fm, hid = [], [], [], [], []
    pools = {p: [] for p in POOLS}
    for ci, c in enumerate(conds):
        g = h["conditions"][c]
        n = g["ids"].shape[0]
        cond.append(np.full(n, ci))
        ids += _decode(g["ids"][:])
        split.append(g["split"][:])
        fm.append(g["prompt_perturbations"][:][:, layers, :])
        hm = np.zeros((n, len(layers), g["hidden_mean"].shape[2]), np.float32)
        for a in range(0, n, 30):
            hm[a:a + 30] = g["hidden_mean"][a:a + 30][:, layers, :]
        hid.append(hm)
        pc = pool_condition(g, layers, sink)
        for p in POOLS:
            pools[p].append(pc[p])
        log(f"  loaded {tag}/{c}: {n} prompts ({time.time() - t:.0f}s)")
    d = dict(conds=conds, cond=np.concatenate(cond), ids=ids, split=np.concatenate(split).astype(np.int8),
             file_mean=np.concatenate(fm).astype(np.float32), hidden=np.concatenate(hid),
             pools={p: np.concatenate(v) for p, v in pools.items()}, attrs=attrs)
    os.makedirs(cache_dir, exist_ok=True)
    tmp = cpath + ".tmp.npz"
    np.savez(tmp, conds=np.array(conds), cond=d["cond"], ids=np.array(ids), split=d["split"],
             file_mean=d["file_mean"], hidden=d["hidden"], attrs=np.array(json.dumps(attrs, default=str)),
             **{"pool_" + p: v for p, v in d["pools"].items()})
    os.replace(tmp, cpath)
    return d


def twin_topic_groups(ids, split, groups_json):
    """Connected components of train prompts linked by twin or by topic (the held-out split's criterion)."""
    g = json.load(open(groups_json))["groups"]
    par = {}

    def f(x):
        while par.setdefault(x, x) != x:
            par[x] = par[par[x]]
            x = par[x]
        return x

    idset = set(ids)
    for i, s in zip(ids, split):
        r = g.get(i)
        if r is None:
            continue
        if r.get("twin") and r["twin"] in idset:
            par[f(i)] = f(r["twin"])
        par[f(i)] = f("topic=" + str(r.get("topic")))
    roots = {}
    return np.array([roots.setdefault(f(i), len(roots)) for i in ids])


# ---------------------------------------------------------------------------------------------- codebook

class Spline:
    """SPEC §6 spline CDF: 33 quantile knots, PCHIP, clamped to [eps, 1-eps]."""

    def __init__(self, sample, n_pop):
        x = np.quantile(np.asarray(sample, np.float64), np.arange(33) / 32)
        for j in range(1, 33):
            if x[j] <= x[j - 1]:
                x[j] = np.nextafter(x[j - 1], np.inf)
        self.lo, self.hi, self.eps = x[0], x[-1], 1.0 / (2 * n_pop)
        self.f = PchipInterpolator(x, np.arange(33) / 32)

    def __call__(self, v):
        v = np.asarray(v, np.float64)
        out = np.where(v < self.lo, self.eps, 1 - self.eps)
        m = (v >= self.lo) & (v <= self.hi)
        out[m] = np.clip(self.f(v[m]), self.eps, 1 - self.eps)
        return out


def sign_fix(V):
    V = np.array(V, np.float64)
    for r in range(V.shape[0]):
        if V[r, np.argmax(np.abs(V[r]))] < 0:
            V[r] = -V[r]
    return V


def std_lr(X, y, C=1.0):
    mu, sd = X.mean(0), X.std(0)
    sd[sd == 0] = 1
    m = LogisticRegression(C=C, max_iter=2000).fit((X - mu) / sd, y)
    return lambda Z: m.decision_function((Z - mu) / sd), m.coef_[0] / sd


def basis_fn(name, P, mean, ctx):
    """[3, 64] basis for population P (rows), mean. ctx: pop_cond (condition per population row),
    pos/neg condition index of the contrast, contrasts list (pos, neg) for the joint bases."""
    Pc = P - mean
    if name == "svd":
        return sign_fix(np.linalg.svd(Pc, full_matrices=False)[2][:3])
    if name == "svd_std":
        sd = P.std(0)
        sd[sd == 0] = 1
        V = np.linalg.svd(Pc / sd, full_matrices=False)[2][:3] / sd
        return sign_fix(V / np.linalg.norm(V, axis=1, keepdims=True))
    pc = ctx["pop_cond"]
    if name == "lda16":
        lda = LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto").fit(P, pc)
        V = lda.scalings_[:, :3].T
        return sign_fix(V / np.linalg.norm(V, axis=1, keepdims=True))
    if name == "dirs8":
        W = []
        for a, b in ctx["contrasts"]:
            m = (pc == a) | (pc == b)
            if (pc == a).sum() < 5 or (pc == b).sum() < 5:
                continue
            w = std_lr(P[m], (pc[m] == a).astype(int))[1]
            W.append(w / np.linalg.norm(w))
        return sign_fix(np.linalg.svd(np.array(W), full_matrices=False)[2][:3])
    m = (pc == ctx["pos"]) | (pc == ctx["neg"])
    y = (pc[m] == ctx["pos"]).astype(int)
    if name == "pls3":
        sd = P[m].std(0)
        sd[sd == 0] = 1
        pls = PLSRegression(n_components=3, scale=False).fit((P[m] - P[m].mean(0)) / sd, y)
        V = pls.x_rotations_.T / sd
        return sign_fix(V / np.linalg.norm(V, axis=1, keepdims=True))
    if name in ("lda_svd2", "lr_svd2"):
        if name == "lda_svd2":
            w = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto").fit(P[m], y).coef_[0]
        else:
            w = std_lr(P[m], y)[1]
        w = w / np.linalg.norm(w)
        R = Pc - np.outer(Pc @ w, w)
        V2 = np.linalg.svd(R, full_matrices=False)[2][:2]
        return sign_fix(np.vstack([w, V2]))
    raise ValueError(name)


class Codebook:
    def __init__(self, P, basis, ctx):
        self.mean = P.mean(0)
        self.V = basis_fn(basis, P, self.mean, ctx)
        z = (P - self.mean) @ self.V.T
        n = len(P)
        self.sz = [Spline(z[:, i], n) for i in range(3)]
        c = np.stack([s(z[:, i]) for i, s in enumerate(self.sz)], 1)
        self.ssum = Spline(c.sum(1), n)
        suv = self._suv(c)
        self.suv_mu, self.suv_sd = suv.mean(0), suv.std(0)
        self.suv_sd[self.suv_sd == 0] = 1

    def _suv(self, c):
        s = c.sum(1)
        w = c / s[:, None]
        return np.stack([self.ssum(s), w[:, 1] + w[:, 2] / 2, np.sqrt(3) / 2 * w[:, 2]], 1)

    def transform(self, P):
        z = (P - self.mean) @ self.V.T
        c = np.stack([s(z[:, i]) for i, s in enumerate(self.sz)], 1)
        return z, self._suv(c)


def auc(y, s):
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else float("nan")


def fit_readouts(cb, Xfit, yfit, readouts):
    """Fit the read-outs on the contrast's rows; returns {readout: score function}."""
    fns = {}
    if cb is not None:
        z, suv = cb.transform(Xfit)
    for r in readouts:
        if r == "lr64":
            fns[r] = std_lr(Xfit, yfit)[0]
        elif r == "z":
            f = std_lr(z, yfit)[0]
            fns[r] = (lambda f: lambda X: f(cb.transform(X)[0]))(f)
        elif r == "suv":
            m = LogisticRegression(C=1.0, max_iter=2000).fit(suv, yfit)
            fns[r] = (lambda m: lambda X: m.decision_function(cb.transform(X)[1]))(m)
        elif r == "suv_std":
            m = LogisticRegression(C=1.0, max_iter=2000).fit((suv - cb.suv_mu) / cb.suv_sd, yfit)
            fns[r] = (lambda m: lambda X: m.decision_function((cb.transform(X)[1] - cb.suv_mu) / cb.suv_sd))(m)
    return fns


# -------------------------------------------------------------------------------------------------- grid

class Study:
    def __init__(self, D, E, groups, contrasts, folds):
        self.D, self.E = D, E
        self.conds = D["conds"]
        ci = {c: i for i, c in enumerate(self.conds)}
        self.contrasts = [(c["name"], ci[c["positive"]], ci[c["negative"]]) for c in contrasts]
        self.train = D["split"] == 0
        self.groups = groups
        self.rng_seed = SEED
        self.ext = []
        eci = {c: i for i, c in enumerate(E["conds"])} if E is not None else {}
        for name, p, n in self.contrasts:
            cp, cn = self.conds[p], self.conds[n]
            if cp in eci and cn in eci:
                m = (E["cond"] == eci[cp]) | (E["cond"] == eci[cn])
                self.ext.append((np.where(m)[0], (E["cond"][m] == eci[cp]).astype(int)))
            else:
                self.ext.append(None)
        # folds per contrast over its train rows
        self.cv = []
        for name, p, n in self.contrasts:
            rows = np.where(self.train & ((D["cond"] == p) | (D["cond"] == n)))[0]
            fl = list(GroupKFold(n_splits=folds).split(rows, groups=groups[rows]))
            self.cv.append((rows, fl))

    def feature(self, which, src, li):
        """One layer's features, or (li None) every studied layer's concatenated."""
        a = src["hidden"] if which == "hidden" else src["pools"][which]
        if li is None:
            return a.reshape(len(a), -1).astype(np.float64)
        return a[:, li, :].astype(np.float64)

    def population(self, kind, k, exclude):
        """Population rows (train), for contrast k, without the rows `exclude` (the CV test fold)."""
        D = self.D
        name, p, n = self.contrasts[k]
        pair = self.train & ((D["cond"] == p) | (D["cond"] == n))
        keep = np.ones(len(D["cond"]), bool)
        keep[exclude] = False
        if kind == "all":
            return np.where(self.train & keep)[0]
        if kind == "pair":
            return np.where(pair & keep)[0]
        if kind == "mix":  # the pair plus an equal number of prompts drawn from the other conditions
            pr = np.where(pair & keep)[0]
            others = np.where(self.train & ~pair)[0]
            rng = np.random.default_rng(SEED + k)
            return np.sort(np.concatenate([pr, rng.choice(others, size=len(pr), replace=False)]))
        raise ValueError(kind)

    def run(self, pool, pop, basis, layers_idx, readouts=READOUTS):
        """Returns arrays [L, K, R] for cv, heldout, external (nan where no external set)."""
        D, E = self.D, self.E
        K, R = len(self.contrasts), len(readouts)
        cv = np.full((len(layers_idx), K, R), np.nan)
        ho, ex, tr = cv.copy(), cv.copy(), cv.copy()
        need_cb = any(r != "lr64" for r in readouts)
        for a, li in enumerate(layers_idx):
            X = self.feature(pool, D, li)
            XE = self.feature(pool, E, li) if E is not None else None
            for k, (name, p, n) in enumerate(self.contrasts):
                rows, fl = self.cv[k]
                y = (D["cond"][rows] == p).astype(int)
                fold_aucs = []
                for tr_i, te_i in fl:
                    cb = None
                    if need_cb:
                        pr = self.population(pop, k, rows[te_i])
                        cb = Codebook(X[pr], basis, self._ctx(pr, p, n))
                    fns = fit_readouts(cb, X[rows[tr_i]], y[tr_i], readouts)
                    fold_aucs.append([auc(y[te_i], fns[r](X[rows[te_i]])) for r in readouts])
                cv[a, k] = np.mean(fold_aucs, 0)
                cb = None
                if need_cb:
                    pr = self.population(pop, k, np.array([], int))
                    cb = Codebook(X[pr], basis, self._ctx(pr, p, n))
                fns = fit_readouts(cb, X[rows], y, readouts)
                hrows = np.where((D["split"] == 1) & ((D["cond"] == p) | (D["cond"] == n)))[0]
                hy = (D["cond"][hrows] == p).astype(int)
                for r_i, r in enumerate(readouts):
                    tr[a, k, r_i] = auc(y, fns[r](X[rows]))
                    ho[a, k, r_i] = auc(hy, fns[r](X[hrows]))
                    if self.ext[k] is not None:
                        erows, ey = self.ext[k]
                        ex[a, k, r_i] = auc(ey, fns[r](XE[erows]))
        return dict(cv=cv, heldout=ho, external=ex, train=tr)

    def nonlinear(self, pool, layer_pick):
        """Gradient-boosted trees on the 64-D pooled perturbation at the given layer per contrast: does the
        perturbation hold signal a linear read-out misses? (fitted on train, no tuning)"""
        from sklearn.ensemble import HistGradientBoostingClassifier
        D, E = self.D, self.E
        K = len(self.contrasts)
        ho, ex = np.full(K, np.nan), np.full(K, np.nan)
        for k, (name, p, n) in enumerate(self.contrasts):
            X = self.feature(pool, D, layer_pick[k])
            rows = self.cv[k][0]
            m = HistGradientBoostingClassifier(max_iter=200, random_state=SEED).fit(X[rows], (D["cond"][rows] == p).astype(int))
            hrows = np.where((D["split"] == 1) & ((D["cond"] == p) | (D["cond"] == n)))[0]
            ho[k] = auc((D["cond"][hrows] == p).astype(int), m.predict_proba(X[hrows])[:, 1])
            if self.ext[k] is not None:
                erows, ey = self.ext[k]
                ex[k] = auc(ey, m.predict_proba(self.feature(pool, E, layer_pick[k])[erows])[:, 1])
        return dict(heldout=ho, external=ex, layers=np.array(layer_pick))

    def _ctx(self, pr, p, n):
        return dict(pop_cond=self.D["cond"][pr], pos=p, neg=n, contrasts=[(a, b) for _, a, b in self.contrasts])

    def run_probe(self, layers_idx):
        return self.run("hidden", None, None, layers_idx, readouts=("lr64",))


# ------------------------------------------------------------------------------------------------ tables

def pick(res, r_i, how):
    """Layer index per contrast: 'cv' (argmax CV, ties lower) or an int (a fixed layer index)."""
    K = res["cv"].shape[1]
    if how == "cv":
        return [int(np.argmax(np.round(res["cv"][:, k, r_i], 6))) for k in range(K)]
    if how == "cv_shared":
        return [int(np.argmax(np.round(np.nanmean(res["cv"][:, :, r_i], 1), 6)))] * K
    if how == "spec":  # SPEC §6: one layer, best mean train-fit AUC of the codebook classifier
        return [int(np.argmax(np.round(np.nanmean(res["train"][:, :, r_i], 1), 6)))] * K
    return [how] * K


def sel(res, r_i, layer_pick):
    K = res["cv"].shape[1]
    return {s: np.array([res[s][layer_pick[k], k, r_i] for k in range(K)]) for s in ("cv", "heldout", "external")}


def fmt(x):
    return "—" if x is None or not np.isfinite(x) else f"{x:.3f}"


def row_means(v, ext_mask):
    return np.nanmean(v["cv"]), np.nanmean(v["heldout"]), np.nanmean(v["external"][ext_mask])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="all-MiniLM-L6-v2")
    ap.add_argument("--activations", default=None, help="default /work/main/work/<model>/activations.h5")
    ap.add_argument("--external", default=None, help="default /work/main/work/external/<model>/activations.h5")
    ap.add_argument("--groups", default="/work/main/conditions/groups.json")
    ap.add_argument("--catalog", default="/work/main/conditions/catalog.json")
    ap.add_argument("--layers", default="all", help="'all', start:stop:step or a comma list of hidden-state layers")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", default="/tmp/codebook-study-cache")
    ap.add_argument("--json", default=None, help="write all numbers here (default <cache>/<model>-results.json)")
    ap.add_argument("--quick", action="store_true", help="only the baseline and the read-out comparison")
    ap.add_argument("--variants", default=None, help="comma list of variant names to run (base always runs)")
    args = ap.parse_args()
    act = args.activations or f"/work/main/work/{args.model}/activations.h5"
    ext = args.external or f"/work/main/work/external/{args.model}/activations.h5"
    with h5py.File(act, "r") as h:
        nl = int(h.attrs["num_layers"])
    if args.layers == "all":
        layers = list(range(nl))
    elif ":" in args.layers:
        layers = list(range(*[int(x) for x in args.layers.split(":")]))
    else:
        layers = [int(x) for x in args.layers.split(",")]
    t0 = time.time()
    D = load(act, layers, args.cache, args.model + "-catalog")
    E = load(ext, layers, args.cache, args.model + "-external") if os.path.exists(ext) else None
    log(f"loaded in {time.time() - t0:.0f}s; layers {layers}")
    sink = D["attrs"].get("model_type") == "llama"
    today_pool = "mean_nofirst" if sink else "mean_all"
    # sanity: the recomputed pooled mean equals the file's prompt_perturbations (SPEC pooling)
    dev = float(np.abs(D["pools"][today_pool] - D["file_mean"]).max())
    log(f"max |recomputed {today_pool} - prompt_perturbations| = {dev:.2e}")
    groups = twin_topic_groups(D["ids"], D["split"], args.groups)
    contrasts = json.load(open(args.catalog))["contrasts"]
    S = Study(D, E, groups, contrasts, args.folds)
    names = [c[0] for c in S.contrasts]
    ext_mask = np.array([e is not None for e in S.ext])
    L = list(range(len(layers)))

    variants = [("base", today_pool, "all", "svd")]
    if not args.quick:
        other_mean = "mean_all" if sink else "mean_nofirst"
        variants += [(f"pool={p}", p, "all", "svd") for p in (other_mean, "median", "q90", "max", "std")]
        variants += [(f"pop={p}", today_pool, p, "svd") for p in ("pair", "mix")]
        variants += [(f"basis={b}", today_pool, "all", b) for b in ("svd_std", "lda16", "dirs8", "pls3", "lda_svd2")]
        variants += [("pair+pls3", today_pool, "pair", "pls3"), ("pair+lda_svd2", today_pool, "pair", "lda_svd2")]
        variants += [(f"concat+{b}", today_pool, "all", b) for b in ("svd", "lda16", "dirs8", "pls3", "lda_svd2")]
    if args.variants:
        keep = set(args.variants.split(",")) | {"base"}
        variants = [v for v in variants if v[0] in keep]
    results = {}
    for vname, pool, pop, basis in variants:
        t = time.time()
        results[vname] = S.run(pool, pop, basis, [None] if vname.startswith("concat") else L)
        log(f"variant {vname}: {time.time() - t:.0f}s")
    t = time.time()
    results["probe"] = S.run_probe(L)
    log(f"probe: {time.time() - t:.0f}s")

    t = time.time()
    results["hgb64"] = S.nonlinear(today_pool, pick(results["base"], 0, "cv"))
    log(f"hgb64: {time.time() - t:.0f}s")

    out_json = args.json or os.path.join(args.cache, f"{args.model}-results.json")
    with open(out_json, "w") as f:
        json.dump(dict(model=args.model, layers=layers, contrasts=names, readouts=READOUTS,
                       variants=[list(v) for v in variants],
                       results={k: {s: np.asarray(v[s]).tolist() for s in v} for k, v in results.items()}), f)
    log(f"wrote {out_json}")
    report(args.model, layers, names, ext_mask, variants, results, dev, today_pool)


def report(model, layers, names, ext_mask, variants, results, dev, today_pool):
    R = {r: i for i, r in enumerate(READOUTS)}
    P = print
    P(f"\n# Codebook study: {model}\n")
    P(f"layers studied: {layers}; today's pooling: {today_pool} (max deviation from the file's "
      f"prompt_perturbations {dev:.1e}); CV = 5-fold grouped by twin+topic on train; "
      f"ext = external benchmarks (split all). Means: CV and held-out over {len(names)} contrasts, "
      f"external over the {int(ext_mask.sum())} with an external set.\n")
    base = results["base"]
    lay = lambda i: layers[i]

    # ---- Q0 baseline reproduction
    sp = pick(base, R["suv"], "spec")
    P(f"## Baseline (SPEC compile: pooled mean, all-condition population, SVD top-3, (sum,u,v) logistic, "
      f"shared layer by train-fit AUC = layer {lay(sp[0])})\n")
    P("| contrast | CV | held-out | external |\n|---|---:|---:|---:|")
    v = sel(base, R["suv"], sp)
    for k, nm in enumerate(names):
        P(f"| {nm} | {fmt(v['cv'][k])} | {fmt(v['heldout'][k])} | {fmt(v['external'][k])} |")
    P("| **mean** | %s | %s | %s |\n" % tuple(fmt(x) for x in row_means(v, ext_mask)))

    # ---- Q1 layer
    P("## Q1. Layer: one shared layer vs per contrast (read-out suv = today's classifier)\n")
    P("| contrast | spec layer: ho / ext | CV-shared layer: ho / ext | per-contrast CV layer | ho / ext |"
      "\n|---|---:|---:|---:|---:|")
    pcs = pick(base, R["suv"], "cv_shared")
    pcv = pick(base, R["suv"], "cv")
    a, b, c = sel(base, R["suv"], sp), sel(base, R["suv"], pcs), sel(base, R["suv"], pcv)
    for k, nm in enumerate(names):
        P(f"| {nm} | {fmt(a['heldout'][k])} / {fmt(a['external'][k])} | {fmt(b['heldout'][k])} / "
          f"{fmt(b['external'][k])} | {lay(pcv[k])} | {fmt(c['heldout'][k])} / {fmt(c['external'][k])} |")
    P(f"| **mean** | {fmt(row_means(a, ext_mask)[1])} / {fmt(row_means(a, ext_mask)[2])} | "
      f"{fmt(row_means(b, ext_mask)[1])} / {fmt(row_means(b, ext_mask)[2])} (layer {lay(pcs[0])}) | | "
      f"{fmt(row_means(c, ext_mask)[1])} / {fmt(row_means(c, ext_mask)[2])} |\n")
    P("Per layer, mean over contrasts of suv (CV / held-out / external) — descriptive, not used to choose:\n")
    P("| layer | CV | held-out | external | train-fit |\n|---:|---:|---:|---:|---:|")
    for i in range(len(layers)):
        P(f"| {lay(i)} | {fmt(np.nanmean(base['cv'][i, :, R['suv']]))} | "
          f"{fmt(np.nanmean(base['heldout'][i, :, R['suv']]))} | "
          f"{fmt(np.nanmean(base['external'][i, ext_mask, R['suv']]))} | "
          f"{fmt(np.nanmean(base['train'][i, :, R['suv']]))} |")
    P()

    # ---- variant summary (Q2, Q3 basis, Q4), all with a per-contrast CV layer
    P("## Variants (Q2 population, Q3 basis, Q4 pooling): per-contrast CV-chosen layer, mean over contrasts\n")
    P("Each cell: CV / held-out / external. Layer chosen per contrast and read-out by train CV.\n")
    P("| variant | pool | population | basis | " + " | ".join(READOUTS) + " |\n|---|---|---|---|"
      + "---|" * len(READOUTS))
    for vname, pool, pop, basis in variants:
        res = results[vname]
        cells = []
        for r in READOUTS:
            m = row_means(sel(res, R[r], pick(res, R[r], "cv")), ext_mask)
            cells.append(" / ".join(fmt(x) for x in m))
        P(f"| {vname} | {pool} | {pop} | {basis} | " + " | ".join(cells) + " |")
    pr = results["probe"]
    m = row_means(sel(pr, 0, pick(pr, 0, "cv")), ext_mask)
    P(f"| probe (hidden_mean) | mean | — | — | " + " / ".join(fmt(x) for x in m) + " | | | |\n")

    # per-contrast tables for the read-out suv and suv_std, per variant (held-out / external)
    for r in ("suv", "suv_std"):
        P(f"### Per contrast, read-out {r} (held-out / external), per-contrast CV layer\n")
        P("| variant | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
        for vname, *_ in variants:
            res = results[vname]
            v = sel(res, R[r], pick(res, R[r], "cv"))
            P(f"| {vname} | " + " | ".join(f"{fmt(v['heldout'][k])} / {fmt(v['external'][k])}"
                                           for k in range(len(names))) + " |")
        P()

    # ---- Q3 loss from 64-D to 3-D to (sum,u,v)
    P("## Q3. Signal lost: 64-D perturbation → z (3-D) → (sum,u,v); base variant, per-contrast CV layer\n")
    P("| contrast | lr64 ho / ext | z ho / ext | suv ho / ext | suv_std ho / ext |\n|---|---:|---:|---:|---:|")
    vs = {r: sel(base, R[r], pick(base, R[r], "cv")) for r in READOUTS}
    for k, nm in enumerate(names):
        P(f"| {nm} | " + " | ".join(f"{fmt(vs[r]['heldout'][k])} / {fmt(vs[r]['external'][k])}" for r in READOUTS) + " |")
    P("| **mean** | " + " | ".join(f"{fmt(row_means(vs[r], ext_mask)[1])} / {fmt(row_means(vs[r], ext_mask)[2])}"
                                   for r in READOUTS) + " |\n")

    # ---- Q5 ceiling: probe on hidden_mean vs lr64 at the same layer
    P("## Q5. Ceiling: probe on hidden_mean vs logistic on the 64-D perturbation, same layer\n")
    P("Per contrast at the layer train-CV picks for the probe (held-out / external):\n")
    P("| contrast | layer | probe | lr64 same layer | suv same layer |\n|---|---:|---:|---:|---:|")
    pl = pick(pr, 0, "cv")
    a, b, c = sel(pr, 0, pl), sel(base, R["lr64"], pl), sel(base, R["suv"], pl)
    for k, nm in enumerate(names):
        P(f"| {nm} | {lay(pl[k])} | {fmt(a['heldout'][k])} / {fmt(a['external'][k])} | "
          f"{fmt(b['heldout'][k])} / {fmt(b['external'][k])} | {fmt(c['heldout'][k])} / {fmt(c['external'][k])} |")
    P("| **mean** | | " + " | ".join(f"{fmt(row_means(x, ext_mask)[1])} / {fmt(row_means(x, ext_mask)[2])}"
                                     for x in (a, b, c)) + " |\n")
    hg = results["hgb64"]
    P("Non-linear read-out of the same 64-D perturbation (gradient-boosted trees, no tuning) at lr64's CV layer:"
      f" held-out {fmt(np.nanmean(hg['heldout']))}, external {fmt(np.nanmean(hg['external'][ext_mask]))}; per contrast "
      + ", ".join(f"{nm} {fmt(hg['heldout'][k])} / {fmt(hg['external'][k])}" for k, nm in enumerate(names)) + "\n")
    P("Per layer, mean over contrasts (held-out / external):\n")
    P("| layer | probe | lr64 | z | suv |\n|---:|---:|---:|---:|---:|")
    for i in range(len(layers)):
        cells = [f"{fmt(np.nanmean(pr['heldout'][i, :, 0]))} / {fmt(np.nanmean(pr['external'][i, ext_mask, 0]))}"]
        for r in ("lr64", "z", "suv"):
            cells.append(f"{fmt(np.nanmean(base['heldout'][i, :, R[r]]))} / "
                         f"{fmt(np.nanmean(base['external'][i, ext_mask, R[r]]))}")
        P(f"| {lay(i)} | " + " | ".join(cells) + " |")
    P()

    # ---- combined: per contrast, choose (variant, layer) by CV for the codebook read-outs
    for r in ("suv", "suv_std"):
        P(f"## Combined: per contrast, variant and layer chosen by train CV (read-out {r})\n")
        P("| contrast | chosen | layer | CV | held-out | external |\n|---|---|---:|---:|---:|---:|")
        hs, es, cs = [], [], []
        for k, nm in enumerate(names):
            best = None
            for vname, *_ in variants:
                res = results[vname]
                for i in range(res["cv"].shape[0]):
                    s = round(float(res["cv"][i, k, R[r]]), 6)
                    if best is None or s > best[0]:
                        best = (s, vname, i)
            s, vname, i = best
            res = results[vname]
            h, e = res["heldout"][i, k, R[r]], res["external"][i, k, R[r]]
            hs.append(h); es.append(e); cs.append(s)
            lname = "all (concat)" if vname.startswith("concat") else lay(i)
            P(f"| {nm} | {vname} | {lname} | {fmt(s)} | {fmt(h)} | {fmt(e)} |")
        P(f"| **mean** | | | {fmt(np.mean(cs))} | {fmt(np.mean(hs))} | {fmt(np.nanmean(np.array(es)[ext_mask]))} |\n")


if __name__ == "__main__":
    main()
