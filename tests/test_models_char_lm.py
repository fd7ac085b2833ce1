"""cnnrnn.models.char_lm: the model's shape and size, the stateful evaluation against a plain
one-pass reading, training that really learns a tiny text, sampling, next-character and word
probabilities, and clear errors for an empty prefix or unknown characters."""

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from cnnrnn import text  # noqa: E402
from cnnrnn.models import char_lm  # noqa: E402

TINY_TEXT = "the cat sat on the mat. " * 60


@pytest.fixture(scope="module")
def tiny():
    """A small GRU (the default cell) trained for a few seconds on a repetitive text: after
    "the " it should expect "cat", "sat" or "mat", and nothing it has never seen."""
    vocab = text.CharVocab.from_text(TINY_TEXT)
    codes = vocab.encode(TINY_TEXT)
    train, validation = text.split_by_position(codes)
    result = char_lm.train_char_lm(train, validation, vocab_size=len(vocab), units=32,
                                   embedding_dim=8, batch_size=4, window=16, epochs=12,
                                   peak_lr=1e-2, seed=0)
    return vocab, codes, result


@pytest.mark.parametrize("cell, recurrent_params", [
    ("lstm", 4 * (8 * 16 + 16 * 16 + 16)),   # 4 (nm + n^2 + n), m = 8 inputs, n = 16 units
    ("gru", 3 * (8 * 16 + 16 * 16 + 2 * 16)),  # reset_after: two biases per gate
    ("rnn", 8 * 16 + 16 * 16 + 16)])
def test_char_lm_size_and_output_shape(cell, recurrent_params):
    model = char_lm.char_lm(10, cell=cell, units=16, embedding_dim=8)
    assert model.count_params() == 10 * 8 + recurrent_params + 16 * 10 + 10
    logits = model(np.zeros((3, 7), "int32"))
    assert tuple(logits.shape) == (3, 7, 10)


def test_char_lm_rejects_bad_settings():
    with pytest.raises(ValueError, match="cell"):
        char_lm.char_lm(10, cell="transformer")
    with pytest.raises(ValueError, match="batch_size"):
        char_lm.char_lm(10, stateful=True)
    with pytest.raises(ValueError, match="window"):
        char_lm.char_lm(10, unroll=True)


def _one_pass_nats(model, codes):
    """Cross-entropy of a non-stateful copy reading the whole text in one call (the reference)."""
    reader = char_lm.copy_with(model, batch_size=None, window=None, stateful=False)
    logits = np.asarray(reader.predict_on_batch(codes[None, :-1]))[0].astype(float)
    log_p = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return -log_p[np.arange(len(codes) - 1), codes[1:]].mean()


def test_stateful_evaluation_with_one_stream_is_one_pass_over_the_text():
    keras.utils.set_random_seed(0)
    model = char_lm.char_lm(12, units=8, embedding_dim=4)
    codes = np.random.default_rng(0).integers(0, 12, 203).astype("int32")
    reference = _one_pass_nats(model, codes)
    # One stream read in windows of 10 (the last one padded): the carried state makes it equal.
    assert char_lm.evaluate_nats(model, codes, batch_size=1, window=10) == \
        pytest.approx(reference, rel=1e-5)
    # Several streams: only their first characters lose context, so it stays close.
    several = char_lm.evaluate_nats(model, codes, batch_size=4, window=7)
    assert abs(several - reference) < 0.05
    with pytest.raises(ValueError, match="two characters"):
        char_lm.evaluate_nats(model, codes[:1])


def test_training_learns_a_tiny_text(tiny):
    vocab, codes, result = tiny
    uniform = math.log(len(vocab))
    nats = result.test_metrics["nats_per_char"]
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert nats < 0.5 * uniform, f"{nats:.3f} nats/char is not far below ln V = {uniform:.3f}"
    # Zero-state windows lose the context at each window's start, so they score worse.
    assert char_lm.evaluate_windows(result.model, codes[-200:], window=10) > \
        char_lm.evaluate_nats(result.model, codes[-200:], batch_size=2, window=10)
    assert result.extra["stateful"] and result.seconds > 0


def test_stateless_training_runs():
    vocab = text.CharVocab.from_text(TINY_TEXT)
    codes = vocab.encode(TINY_TEXT)
    result = char_lm.train_char_lm(codes[:1000], codes[1000:], vocab_size=len(vocab), cell="gru",
                                   units=8, embedding_dim=4, batch_size=8, window=10, epochs=1,
                                   stateful=False)
    assert not result.extra["stateful"] and np.isfinite(result.test_metrics["nats_per_char"])


