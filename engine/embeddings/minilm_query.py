"""One question through MiniLM: quick, and steady beside a busy event loop.

`SentenceTransformer.encode` runs the transformer op by op from Python, and each of its
hundreds of torch calls needs the GIL. In a server the event loop thread holds the GIL
whenever it runs Python (other requests, the retrieval SQL's rows), and a thread waiting
for it can wait the interpreter's whole switch interval (5 ms) each time: next to a busy
Python thread a question took 812 ms p50 through `encode`, 126 ms traced. So the
transformer is traced to TorchScript once, on first use, and runs in C++; the pooling and
normalisation that follow are still the model's own modules. Quiet, it is faster too:
17 → 14 ms (`encode` also spends a third of a short question's time on bookkeeping).

The traced graph is checked against the modules on the tracing question; if tracing fails
or disagrees (a future transformers version), the modules are used, and a warning logged.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

TRANSFORMER_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class QueryEncoder:
    """Not thread-safe: the embedder calls it from its one worker thread."""

    def __init__(self, model: SentenceTransformer) -> None:
        self._model = model
        self._traced: Any = None  # None: not traced yet; False: tracing failed
        self._inputs: tuple[str, ...] = ()

    @property
    def traced(self) -> bool:
        """Whether questions go through the traced transformer (False before the first)."""
        return self._traced not in (None, False)

    def encode(self, text: str) -> list[float]:
        import torch

        model = self._model
        # `preprocess` in sentence-transformers 6 (where `tokenize` warns), `tokenize` before.
        prepare = getattr(model, "preprocess", None) or model.tokenize
        features = prepare([text])
        if self._traced is None:
            self._trace(features)
        with torch.inference_mode():
            if self._traced is False:
                features = model(features)
            else:
                features = self._pool(self._traced(*(features[k] for k in self._inputs)), features)
            vector = torch.nn.functional.normalize(features["sentence_embedding"], p=2, dim=1)
        return vector[0].tolist()

    def _pool(self, output: Any, features: dict[str, Any]) -> dict[str, Any]:
        """The modules after the transformer (pooling, normalisation) on its output."""
        hidden = output["last_hidden_state"] if isinstance(output, dict) else output[0]
        features = {**features, "token_embeddings": hidden}
        for module in list(self._model)[1:]:
            features = module(features)
        return features

    def _trace(self, features: dict[str, Any]) -> None:
        import torch

        try:
            transformer = self._model[0].auto_model
            self._inputs = tuple(k for k in TRANSFORMER_INPUTS if k in features)
            example = tuple(features[k] for k in self._inputs)
            with torch.no_grad(), warnings.catch_warnings():
                # TracerWarnings about shape-dependent branches: the check below is the test.
                warnings.simplefilter("ignore")
                traced = torch.jit.trace(transformer, example, strict=False, check_trace=False)
                traced = torch.jit.freeze(traced.eval())
                expected = self._model(dict(features))["sentence_embedding"]
                got = self._pool(traced(*example), dict(features))["sentence_embedding"]
            if not torch.allclose(expected, got, atol=1e-5):
                raise ValueError("the traced transformer disagrees with the model")
            self._traced = traced
        except Exception as error:
            log.warning(
                "MiniLM query tracing failed (%s); questions use the model's modules", error
            )
            self._traced = False
