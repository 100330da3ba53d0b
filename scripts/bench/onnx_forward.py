"""The ONNX Runtime baseline of `make bench`: the same hidden states as transformers_forward.py, from
the model exported with torch.onnx (onnx_model.py), on the same prompts and token ids, in the same
padded batches, on each of `--threads` (e.g. `1,2`) intra-op thread counts.

Prints one JSON line per thread count: {"threads", "tokens": real tokens (no padding), "seconds": best
of --repeats, "tokens_per_second", "onnxruntime": version}. Exit status 3 (and a message on stderr)
when onnxruntime or torch is not installed, so the bench can leave the baseline out cleanly.
"""

import argparse
import json
import sys
import time

try:
    import numpy as np
    import onnxruntime
    import torch  # noqa: F401  (the export needs it)
    from transformers import AutoTokenizer
except ImportError as error:
    print(f"onnx_forward.py: {error}", file=sys.stderr)
    sys.exit(3)

import onnx_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompts", required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    with open(args.prompts) as f:
        prompts = [json.loads(line) for line in f]
    pad = AutoTokenizer.from_pretrained(args.model).pad_token_id or 0
    batches = []
    for start in range(0, len(prompts), args.batch):
        ids = [p["ids"] for p in prompts[start:start + args.batch]]
        longest = max(len(i) for i in ids)
        input_ids = np.array([i + [pad] * (longest - len(i)) for i in ids], dtype=np.int64)
        mask = np.array([[1] * len(i) + [0] * (longest - len(i)) for i in ids], dtype=np.int64)
        batches.append({"input_ids": input_ids, "attention_mask": mask})
    tokens = sum(len(p["ids"]) for p in prompts)

    for threads in (int(t) for t in args.threads.split(",")):
        session = onnx_model.session(args.model, threads)
        session.run(None, batches[0])  # warm-up
        best = float("inf")
        for _ in range(args.repeats):
            start = time.perf_counter()
            for batch in batches:
                session.run(None, batch)
            best = min(best, time.perf_counter() - start)
        print(json.dumps({"threads": threads, "tokens": tokens, "seconds": best, "tokens_per_second": tokens / best,
                          "onnxruntime": onnxruntime.__version__}), flush=True)


if __name__ == "__main__":
    main()
