"""cnnrnn.ner: vocabularies with an unknown id, word keys and shapes, encoding and bucketed
batches, the most-frequent-tag baseline, BIO-respecting Viterbi decoding (checked against brute
force), and the seqeval wrappers (checked on hand-made cases)."""

import itertools
from collections import Counter

import numpy as np
import pytest

from cnnrnn import ner

TAGS = ["O", "B-LOC", "I-LOC", "B-PER", "I-PER"]
TRAIN = [
    (["President", "Roosevelt", "spoke", "."], ["O", "B-PER", "O", "O"]),
    (["Roosevelt", "Street", "in", "New", "York"], ["B-LOC", "I-LOC", "O", "B-LOC", "I-LOC"]),
    (["@", "obama", "visits", "Paris", "http://t.co/x1"], ["B-PER", "B-PER", "O", "B-LOC", "O"]),
]


def test_vocabulary_reserves_padding_and_unknown():
    vocab = ner.Vocabulary.from_counts(Counter({"b": 2, "a": 2, "c": 1}), min_count=2)
    assert vocab.tokens == ["a", "b"] and len(vocab) == 4
    assert (vocab.encode("a"), vocab.encode("b"), vocab.encode("c")) == (2, 3, ner.UNK)
    assert vocab.decode(0) == ner.PAD_TOKEN and vocab.decode(1) == ner.UNK_TOKEN
    assert "a" in vocab and "c" not in vocab
    with pytest.raises(IndexError):
        vocab.decode(4)
    with pytest.raises(ValueError, match="reserved"):
        ner.Vocabulary(["<unk>"])
    with pytest.raises(ValueError, match="min_count"):
        ner.Vocabulary.from_counts(Counter("ab"), min_count=0)


def test_word_key_and_casing():
    assert ner.word_key("OBAMA") == ner.word_key("Obama") == "obama"
    assert ner.word_key("2016") == "0000"
    assert ner.word_key("http://t.co/abc") == ner.word_key("https://x.y") == "<url>"
    shape = lambda w: ner.CASINGS[ner.casing(w)]  # noqa: E731
    assert [shape(w) for w in ["the", "Paris", "NASA", "iPhone", "4G", "!!", "@", "@bbc",
                               "#ff", "http://t.co/x", "I", ""]] == [
        "lower", "title", "upper", "mixed", "digit", "punct", "mention", "mention", "hashtag",
        "url", "title", "other"]


def test_inputs_are_built_from_training_sentences_only():
    inputs = ner.TaggingInputs.build(TRAIN)
    assert inputs.tags == TAGS[:1] + ["B-LOC", "I-LOC", "B-PER", "I-PER"]
    assert "roosevelt" in inputs.words and "<url>" in inputs.words
    assert ner.TaggingInputs.build(TRAIN, min_count=2).words.tokens == ["roosevelt"]
    with pytest.raises(ValueError, match="not BIO"):
        ner.TaggingInputs.build([(["x"], ["PER"])])
    with pytest.raises(ValueError, match="2 tokens but 1 tags"):
        ner.TaggingInputs.build([(["x", "y"], ["O"])])
    with pytest.raises(ValueError, match="no sentences"):
        ner.TaggingInputs.build([])


def test_encode_pads_and_maps_unknown_words_and_characters():
    inputs = ner.TaggingInputs.build(TRAIN, max_word_chars=4)
    arrays = ner.encode([(["Roosevelt", "Ωmega"], ["B-PER", "O"])], inputs, length=3)
    assert arrays["words"].shape == (1, 3) and arrays["chars"].shape == (1, 3, 4)
    assert arrays["words"][0, 1] == ner.UNK and arrays["words"][0, 2] == ner.PAD
    assert arrays["chars"][0, 1, 0] == ner.UNK  # a character never seen in training
    assert arrays["chars"][0, 2].tolist() == [0, 0, 0, 0]
    assert arrays["mask"].tolist() == [[1, 1, 0]]
    assert arrays["tags"][0, 0] == inputs.tag_index["B-PER"]
    with pytest.raises(ValueError, match="shorter"):
        ner.encode(TRAIN, inputs, length=2)
    with pytest.raises(ValueError, match="not among"):
        ner.encode([(["x"], ["B-ORG"])], inputs)


def test_batches_cover_every_sentence_once_cut_to_their_length():
    rng = np.random.default_rng(0)
    sentences = [(["w"] * n, ["O"] * n) for n in rng.integers(1, 30, size=100)]
    inputs = ner.TaggingInputs.build(sentences)
    arrays = ner.encode(sentences, inputs)
    seen = 0
    for batch_inputs, tags, mask in ner.batches(arrays, 8, seed=1):
        width = tags.shape[1]
        assert width % 8 == 0 or width == arrays["tags"].shape[1]
        assert mask.sum(axis=1).max() > width - 8  # no batch padded beyond its longest + 7
        assert batch_inputs["chars"].shape[:2] == tags.shape
        seen += mask.sum()
    assert seen == arrays["mask"].sum()
    ordered = list(ner.batches(arrays, 8))
    assert np.array_equal(ordered[0][2].sum(axis=1), arrays["mask"][:8].sum(axis=1))


def test_most_frequent_tag_baseline():
    tag = ner.most_frequent_tag_baseline(TRAIN + [(["Roosevelt"], ["B-PER"])])
    assert tag([["Roosevelt", "Street", "Zork"]]) == [["B-PER", "I-LOC", "O"]]
    assert tag([TRAIN[2]]) == [TRAIN[2][1]]


