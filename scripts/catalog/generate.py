#!/usr/bin/env python3
"""Builds the default condition catalog `conditions/` from the hand-written seed material in seeds/.

    python3 scripts/catalog/generate.py          # rewrite conditions/*.jsonl and conditions/catalog.json
    python3 scripts/catalog/generate.py --check  # exit 1 if the committed files differ from a fresh build

Standard library only; deterministic (every random draw comes from a generator seeded by the contrast's
name), so the committed output is exactly what this script produces.

Each seed module yields *candidates*: minimal pairs (positive text, negative text) that share topic,
frame and length, plus the keys the split is drawn over. This script then, per contrast:

1. Split. Each of the candidates' `primary` values (topics, tools, actions, code concepts…) is held
   out when a stable hash of it falls in the lowest 30 % of the hash range, so about 30 % are (seed
   modules can ask, see `primary_is_held_out`). Independently, 20 % of the values of every
   `secondary` namespace (templates, frames, documents, with at least 5 values) are *held-out-only*.
   A candidate is train when its primary and all its secondaries are train; held-out when its
   primary is held out (whatever its secondaries); otherwise it is dropped. A candidate that also
   uses other primary units (`related`: a second tool, a second action) is kept only when they are
   all in its split. So every held-out prompt has an unseen topic, and some also an unseen template:
   held-out AUC measures generalization, not recall.
2. Select. Candidates are taken round-robin over primary values (one per value per round, in a seeded
   order) so every topic contributes before any contributes twice, held-out first, until there are 220
   held-out and 800 train pairs.
3. Deduplicate while selecting. A pair is refused when either text is longer than 215 word and
   punctuation tokens (so it fits extract's --max-tokens 256 whole); an exact duplicate (after case
   and whitespace folding) of any text already in the catalog, any condition; or a near-duplicate
   (Jaccard similarity of word 3-shingles > 0.8) of a text already selected on the same side; or a
   near-duplicate of an already selected text of the *other* side (only its own partner may be that
   close: that is the minimal pair).
4. Write. Pairs are shuffled (seeded) and numbered; pair i is `<positive>-000i` and `<negative>-000i`,
   both with the pair's split. `groups.json` maps every id to its template family, its topic (the
   primary unit) and its twin (the partner's id, or null when the negative is an unrelated text; see
   Candidate.twin), for grouped cross-validation; prompts themselves keep only SPEC §2's keys. Before
   anything is written, `verify` checks on the output that no topic is in both splits of a contrast
   and that twins share their split.

Each contrast reads its v1 seed module and its *_v2 module (CONTRASTS below); seeds/formats.py holds
the containers and registers the v2 modules apply to both members of a pair.
"""
from __future__ import annotations

import argparse
import importlib
import json
import pathlib
import re
import sys
from dataclasses import dataclass

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from common import Candidate, rng_for, stable_hash  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "conditions"

# SPEC §2, in its order: (contrast, positive, negative, seed modules). The v1 module's material is kept;
# the *_v2 module widens it (topics, registers, lengths, formats).
CONTRASTS = [
    ("self_ref_vs_other_ref", "self_ref", "other_ref", ("self_ref", "self_ref_v2")),
    ("violated_vs_expected", "violated", "expected", ("violated", "violated_v2")),
    ("code_violated_vs_code_expected", "code_violated", "code_expected", ("code", "code_v2")),
    ("instruction_vs_data", "instruction", "data", ("instruction", "instruction_v2")),
    ("tool_call_vs_natural_language", "tool_call", "natural_language", ("tool_call", "tool_call_v2")),
    ("uncertain_vs_confident", "uncertain", "confident", ("uncertain", "uncertain_v2")),
    ("harmful_vs_harmless", "harmful", "harmless", ("harmful", "harmful_v2")),
    ("injection_vs_benign_instruction", "injection", "benign_instruction", ("injection", "injection_v2")),
]

TRAIN_PER_CONDITION = 800
HELDOUT_PER_CONDITION = 220
HELDOUT_PRIMARY_FRACTION = 0.30
HELDOUT_ONLY_SECONDARY_FRACTION = 0.20
MIN_SECONDARY_VALUES = 5
NEAR_DUPLICATE_JACCARD = 0.8
# A text longer than this many word and punctuation tokens is refused. all-MiniLM-L6-v2's WordPiece
# gave at most 1.1 tokens per such token on the long texts of this catalog (HTML and JSON documents,
# measured with the tokenizers library), so 215 keeps every prompt inside extract's default
# --max-tokens 256 and no injected line at a document's end is cut off.
MAX_TOKEN_ESTIMATE = 215
SHINGLE = 3


