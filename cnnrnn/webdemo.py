"""The MNIST CNN's weights for the "draw a digit" demo on the book's MNIST page.

The page runs the trained network in the reader's browser with a short hand-written JavaScript
forward pass (``book/_static/digit_demo.js``): no TensorFlow.js, no server. This module writes
the weights in the form that script reads, and has the same forward pass in NumPy, so the
notebook can check the exported file against Keras before the book publishes it.

Batch normalization is folded into the convolution before it: at inference a
``BatchNormalization`` layer computes ``gamma * (z - mean) / sqrt(var + eps) + beta``, an affine
map per channel, so with ``s = gamma / sqrt(var + eps)`` the pair ``Conv2D(w) -> BN`` equals one
``Conv2D(w * s)`` with bias ``beta - mean * s`` (plus ``b * s`` when the convolution had a bias
``b``). The browser then runs only convolutions, ReLU, max pooling, global average pooling and a
dense softmax layer.

The file is JavaScript (``window.CNNRNN_MNIST_WEIGHTS = {...};``) rather than JSON, so the page
also works opened from disk (``file://``), where browsers refuse ``fetch``. Arrays are
little-endian float32, base64-encoded.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

#: Where the book looks for the weights: ``book/_static`` is published as the site's ``_static``.
BOOK_WEIGHTS = Path(__file__).resolve().parent.parent / "book" / "_static" / "mnist_cnn_weights.js"
FORMAT = "cnnrnn-digit-demo/1"
PREFIX = "window.CNNRNN_MNIST_WEIGHTS = "


def _array(values) -> dict:
    values = np.ascontiguousarray(np.asarray(values, dtype="<f4"))
    return {"shape": list(values.shape), "data": base64.b64encode(values.tobytes()).decode()}


def _decode(entry: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(entry["data"]), dtype="<f4").reshape(entry["shape"])


def fold(model) -> list[dict]:
    """The model as a list of operations with batch normalization folded into the convolutions.

    Supports what :func:`cnnrnn.models.cnn.mnist_cnn` is made of: ``Conv2D`` (valid padding,
    stride 1), ``BatchNormalization`` right after a convolution, ``ReLU`` (or a convolution's
    relu activation), ``MaxPooling2D`` (2x2, stride 2), ``GlobalAveragePooling2D`` and a final
    ``Dense`` softmax layer. Anything else raises ``ValueError`` naming the layer.
    """
    import keras

    layers = keras.layers
    ops: list[dict] = []
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        if isinstance(layer, layers.Conv2D):
            if layer.padding != "valid" or tuple(layer.strides) != (1, 1) \
                    or tuple(layer.dilation_rate) != (1, 1) or layer.groups != 1:
                raise ValueError(f"{layer.name}: only valid, stride-1, undilated convolutions")
            kernel = np.asarray(layer.kernel.numpy(), dtype="float64")
            bias = (np.asarray(layer.bias.numpy(), dtype="float64") if layer.use_bias
                    else np.zeros(kernel.shape[-1]))
            activation = keras.activations.serialize(layer.activation)
            activation = activation if isinstance(activation, str) else activation.get("config", {}).get("name", activation)
            if activation not in ("linear", "relu"):
                raise ValueError(f"{layer.name}: activation {activation!r} is not supported")
            ops.append({"op": "conv", "name": layer.name, "kernel": kernel, "bias": bias,
                        "relu": activation == "relu"})
        elif isinstance(layer, layers.BatchNormalization):
            if not ops or ops[-1]["op"] != "conv" or ops[-1]["relu"]:
                raise ValueError(f"{layer.name}: batch normalization must follow a convolution "
                                 "without activation")
            gamma = layer.gamma.numpy() if layer.scale else np.ones(layer.moving_mean.shape)
            beta = layer.beta.numpy() if layer.center else np.zeros(layer.moving_mean.shape)
            scale = np.asarray(gamma, "float64") / np.sqrt(
                np.asarray(layer.moving_variance.numpy(), "float64") + layer.epsilon)
            conv = ops[-1]
            conv["kernel"] = conv["kernel"] * scale
            conv["bias"] = (conv["bias"] - np.asarray(layer.moving_mean.numpy(), "float64")) * scale \
                + np.asarray(beta, "float64")
            conv["name"] += "+" + layer.name
        elif isinstance(layer, layers.ReLU):
            if not ops or ops[-1]["op"] != "conv" or ops[-1]["relu"]:
                raise ValueError(f"{layer.name}: ReLU must follow a convolution")
            ops[-1]["relu"] = True
        elif isinstance(layer, layers.MaxPooling2D):
            if tuple(layer.pool_size) != (2, 2) or tuple(layer.strides) != (2, 2) or layer.padding != "valid":
                raise ValueError(f"{layer.name}: only 2x2 max pooling with stride 2")
            ops.append({"op": "maxpool2"})
        elif isinstance(layer, layers.GlobalAveragePooling2D):
            ops.append({"op": "gap"})
        elif isinstance(layer, layers.Dense):
            activation = keras.activations.serialize(layer.activation)
            activation = activation if isinstance(activation, str) else activation.get("config", {}).get("name", activation)
            if activation != "softmax":
                raise ValueError(f"{layer.name}: the last layer must be a softmax Dense layer")
            ops.append({"op": "dense_softmax", "kernel": np.asarray(layer.kernel.numpy(), "float64"),
                        "bias": np.asarray(layer.bias.numpy(), "float64")})
        else:
            raise ValueError(f"{layer.name}: layer type {type(layer).__name__} is not supported "
                             "by the page's forward pass")
    if not ops or ops[-1]["op"] != "dense_softmax":
        raise ValueError("the model must end with a softmax Dense layer")
    return ops


def export_weights(model, path: str | Path = BOOK_WEIGHTS, *, note: str = "") -> Path:
    """Write the folded model for the page's script to ``path``; returns the path."""
    ops = []
    for op in fold(model):
        entry = {key: value for key, value in op.items() if key not in ("kernel", "bias")}
        if "kernel" in op:
            entry["kernel"], entry["bias"] = _array(op["kernel"]), _array(op["bias"])
        ops.append(entry)
    payload = {"format": FORMAT, "input": [28, 28, 1], "model": model.name, "note": note,
               "params": int(model.count_params()), "ops": ops}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PREFIX + json.dumps(payload, separators=(",", ":")) + ";\n")
    return path


