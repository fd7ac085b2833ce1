"""cnnrnn.attention: the NumPy softmax is stable and respects masks, and every score equals the
Keras layer it explains (Attention with and without its scale, its concat mode, AdditiveAttention,
MultiHeadAttention), masks and returned weights included."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cnnrnn import attention as att  # noqa: E402

ATOL = 1e-5


def _inputs(seed=0, batch=2, tq=3, tv=5, d=4):
    rng = np.random.default_rng(seed)
    query, value, key = (rng.normal(size=(batch, t, d)).astype("float32")
                         for t in (tq, tv, tv))
    # Row 0 may attend to every key; row 1 only to the first three (the rest is padding).
    value_mask = np.array([[True] * tv, [True] * 3 + [False] * (tv - 3)])
    query_mask = np.array([[True] * tq, [True] * (tq - 1) + [False]])
    return query, value, key, query_mask, value_mask


def _call(layer, inputs, masks):
    output, weights = layer(inputs, mask=masks, return_attention_scores=True)
    return np.asarray(output), np.asarray(weights)


def test_softmax_rows_sum_to_one_and_survive_huge_scores():
    x = np.random.default_rng(1).normal(size=(4, 7)) * 1e4   # exp(1e4) would overflow
    p = att.softmax(x)
    assert np.isfinite(p).all() and (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(att.softmax(x[:, :3] / 1e4), np.asarray(
        keras.ops.softmax(x[:, :3] / 1e4)), atol=1e-6)
    np.testing.assert_allclose(att.softmax(np.ones((2, 3)), axis=0), 0.5)


def test_softmax_gives_masked_positions_zero_and_an_empty_row_zeros():
    x = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [5.0, 5.0, 5.0]])
    mask = np.array([[True, True, True], [True, False, True], [False, False, False]])
    p = att.softmax(x, mask=mask)
    assert p[1, 1] == 0.0
    np.testing.assert_allclose(p[1, [0, 2]], att.softmax(np.array([1.0, 3.0])))  # renormalised
    np.testing.assert_array_equal(p[2], 0.0)                 # nothing to attend to
    np.testing.assert_allclose(p[:2].sum(axis=-1), 1.0)
    np.testing.assert_allclose(att.softmax(x, mask=mask.astype(int)), p)  # 0/1 works too


@pytest.mark.parametrize("use_scale", [False, True])
def test_dot_product_equals_keras_attention(use_scale):
    query, value, key, query_mask, value_mask = _inputs()
    layer = keras.layers.Attention(use_scale=use_scale)
    layer([query, value, key])
    if use_scale:
        layer.set_weights([np.array(0.37, dtype="float32")])   # not the initial 1.0
    expected_output, expected_weights = _call(layer, [query, value, key], [query_mask, value_mask])
    scale = float(layer.get_weights()[0]) if use_scale else None
    context, weights = att.attend(query, key, value, "dot", value_mask, query_mask, scale=scale)
    np.testing.assert_allclose(weights, expected_weights, atol=ATOL)
    np.testing.assert_allclose(context, expected_output, atol=ATOL)
    assert (weights[1, :, 3:] == 0).all() and (context[1, -1] == 0).all()


def test_dot_product_without_masks_and_key_equals_keras_attention():
    query, value, *_ = _inputs(seed=2)
    output, weights = keras.layers.Attention()([query, value], return_attention_scores=True)
    context, ours = att.attend(query, value, value)
    np.testing.assert_allclose(ours, np.asarray(weights), atol=ATOL)
    np.testing.assert_allclose(context, np.asarray(output), atol=ATOL)


@pytest.mark.parametrize("use_scale", [False, True])
def test_concat_score_mode_equals_keras_attention(use_scale):
    query, value, key, query_mask, value_mask = _inputs(seed=3)
    layer = keras.layers.Attention(use_scale=use_scale, score_mode="concat")
    layer([query, value, key])
    # Weights in creation order: scale (if any), then concat_score_weight; both start at 1.
    layer.set_weights([np.array(w, dtype="float32") for w in ([0.6, 1.7] if use_scale else [1.7])])
    expected_output, expected_weights = _call(layer, [query, value, key], [query_mask, value_mask])
    scale, concat_weight = (0.6, 1.7) if use_scale else (1.0, 1.7)
    d = query.shape[-1]
    # keras: concat_weight * sum(tanh(scale * (q + k))), i.e. W_q = W_k = scale * I, v = w * 1
    context, weights = att.attend(query, key, value, "additive", value_mask, query_mask,
                                  vector=np.full(d, concat_weight),
                                  query_kernel=scale * np.eye(d), key_kernel=scale * np.eye(d))
    np.testing.assert_allclose(weights, expected_weights, atol=ATOL)
    np.testing.assert_allclose(context, expected_output, atol=ATOL)


@pytest.mark.parametrize("use_scale", [False, True])
def test_additive_equals_keras_additive_attention(use_scale):
    query, value, key, query_mask, value_mask = _inputs(seed=4)
    layer = keras.layers.AdditiveAttention(use_scale=use_scale)
    expected_output, expected_weights = _call(layer, [query, value, key], [query_mask, value_mask])
    vector = layer.get_weights()[0] if use_scale else None     # a learned vector, one per feature
    assert vector is None or vector.shape == (query.shape[-1],)
    context, weights = att.attend(query, key, value, "additive", value_mask, query_mask,
                                  vector=vector)
    np.testing.assert_allclose(weights, expected_weights, atol=ATOL)
    np.testing.assert_allclose(context, expected_output, atol=ATOL)


def test_additive_with_kernels_is_bahdanau():
    rng = np.random.default_rng(5)
    query, keys = rng.normal(size=(1, 2, 3)), rng.normal(size=(1, 4, 6))
    w_q, w_k, v = rng.normal(size=(3, 5)), rng.normal(size=(6, 5)), rng.normal(size=5)
    scores = att.additive_scores(query, keys, v, w_q, w_k)
    i, j = 1, 2   # one pair written out: v . tanh(W_q^T q_i + W_k^T k_j)
    assert scores[0, i, j] == pytest.approx(v @ np.tanh(query[0, i] @ w_q + keys[0, j] @ w_k))


def test_scaled_dot_product_attention_divides_by_sqrt_dk():
    query, value, key, _, value_mask = _inputs(seed=6, d=16)
    context, weights = att.scaled_dot_product_attention(query, key, value, value_mask)
    query, key, value = (x.astype(np.float64) for x in (query, key, value))
    expected = att.softmax(query @ key.transpose(0, 2, 1) / 4.0, mask=value_mask[:, None, :])
    np.testing.assert_allclose(weights, expected, atol=1e-12)
    np.testing.assert_allclose(context, expected @ value, atol=1e-12)


@pytest.mark.parametrize("heads, return_scores", [(1, True), (1, False), (2, True)])
def test_multi_head_attention_equals_keras(heads, return_scores):
    query, value, key, _, value_mask = _inputs(seed=7, d=6)
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=3, value_dim=2)
    layer(query, value, key)
    rng = np.random.default_rng(8)   # random biases too, so that they are tested
    layer.set_weights([rng.normal(scale=0.5, size=w.shape).astype("float32")
                       for w in layer.get_weights()])
    shapes = [w.shape for w in layer.get_weights()]
    assert shapes[0] == (6, heads, 3) and shapes[6] == (heads, 2, 6) and shapes[7] == (6,)
    # (batch, Tq, Tv): every query sees only the keys its row of value_mask allows
    attention_mask = np.broadcast_to(value_mask[:, None, :], (2, 3, 5))
    result = layer(query, value, key, attention_mask=attention_mask,
                   return_attention_scores=return_scores)
    output, weights = att.multi_head_attention(query, value, layer.get_weights(), key,
                                               attention_mask)
    np.testing.assert_allclose(output, np.asarray(result[0] if return_scores else result),
                               atol=ATOL)
    if return_scores:
        np.testing.assert_allclose(weights, np.asarray(result[1]), atol=ATOL)
    same, _ = att.multi_head_attention(query, value, layer.get_weights(), key, value_mask)
    np.testing.assert_allclose(same, output)                  # a key mask says the same


def test_multi_head_attention_without_biases():
    query, value, *_ = _inputs(seed=9)
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=4, use_bias=False)
    expected = np.asarray(layer(query, value))
    assert len(layer.get_weights()) == 4
    output, _ = att.multi_head_attention(query, value, layer.get_weights())
    np.testing.assert_allclose(output, expected, atol=ATOL)


def test_bad_input_is_a_clear_error():
    query, value, key, _, value_mask = _inputs()
    with pytest.raises(ValueError, match="kind must be 'dot' or 'additive'"):
        att.attend(query, key, value, "cosine")
    with pytest.raises(ValueError, match="same feature size"):
        att.dot_product_scores(query, key[..., :3])
    with pytest.raises(ValueError, match="same number of steps"):
        att.attend(query, key, value[:, :4])
    with pytest.raises(ValueError, match="does not fit scores"):
        att.attend(query, key, value, mask=value_mask[:, :4])
    with pytest.raises(ValueError, match="booleans"):
        att.softmax(np.zeros(3), mask=[0.5, 1.0, 1.0])
    with pytest.raises(ValueError, match="belong to kind='additive'"):
        att.attend(query, key, value, "dot", vector=np.ones(4))
    with pytest.raises(ValueError, match=r"vector must have shape \(4,\)"):
        att.additive_scores(query, key, vector=np.ones(3))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        att.dot_product_scores(np.ones(4), key)
    with pytest.raises(ValueError, match="8 arrays"):
        att.multi_head_attention(query, value, [np.ones((4, 1, 4))] * 3)
