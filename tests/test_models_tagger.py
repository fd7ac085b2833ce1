"""cnnrnn.models.tagger: shapes and weights, masking (padding changes nothing), word dropout, and a
tiny training run that really learns a rule only the right-hand context reveals."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import ner  # noqa: E402
from cnnrnn.models import tagger  # noqa: E402

SENTENCES = [
    (["President", "Roosevelt", "spoke"], ["O", "B-PER", "O"]),
    (["on", "Roosevelt", "Street"], ["O", "B-LOC", "I-LOC"]),
    (["@", "bbc", "news"], ["B-ORG", "B-ORG", "O"]),
]


def small(inputs, **settings):
    sizes = dict(units=6, word_dim=5, char_dim=4, char_filters=3, casing_dim=2)
    return tagger.build_tagger(inputs, **{**sizes, **settings})


def lstm_weights(units, features):
    return 4 * (units * features + units * units + units)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_tagger_shapes_and_recurrent_weights(bidirectional):
    inputs = ner.TaggingInputs.build(SENTENCES, max_word_chars=6)
    model = small(inputs, bidirectional=bidirectional)
    arrays = ner.encode(SENTENCES, inputs)
    probabilities = model.predict(ner.model_inputs(arrays), verbose=0)
    assert probabilities.shape == (3, 3, len(inputs.tags))
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)
    recurrent = model.get_layer("bilstm" if bidirectional else "lstm")
    directions = 2 if bidirectional else 1
    features = 5 + 3 + 2  # word, character and casing features
    assert recurrent.count_params() == directions * lstm_weights(6, features)
    assert model.get_layer("tags").count_params() == (6 * directions + 1) * len(inputs.tags)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_padding_does_not_change_the_real_words(bidirectional):
    inputs = ner.TaggingInputs.build(SENTENCES, max_word_chars=6)
    model = small(inputs, bidirectional=bidirectional)
    short = model.predict(ner.model_inputs(ner.encode(SENTENCES, inputs)), verbose=0)
    padded = model.predict(ner.model_inputs(ner.encode(SENTENCES, inputs, length=9)), verbose=0)
    np.testing.assert_allclose(padded[:, :3], short, atol=1e-5)


def test_no_context_control_tags_each_word_alone():
    inputs = ner.TaggingInputs.build(SENTENCES, max_word_chars=6)
    model = small(inputs, units=0)
    assert model.name == "word_only"
    assert not any("lstm" in layer.name for layer in model.layers)
    arrays = ner.encode(SENTENCES, inputs)
    both = model.predict(ner.model_inputs(arrays), verbose=0)
    # The first word alone, as a one-word sentence, gets the same probabilities.
    alone = model.predict(ner.model_inputs(ner.encode([(["President"], ["O"])], inputs)), verbose=0)
    np.testing.assert_allclose(alone[0, 0], both[0, 0], atol=1e-6)


def test_predict_pads_to_whole_batches_and_cuts_back():
    inputs = ner.TaggingInputs.build(SENTENCES, max_word_chars=6)
    model = small(inputs)
    arrays = ner.encode(SENTENCES, inputs)
    probabilities = tagger.predict_probabilities(model, arrays, batch_size=2)
    assert probabilities.shape == (3, 3, len(inputs.tags))
    direct = model.predict(ner.model_inputs(arrays), verbose=0)
    np.testing.assert_allclose(probabilities, direct, atol=1e-5)
    tags = tagger.predict_tags(model, arrays, inputs.tags)
    assert [len(t) for t in tags] == [3, 3, 3]


def test_word_dropout_only_while_training():
    layer = tagger.WordDropout(0.5, seed=0)
    ids = np.array([[0, 1, 5, 6, 7, 8, 9, 10, 11, 12] * 20])
    assert np.array_equal(layer(ids, training=False), ids)
    dropped = np.asarray(layer(ids, training=True))
    assert set(np.unique(dropped[ids != dropped])) == {ner.UNK}
    assert np.all(dropped[ids == 0] == 0)
    assert 0.3 < np.mean(dropped[ids > 1] == ner.UNK) < 0.7
    with pytest.raises(ValueError, match="rate"):
        tagger.WordDropout(1.0)


def test_best_epoch_weights_are_kept_and_training_learns_from_the_right_context():
    # The tag of "x" is decided by the word after it: "x P" -> x is a person, "x L" -> a place.
    rng = np.random.default_rng(0)
    sentences = []
    for _ in range(120):
        kind = rng.choice(["PER", "LOC"])
        filler = list(rng.choice(["a", "b", "c"], size=rng.integers(0, 3)))
        sentences.append((filler + ["x", kind[0]], ["O"] * len(filler) + [f"B-{kind}", "O"]))
    result = tagger.train_tagger(sentences[:100], sentences[100:], sentences[100:], seed=0,
                                 epochs=8, batch_size=10, learning_rate=1e-2, units=8,
                                 word_dim=8, char_dim=4, char_filters=4, casing_dim=0,
                                 dropout=0.0, word_dropout=0.0)
    assert len(result.extra["dev_f1"]) == 8
    assert max(result.extra["dev_f1"]) == result.extra["dev_f1"][result.extra["best_epoch"] - 1]
    assert result.test_metrics["f1"] == pytest.approx(max(result.extra["dev_f1"]))
    assert result.test_metrics["f1"] > 0.9  # a left-to-right model could only guess (about 0.5)
    assert result.seconds > 0 and result.extra["test_predicted"][0][-1] == "O"
