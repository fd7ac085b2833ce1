"""cnnrnn.autocorrect.noise and .vocabulary: the keyboard map, each error kind on hand-made words,
seeded generation (same seed, same list; every kind produced; keyboard neighbours dominate the
substitutions), and pyspellchecker's word list read from the installed package."""

from collections import Counter

import numpy as np
import pytest

from cnnrnn.autocorrect import noise, vocabulary

WORDS = ["network", "beginning", "receive", "physics", "possible", "separate", "knowledge",
         "station", "accommodate", "necessary", "tomorrow", "different", "committee", "quick",
         "because", "believe", "government", "address", "which", "eight"]


def test_keyboard_neighbours_are_symmetric_and_right_on_known_keys():
    nb = noise.KEYBOARD_NEIGHBOURS
    assert set(nb) == set(noise.LETTERS)
    assert nb["g"] == "bfhtvy" and nb["q"] == "aw" and nb["m"] == "jkn"
    for a, near in nb.items():
        assert a not in near
        for b in near:
            assert a in nb[b], (a, b)


@pytest.mark.parametrize("kind", noise.KINDS)
def test_each_kind_changes_the_word_as_named(kind):
    rng = np.random.default_rng(0)
    for word in ["network", "beginning", "physics", "separate", "knowledge", "station"]:
        if kind not in noise.applicable_kinds(word):
            continue
        for _ in range(20):
            wrong = noise.apply_error(word, kind, rng)
            assert wrong != word, (word, kind)
            diff = [i for i in range(min(len(word), len(wrong))) if word[i] != wrong[i]]
            if kind in ("deletion", "undoubling"):
                assert any(word[:i] + word[i + 1:] == wrong for i in range(len(word)))
            if kind == "undoubling":
                assert any(word[i] == word[i + 1] == wrong[i] for i in range(len(wrong) - 1))
            if kind in ("insertion", "doubling"):
                assert any(wrong[:i] + wrong[i + 1:] == word for i in range(len(wrong)))
            if kind == "doubling":
                assert any(wrong[i] == wrong[i + 1] and wrong[:i] + wrong[i + 1:] == word
                           for i in range(len(wrong) - 1))
            if kind in ("substitution", "vowel"):
                assert len(wrong) == len(word) and len(diff) == 1
            if kind == "vowel":
                assert word[diff[0]] in noise.VOWELS and wrong[diff[0]] in noise.VOWELS
            if kind == "transposition":
                assert len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(wrong) == sorted(word)


def test_kinds_that_cannot_apply_are_refused():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="cannot apply"):
        noise.apply_error("network", "undoubling", rng)
    with pytest.raises(ValueError, match="kind must be"):
        noise.apply_error("network", "typo", rng)
    with pytest.raises(ValueError, match="alphabetic"):
        noise.misspell("", rng)
    with pytest.raises(ValueError, match="unknown error kinds"):
        noise.misspell("network", rng, weights={"typo": 1.0})


def test_phonetic_rules_on_hand_examples():
    rng = np.random.default_rng(0)
    seen = {noise.apply_error("physics", "phonetic", rng) for _ in range(200)}
    assert "fysics" in seen and "physiks" in seen
    seen = {noise.apply_error("receive", "phonetic", rng) for _ in range(200)}
    assert "recieve" in seen
    seen = {noise.apply_error("possible", "phonetic", rng) for _ in range(200)}
    assert "possable" in seen
    seen = {noise.apply_error("station", "phonetic", rng) for _ in range(200)}
    assert "stashun" in seen and "stasion" in seen
    seen = {noise.apply_error("knowledge", "phonetic", rng) for _ in range(200)}
    assert "nowledge" in seen
    # Silent letters are only dropped, never added.
    assert "phonetic" not in noise.applicable_kinds("ran")
    seen = {noise.apply_error("warmly", "phonetic", rng) for _ in range(100)}
    assert "warmli" in seen and not any("mb" in w or "wh" in w for w in seen)


def test_same_seed_same_misspellings_and_tags():
    a = noise.generate(WORDS * 5, seed=7)
    b = noise.generate(WORDS * 5, seed=7)
    c = noise.generate(WORDS * 5, seed=8)
    assert a == b and a != c
    assert all(m.wrong != m.right and m.kinds for m in a)
    assert [m.right for m in a] == WORDS * 5  # every word of this list can be misspelled


def test_every_kind_is_produced_and_two_errors_happen():
    made = noise.generate(WORDS * 50, seed=0, two_error_rate=0.3)
    counts = Counter(k for m in made for k in m.kinds)
    assert set(counts) == set(noise.KINDS), counts
    two = sum(len(m.kinds) == 2 for m in made) / len(made)
    assert 0.2 < two < 0.4


def test_keyboard_adjacent_substitutions_dominate():
    rng = np.random.default_rng(3)
    pairs = []
    for _ in range(2000):
        word = WORDS[rng.integers(len(WORDS))]
        wrong = noise.apply_error(word, "substitution", rng)
        i = next(i for i in range(len(word)) if word[i] != wrong[i])
        pairs.append(wrong[i] in noise.KEYBOARD_NEIGHBOURS[word[i]])
    share = np.mean(pairs)
    # 80 % are drawn from the neighbours; a uniform letter is a neighbour only ~17 % of the time.
    assert 0.8 < share < 0.9, share


def test_avoid_keeps_real_words_out():
    real = {"ran", "rat", "an", "run", "rn", "ra"}
    made = noise.generate(["ran"] * 200, seed=1, avoid=real)
    assert made and not any(m.wrong in real for m in made)


def test_word_frequencies_from_the_installed_package():
    vocab = vocabulary.load_word_frequencies()
    assert len(vocab) > 100_000
    assert vocab.words[:3] == ("the", "you", "i")
    assert np.all(np.diff(vocab.counts) <= 0)
    assert all(vocabulary.WORD_PATTERN.fullmatch(w) for w in vocab.words[::97])
    assert "network" in vocab and "don't" not in vocab and "Paris" not in vocab
    assert vocab.count("the") > vocab.count("network") > 0 == vocab.count("qzxv")
    assert vocab.log_prior("qzxv") == float("-inf") and vocab.log_prior("the") < 0
    assert vocabulary.load_word_frequencies() is vocab  # cached
    small = vocab.top(1000)
    assert len(small) == 1000 and small.words == vocab.words[:1000]
    sample = vocab.sample(500, seed=0, min_length=4)
    assert sample == vocab.sample(500, seed=0, min_length=4)
    assert all(len(w) >= 4 and w in vocab for w in sample)


def test_missing_pyspellchecker_gives_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_spellchecker(name, *args, **kwargs):
        if name == "spellchecker" or name.startswith("spellchecker."):
            raise ImportError("No module named 'spellchecker'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spellchecker)
    with pytest.raises(vocabulary.MissingDependencyError, match="pip install"):
        vocabulary._read_resource()
