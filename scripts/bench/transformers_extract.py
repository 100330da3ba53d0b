"""The extract job done the usual Python way, as the baseline `make bench` measures `extract` against.

transformers + torch (float32, --threads 2, batches of 32 padded prompts, output_hidden_states) for
the forward pass (onnx_extract.py swaps in ONNX Runtime and keeps the rest); NumPy for the ICDF perturbation of SPEC §4 (np.quantile method="hazen", scipy's
norm.ppf); h5py for SPEC §5's layout (chunked, gzip). Same catalog, same max tokens, same outputs.

Usage: transformers_extract.py MODEL_DIR CATALOG_DIR OUT.h5 [--max-tokens 256] [--threads 2]
Prints one line: `baseline: N prompts, T tokens in S s (R tokens/s)`.
"""
import argparse
import json
import pathlib
import time

import h5py
import numpy as np
from scipy.stats import norm
from transformers import AutoTokenizer

LEVELS = 64
P = (np.arange(LEVELS) + 0.5) / LEVELS
NORMAL = norm.ppf(P)


def perturbations(h):
    """h: [tokens, d] float32 → [tokens, 64]: standardize, Hazen quantiles, minus Φ⁻¹."""
    x = h.astype(np.float64)
    x = (x - x.mean(axis=1, keepdims=True)) / x.std(axis=1, keepdims=True)
    return (np.quantile(x, P, axis=1, method="hazen").T - NORMAL).astype(np.float32)


def arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("catalog")
    parser.add_argument("out")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def torch_forward(model_dir, threads):
    """transformers + torch: a batch's token tensors → every hidden state, [batch, layers, seq, d]."""
    import torch
    from transformers import AutoModel

    torch.set_num_threads(threads)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32).eval()

    def forward(enc):
        with torch.no_grad():
            states = model(**enc, output_hidden_states=True).hidden_states
        return torch.stack(states, dim=1).numpy()

    return forward


def main():
    args = arguments()
    start = time.time()
    run(args, torch_forward(args.model, args.threads), "pt", start)


def run(args, forward, tensors, start):
    """The job around `forward` (tokenize, ICDF, HDF5), with `tensors` ("pt", "np") for the tokenizer."""
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    catalog_dir = pathlib.Path(args.catalog)
    catalog = json.loads((catalog_dir / "catalog.json").read_text())
    conditions = []
    for c in catalog["contrasts"]:
        for name in (c["positive"], c["negative"]):
            if name not in conditions:
                conditions.append(name)
    n_special = tokenizer.num_special_tokens_to_add()
    prompts_total = tokens_total = 0
    with h5py.File(args.out, "w") as f:
        for name in conditions:
            rows = [json.loads(line) for line in (catalog_dir / f"{name}.jsonl").read_text().splitlines() if line.strip()]
            g = f.create_group(f"conditions/{name}")
            tok_p, prompt_p, hidden_mean, hidden_last, token_ids, offsets = [], [], [], [], [], [0]
            for start_row in range(0, len(rows), 32):
                batch = rows[start_row:start_row + 32]
                enc = tokenizer([r["text"] for r in batch], truncation=True, max_length=args.max_tokens + n_special,
                                padding=True, return_tensors=tensors, return_special_tokens_mask=True)
                special = np.asarray(enc.pop("special_tokens_mask"))
                enc.pop("token_type_ids", None)  # all zeros for one sentence, BERT's default
                layers = forward(enc)  # [batch, layers, seq, d]
                mask = np.asarray(enc["attention_mask"])
                for i in range(len(batch)):
                    keep = (mask[i] == 1) & (special[i] == 0)
                    h = layers[i][:, keep, :]  # [layers, t, d]
                    p = np.stack([perturbations(h[layer]) for layer in range(h.shape[0])], axis=1)  # [t, layers, 64]
                    tok_p.append(p)
                    prompt_p.append(p.mean(axis=0))
                    hidden_mean.append(h.mean(axis=1))
                    hidden_last.append(h[-1, -1])
                    token_ids.append(np.asarray(enc["input_ids"][i])[keep])
                    offsets.append(offsets[-1] + int(keep.sum()))
            def put(key, data):
                g.create_dataset(key, data=data, compression="gzip", shuffle=True, chunks=True)
            put("ids", np.array([r["id"] for r in rows], dtype=h5py.string_dtype()))
            put("split", np.array([r.get("split", "train") == "heldout" for r in rows], dtype=np.uint8))
            put("token_offsets", np.array(offsets, dtype=np.int64))
            put("token_ids", np.concatenate(token_ids).astype(np.int32))
            put("token_perturbations", np.concatenate(tok_p))
            put("prompt_perturbations", np.stack(prompt_p))
            put("hidden_mean", np.stack(hidden_mean).astype(np.float32))
            put("hidden_last", np.stack(hidden_last).astype(np.float32))
            prompts_total += len(rows)
            tokens_total += offsets[-1]
    seconds = time.time() - start
    print(f"baseline: {prompts_total} prompts, {tokens_total} tokens in {seconds:.1f} s ({tokens_total / seconds:.0f} tokens/s)")


if __name__ == "__main__":
    main()
