"""The detector exported to ONNX with torch.onnx, for the ONNX Runtime baselines of `make bench`.

`session(model_dir, threads)` exports the model once (into work/bench/onnx/, reused while the model's
weights are unchanged) and opens an ONNX Runtime session on `threads` intra-op threads with every
graph optimization on, as a user who wants fast CPU inference would. The exported graph takes
`input_ids` and `attention_mask` ([batch, seq], int64) and returns `hidden_states`: the embeddings'
output and every layer's, stacked, [layers + 1, batch, seq, hidden] float32 (what transformers returns
with output_hidden_states=True).
"""
import hashlib
import os
import pathlib
import warnings

CACHE = pathlib.Path("work/bench/onnx")


def hidden_states_module(model):
    """`model` (AutoModel) returning every hidden state as one stacked tensor: ONNX outputs are
    tensors, not tuples."""
    import torch

    class HiddenStates(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            states = self.model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True).hidden_states
            return torch.stack(states, dim=0)

    return HiddenStates().eval()


def export(model_dir: str) -> pathlib.Path:
    """The ONNX file of `model_dir`'s model, exported when missing or when its weights changed."""
    weights = pathlib.Path(model_dir) / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16] if weights.exists() else "unknown"
    path = CACHE / f"{pathlib.Path(model_dir).resolve().name}-{digest}.onnx"
    if path.exists():
        return path
    import torch
    from transformers import AutoModel

    CACHE.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(model_dir, dtype=torch.float32).eval()
    ids = torch.ones((2, 16), dtype=torch.int64)
    mask = torch.ones((2, 16), dtype=torch.int64)
    partial = path.with_suffix(".onnx.partial")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        # The TorchScript exporter: one self-contained file, dynamic batch and sequence axes.
        torch.onnx.export(hidden_states_module(model), (ids, mask), str(partial), dynamo=False,
                          input_names=["input_ids", "attention_mask"], output_names=["hidden_states"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "hidden_states": {1: "batch", 2: "seq"}},
                          opset_version=17, do_constant_folding=True)
    os.replace(partial, path)
    return path


def session(model_dir: str, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(export(model_dir)), options, providers=["CPUExecutionProvider"])