def load_weights(path: str | Path = BOOK_WEIGHTS) -> dict:
    """Read a file written by :func:`export_weights` back (arrays decoded)."""
    text = Path(path).read_text().strip()
    if not text.startswith(PREFIX) or not text.endswith(";"):
        raise ValueError(f"{path} was not written by cnnrnn.webdemo.export_weights")
    payload = json.loads(text[len(PREFIX):-1])
    if payload.get("format") != FORMAT:
        raise ValueError(f"{path}: format {payload.get('format')!r}, expected {FORMAT!r}")
    for op in payload["ops"]:
        for key in ("kernel", "bias"):
            if key in op:
                op[key] = _decode(op[key])
    return payload


def forward(payload: dict, images: np.ndarray) -> np.ndarray:
    """Class probabilities for ``images`` (N, 28, 28[, 1]) in [0, 1], computed from an exported
    file in float32 with the page's operations (the NumPy twin of the page's script)."""
    x = np.asarray(images, dtype="float32")
    if x.ndim == 3:
        x = x[..., np.newaxis]
    for op in payload["ops"]:
        if op["op"] == "conv":
            kernel, bias = op["kernel"].astype("float32"), op["bias"].astype("float32")
            k = kernel.shape[0]
            n, h, w, c = x.shape
            patches = np.stack([x[:, i:i + h - k + 1, j:j + w - k + 1, :]
                                for i in range(k) for j in range(k)], axis=3)
            x = patches.reshape(n, h - k + 1, w - k + 1, k * k * c) @ kernel.reshape(k * k * c, -1) + bias
            if op["relu"]:
                x = np.maximum(x, 0)
        elif op["op"] == "maxpool2":
            n, h, w, c = x.shape
            x = x[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
        elif op["op"] == "gap":
            x = x.mean(axis=(1, 2))
        elif op["op"] == "dense_softmax":
            z = x @ op["kernel"].astype("float32") + op["bias"].astype("float32")
            z = np.exp(z - z.max(axis=1, keepdims=True))
            x = z / z.sum(axis=1, keepdims=True)
        else:
            raise ValueError(f"unknown operation {op['op']!r}")
    return x
