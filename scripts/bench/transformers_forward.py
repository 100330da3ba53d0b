"""The baseline of `make bench`: transformers + torch computing the same hidden states.

Reads the prompts CodebookBench wrote (JSON lines: {"text": ..., "ids": [...]}, the ids from our
tokenizer, special tokens included), runs BertModel/AutoModel in float32 on `--threads` threads
(torch.set_num_threads) in batches of `--batch` prompts padded to the batch's longest, with
output_hidden_states=True, as a straightforward user of transformers would, and prints one JSON
line: {"tokens": real tokens (no padding), "seconds": best of --repeats, "tokens_per_second": ...,
"torch": version, "transformers": version, "tokenizer_mismatches": prompts whose ids differ from
transformers' own tokenizer's}.

Exit status 3 (and a message on stderr) when torch or transformers is not installed, so the bench
can leave the baseline out cleanly.
"""

import argparse
import json
import sys
import time

try:
    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer
except ImportError as error:  # the bench prints its own figure without the baseline
    print(f"transformers_forward.py: {error}", file=sys.stderr)
    sys.exit(3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompts", required=True)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.prompts) as f:
        prompts = [json.loads(line) for line in f]
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    mismatches = sum(tokenizer(p["text"])["input_ids"] != p["ids"] for p in prompts)
    model = AutoModel.from_pretrained(args.model, dtype=torch.float32).eval()
    pad = tokenizer.pad_token_id or 0

    batches = []
    for start in range(0, len(prompts), args.batch):
        ids = [p["ids"] for p in prompts[start:start + args.batch]]
        longest = max(len(i) for i in ids)
        input_ids = torch.tensor([i + [pad] * (longest - len(i)) for i in ids])
        mask = torch.tensor([[1] * len(i) + [0] * (longest - len(i)) for i in ids])
        batches.append((input_ids, mask))
    tokens = sum(len(p["ids"]) for p in prompts)

    with torch.inference_mode():
        model(input_ids=batches[0][0], attention_mask=batches[0][1], output_hidden_states=True)  # warm-up
        best = float("inf")
        for _ in range(args.repeats):
            start = time.perf_counter()
            for input_ids, mask in batches:
                model(input_ids=input_ids, attention_mask=mask, output_hidden_states=True)
            best = min(best, time.perf_counter() - start)

    print(json.dumps({
        "tokens": tokens, "seconds": best, "tokens_per_second": tokens / best,
        "torch": torch.__version__, "transformers": transformers.__version__,
        "threads": torch.get_num_threads(), "tokenizer_mismatches": mismatches,
    }))


if __name__ == "__main__":
    main()
