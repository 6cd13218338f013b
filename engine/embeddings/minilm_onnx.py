"""MiniLM's transformer in ONNX Runtime, for one question at a time.

The graph is exported from the bundled weights when the first question is embedded (about
2 s, at the server's warm-up; nothing is downloaded, and the file the export writes goes to
a temporary folder removed once the session has loaded it) and run by ONNX Runtime on the
calling thread. On the bench machine a short question took 3.5 ms p50 this way against
6.0 ms through the TorchScript trace, with the same vector (largest difference 1e-7): ONNX
Runtime fuses attention and layer norm into a few kernels, where TorchScript still runs the
graph op by op. Document batches stay on torch, which was faster for them (a 32-text batch
0.76 s against 1.04 s).

Memory: a process holds 187 MiB more once its first question is embedded (RSS after
malloc_trim, against 20-30 MiB for the TorchScript trace): the session's copy of the
weights (~90 MiB) and what the export leaves behind (the onnx and exporter modules,
~80 MiB).
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Output name of the exported graph: the transformer's per-token hidden states.
HIDDEN_STATES = "last_hidden_state"


def onnx_transformer(
    transformer: Any, example: tuple[Any, ...], inputs: tuple[str, ...]
) -> Callable[..., tuple[Any]]:
    """A callable taking the tokenizer's tensors for `inputs` (in that order) and returning
    `(last_hidden_state,)` as a torch tensor, like the traced module. Raises ImportError
    without onnxruntime/onnx, or whatever the export raises."""
    import onnxruntime
    import torch

    class HiddenStates(torch.nn.Module):
        """The transformer called by keyword: its positional parameters changed across
        transformers versions, and the export passes the example inputs positionally."""

        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors: Any) -> Any:
            return self.transformer(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    wrapped = HiddenStates().eval()
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*inputs, HIDDEN_STATES)}
    with (
        tempfile.TemporaryDirectory(prefix="shopbot-minilm-") as folder,
        torch.no_grad(),
        warnings.catch_warnings(),
    ):
        # Tracer and deprecation warnings: the caller checks the result against the model.
        warnings.simplefilter("ignore")
        path = Path(folder) / "minilm.onnx"  # loaded at once; the folder goes with it
        torch.onnx.export(
            wrapped,
            example,
            path,
            input_names=list(inputs),
            output_names=[HIDDEN_STATES],
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )
        session = onnxruntime.InferenceSession(
            str(path), _session_options(onnxruntime), providers=["CPUExecutionProvider"]
        )

    def run(*tensors: Any) -> tuple[Any]:
        feed = {name: tensor.numpy() for name, tensor in zip(inputs, tensors, strict=True)}
        (hidden,) = session.run([HIDDEN_STATES], feed)
        return (torch.from_numpy(hidden),)

    return run


def _session_options(onnxruntime: Any) -> Any:
    options = onnxruntime.SessionOptions()
    # One thread, the caller's: the question's SQL runs on the other core meanwhile, as
    # with torch (local_minilm._torch_threads).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    # No arena: a question's activations are small, and the arena kept ~11 MiB more for
    # no measurable speed (2.27 against 2.28 ms a pass).
    options.enable_cpu_mem_arena = False
    return options
