#!/usr/bin/env python3
"""QuixBugs' pairs as released, the code contrast the external evaluation built before it kept the code only.

`codebook external-catalog` keeps each QuixBugs version's code (`QuixBugs.codeOnly`): without the Java
`package` line (`correct_java_programs` names the label), without Python's triple-quoted strings (in
21 of the 40 Python pairs only the buggy version has its docstring), trimmed. This script writes the
same contrast from the texts as released, as a SPEC catalog, so a committed codebook can be scored on
both and the difference measured (docs/transfer-study.md, section 11):

  python3 scripts/study/quixbugs_pairs.py --out /tmp/quixbugs        # ../shared/evaldata by default
  $B/extract --model models/all-MiniLM-L6-v2 --catalog /tmp/quixbugs --out /tmp/quixbugs.h5 --max-tokens 510
  $B/evaluate --split all --artifacts artifacts/all-MiniLM-L6-v2 --activations /tmp/quixbugs.h5 --out /tmp/quixbugs.json

It also prints, per language, how many lines differ between the two versions of a pair, as released
and code only. The texts go to a scratch folder, never into conditions/. Standard library only.
"""
import argparse
import difflib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from make_external import code_only  # noqa: E402  (the builder's rule, as the fixture script has it)


def differing_lines(a, b):
    return sum(1 for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evaldata", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "evaldata"))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(os.path.join(args.evaldata, "quixbugs", "quixbugs_pairs.jsonl")) as f:
        pairs = [json.loads(line) for line in f if line.strip()]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "catalog.json"), "w") as f:
        json.dump({"format_version": 1, "contrasts": [
            {"name": "code_violated_vs_code_expected", "positive": "code_violated", "negative": "code_expected"}]}, f)
    for condition, version, prefix in [("code_violated", "buggy", "quixbugs-buggy"), ("code_expected", "correct", "quixbugs-correct")]:
        with open(os.path.join(args.out, condition + ".jsonl"), "w") as f:
            for number, pair in enumerate(pairs, start=1):
                f.write(json.dumps({"id": f"{prefix}-{number:04d}", "text": pair[version], "split": "heldout"}) + "\n")
    print(f"{args.out}: {len(pairs)} pairs as released")
    for language in sorted({p["language"] for p in pairs}):
        chosen = [p for p in pairs if p["language"] == language]
        released = sorted(differing_lines(p["buggy"], p["correct"]) for p in chosen)
        code = sorted(differing_lines(code_only(p["buggy"], language), code_only(p["correct"], language)) for p in chosen)
        print(f"{language}: lines that differ, as released {released}")
        print(f"{language}: lines that differ, code only  {code}")


if __name__ == "__main__":
    main()