def test_allowed_transitions_follow_bio():
    start, transition = ner.allowed_transitions(TAGS)
    assert start.tolist() == [True, True, False, True, False]
    index = {t: i for i, t in enumerate(TAGS)}
    assert not transition[index["O"], index["I-PER"]]
    assert not transition[index["B-LOC"], index["I-PER"]]
    assert transition[index["B-PER"], index["I-PER"]] and transition[index["I-PER"], index["I-PER"]]
    assert transition[index["I-LOC"], index["B-PER"]] and transition[index["B-PER"], index["B-PER"]]


def _valid(path):
    return all(not t.startswith("I-") or (p is not None and p[2:] == t[2:] and p != "O")
               for p, t in zip([None, *path], path))


@pytest.mark.parametrize("seed", range(5))
def test_viterbi_finds_the_best_valid_sequence(seed):
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.ones(len(TAGS)) * 0.5, size=5)
    best = max((path for path in itertools.product(TAGS, repeat=5) if _valid(path)),
               key=lambda path: sum(np.log(probabilities[t, TAGS.index(tag)])
                                    for t, tag in enumerate(path)))
    assert ner.viterbi_decode(probabilities, TAGS) == list(best)


def test_viterbi_repairs_what_greedy_decoding_breaks():
    probabilities = np.array([[0.6, 0.0, 0.0, 0.3, 0.1],    # O, but B-PER is close
                              [0.1, 0.0, 0.0, 0.1, 0.8]])   # I-PER
    assert ner.greedy_decode(probabilities, TAGS) == ["O", "I-PER"]
    assert ner.viterbi_decode(probabilities, TAGS) == ["B-PER", "I-PER"]
    assert ner.viterbi_decode(np.zeros((0, 5)), TAGS) == []
    with pytest.raises(ValueError, match=r"\(T, 5\)"):
        ner.viterbi_decode(np.ones((2, 3)), TAGS)


def test_entity_scores_count_whole_entities():
    true = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "O"]]
    predicted = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "O"]]  # PER cut short
    scores = ner.entity_scores(true, predicted)
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert scores["token_accuracy"] == pytest.approx(5 / 6)
    table = ner.per_type_table(true, predicted)
    assert table["PER"]["f1"] == 0 and table["LOC"]["f1"] == 1 and table["PER"]["support"] == 1
    assert table["micro avg"]["support"] == 3
    with pytest.raises(ValueError, match="2 true tags but 1"):
        ner.entity_scores([["O", "O"]], [["O"]])


def test_confusion_counts_sort_errors_by_kind():
    true = [["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "O"]]
    predicted = [["B-PER", "O", "O", "B-PER", "O", "O", "B-LOC"]]
    assert ner.confusion_counts(true, predicted) == Counter({
        ("PER", "boundary"): 1, ("LOC", "PER"): 1, ("ORG", "missed"): 1, ("none", "LOC"): 1})


def test_tag_statistics_and_unknown_share():
    stats = ner.tag_statistics(TRAIN)
    assert stats["entities"] == 6 and stats["per_type"] == {"LOC": 3, "PER": 3}
    assert stats["words"] == 14 and stats["outside_share"] == pytest.approx(6 / 14)
    inputs = ner.TaggingInputs.build(TRAIN)
    assert ner.unknown_share([(["Roosevelt", "Zork"], ["O", "O"])], inputs) == 0.5


def test_mention_conventions_and_harmonizing():
    sentences = [(["@", "bbc", "hi", "@", "ann"], ["B-ORG", "B-ORG", "O", "O", "B-PER"]),
                 (["@", "x"], ["O", "O"])]
    assert ner.mention_conventions(sentences) == Counter(
        {("B-ORG", "B-ORG"): 1, ("O", "B-PER"): 1, ("O", "O"): 1})
    harmonized, changed = ner.harmonize_mentions(sentences)
    assert changed == 1
    assert harmonized[0][1] == ["B-ORG", "B-ORG", "O", "B-PER", "B-PER"]
    assert harmonized[1] == sentences[1]  # a name tagged O is left alone
    assert sentences[0][1][3] == "O"  # the input is not modified


def test_benchmark_records_the_published_label_baseline_and_each_target_half(monkeypatch):
    """benchmarks/ner.py: the baseline row keeps its F1 on the labels as published beside the
    retagged one, and the BiLSTM row says which half of the target (level, gap) was reached."""
    from benchmarks import ner as module
    from cnnrnn.training import TrainResult

    published = [(["@", "bbc", "news"], ["O", "B-ORG", "O"]), (["Paris"], ["B-LOC"])]
    retagged = [(["@", "bbc", "news"], ["B-ORG", "B-ORG", "O"]), (["Paris"], ["B-LOC"])]
    f1 = {False: (0.675, 0.677, 0.678), True: (0.670, 0.673, 0.677)}  # gap within the spread

    class Model:
        def count_params(self):
            return 1

    def fake_train(train, dev, test, *, bidirectional, seed):
        value = f1[bidirectional][module.SEEDS.index(seed)]
        return TrainResult(Model(), {}, {"f1": value, "precision": value, "recall": value}, 50.0,
                           8, extra={"dev_f1": [value], "best_epoch": 1})

    monkeypatch.setattr(module.data, "load_ner",
                        lambda corpus, split: published if split == "train" else retagged)
    monkeypatch.setattr(module.tagger, "train_tagger", fake_train)
    rows = module.ner_btc()
    baseline, bilstm = rows["ner_btc_baseline"], rows["ner_btc_bilstm"]
    assert baseline["value"] == pytest.approx(1.0)
    # Trained on the published labels, the baseline tags the "@" O: one of three entities lost.
    assert baseline["value_published_labels"] == pytest.approx(0.8)
    assert baseline["retagged_at"] == 1
    assert bilstm["level_reached"] is True and bilstm["gap_reached"] is False
    assert bilstm["f1_target_reached"] is False
    assert bilstm["spread"] == pytest.approx(0.007) and bilstm["target_K"] == 1.0
