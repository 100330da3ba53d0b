#!/usr/bin/env python3
"""Does a buggy program surprise the detector more than its fix? (docs/transfer-study.md, section 14)

SmolLM2-135M-Instruct is a language model: besides its hidden states it predicts each next token. A bug
(`n ^= n - 1` for `n &= n - 1`, `a - b` for `a + b`) is often an unlikely token. This script scores each
program by its per-token surprise (the negative log-likelihood of each token given the ones before it,
in nats), with three statistics fixed before any run: the mean over the program's tokens, the maximum,
and the mean of the 5 largest; and two added after that run, the maximum and the mean of the 5 largest
of the excess surprise (surprise minus the entropy of the model's prediction at that token: a token the
model was sure of and did not get, as bug-localization studies of code naturalness read it). For each
it prints
- the AUC of buggy (positive) against fixed programs, as `evaluate` scores a contrast: one program at a
  time, which is all a screen sees;
- the paired win rate: the share of pairs whose buggy version scores higher than its own fix (ties
  half), which asks whether the signal exists at all, beside the differences between programs.

On the external code contrast (QuixBugs, code only; `work/external/catalog`, `make evaluate-external`
builds it) and on our catalog's held-out code pairs (`conditions/`). Nothing is fitted or kept.

The reference implementation of the GGUF file is llama.cpp, through `llama-cpp-python` (PyPI; it
compiles llama.cpp, about 10 minutes on 2 cores), in a virtual environment outside the repository:

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install llama-cpp-python numpy scikit-learn
  /tmp/venv/bin/python scripts/study/code_surprise.py        # about 4 minutes on 2 cores
"""
import argparse
import json
import os

import numpy as np
from llama_cpp import Llama
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATISTICS = ("mean", "max", "top5", "excess max", "excess top5")


class Surprise:
    def __init__(self, model):
        self.llm = Llama(model_path=model, n_ctx=4096, logits_all=True, verbose=False, n_threads=os.cpu_count())

    def per_token(self, text):
        """The negative log-likelihood of every token after the first (BOS), and the entropy of the
        model's prediction of it, in nats."""
        tokens = self.llm.tokenize(text.encode(), add_bos=True, special=False)
        self.llm.reset()
        self.llm.eval(tokens)
        logits = np.array(self.llm.scores[:len(tokens) - 1], dtype=np.float64)   # row i predicts token i+1
        top = logits.max(1, keepdims=True)
        log_probabilities = logits - top - np.log(np.exp(logits - top).sum(1, keepdims=True))
        surprise = -log_probabilities[np.arange(len(tokens) - 1), tokens[1:]]
        entropy = -(np.exp(log_probabilities) * log_probabilities).sum(1)
        return surprise, entropy

    def statistics(self, text):
        surprise, entropy = self.per_token(text)
        ranked = np.sort(surprise)[::-1]
        # A token the model was sure of and did not get: surprise beyond what it expected there.
        excess = np.sort(surprise - entropy)[::-1]
        return {"mean": surprise.mean(), "max": ranked[0], "top5": ranked[:5].mean(),
                "excess max": excess[0], "excess top5": excess[:5].mean()}


def prompts(path, split=None):
    with open(path) as lines:
        rows = [json.loads(line) for line in lines]
    return {row["id"].rsplit("-", 1)[1]: row["text"] for row in rows if split is None or row["split"] == split}


def report(name, surprise, positives, negatives):
    """Buggy and fixed programs keyed by their pair's number."""
    buggy = {k: surprise.statistics(t) for k, t in positives.items()}
    fixed = {k: surprise.statistics(t) for k, t in negatives.items()}
    pairs = sorted(set(buggy) & set(fixed))
    for statistic in STATISTICS:
        a = [s[statistic] for s in buggy.values()]
        b = [s[statistic] for s in fixed.values()]
        auc = roc_auc_score([1] * len(a) + [0] * len(b), a + b)
        wins = np.mean([(buggy[k][statistic] > fixed[k][statistic]) + 0.5 * (buggy[k][statistic] == fixed[k][statistic])
                        for k in pairs])
        print(f"| {name} | {statistic} | {auc:.3f} | {wins:.3f} | {len(a)}/{len(b)}, {len(pairs)} pairs |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--external", default=os.path.join(ROOT, "work", "external", "catalog"))
    parser.add_argument("--conditions", default=os.path.join(ROOT, "conditions"))
    args = parser.parse_args()
    surprise = Surprise(args.model)
    print("| code pairs | surprise | AUC | paired win rate | programs |")
    print("|---|---|---:|---:|---|")
    report("QuixBugs, code only", surprise,
           prompts(os.path.join(args.external, "code_violated.jsonl")),
           prompts(os.path.join(args.external, "code_expected.jsonl")))
    report("catalog, held out", surprise,
           prompts(os.path.join(args.conditions, "code_violated.jsonl"), "heldout"),
           prompts(os.path.join(args.conditions, "code_expected.jsonl"), "heldout"))


if __name__ == "__main__":
    main()
