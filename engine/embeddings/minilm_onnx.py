"""MiniLM's transformer in ONNX Runtime, for one question at a time.

The graph is exported from the bundled weights when the first question is embedded (about
2 s, at the server's warm-up; nothing is downloaded, and the file the export writes goes to
a temporary folder that is removed once it is read) and run by ONNX Runtime on the calling
thread. On the bench machine a short question took
3.5 ms p50 this way against 6.0 ms through the TorchScript trace, with the same vector
(largest difference 1e-7): ONNX Runtime fuses attention and layer norm into a few kernels,
where TorchScript still runs the graph op by op. Document batches stay on torch, which
was faster for them (a 32-text batch 0.76 s against 1.04 s).

The session costs the weights once more in memory (~90 MB per process).
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
        path = Path(folder) / "minilm.onnx"  # read back at once; the folder goes with it
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
        graph = path.read_bytes()
    options = onnxruntime.SessionOptions()
    # One thread, the caller's: the question's SQL runs on the other core meanwhile, as
    # with torch (local_minilm._torch_threads).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def run(*tensors: Any) -> tuple[Any]:
        feed = {name: tensor.numpy() for name, tensor in zip(inputs, tensors, strict=True)}
        (hidden,) = session.run([HIDDEN_STATES], feed)
        return (torch.from_numpy(hidden),)

    return run