def test_sampler_probabilities_and_samples(tiny):
    vocab, _, result = tiny
    sampler = char_lm.CharSampler(result.model, vocab)
    probabilities = sampler.next_char_probabilities("the c")
    assert probabilities.shape == (len(vocab),)
    assert probabilities.sum() == pytest.approx(1.0)
    top = sampler.top_next_chars("the c", k=3)
    assert top[0][0] == "a" and top[0][1] >= top[1][1] >= top[2][1]
    # Chaining: P("at") = P("a" | "the c") * P("t" | "the ca").
    chained = sampler.word_probabilities("the c", ["at"], word_end=False)["at"]
    expected = probabilities[vocab.encode("a")[0]] * \
        sampler.next_char_probabilities("the ca")[vocab.encode("t")[0]]
    assert chained == pytest.approx(expected, rel=1e-4)
    words = sampler.word_probabilities("the ", ["cat", "sat"])  # "the sat" never occurs
    assert words["cat"] > 0.1 > words["sat"]
    # A whole word: the characters, then a character that is not a letter. "ca" is only ever the
    # start of "cat", so as a whole word it is unlikely, while its characters alone are likely.
    after = sampler.next_char_probabilities("the cat")
    ends = [code for code, char in enumerate(vocab.chars) if not char.isalpha()]
    whole = sampler.word_probabilities("the ", ["cat"])["cat"]
    alone = sampler.word_probabilities("the ", ["cat"], word_end=False)["cat"]
    assert whole == pytest.approx(alone * after[ends].sum(), rel=1e-4)
    assert sampler.word_probabilities("the ", ["ca"])["ca"] < 0.01 < \
        sampler.word_probabilities("the ", ["ca"], word_end=False)["ca"]
    sample = sampler.sample("the ", 40, temperature=0.5, seed=0)
    assert len(sample.text) == 40 and set(sample.text) <= set(vocab.chars)
    assert sample.chars_per_second > 0
    assert sampler.sample("the ", 40, temperature=0.5, seed=0).text == sample.text


def test_temperature_sharpens_and_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    cold = char_lm.softmax_with_temperature(logits, 0.5)
    hot = char_lm.softmax_with_temperature(logits, 2.0)
    np.testing.assert_allclose(char_lm.softmax_with_temperature(logits, 1.0),
                               np.exp(logits) / np.exp(logits).sum())
    assert cold[0] > char_lm.softmax_with_temperature(logits, 1.0)[0] > hot[0]
    with pytest.raises(ValueError, match="positive"):
        char_lm.softmax_with_temperature(logits, 0.0)


def test_sampler_errors_are_clear(tiny):
    vocab, _, result = tiny
    sampler = char_lm.CharSampler(result.model, vocab)
    with pytest.raises(ValueError, match="prefix is empty"):
        sampler.next_char_probabilities("")
    with pytest.raises(ValueError, match="prefix is empty"):
        sampler.sample("", 5)
    with pytest.raises(text.UnknownCharacterError, match="'我'"):
        sampler.next_char_probabilities("我喜欢在公园里散步")
    with pytest.raises(text.UnknownCharacterError, match="'Z'"):
        sampler.word_probabilities("the ", ["Zebra"])
    with pytest.raises(ValueError, match="continuation is empty"):
        sampler.word_probabilities("the ", [""])
    with pytest.raises(ValueError, match="vocabulary has"):
        char_lm.CharSampler(result.model, text.CharVocab("abc"))


def test_benchmark_row_judges_the_nats_half_of_the_target(monkeypatch):
    """The bench row on a tiny text and model: every field is there, the value is the stateful
    validation score, and the nats half of the target is judged against 1.65."""
    from benchmarks import char_lm as bench

    monkeypatch.setattr(bench.data, "load_shakespeare", lambda: TINY_TEXT)
    monkeypatch.setattr(bench, "SETTINGS", {**bench.SETTINGS, "units": 16, "embedding_dim": 4,
                                            "batch_size": 4, "window": 16, "epochs": 2})
    monkeypatch.setattr(bench, "SAMPLE_LENGTH", 30)
    monkeypatch.setattr(bench, "SAMPLE_PREFIX", "the ")
    row = bench.char_lm_shakespeare()["char_lm_shakespeare"]
    assert row["metric"] == "validation_nats_per_char"
    assert row["perplexity"] == pytest.approx(math.exp(row["value"]))
    assert row["nats_target_reached"] is bool(row["value"] <= 1.65)
    assert row["target_seconds_in_K"] == 2.0 and row["seconds"] > 0
    assert len(row["train_nats_per_epoch"]) == len(row["validation_nats_per_epoch"]) == 2
    assert row["validation_nats_zero_state_windows_100"] > 0
    assert row["chars_per_second_generating"] > 0 and row["units"] == 16


