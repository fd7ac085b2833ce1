"""cnnrnn.webdemo: the MNIST CNN folded for the page's draw-a-digit demo (the browser side is
tested in tests/test_site.py)."""

import numpy as np
import pytest

from cnnrnn import webdemo
from cnnrnn.models import cnn


def randomized(model, seed=0):
    """Give every weight, batch-norm statistics included, values far from their initial ones."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        value = rng.normal(0, 0.3, weight.shape).astype("float32")
        if "variance" in weight.path or "gamma" in weight.path:
            value = np.abs(value) + 0.5
        weight.assign(value)
    return model


@pytest.mark.parametrize("normalize_from", [3, 1])
def test_folded_network_computes_what_keras_computes(tmp_path, normalize_from):
    model = randomized(cnn.mnist_cnn(width=4, normalize_from=normalize_from))
    images = np.random.default_rng(1).random((16, 28, 28, 1)).astype("float32")
    path = webdemo.export_weights(model, tmp_path / "w.js", note="test")
    payload = webdemo.load_weights(path)
    assert payload["params"] == model.count_params() and payload["note"] == "test"
    convs = [op for op in payload["ops"] if op["op"] == "conv"]
    assert len(convs) == 5 and all(op["relu"] for op in convs)
    assert sum("+bn_" in op["name"] for op in convs) == 6 - normalize_from
    np.testing.assert_allclose(webdemo.forward(payload, images),
                               model.predict(images, verbose=0), atol=1e-5)


def test_unsupported_layers_are_named():
    import keras

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(2, 3, padding="same"),
                              keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match="valid, stride-1"):
        webdemo.fold(model)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    with pytest.raises(ValueError, match="Flatten is not supported"):
        webdemo.fold(model)


def test_a_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "other.js"
    path.write_text("var x = 1;\n")
    with pytest.raises(ValueError, match="not written by"):
        webdemo.load_weights(path)
