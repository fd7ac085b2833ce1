"""cnnrnn.models.seq_mnist: rows as time steps, the model's size, and a short run that learns."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import datasets  # noqa: E402
from cnnrnn.models import recurrent, seq_mnist  # noqa: E402


def test_as_rows_reads_the_image_top_row_first():
    images = np.arange(2 * 28 * 28, dtype="float32").reshape(2, 28, 28, 1)
    rows = seq_mnist.as_rows(images)
    assert rows.shape == (2, 28, 28) and rows.dtype == np.float32
    np.testing.assert_array_equal(rows[1, 0], images[1, 0, :, 0])  # step 0 = the top row
    with pytest.raises(ValueError, match="shaped"):
        seq_mnist.as_rows(np.zeros((2, 784)))


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_row_reader_has_one_recurrent_layer_and_a_softmax(cell):
    model = seq_mnist.row_reader(cell, units=16)
    kind = {"lstm": "lstm", "gru": "gru", "rnn": "simple_rnn"}[cell]
    assert model.count_params() == recurrent.recurrent_params(kind, 16, 28) + 16 * 10 + 10
    assert model.output_shape == (None, 10)


def test_row_reader_rejects_an_unknown_cell():
    with pytest.raises(ValueError, match="cell"):
        seq_mnist.row_reader("transformer")


def test_a_short_run_learns_well_above_chance():
    (x, y), test = datasets.mnist_scaled(train_size=2000, test_size=500)
    result = seq_mnist.train_row_reader("gru", (x, y), test, units=64, epochs=3, batch_size=32, peak_lr=1e-2,
                                       seed=0)
    assert result.test_accuracy > 0.5                    # chance is 0.1
    assert result.seconds > 0 and result.epochs == 3
