"""A catalog derived from another, for the extract part of `make bench`: the same catalog.json (its
contrasts), each condition's prompts either cut to the first N (`--first N`, a shorter run of the same
texts) or joined K at a time into long texts (`--join K`: prompts 1–K of a condition become one
prompt, K+1–2K the next, ...; the split is the first one's). Other files (groups.json) are not copied:
extract reads catalog.json and the conditions' .jsonl files only.

Usage: derive_catalog.py SOURCE_DIR OUT_DIR (--first N | --join K)
"""
import argparse
import json
import pathlib
import shutil


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--first", type=int)
    group.add_argument("--join", type=int)
    args = parser.parse_args()
    source, out = pathlib.Path(args.source), pathlib.Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    catalog = json.loads((source / "catalog.json").read_text())
    shutil.copy(source / "catalog.json", out / "catalog.json")
    names = {name for c in catalog["contrasts"] for name in (c["positive"], c["negative"])}
    for name in sorted(names):
        rows = [json.loads(line) for line in (source / f"{name}.jsonl").read_text().splitlines() if line.strip()]
        if args.first:
            rows = rows[:args.first]
        else:
            rows = [dict(group[0], id=f"{group[0]['id']}-long", text="\n\n".join(r["text"] for r in group))
                    for group in (rows[i:i + args.join] for i in range(0, len(rows), args.join))]
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


if __name__ == "__main__":
    main()