def test_nats_by_position_from_zero_or_primed_state_matches_one_pass_reading():
    keras.utils.set_random_seed(1)
    model = char_lm.char_lm(12, cell="gru", units=8, embedding_dim=4)
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 12, 31).astype("int32")
    primer = rng.integers(0, 12, 10).astype("int32")  # two pieces of the window's length
    reader = char_lm.copy_with(model, batch_size=None, window=None, stateful=False)
    for start_text in (np.zeros(0, "int32"), primer):
        expected = np.zeros(5)
        for index in range(6):  # 6 windows of 5 (+1 target)
            window = codes[index * 5: index * 5 + 6]
            sequence = np.concatenate([start_text, window[:-1]])
            logits = np.asarray(reader.predict_on_batch(sequence[None]))[0, len(start_text):]
            log_p = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
            expected -= log_p[np.arange(5), window[1:]] / 6
        got = char_lm.nats_by_position(model, codes, window=5, batch_size=4,
                                       primer=start_text if len(start_text) else None)
        np.testing.assert_allclose(got, expected, rtol=1e-4)
    # A primer that is not a whole number of windows loses its first characters.
    np.testing.assert_allclose(
        char_lm.nats_by_position(model, codes, window=5, primer=np.concatenate([[3, 4], primer])),
        char_lm.nats_by_position(model, codes, window=5, primer=primer), rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        char_lm.nats_of_windows(model, codes[None, :5], codes[None, :4])
    assert char_lm.evaluate_windows(model, codes, window=5, batch_size=4) == \
        pytest.approx(char_lm.nats_by_position(model, codes, window=5).mean())


def test_primed_sampler_starts_every_prefix_from_the_primer_state(tiny):
    vocab, _, result = tiny
    plain = char_lm.CharSampler(result.model, vocab)
    primed = char_lm.CharSampler(result.model, vocab, primer="the mat. the cat sat on ")
    # Reading primer + prefix from zero is the same as reading the prefix from the primed state.
    np.testing.assert_allclose(primed.next_char_probabilities("the c"),
                               plain.next_char_probabilities("the mat. the cat sat on the c"),
                               rtol=1e-4, atol=1e-6)
    first = primed.next_char_probabilities("the ")
    primed.sample("the ", 10)  # moves the state on; the next prefix starts again from the primer
    np.testing.assert_allclose(primed.next_char_probabilities("the "), first, rtol=1e-5)
    with pytest.raises(ValueError, match="state tensors"):
        char_lm.set_states(primed.reader, [])


def test_read_states_gives_the_state_after_each_character(tiny):
    vocab, _, result = tiny
    sampler = char_lm.CharSampler(result.model, vocab)
    states = sampler.read_states("the cat")
    assert states.shape == (7, 32)
    # The last state is the one the next prediction starts from: one more character read from it
    # gives the same distribution as reading the whole prefix.
    sampler.reset()
    sampler._read(vocab.encode("the ca"))
    np.testing.assert_allclose(char_lm.get_states(sampler.reader)[0][0], states[5], rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError, match="prefix is empty"):
        sampler.read_states("")


def test_conv_lm_is_causal_and_sees_exactly_its_receptive_field():
    field = char_lm.conv_receptive_field()
    assert field == 64 and char_lm.conv_receptive_field((1, 2), width=3) == 7
    keras.utils.set_random_seed(0)
    model = char_lm.conv_char_lm(12, filters=8, embedding_dim=4)
    codes = np.random.default_rng(0).integers(0, 12, size=(1, 100)).astype("int32")
    base = model.predict_on_batch(codes)
    changed = codes.copy()
    changed[0, 20] = (codes[0, 20] + 1) % 12                    # one character at position 20
    moved = model.predict_on_batch(changed)
    differs = np.abs(moved - base).max(axis=-1)[0] > 1e-6
    assert not differs[:20].any()                                # nothing before it changes
    assert differs[20] and differs[20 + field - 1]               # it and the field after it do
    assert not differs[20 + field:].any()                        # beyond the field, nothing


def test_conv_lm_trains_and_window_nats_scores_any_stateless_model():
    vocab = text.CharVocab.from_text(TINY_TEXT)
    codes = vocab.encode(TINY_TEXT)
    train, validation = text.split_by_position(codes)
    result = char_lm.train_char_lm(train, validation, vocab_size=len(vocab), cell="conv",
                                   units=16, embedding_dim=8, batch_size=8, window=32,
                                   epochs=6, peak_lr=1e-2, stateful=False, seed=0)
    nats = char_lm.window_nats(result.model, validation, window=32, score_from=16)
    assert nats < 0.5 * math.log(len(vocab))                     # far below knowing nothing
    assert "nats_per_char" not in result.test_metrics            # stateless: scored by window_nats
    with pytest.raises(ValueError, match="stateful"):
        char_lm.train_char_lm(train, None, vocab_size=len(vocab), cell="conv", stateful=True)
    with pytest.raises(ValueError, match="score_from"):
        char_lm.window_nats(result.model, validation, window=32, score_from=32)
