"""cnnrnn.models.reach: the receptive fields the chapter states are the ones the models have,
measured by changing one input at a time; every kind builds and trains; bad kinds are refused."""

import keras
import numpy as np
import pytest

from cnnrnn import cloze
from cnnrnn.models import reach


def test_receptive_field_formula():
    assert reach.receptive_field(3, (1,) * 6) == 13
    assert reach.receptive_field(3, (1, 2, 4, 8, 16, 32)) == 127
    assert reach.receptive_field(2, (1, 2, 4, 8, 16, 32)) == 64
    assert reach.kind_receptive_field("TCN") == 511
    assert reach.kind_receptive_field("TCN short") == 61
    assert reach.kind_receptive_field("LSTM") == float("inf")
    with pytest.raises(ValueError, match="at least one"):
        reach.receptive_field(3, ())


def _probe(kind, rng, batch):
    if kind in reach.CLOZE_KINDS:
        model, length = reach.cloze_model(kind, length=150), 150
        inputs = rng.integers(1, len(cloze.VOCABULARY), size=(batch, length))
        replacement = (inputs % (len(cloze.VOCABULARY) - 1)) + 1
    else:
        model, length = reach.memory_model(kind), 80
        inputs, replacement = rng.normal(size=(batch, length, 8)), rng.normal(size=(batch, length, 8))
    return reach.measured_reach(model, inputs, replacement)


@pytest.mark.parametrize("kind", ["CNN", "CNN dilated", "TCN short"])
def test_measured_reach_of_a_causal_stack_is_its_receptive_field(kind):
    keras.utils.set_random_seed(0)
    assert _probe(kind, np.random.default_rng(0), batch=16) == reach.kind_receptive_field(kind)


def test_measured_reach_never_exceeds_the_receptive_field():
    """Over random weights, a ReLU that is off for every probe can hide the longest paths (seen:
    an untrained "TCN short" measured 44 and 57 of its 61 steps, or 0 when its last layer was
    dead), but no weights reach further than the field."""
    for seed in range(4):
        keras.utils.set_random_seed(seed)
        assert _probe("TCN short", np.random.default_rng(seed), batch=4) <= reach.kind_receptive_field("TCN short")


@pytest.mark.parametrize("kind, length", [("LSTM", 20), ("attention", 60)])
def test_unbounded_kinds_read_the_whole_input(kind, length):
    """(An untrained LSTM's influence fades below the threshold after a few dozen steps, so it is
    probed on a shorter input.)"""
    rng = np.random.default_rng(1)
    model = reach.cloze_model(kind, length=length)
    inputs = rng.integers(1, len(cloze.VOCABULARY), size=(2, length))
    assert reach.measured_reach(model, inputs, (inputs % (len(cloze.VOCABULARY) - 1)) + 1) == length


def test_attention_ignores_padding():
    """Only padding uses id 0, so with the mask in place its embedding cannot matter."""
    model = reach.cloze_model("attention", length=20)
    corpus = cloze.cloze_corpus(4, (8,), length=20, seed=0)
    assert (corpus.codes[:, :5] == 0).all()
    before = model.predict(corpus.codes, verbose=0)
    embedding = model.get_layer("embedding")
    table = embedding.get_weights()[0]
    table[0] = np.random.default_rng(0).normal(size=table.shape[1]) * 10
    embedding.set_weights([table])
    np.testing.assert_allclose(model.predict(corpus.codes, verbose=0), before, atol=1e-6)
    table[cloze.WORD_ID["because"]] += 10  # a real word's embedding does matter
    embedding.set_weights([table])
    assert np.abs(model.predict(corpus.codes, verbose=0) - before).max() > 1e-4


def test_the_sizes_are_comparable():
    sizes = [reach.cloze_model(kind, length=30).count_params() for kind in reach.CLOZE_KINDS]
    assert max(sizes) / min(sizes) < 1.2
    sizes = [reach.memory_model(kind).count_params() for kind in reach.MEMORY_KINDS]
    assert max(sizes) / min(sizes) < 1.2


def test_open_gates_sets_the_forget_bias():
    units = 32
    bias = reach.memory_model("LSTM open gates", units=units).get_layer("lstm").get_weights()[2]
    np.testing.assert_allclose(bias[units:2 * units], 5.0)
    np.testing.assert_allclose(bias[:units], -5.0)


def test_train_cloze_learns_short_distances_and_reports_each():
    train = cloze.cloze_corpus(150, (5, 6), seed=0)
    test = cloze.cloze_corpus(50, (5, 6), length=train.codes.shape[1], seed=1)
    run = reach.train_cloze("CNN", train, test, epochs=6, seed=0)
    assert set(run.accuracy) == {5, 6}
    assert min(run.accuracy.values()) > 0.5          # chance is 1/8
    assert run.params == run.model.count_params() and run.seconds > 0


def test_train_memory_runs_its_steps_and_scores_the_gap():
    run = reach.train_memory("TCN short", 5, steps=40, steps_per_epoch=20, seed=0, test_size=200)
    assert set(run.accuracy) == {5} and run.steps == 40
    assert run.accuracy[5] > 0.5                     # chance is 1/4
    with pytest.raises(ValueError, match="multiple"):
        reach.train_memory("TCN", 5, steps=30, steps_per_epoch=20, seed=0)


@pytest.mark.parametrize("call, match", [
    (lambda: reach.cloze_model("GRU", length=10), "kind must be one of"),
    (lambda: reach.memory_model("attention"), "kind must be one of"),
    (lambda: reach.cloze_model("attention", length=10, embedding_dim=33), "multiple of heads"),
    (lambda: reach.kind_receptive_field("MLP"), "unknown kind"),
    (lambda: reach.measured_reach(None, np.zeros((2, 3)), np.zeros((2, 4))), "one shape"),
])
def test_bad_arguments_are_refused_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()