# MARK: - Similarity


def normalized(text: str) -> str:
    return " ".join(text.lower().split())


def shingles(text: str) -> frozenset:
    """Word 3-shingles over lower-cased word and punctuation tokens (punctuation matters in code)."""
    tokens = re.findall(r"\w+|[^\w\s]", text.lower())
    if len(tokens) < SHINGLE:
        return frozenset([tuple(tokens)])
    return frozenset(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def token_estimate(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


class SimilarityIndex:
    """Texts selected so far on one side; answers "is this too close to any of them?".

    An inverted index from shingle to texts keeps the check to the texts that share a shingle.
    """

    def __init__(self) -> None:
        self.sets: list[frozenset] = []
        self.by_shingle: dict[tuple, list[int]] = {}

    def closest(self, candidate: frozenset, skip: int | None = None) -> float:
        counts: dict[int, int] = {}
        for s in candidate:
            for i in self.by_shingle.get(s, ()):
                counts[i] = counts.get(i, 0) + 1
        best = 0.0
        for i, shared in counts.items():
            if i == skip:
                continue
            union = len(candidate) + len(self.sets[i]) - shared
            best = max(best, shared / union)
        return best

    def add(self, s: frozenset) -> int:
        self.sets.append(s)
        index = len(self.sets) - 1
        for x in s:
            self.by_shingle.setdefault(x, []).append(index)
        return index


# MARK: - Split and selection


@dataclass
class Selected:
    candidate: Candidate
    split: str


def held_out_values(values: set[str], fraction: float, salt: str) -> set[str]:
    ordered = sorted(values, key=lambda v: (stable_hash(salt + "|" + v), v))
    return set(ordered[: round(fraction * len(ordered))])


def primary_is_held_out(contrast: str):
    """Whether a primary value is held out: a stable hash of the value, so seed modules can ask before
    they combine several units into one text (see Candidate.related)."""
    return lambda value: stable_hash(f"{contrast}/primary|{value}") % 1000 < HELDOUT_PRIMARY_FRACTION * 1000


def assign_splits(contrast: str, candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate], dict]:
    primaries = {c.primary for c in candidates} | {r for c in candidates for r in c.related}
    is_held = primary_is_held_out(contrast)
    held_primary = {v for v in primaries if is_held(v)}
    namespaces: dict[str, set[str]] = {}
    for c in candidates:
        for key in c.secondary:
            namespace = key.split(":", 1)[0]
            namespaces.setdefault(namespace, set()).add(key)
    held_secondary: set[str] = set()
    for namespace, values in sorted(namespaces.items()):
        if len(values) >= MIN_SECONDARY_VALUES:
            held_secondary |= held_out_values(values, HELDOUT_ONLY_SECONDARY_FRACTION, contrast + "/" + namespace)
    train, heldout = [], []
    for c in candidates:
        if c.primary in held_primary:
            if all(r in held_primary for r in c.related):
                heldout.append(c)
        elif not any(key in held_secondary for key in c.secondary) and not any(r in held_primary for r in c.related):
            train.append(c)
    stats = {
        "primaries": len(primaries),
        "heldout_primaries": len(held_primary),
        "secondary_namespaces": {ns: len(v) for ns, v in sorted(namespaces.items())},
        "heldout_only_secondaries": sorted(held_secondary),
    }
    return train, heldout, stats


def round_robin(candidates: list[Candidate], rng) -> list[Candidate]:
    """Interleaves candidates so each primary value contributes once per round, in a seeded order."""
    groups: dict[str, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.primary, []).append(c)
    keys = sorted(groups)
    rng.shuffle(keys)
    for key in keys:
        rng.shuffle(groups[key])
    out: list[Candidate] = []
    depth = 0
    while len(out) < len(candidates):
        for key in keys:
            if depth < len(groups[key]):
                out.append(groups[key][depth])
        depth += 1
    return out


class Selector:
    """Selects pairs for one contrast, refusing duplicates and near-duplicates (rule 3 above)."""

    def __init__(self, global_texts: dict[str, str]) -> None:
        self.global_texts = global_texts  # normalized text -> where it is used
        self.positive = SimilarityIndex()
        self.negative = SimilarityIndex()
        self.selected: list[Selected] = []
        self.refused = {"exact": 0, "near_same_side": 0, "near_cross_side": 0, "pair_identical": 0, "too_long": 0}

    def offer(self, c: Candidate, split: str, label: str) -> bool:
        if max(token_estimate(c.positive), token_estimate(c.negative)) > MAX_TOKEN_ESTIMATE:
            self.refused["too_long"] += 1
            return False
        if normalized(c.positive) == normalized(c.negative):
            self.refused["pair_identical"] += 1
            return False
        if normalized(c.positive) in self.global_texts or normalized(c.negative) in self.global_texts:
            self.refused["exact"] += 1
            return False
        sp, sn = shingles(c.positive), shingles(c.negative)
        if self.positive.closest(sp) > NEAR_DUPLICATE_JACCARD or self.negative.closest(sn) > NEAR_DUPLICATE_JACCARD:
            self.refused["near_same_side"] += 1
            return False
        if self.negative.closest(sp) > NEAR_DUPLICATE_JACCARD or self.positive.closest(sn) > NEAR_DUPLICATE_JACCARD:
            self.refused["near_cross_side"] += 1
            return False
        self.positive.add(sp)
        self.negative.add(sn)
        self.global_texts[normalized(c.positive)] = label
        self.global_texts[normalized(c.negative)] = label
        self.selected.append(Selected(c, split))
        return True

    def fill(self, pool: list[Candidate], split: str, count: int, label: str) -> int:
        taken = 0
        for c in pool:
            if taken == count:
                break
            if self.offer(c, split, label):
                taken += 1
        return taken


# MARK: - Build


def family_of(c: Candidate) -> str:
    return c.family or (c.secondary[0] if c.secondary else c.primary.split(":", 1)[0])


def build_contrast(name: str, positive: str, negative: str, modules: tuple[str, ...], global_texts: dict[str, str]):
    rng = rng_for(name)
    candidates: list[Candidate] = []
    for module in modules:
        candidates += importlib.import_module(f"seeds.{module}").candidates(rng, primary_is_held_out(name))
    train, heldout, stats = assign_splits(name, candidates)
    selector = Selector(global_texts)
    got_heldout = selector.fill(round_robin(heldout, rng), "heldout", HELDOUT_PER_CONDITION, name)
    got_train = selector.fill(round_robin(train, rng), "train", TRAIN_PER_CONDITION, name)
    if got_heldout < HELDOUT_PER_CONDITION or got_train < TRAIN_PER_CONDITION:
        raise SystemExit(
            f"{name}: only {got_train} train / {got_heldout} held-out pairs survive "
            f"(from {len(train)} / {len(heldout)} candidates; refused {selector.refused}); write more seed material"
        )
    pairs = selector.selected
    rng.shuffle(pairs)
    stats.update(
        candidates=len(candidates),
        train_pool=len(train),
        heldout_pool=len(heldout),
        refused=selector.refused,
        distinct_primaries_used={
            split: len({p.candidate.primary for p in pairs if p.split == split}) for split in ("train", "heldout")
        },
        distinct_families_used={
            split: len({family_of(p.candidate) for p in pairs if p.split == split}) for split in ("train", "heldout")
        },
        twins={split: sum(p.candidate.twin for p in pairs if p.split == split) for split in ("train", "heldout")},
    )
    lines = {positive: [], negative: []}
    groups: dict[str, dict] = {}
    for i, pair in enumerate(pairs, start=1):
        c = pair.candidate
        ids = {positive: f"{positive}-{i:04d}", negative: f"{negative}-{i:04d}"}
        for condition, text in ((positive, c.positive), (negative, c.negative)):
            row = {"id": ids[condition], "text": text, "split": pair.split}
            lines[condition].append(json.dumps(row, ensure_ascii=False))
            partner = ids[negative] if condition == positive else ids[positive]
            groups[ids[condition]] = {"family": family_of(c), "topic": c.primary, "twin": partner if c.twin else None}
    return lines, stats, groups


def verify(files: dict[str, str], groups: dict[str, dict]) -> None:
    """The split rules, checked on the output rather than trusted: every prompt has a group entry; a
    twin is in the same split; within a contrast no topic is in both splits. Raises on a violation."""
    rows = {}
    for name, text in files.items():
        if name.endswith(".jsonl"):
            for line in text.splitlines():
                row = json.loads(line)
                rows[row["id"]] = row
    if set(rows) != set(groups):
        raise SystemExit(f"groups.json and the catalog disagree on {len(set(rows) ^ set(groups))} ids")
    for _, positive, negative, _ in CONTRASTS:
        splits_of_topic: dict[str, set[str]] = {}
        for pid, group in groups.items():
            if not (pid.startswith(positive + "-") or pid.startswith(negative + "-")):
                continue
            splits_of_topic.setdefault(group["topic"], set()).add(rows[pid]["split"])
            if group["twin"] is not None and rows[group["twin"]]["split"] != rows[pid]["split"]:
                raise SystemExit(f"{pid} and its twin {group['twin']} are in different splits")
        crossing = sorted(topic for topic, splits in splits_of_topic.items() if len(splits) > 1)
        if crossing:
            raise SystemExit(f"{positive}/{negative}: topics in both splits: {crossing[:5]}")


def datasheet_table(files: dict[str, str]) -> str:
    """The counts table of conditions/README.md, from the generated files."""
    out = ["| condition | prompts | train | heldout | median words | range |", "|---|---|---|---|---|---|"]
    for _, positive, negative, _ in CONTRASTS:
        for condition in (positive, negative):
            rows = [json.loads(line) for line in files[f"{condition}.jsonl"].splitlines()]
            lengths = sorted(len(r["text"].split()) for r in rows)
            held = sum(r["split"] == "heldout" for r in rows)
            out.append(f"| `{condition}` | {len(rows)} | {len(rows) - held} | {held} | {lengths[len(lengths) // 2]} | {lengths[0]}–{lengths[-1]} |")
    return "\n".join(out)


def build() -> tuple[dict[str, str], dict]:
    files: dict[str, str] = {}
    report: dict = {}
    global_texts: dict[str, str] = {}
    groups: dict[str, dict] = {}
    for name, positive, negative, modules in CONTRASTS:
        lines, stats, contrast_groups = build_contrast(name, positive, negative, modules, global_texts)
        for condition, rows in lines.items():
            files[f"{condition}.jsonl"] = "\n".join(rows) + "\n"
        groups.update(contrast_groups)
        report[name] = stats
    # groups.json: not read by extract (SPEC §2 refuses unknown keys in a prompt), so the grouping lives
    # beside the catalog. One line per prompt keeps diffs readable.
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(groups[k], ensure_ascii=False)}" for k in sorted(groups))
    files["groups.json"] = '{"format_version": 1, "groups": {\n' + body + "\n}}\n"
    verify(files, groups)
    catalog = {
        "format_version": 1,
        "contrasts": [{"name": n, "positive": p, "negative": q} for n, p, q, _ in CONTRASTS],
    }
    files["catalog.json"] = json.dumps(catalog, indent=2) + "\n"
    return files, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    parser.add_argument("--stats", action="store_true", help="print split and deduplication statistics")
    parser.add_argument("--table", action="store_true", help="print the datasheet's counts table (writes nothing)")
    parser.add_argument("--only", help="build one contrast and print sample pairs (writes nothing)")
    parser.add_argument("--sample", type=int, default=12, help="pairs to print with --only")
    args = parser.parse_args()
    if args.only:
        row = next(r for r in CONTRASTS if r[0] == args.only or args.only in r[3])
        lines, stats, _ = build_contrast(*row, global_texts={})
        print(json.dumps(stats, indent=1))
        positives, negatives = lines[row[1]], lines[row[2]]
        for i in rng_for("sample").sample(range(len(positives)), min(args.sample, len(positives))):
            p, n = json.loads(positives[i]), json.loads(negatives[i])
            print(f"--- {p['id']} [{p['split']}]\n+ {p['text']}\n- {n['text']}")
        return 0
    files, report = build()
    if args.table:
        print(datasheet_table(files))
        return 0
    if args.stats:
        print(json.dumps(report, indent=1))
    if args.check:
        stale = [n for n, text in files.items() if not (OUT / n).exists() or (OUT / n).read_text() != text]
        if stale:
            print(f"conditions/ is out of date: {', '.join(sorted(stale))}; run scripts/catalog/generate.py", file=sys.stderr)
            return 1
        print("conditions/ matches the generator")
        return 0
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text)
    print(f"wrote {len(files)} files to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
