"""Attention written out in NumPy, one formula per function, so that a notebook can show each
step and assert it equal to the Keras layer that hides it.

Attention turns a query into a weighted average of values. A score says how well the query matches
each key; a softmax over the keys turns the scores into weights that sum to 1; the context is the
weighted sum of the values. The functions differ only in the score:

- :func:`dot_product_scores`: ``scale * q . k`` (Luong et al. 2015; ``keras.layers.Attention``).
- :func:`additive_scores`: ``sum_d v_d tanh((q W_q)_d + (k W_k)_d)`` (Bahdanau et al. 2015).
  ``keras.layers.AdditiveAttention`` is the case ``W_q = W_k = I`` (it expects projected inputs)
  with ``v`` its learned ``scale`` vector; ``Attention(score_mode="concat")`` is ``W_q = W_k = s I``
  and ``v = w 1`` with its two learned scalars.
- :func:`scaled_dot_product_attention`: ``scale = 1 / sqrt(d_k)`` (Vaswani et al. 2017), and
  :func:`multi_head_attention` around it, with the kernels of ``keras.layers.MultiHeadAttention``.

A *mask* says which keys a query may attend to (True: allowed). A masked key gets weight exactly 0;
a query with no allowed key gets all-zero weights, hence a zero context. Keras is not consistent
there: ``Attention`` and ``AdditiveAttention`` give such a row uniform weights (they subtract 1e9
from masked scores), ``keras.layers.Softmax`` gives zeros, and ``MultiHeadAttention`` gives zeros
with ``return_attention_scores=True`` but uniform weights without it (a fused kernel).

No TensorFlow here: the weights of a Keras layer are passed in as arrays. Scores and weights are
float64; shapes follow Keras: ``query (batch, Tq, d)``, ``keys`` and ``values (batch, Tv, d)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _as_array(x, name: str, min_ndim: int = 2) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < min_ndim:
        raise ValueError(f"{name} must have at least {min_ndim} dimensions (..., steps, features), "
                         f"got shape {x.shape}")
    return x


def _as_mask(mask, shape: tuple[int, ...], name: str = "mask") -> np.ndarray:
    """``mask`` as booleans broadcast to ``shape`` (True: may attend)."""
    mask = np.asarray(mask)
    if mask.dtype != bool:
        if not np.issubdtype(mask.dtype, np.integer) or not np.isin(mask, (0, 1)).all():
            raise ValueError(f"{name} must hold booleans (True: may attend), or 0 and 1; got "
                             f"dtype {mask.dtype}")
        mask = mask.astype(bool)
    try:
        return np.broadcast_to(mask, shape)
    except ValueError:
        raise ValueError(f"{name} of shape {mask.shape} does not fit shape {shape}") from None


def _key_mask(mask, scores_shape: tuple[int, ...]) -> np.ndarray:
    """An attention mask broadcast to the scores ``(batch, ..., Tq, Tv)``. A 2-D mask is a mask
    over keys, ``(batch, Tv)``: it gets the middle axes, so that it applies to every query
    (broadcast as it stands, its batch axis would meet the query axis)."""
    mask = np.asarray(mask)
    if mask.ndim == 2 and len(scores_shape) > 2:
        mask = mask.reshape(mask.shape[0], *[1] * (len(scores_shape) - 2), mask.shape[1])
    try:
        return _as_mask(mask, scores_shape)
    except ValueError:
        raise ValueError(f"mask of shape {mask.shape} does not fit scores of shape "
                         f"{scores_shape}; give (batch, Tv) for a mask over keys or "
                         "(batch, Tq, Tv)") from None


def softmax(x, axis: int = -1, mask=None) -> np.ndarray:
    """``exp(x) / sum(exp(x))`` along ``axis``, where only positions with ``mask`` True take part.

    Stable for any size of ``x``: the largest allowed value is subtracted first, which changes
    nothing mathematically but keeps ``exp`` from overflowing. Masked positions get probability 0;
    a slice with no allowed position is all zeros (there is nothing to distribute). ``mask``
    broadcasts against ``x`` as in NumPy; a ``(batch, Tv)`` mask over keys needs its query axis
    first, ``mask[:, None, :]`` (:func:`attend` adds it).
    """
    x = np.asarray(x, dtype=np.float64)
    if mask is None:
        allowed = np.ones(x.shape, dtype=bool)
    else:
        allowed = _as_mask(mask, x.shape)
    filled = np.where(allowed, x, -np.inf)
    top = filled.max(axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)  # a slice with nothing allowed: no shift needed
    exps = np.where(allowed, np.exp(filled - top), 0.0)
    total = exps.sum(axis=axis, keepdims=True)
    return np.divide(exps, total, out=np.zeros_like(exps), where=total > 0)


def dot_product_scores(query, keys, scale: float | None = None) -> np.ndarray:
    """Scores ``(..., Tq, Tv)``: ``scale * (query @ keys^T)``; no scaling when ``scale`` is None.

    ``keras.layers.Attention(use_scale=True)`` multiplies by its learned scalar ``scale``;
    Vaswani et al. use ``1 / sqrt(d_k)`` (see :func:`scaled_dot_product_attention`).
    """
    query, keys = _as_array(query, "query"), _as_array(keys, "keys")
    if query.shape[-1] != keys.shape[-1]:
        raise ValueError(f"query and keys need the same feature size for a dot product, got "
                         f"{query.shape[-1]} and {keys.shape[-1]}")
    scores = query @ np.swapaxes(keys, -1, -2)
    return scores if scale is None else scale * scores


def additive_scores(query, keys, vector=None, query_kernel=None, key_kernel=None) -> np.ndarray:
    """Scores ``(..., Tq, Tv)``: ``sum_d vector_d * tanh((query @ query_kernel)_d +
    (keys @ key_kernel)_d)``, for every pair of a query step and a key step.

    A missing kernel is the identity (query and keys must then have the same feature size) and a
    missing ``vector`` is all ones. For ``keras.layers.AdditiveAttention`` pass its ``scale``
    weight as ``vector`` (or nothing when ``use_scale=False``).
    """
    query, keys = _as_array(query, "query"), _as_array(keys, "keys")
    projected_query = query if query_kernel is None else query @ np.asarray(query_kernel)
    projected_keys = keys if key_kernel is None else keys @ np.asarray(key_kernel)
    if projected_query.shape[-1] != projected_keys.shape[-1]:
        raise ValueError(f"projected query and keys need the same feature size to be added, got "
                         f"{projected_query.shape[-1]} and {projected_keys.shape[-1]}")
    # (..., Tq, 1, d) + (..., 1, Tv, d): every query step meets every key step
    hidden = np.tanh(projected_query[..., :, None, :] + projected_keys[..., None, :, :])
    if vector is None:
        return hidden.sum(axis=-1)
    vector = np.asarray(vector, dtype=np.float64)
    if vector.shape != (hidden.shape[-1],):
        raise ValueError(f"vector must have shape ({hidden.shape[-1]},), got {vector.shape}")
    return hidden @ vector


def attend(query, keys, values, kind: str = "dot", mask=None, query_mask=None, *,
           scale: float | None = None, vector=None, query_kernel=None,
           key_kernel=None) -> tuple[np.ndarray, np.ndarray]:
    """``(context, weights)``: attention of ``query`` over ``keys``, averaging ``values``.

    ``kind`` picks the score: ``"dot"`` (:func:`dot_product_scores`, takes ``scale``) or
    ``"additive"`` (:func:`additive_scores`, takes ``vector`` and the kernels). ``mask``
    ``(batch, Tv)`` or ``(batch, Tq, Tv)`` says which keys each query may attend to. ``query_mask``
    ``(batch, Tq)`` zeroes the context of masked query steps (padding), as Keras does; their weights
    are returned as computed. Returns ``context (batch, Tq, d_v)`` and ``weights (batch, Tq, Tv)``.
    """
    if kind == "dot":
        if vector is not None or query_kernel is not None or key_kernel is not None:
            raise ValueError("vector, query_kernel and key_kernel belong to kind='additive'")
        scores = dot_product_scores(query, keys, scale)
    elif kind == "additive":
        if scale is not None:
            raise ValueError("scale belongs to kind='dot'; an additive score is scaled by vector")
        scores = additive_scores(query, keys, vector, query_kernel, key_kernel)
    else:
        raise ValueError(f"kind must be 'dot' or 'additive', not {kind!r}")
    values = _as_array(values, "values")
    if values.shape[-2] != scores.shape[-1]:
        raise ValueError(f"keys and values need the same number of steps, got {scores.shape[-1]} "
                         f"and {values.shape[-2]}")
    if mask is not None:
        mask = _key_mask(mask, scores.shape)
    weights = softmax(scores, mask=mask)
    context = weights @ values
    if query_mask is not None:
        keep = _as_mask(query_mask, scores.shape[:-1], "query_mask")
        context = np.where(keep[..., None], context, 0.0)
    return context, weights


def scaled_dot_product_attention(query, keys, values, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """``(softmax(Q K^T / sqrt(d_k)) V, weights)`` (Vaswani et al. 2017), over any leading axes.

    Dividing by ``sqrt(d_k)`` keeps the scores' spread near 1 whatever the key size: a dot product
    of ``d_k`` terms of unit variance has variance ``d_k``, and large scores would saturate the
    softmax into a near one-hot whose gradients vanish.
    """
    keys = _as_array(keys, "keys")
    return attend(query, keys, values, "dot", mask, scale=1.0 / np.sqrt(keys.shape[-1]))


def multi_head_attention(query, value, weights: Sequence, key=None,
                         mask=None) -> tuple[np.ndarray, np.ndarray]:
    """``(output, weights)`` of multi-head attention with the kernels of a
    ``keras.layers.MultiHeadAttention`` layer, ``weights = layer.get_weights()``:

    query kernel ``(d_q, heads, key_dim)`` and bias ``(heads, key_dim)``, key kernel and bias
    (same, from ``d_k``), value kernel ``(d_v, heads, value_dim)`` and bias, output kernel
    ``(heads, value_dim, d_out)`` and bias ``(d_out,)``; without the biases when the layer has
    ``use_bias=False``. Each head projects, runs :func:`scaled_dot_product_attention`, and the
    output kernel mixes the heads' contexts back to ``d_out`` features. ``mask`` is the layer's
    ``attention_mask``, ``(batch, Tq, Tv)``, or a ``(batch, Tv)`` mask over keys. Returns
    ``output (batch, Tq, d_out)`` and ``weights (batch, heads, Tq, Tv)``.
    """
    arrays = [np.asarray(w, dtype=np.float64) for w in weights]
    if len(arrays) == 4:
        arrays = [arrays[0], None, arrays[1], None, arrays[2], None, arrays[3], None]
    elif len(arrays) != 8:
        raise ValueError(f"weights must be the layer's 8 arrays (4 without biases), got "
                         f"{len(arrays)}")
    q_kernel, q_bias, k_kernel, k_bias, v_kernel, v_bias, o_kernel, o_bias = arrays
    if q_kernel.ndim != 3 or o_kernel.ndim != 3:
        raise ValueError("expected kernels of a MultiHeadAttention over (batch, steps, features): "
                         f"query kernel {q_kernel.shape}, output kernel {o_kernel.shape}")
    query = _as_array(query, "query", 3)
    value = _as_array(value, "value", 3)
    key = value if key is None else _as_array(key, "key", 3)

    def project(x, kernel, bias):  # (batch, T, d) -> (batch, heads, T, size)
        out = np.einsum("btd,dnh->bnth", x, kernel)
        return out if bias is None else out + bias[None, :, None, :]

    if mask is not None and np.ndim(mask) == 3:
        mask = np.asarray(mask)[:, None]  # (batch, Tq, Tv): the same mask for every head
    context, attention = scaled_dot_product_attention(
        project(query, q_kernel, q_bias), project(key, k_kernel, k_bias),
        project(value, v_kernel, v_bias), mask)
    output = np.einsum("bnth,nho->bto", context, o_kernel)
    return (output if o_bias is None else output + o_bias), attention
