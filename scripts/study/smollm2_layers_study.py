#!/usr/bin/env python3
"""SmolLM2-135M-Instruct: concatenating more hidden-state layers than the 8 that the codebook cache holds.

Question: docs/multilayer-study.md compares, on SmolLM2, a probe on the single CV-chosen layer with a probe
on 8 hidden-state layers concatenated (0, 3, 9, 15, 18, 21, 27, 30: the layers in the codebook_study.py
cache). Does the comparison change when all 31 hidden-state layers are available? This script reads the
pooled hidden states (`hidden_mean`) of all 31 layers and compares a one-layer probe that may choose among
all 31 with probes on every 4th layer, every 2nd layer and all 31 layers concatenated (31 x 576 = 17,856
features).

The protocol is that of scripts/study/multilayer_study.py, whose functions this script imports
(build_groups, Std, lr, oof_path, fit_full, flat, fauc): grouped 5-fold CV on the catalog's train split
(twin + family groups) makes every choice, on the contrast's own prompts; the training rows add every 14th
train prompt of the other 14 conditions as background negatives; held-out (catalog split 1) and external
AUCs are only reported. Per contrast (the 5 with an external set):
  baseline31  one layer of all 31 and C in {1e-3, 1e-2, 0.1, 1}, best OOF AUC (ties: smaller C, then lower
              layer)
  baseline8   the same restricted to the 8 cached layers (equals multilayer_study.py's SmolLM2 baseline)
  concat8_doc the 8 cached layers concatenated, C in {1e-4, 1e-3, 1e-2, 0.1} (equals its concat_all)
  concat8     the same, but if the CV chooses C = 0.1, C = 1 (warm-started from 0.1 in each fold) is added
              and the choice is made again (the first maximum wins)
  every4      layers 0, 4, ..., 28 plus 30 (9 layers), C as concat8
  every2      layers 0, 2, ..., 30 (16 layers), C as concat8
  all31       layers 0..30 (31 layers), C as concat8
  cv_k        per contrast, among every4 / every2 / all31 the best OOF AUC (ties: fewer layers)
  cv_any      per contrast, among baseline31 / concat8 / every4 / every2 / all31 the best OOF AUC
The CV path of the concatenations always fits C = 1 after 0.1 (oof_path along the grid plus 1); that
fit only enters the choice when 0.1 wins. The bootstrap interval of the mean (over the 5 contrasts)
external AUC minus concat8's (and concat8_doc's, and baseline31's) comes from 1,000 resamples of the
external prompts, stratified by class and paired across variants, with one numpy default_rng(0) (contrasts
in order; the resamples do not depend on the variants or references).
"Mean CV fit" is the wall time of a CV path divided by its number of fits (per-fold standardization and
scoring included); "mean full fit" is the time of the final fit on all training rows at the chosen C.

Input: the activation files that `extract` writes, read in slices of 64 prompts: --catalog-h5 (built by
`make extract MODEL=smollm2`) and --external-h5 (built by `make evaluate-external`). Their hidden_mean
[n, 31, 576], ids, split and condition of every prompt are cached as .npy files under --data
(<tag>_{hidden,cond,ids,split,conds}.npy, hidden as float32; delete them to read the HDF5 files again).
Each (contrast, variant) job saves its result under <data>/jobs/, so a rerun only recomputes missing jobs
(delete the folder after a change of the script). Markdown tables go to stdout, progress to stderr, every
number to --json.

Example (from the repository root; 25 jobs, about 20 minutes on one core):
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python scripts/study/smollm2_layers_study.py
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import multiprocessing as mp
import sys
import time

import numpy as np
from sklearn.model_selection import GroupKFold

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from multilayer_study import (BOOTSTRAP, BOOTSTRAP_SEED, C_CONCAT, C_LAYER, CONTRASTS, FOLDS,  # noqa: E402
                              HELDOUT_SPLIT, SHORT, TRAIN_SPLIT, auc, build_groups, fauc, fit_full, flat, log,
                              oof_path, training_rows)

ROOT = os.path.dirname(os.path.dirname(HERE))
NAME = os.path.basename(__file__)
C_EXT = 1.0
L8 = [0, 3, 9, 15, 18, 21, 27, 30]
LAYERSETS = {"concat8": L8,
             "every4": list(range(0, 31, 4)) + [30],
             "every2": list(range(0, 31, 2)),
             "all31": list(range(31))}
ROWS = ["baseline8", "baseline31", "concat8_doc", "concat8", "every4", "every2", "all31", "cv_k", "cv_any"]
BUILD = {"catalog": "make extract MODEL=smollm2", "external": "make evaluate-external"}


def flat64(H, layers):
    """The layers of H [n, L, d] concatenated, as a contiguous float64 [n, len(layers) * d]."""
    return np.ascontiguousarray(flat(H, layers), dtype=np.float64)


def timed(fn, *a, **kw):
    t = time.time()
    out = fn(*a, **kw)
    return out, time.time() - t


# ---------------------------------------------------------------------------------------------------- data

def read_h5(ddir, h5):
    """hidden_mean, ids, split of every condition (sorted by name, file row order), read 64 prompts at a time,
    saved as <ddir>/<tag>_{hidden,cond,ids,split,conds}.npy (hidden as float32). Skipped if already there."""
    todo = {tag: path for tag, (path, _) in h5.items() if not os.path.exists(f"{ddir}/{tag}_conds.npy")}
    for tag, path in todo.items():
        if not os.path.exists(path):
            sys.exit(f"{NAME}: no {path} ({h5[tag][1]}); build it with: {BUILD[tag]}")
    os.makedirs(ddir, exist_ok=True)
    if todo:
        import h5py
    for tag, path in todo.items():
        with h5py.File(path, "r") as h:
            g = h["conditions"]
            conds = sorted(g.keys())
            Hs, cond, ids, split = [], [], [], []
            for ci, c in enumerate(conds):
                d = g[c]["hidden_mean"]
                a = np.empty(d.shape, np.float32)
                for s in range(0, d.shape[0], 64):
                    a[s:s + 64] = d[s:s + 64]
                Hs.append(a)
                cond += [ci] * d.shape[0]
                ids += [x.decode() if isinstance(x, bytes) else str(x) for x in g[c]["ids"][:]]
                split.append(g[c]["split"][:])
        np.save(f"{ddir}/{tag}_hidden.npy", np.concatenate(Hs))
        np.save(f"{ddir}/{tag}_cond.npy", np.array(cond, np.int64))
        np.save(f"{ddir}/{tag}_ids.npy", np.array(ids))
        np.save(f"{ddir}/{tag}_split.npy", np.concatenate(split))
        np.save(f"{ddir}/{tag}_conds.npy", np.array(conds))
        log(f"read {path} -> {ddir}/{tag}_*.npy")


_D = {}


def data(ddir, groups_json):
    if not _D:
        for tag in ("catalog", "external"):
            _D[tag] = dict(H=np.load(f"{ddir}/{tag}_hidden.npy", mmap_mode="r"),
                           cond=np.load(f"{ddir}/{tag}_cond.npy"), ids=np.load(f"{ddir}/{tag}_ids.npy"),
                           split=np.load(f"{ddir}/{tag}_split.npy"),
                           conds=list(np.load(f"{ddir}/{tag}_conds.npy")))
        c = _D["catalog"]
        c["groups"] = build_groups(list(c["ids"]), groups_json)
    return _D


def contrast_data(ddir, groups_json, cname):
    """Training rows (positives, negatives, background), folds, held-out and external rows of one contrast,
    chosen as in multilayer_study.run_model."""
    D = data(ddir, groups_json)
    c, e = D["catalog"], D["external"]
    _, pos, neg = next(t for t in CONTRASTS if t[0] == cname)
    conds, cond, ids, split = c["conds"], c["cond"], c["ids"], c["split"]
    ip, ineg = conds.index(pos), conds.index(neg)
    P, N, B, idx, y, isc = training_rows(conds, cond, ids, split, pos, neg)
    grp = c["groups"][idx]
    folds = list(GroupKFold(FOLDS).split(idx, y, grp))
    hmask = np.where((split == HELDOUT_SPLIT) & ((cond == ip) | (cond == ineg)))[0]
    yh = (cond[hmask] == ip).astype(int)
    ec = e["conds"]
    emask = np.where((e["cond"] == ec.index(pos)) | (e["cond"] == ec.index(neg)))[0]
    ye = (e["cond"][emask] == ec.index(pos)).astype(int)
    Htr = np.asarray(c["H"][idx])            # float32 [n, 31, 576]
    Hh = np.asarray(c["H"][hmask])
    He = np.asarray(e["H"][emask])
    info = dict(n_train=int(len(y)), n_pos=int(len(P)), n_neg=int(len(N)), n_bg=int(len(B)),
                n_groups_contrast=int(len(np.unique(grp[isc]))), n_heldout=int(len(yh)),
                n_ext_pos=int(ye.sum()), n_ext_neg=int((1 - ye).sum()))
    return Htr, y, isc, folds, Hh, yh, He, ye, info


# ---------------------------------------------------------------------------------------------------- jobs

def job(args):
    ddir, groups_json, cname, variant = args
    path = f"{ddir}/jobs/{cname}__{variant}.npz"
    if os.path.exists(path):
        return path
    t0 = time.time()
    Htr, y, isc, folds, Hh, yh, He, ye, info = contrast_data(ddir, groups_json, cname)
    yc = y[isc]
    res, ext_scores = {}, {}

    def record(key, oof, fn, extra):
        sh, se = fn(Hh), fn(He)
        ext_scores[key] = se.astype(np.float32)
        res[key] = dict(oof=auc(yc, oof[isc]), heldout=auc(yh, sh), external=auc(ye, se), **extra)

    if variant == "baseline":
        L = Htr.shape[1]
        layer_oof = np.zeros((L, len(C_LAYER), len(y)))
        layer_auc = np.zeros((L, len(C_LAYER)))
        secs = 0.0
        for l in range(L):
            layer_oof[l], dt = timed(oof_path, Htr[:, l, :].astype(np.float64), y, folds, C_LAYER)
            secs += dt
            for k in range(len(C_LAYER)):
                layer_auc[l, k] = auc(yc, layer_oof[l, k][isc])
        n_fits = L * len(folds) * len(C_LAYER)
        for key, cand in (("baseline31", list(range(L))), ("baseline8", L8)):
            best = max((layer_auc[l, k], -k, -l) for l in cand for k in range(len(C_LAYER)))
            lb, kb = -best[2], -best[1]
            f, tfull = timed(fit_full, Htr[:, lb, :].astype(np.float64), y, C_LAYER[kb])
            record(key, layer_oof[lb, kb], (lambda f, lb: lambda Z: f(Z[:, lb, :].astype(np.float64)))(f, lb),
                   dict(layer=int(lb), C=C_LAYER[kb], cv_fit_secs=secs / n_fits, n_cv_fits=n_fits,
                        full_fit_secs=tfull))
        res["_layer_oof_auc"] = layer_auc.max(1).round(4).tolist()
    else:
        lays = LAYERSETS[variant]
        X = flat64(Htr, lays)
        Cs = C_CONCAT + [C_EXT]
        out, secs = timed(oof_path, X, y, folds, Cs)
        grid_auc = [auc(yc, out[k][isc]) for k in range(len(Cs))]
        k_doc = int(np.argmax(grid_auc[:len(C_CONCAT)]))  # first max -> smaller C
        if k_doc < len(C_CONCAT) - 1:
            grid_auc = grid_auc[:len(C_CONCAT)]  # C = 1 enters only when 0.1 wins
        k_ext = int(np.argmax(grid_auc))
        fits = {k: timed(fit_full, X, y, Cs[k]) for k in sorted({k_doc, k_ext})}
        common = dict(layers=lays, n_features=int(X.shape[1]), grid_oof_auc=[round(a, 5) for a in grid_auc],
                      cv_fit_secs=secs / (len(folds) * len(Cs)), n_cv_fits=len(folds) * len(Cs))
        for key, k in ((variant + "_doc", k_doc), (variant, k_ext)):
            f, tfull = fits[k]
            record(key, out[k], (lambda f: lambda Z: f(flat64(Z, lays)))(f),
                   dict(C=Cs[k], full_fit_secs=tfull, **common))
    res["_info"] = dict(info, secs=round(time.time() - t0, 1))
    os.makedirs(f"{ddir}/jobs", exist_ok=True)
    np.savez(path + ".tmp.npz", res=json.dumps(res), ye=ye.astype(np.int8),
             **{"ext_" + k: v for k, v in ext_scores.items()})
    os.replace(path + ".tmp.npz", path)
    log(f"{cname} {variant}: {res['_info']['secs']}s " +
        " ".join(f"{k}:{v['oof']:.3f}/{v['heldout']:.3f}/{v['external']:.3f} C={v['C']}"
                 for k, v in res.items() if not k.startswith("_")))
    return path


# -------------------------------------------------------------------------------------------------- report

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--catalog-h5", default=os.path.join(ROOT, "work", "SmolLM2-135M-Instruct", "activations.h5"),
                    help="SmolLM2's activations of the catalog (default <repo>/work/SmolLM2-135M-Instruct/"
                         "activations.h5)")
    ap.add_argument("--external-h5",
                    default=os.path.join(ROOT, "work", "external", "SmolLM2-135M-Instruct", "activations.h5"),
                    help="SmolLM2's activations of the external sets (default <repo>/work/external/"
                         "SmolLM2-135M-Instruct/activations.h5)")
    ap.add_argument("--data", default="/tmp/codebook-study-cache/smollm2-layers",
                    help="cache of the hidden states read from the HDF5 files and of the per-job results "
                         "(default %(default)s)")
    ap.add_argument("--groups", default=os.path.join(ROOT, "conditions", "groups.json"),
                    help="twin and family of every catalog prompt (default <repo>/conditions/groups.json)")
    ap.add_argument("--variants", default="all31,every2,concat8,every4,baseline",
                    help="jobs, in the order they are started (default %(default)s)")
    ap.add_argument("--workers", type=int, default=1, help="worker processes (default %(default)s)")
    ap.add_argument("--json", default=None, help="write all numbers here (default <data>/results.json)")
    args = ap.parse_args()
    if not os.path.exists(args.groups):
        sys.exit(f"{NAME}: no {args.groups} (--groups)")
    variants = args.variants.split(",")
    read_h5(args.data, {"catalog": (args.catalog_h5, "--catalog-h5"),
                        "external": (args.external_h5, "--external-h5")})
    jobs = [(args.data, args.groups, c, v) for v in variants for c, _, _ in CONTRASTS]
    t0 = time.time()
    if args.workers > 1:
        with mp.get_context("fork").Pool(args.workers) as pool:
            paths = pool.map(job, jobs, chunksize=1)
    else:
        paths = [job(j) for j in jobs]
    log(f"jobs done in {time.time() - t0:.0f}s")

    CN = [c for c, _, _ in CONTRASTS]
    R = {c: {} for c in CN}
    S = {c: {} for c in CN}
    Y = {}
    for (_, _, c, v), p in zip(jobs, paths):
        z = np.load(p)
        r = json.loads(str(z["res"]))
        Y[c] = z["ye"].astype(int)
        for k, val in r.items():
            if k == "_info":
                R[c].setdefault("_info", val)
                R[c].setdefault("_secs", {})[v] = val["secs"]
            elif k.startswith("_"):
                R[c][k] = val
            else:
                R[c][k] = val
                S[c][k] = z["ext_" + k]
    have = [v for v in ROWS if all(v in R[c] for c in CN)]
    kset = [v for v in ("every4", "every2", "all31") if v in have]  # ties -> fewer layers (earlier)
    anyset = [v for v in ("baseline31", "concat8", "every4", "every2", "all31") if v in have]
    for tag, cands in (("cv_k", kset), ("cv_any", anyset)):
        if not cands:
            continue
        for c in CN:
            pick = max(cands, key=lambda v: (round(R[c][v]["oof"], 6), -cands.index(v)))
            R[c][tag] = dict(R[c][pick], picked=pick)
            S[c][tag] = S[c][pick]
        have.append(tag)
    rows = [v for v in ROWS if v in have]

    P = print
    P("# SmolLM2-135M-Instruct: more layers in the concatenated hidden-space probe\n")
    i = R[CN[0]]["_info"]
    P(f"Train rows per contrast {i['n_train']} ({i['n_pos']}+{i['n_neg']}+{i['n_bg']} background), "
      f"held-out {i['n_heldout']}. External pos/neg: " +
      ", ".join(f"{SHORT[c]} {R[c]['_info']['n_ext_pos']}/{R[c]['_info']['n_ext_neg']}" for c in CN) + ".\n")
    m = {v: [np.mean([R[c][v][k] for c in CN]) for k in ("oof", "heldout", "external")] for v in rows}
    P("| variant | features | OOF AUC | held-out AUC | external AUC | mean CV fit (s) | mean full fit (s) |")
    P("|---|---:|---:|---:|---:|---:|---:|")
    for v in rows:
        feats = R[CN[0]][v].get("n_features", 576)
        cvs = np.mean([R[c][v]["cv_fit_secs"] for c in CN])
        ffs = np.mean([R[c][v]["full_fit_secs"] for c in CN])
        P(f"| {v} | {feats if not v.startswith('cv_') else '-'} | " + " | ".join(f"{x:.3f}" for x in m[v]) +
          (f" | {cvs:.2f} | {ffs:.2f} |" if not v.startswith("cv_") else " | - | - |"))

    P("\nAUC per contrast: OOF / held-out / external (C chosen)\n")
    P("| variant | " + " | ".join(SHORT[c] for c in CN) + " |\n|---" + "|---:" * len(CN) + "|")
    for v in rows:
        cells = []
        for c in CN:
            r = R[c][v]
            extra = f" (C {r['C']:g}" + (f", L{r['layer']}" if "layer" in r else "") + \
                    (f", {r['picked']}" if "picked" in r else "") + ")"
            cells.append(f"{r['oof']:.3f}/{r['heldout']:.3f}/{r['external']:.3f}{extra}")
        P(f"| {v} | " + " | ".join(cells) + " |")

    # bootstrap vs concat8, concat8_doc and baseline31 (the resamples do not depend on the references)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    refs = [r for r in ("concat8", "concat8_doc", "baseline31") if r in rows]
    deltas = {(ref, v): np.zeros(BOOTSTRAP) for ref in refs for v in rows}
    for c in CN:
        y = Y[c]
        pos, neg = np.where(y == 1)[0], np.where(y == 0)[0]
        for b in range(BOOTSTRAP):
            ix = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
            yb = y[ix]
            a = {v: fauc(yb, S[c][v][ix]) for v in rows}
            for ref in refs:
                for v in rows:
                    deltas[(ref, v)][b] += (a[v] - a[ref]) / len(CN)
    boot = {}
    CN4 = [c for c in CN if not c.startswith("code_violated")]
    for ref in refs:
        P(f"\nMean external AUC minus {ref}'s (95% paired stratified bootstrap, {BOOTSTRAP}x, seed "
          f"{BOOTSTRAP_SEED}); OOF wins = contrasts where the variant's OOF AUC > {ref}'s\n")
        P("| variant | OOF wins | Δ OOF mean | Δ held-out mean | Δ external | 95% interval | "
          "Δ ext. without code_violated |")
        P("|---|---:|---:|---:|---:|---:|---:|")
        for v in rows:
            if v == ref:
                continue
            d = deltas[(ref, v)]
            point = np.mean([R[c][v]["external"] - R[c][ref]["external"] for c in CN])
            lo, hi = np.percentile(d, 2.5), np.percentile(d, 97.5)
            wins = sum(R[c][v]["oof"] > R[c][ref]["oof"] for c in CN)
            doof = np.mean([R[c][v]["oof"] - R[c][ref]["oof"] for c in CN])
            dho = np.mean([R[c][v]["heldout"] - R[c][ref]["heldout"] for c in CN])
            nocv = np.mean([R[c][v]["external"] - R[c][ref]["external"] for c in CN4])
            boot[f"{v}-{ref}"] = dict(delta=float(point), lo=float(lo), hi=float(hi), oof_wins=int(wins))
            P(f"| {v} | {wins} of {len(CN)} | {doof:+.4f} | {dho:+.4f} | {point:+.3f} | [{lo:+.3f}, {hi:+.3f}] | "
              f"{nocv:+.3f} |")
    P("\nPer-contrast OOF difference to concat8 (✓ if > 0) / external difference\n")
    P("| variant | " + " | ".join(SHORT[c] for c in CN) + " |\n|---" + "|---:" * len(CN) + "|")
    for v in rows:
        if v == "concat8":
            continue
        cells = []
        for c in CN:
            do = R[c][v]["oof"] - R[c]["concat8"]["oof"]
            de = R[c][v]["external"] - R[c]["concat8"]["external"]
            cells.append(f"{'✓' if do > 0 else '✗'} {do:+.4f} / {de:+.3f}")
        P(f"| {v} | " + " | ".join(cells) + " |")
    P("\nBest OOF AUC per layer (max over C), layers 0..30:")
    for c in CN:
        if "_layer_oof_auc" in R[c]:
            P(f"- {SHORT[c]}: " + " ".join(f"{a:.3f}" for a in R[c]["_layer_oof_auc"]))
    P("\nConcat grids (OOF AUC at C = 1e-4, 1e-3, 1e-2, 0.1[, 1]):")
    for v in ("concat8", "every4", "every2", "all31"):
        if v in rows:
            P(f"- {v} (layers {R[CN[0]][v]['layers']}): " +
              "; ".join(f"{SHORT[c]} " + " ".join(f"{a:.4f}" for a in R[c][v]["grid_oof_auc"]) for c in CN))
    P("\nJob wall times (s, data loading included): " + "; ".join(
        f"{SHORT[c]} " + ", ".join(f"{v} {s}" for v, s in R[c]["_secs"].items()) for c in CN) +
      f". Total {time.time() - t0:.0f} s with {args.workers} worker process(es).")
    out_json = args.json or os.path.join(args.data, "results.json")
    with open(out_json, "w") as f:
        json.dump(dict(results=R, bootstrap=boot,
                       versions=dict(numpy=np.__version__, sklearn=__import__("sklearn").__version__,
                                     scipy=__import__("scipy").__version__)), f, indent=1, default=float)
    log(f"wrote {out_json}")


if __name__ == "__main__":
    main()
