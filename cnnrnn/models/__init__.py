"""The course's models, one module per family: :mod:`~cnnrnn.models.mlp`, :mod:`~cnnrnn.models.cnn`,
:mod:`~cnnrnn.models.deep` (regularized MLPs, plain and residual deep stacks),
:mod:`~cnnrnn.models.recurrent` (recurrent steps by hand in NumPy, parameter formulas, gradients
through time), :mod:`~cnnrnn.models.char_lm` (the character-level language model),
:mod:`~cnnrnn.models.tagger` (the entity tagger) and :mod:`~cnnrnn.models.seq2seq` (encoder-decoders
with and without attention, a small Transformer, the reversal task).

Each module builds uncompiled Keras models and holds the training recipe its chapter uses, most
through :func:`cnnrnn.training.fit_and_evaluate`. Importing a module here imports Keras.
"""
