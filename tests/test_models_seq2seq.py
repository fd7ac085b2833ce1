"""The attention chapter's encoder-decoders, greedy decoding and the reversal task."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn.models import seq2seq  # noqa: E402

VOCAB = 7


def codes(rng, batch, steps, pad_from=None):
    x = rng.integers(1, VOCAB, size=(batch, steps)).astype("int32")
    if pad_from is not None:
        x[:, pad_from:] = 0
    return x


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("attention", [None, "dot", "additive"])
def test_lstm_seq2seq_gives_one_distribution_per_output_step(attention, bidirectional):
    model = seq2seq.build_lstm_seq2seq(VOCAB, VOCAB + 1, units=8, embedding_dim=4, attention=attention,
                                       bidirectional=bidirectional)
    rng = np.random.default_rng(0)
    logits = model.predict([codes(rng, 3, 6), codes(rng, 3, 4)], verbose=0)
    assert logits.shape == (3, 4, VOCAB + 1)


def test_an_unknown_attention_kind_or_odd_bidirectional_width_is_refused():
    with pytest.raises(ValueError, match="attention must be one of"):
        seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, attention="cosine")
    with pytest.raises(ValueError, match="even number of units"):
        seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=7, bidirectional=True)


@pytest.mark.parametrize("attention", ["dot", "additive"])
def test_alignment_weights_are_distributions_over_the_real_input_steps(attention):
    keras.utils.set_random_seed(0)
    model = seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=8, embedding_dim=4, attention=attention)
    rng = np.random.default_rng(1)
    encoder_codes = codes(rng, 2, 6, pad_from=4)
    weights = seq2seq.alignment_model(model).predict([encoder_codes, codes(rng, 2, 3)], verbose=0)
    assert weights.shape == (2, 3, 6)
    np.testing.assert_allclose(weights.sum(-1), 1, rtol=1e-5)
    np.testing.assert_allclose(weights[:, :, 4:], 0, atol=1e-6)
    assert (weights[:, :, :4] > 0).all()


def test_padding_the_input_changes_nothing():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    encoder_codes, decoder_codes = codes(rng, 2, 5), codes(rng, 2, 3)
    padded = np.pad(encoder_codes, ((0, 0), (0, 4)))
    for model in (seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=8, attention="dot"),
                  seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=8, bidirectional=True),
                  seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 12, dim=8, heads=2, feed_forward=16)):
        np.testing.assert_allclose(model.predict([encoder_codes, decoder_codes], verbose=0),
                                   model.predict([padded, decoder_codes], verbose=0), atol=1e-5)


def test_alignment_model_needs_attention():
    with pytest.raises(ValueError, match="no layer named 'attention'"):
        seq2seq.alignment_model(seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=4))


def test_transformer_decoder_does_not_look_ahead():
    keras.utils.set_random_seed(0)
    model = seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 8, dim=8, heads=2, feed_forward=16)
    rng = np.random.default_rng(3)
    encoder_codes, decoder_codes = codes(rng, 2, 6), codes(rng, 2, 5)
    changed = decoder_codes.copy()
    changed[:, 3:] = (changed[:, 3:] % (VOCAB - 1)) + 1  # different, still non-zero codes
    before = model.predict([encoder_codes, decoder_codes], verbose=0)
    after = model.predict([encoder_codes, changed], verbose=0)
    np.testing.assert_allclose(before[:, :3], after[:, :3], atol=1e-5)
    assert not np.allclose(before[:, 3:], after[:, 3:])


def test_transformer_settings_are_checked():
    with pytest.raises(ValueError, match="multiple of heads"):
        seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 8, dim=10, heads=4)
    with pytest.raises(ValueError, match="max_length"):
        seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 0)


def test_greedy_decoding_feeds_back_its_own_choices():
    keras.utils.set_random_seed(0)
    model = seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=8, attention="dot")
    encoder_codes = codes(np.random.default_rng(4), 3, 5)
    generated = seq2seq.greedy_decode(model, encoder_codes, 4, start_code=VOCAB - 1)
    assert generated.shape == (3, 4) and generated.dtype == np.int32
    decoder_codes = np.concatenate([np.full((3, 1), VOCAB - 1), generated[:, :-1]], 1)
    teacher_forced = model.predict([encoder_codes, decoder_codes], verbose=0).argmax(-1)
    np.testing.assert_array_equal(teacher_forced, generated)


def test_greedy_decoding_refuses_bad_input():
    model = seq2seq.build_lstm_seq2seq(VOCAB, VOCAB, units=4)
    with pytest.raises(ValueError, match="non-empty"):
        seq2seq.greedy_decode(model, np.zeros((0, 3)), 2, start_code=1)
    with pytest.raises(ValueError, match="steps"):
        seq2seq.greedy_decode(model, np.ones((1, 3)), 0, start_code=1)


def test_reversal_batches_are_teacher_forcing_arrays():
    task = seq2seq.ReversalTask(lengths=(3, 5), symbols=4)
    assert (task.vocab, task.start_code, task.max_length) == (6, 5, 5)
    encoder_codes, decoder_codes, targets = task.batch(4, 3, seed=0)
    assert encoder_codes.shape == decoder_codes.shape == targets.shape == (4, 5)
    np.testing.assert_array_equal(targets[:, :3], encoder_codes[:, 2::-1])
    np.testing.assert_array_equal(decoder_codes[:, 0], task.start_code)
    np.testing.assert_array_equal(decoder_codes[:, 1:3], targets[:, :2])
    assert (encoder_codes[:, 3:] == 0).all() and (decoder_codes[:, 3:] == 0).all() and (targets[:, 3:] == 0).all()
    assert encoder_codes[:, :3].min() >= 1 and encoder_codes.max() <= 4


def test_reversal_training_set_mixes_the_lengths_equally():
    task = seq2seq.ReversalTask(lengths=(2, 4, 6))
    (encoder_codes, decoder_codes), targets = task.training_set(30, seed=1)
    lengths = (encoder_codes > 0).sum(1)
    assert sorted(np.bincount(lengths)[[2, 4, 6]]) == [10, 10, 10]
    (_, _), uneven = task.training_set(31, seed=1)
    assert len(uneven) == 31
    assert len(set(lengths[:5])) > 1  # shuffled, not in blocks
    again = task.training_set(30, seed=1)
    np.testing.assert_array_equal(again[1], targets)


def test_reversal_task_refuses_bad_lengths():
    with pytest.raises(ValueError, match="lengths"):
        seq2seq.ReversalTask(lengths=())
    with pytest.raises(ValueError, match="every length"):
        seq2seq.ReversalTask(lengths=(3, 0))


def test_attention_learns_to_reverse_short_sequences():
    task = seq2seq.ReversalTask(lengths=(4,), symbols=4)
    run = seq2seq.train_on_reversal("lstm_attention", task, examples=4000, epochs=8, seed=0,
                                    test_per_length=200)
    assert run.params == run.model.count_params() and run.seconds > 0
    # An untrained model gets a 4-symbol reversal right by chance with probability 4 ** -4 < 0.01.
    assert run.exact_match[4] > 0.5, run.exact_match


def test_an_unknown_model_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be"):
        seq2seq.train_on_reversal("gru", seq2seq.ReversalTask(lengths=(3,)), examples=10, epochs=1, seed=0)


def test_without_positions_the_encoder_cannot_tell_the_order():
    keras.utils.set_random_seed(0)
    model = seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 8, dim=8, heads=2, feed_forward=16, positions=False)
    rng = np.random.default_rng(5)
    encoder_codes, decoder_codes = codes(rng, 2, 6), codes(rng, 2, 4)
    shuffled = encoder_codes[:, ::-1]
    np.testing.assert_allclose(model.predict([encoder_codes, decoder_codes], verbose=0),
                               model.predict([shuffled, decoder_codes], verbose=0), atol=1e-5)
    with_positions = seq2seq.build_transformer_seq2seq(VOCAB, VOCAB, 8, dim=8, heads=2, feed_forward=16)
    assert not np.allclose(with_positions.predict([encoder_codes, decoder_codes], verbose=0),
                           with_positions.predict([shuffled, decoder_codes], verbose=0), atol=1e-5)
