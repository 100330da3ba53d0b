"""The extract job with ONNX Runtime for the forward pass: transformers_extract.py's job (tokenize with
transformers' tokenizer, every hidden state, SPEC §4's ICDF perturbations in NumPy, SPEC §5's HDF5
layout with h5py), the model exported with torch.onnx (onnx_model.py) and run by ONNX Runtime on
--threads intra-op threads. The export is done (or found in work/bench/onnx/) before the clock starts.

Usage: onnx_extract.py MODEL_DIR CATALOG_DIR OUT.h5 [--max-tokens 256] [--threads 2]
"""
import time

import onnx_model
import transformers_extract


def main():
    args = transformers_extract.arguments()
    onnx_model.export(args.model)
    start = time.time()
    session = onnx_model.session(args.model, args.threads)

    def forward(enc):
        states = session.run(None, {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]})[0]
        return states.transpose(1, 0, 2, 3)  # [layers, batch, seq, d] → [batch, layers, seq, d]

    transformers_extract.run(args, forward, "np", start)


if __name__ == "__main__":
    main()
