"""One question through MiniLM: quick, and steady beside a busy event loop.

`SentenceTransformer.encode` runs the transformer op by op from Python, and each of its
hundreds of torch calls needs the GIL. In a server the event loop thread holds the GIL
whenever it runs Python (other requests, the retrieval SQL's rows), and a thread waiting
for it can wait the interpreter's whole switch interval (5 ms) each time: next to a busy
Python thread a question took 812 ms p50 through `encode`, 126 ms traced. So on first use
the transformer is compiled out of Python, and only the pooling and normalisation that
follow run as the model's own modules:

1. into ONNX Runtime (engine.embeddings.minilm_onnx): 3.5 ms p50 for a short question,
   quiet, and it releases the GIL for the whole pass;
2. failing that, traced to TorchScript: 6.0 ms (17 → 14 ms against `encode` when it was
   introduced, on a slower day);
3. failing both, the model's modules, as `encode` runs them.

Each compiled path is checked against the modules on the first question; one that fails
or disagrees (a future transformers or onnxruntime version) is logged and the next is
tried. `QueryEncoder.runtime` says which one questions take.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from engine.embeddings.minilm_onnx import onnx_transformer

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

TRANSFORMER_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

Runtime = Literal["onnxruntime", "torchscript", "modules"]
COMPILED: tuple[Runtime, ...] = ("onnxruntime", "torchscript")


class QueryEncoder:
    """Not thread-safe: the embedder calls it from its one worker thread."""

    def __init__(
        self, model: SentenceTransformer, *, runtimes: tuple[Runtime, ...] = COMPILED
    ) -> None:
        self._model = model
        self._runtimes = runtimes  # tried in order on the first question
        self._transformer: Callable[..., Any] | None = None
        self._inputs: tuple[str, ...] = ()
        self.runtime: Runtime | None = None  # None until the first question

    def encode(self, text: str) -> list[float]:
        import torch

        model = self._model
        # `preprocess` in sentence-transformers 6 (where `tokenize` warns), `tokenize` before.
        prepare = getattr(model, "preprocess", None) or model.tokenize
        features = prepare([text])
        if self.runtime is None:
            self._compile(features)
        with torch.inference_mode():
            if self._transformer is None:
                features = model(features)
            else:
                output = self._transformer(*(features[k] for k in self._inputs))
                features = self._pool(output, features)
            vector = torch.nn.functional.normalize(features["sentence_embedding"], p=2, dim=1)
        return vector[0].tolist()

    def _pool(self, output: Any, features: dict[str, Any]) -> dict[str, Any]:
        """The modules after the transformer (pooling, normalisation) on its output."""
        hidden = output["last_hidden_state"] if isinstance(output, dict) else output[0]
        features = {**features, "token_embeddings": hidden}
        for module in list(self._model)[1:]:
            features = module(features)
        return features

    def _compile(self, features: dict[str, Any]) -> None:
        import torch

        transformer = self._model[0].auto_model
        self._inputs = tuple(k for k in TRANSFORMER_INPUTS if k in features)
        example = tuple(features[k] for k in self._inputs)
        with torch.no_grad():
            expected = self._model(dict(features))["sentence_embedding"]
        for runtime in self._runtimes:
            try:
                compiled = _COMPILERS[runtime](transformer, example, self._inputs)
                with torch.no_grad():
                    got = self._pool(compiled(*example), dict(features))["sentence_embedding"]
                if not torch.allclose(expected, got, atol=1e-5):
                    raise ValueError("it disagrees with the model")
            except Exception as error:
                log.warning("MiniLM questions cannot run through %s: %s", runtime, error)
                continue
            self._transformer, self.runtime = compiled, runtime
            return
        log.warning("MiniLM questions run through the model's modules (slower)")
        self.runtime = "modules"


def _torchscript(transformer: Any, example: tuple[Any, ...], inputs: tuple[str, ...]) -> Any:
    import torch

    with torch.no_grad(), warnings.catch_warnings():
        # TracerWarnings about shape-dependent branches: the caller's check is the test.
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(transformer, example, strict=False, check_trace=False)
        return torch.jit.freeze(traced.eval())


_COMPILERS: dict[Runtime, Callable[[Any, tuple[Any, ...], tuple[str, ...]], Any]] = {
    "onnxruntime": onnx_transformer,
    "torchscript": _torchscript,
}
