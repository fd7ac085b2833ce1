"""cnnrnn.autocorrect.baseline: the error-kind classifier on hand-made pairs, the edit distance,
the error table, and pyspellchecker scored on a handful of pairs (its top-1 is its own
``correction``)."""

import pytest

from cnnrnn.autocorrect import baseline, noise


@pytest.mark.parametrize("wrong, right, kind", [
    ("begining", "beginning", "doubled letters"),
    ("acomodate", "accommodate", "doubled letters"),
    ("untill", "until", "doubled letters"),
    ("recieve", "receive", "phonetic"),
    ("fysics", "physics", "phonetic"),
    ("responsable", "responsible", "phonetic"),
    ("stashun", "station", "phonetic"),
    ("seperate", "separate", "phonetic"),
    ("nowledge", "knowledge", "phonetic"),
    ("netwrk", "network", "deletion"),
    ("netwoerk", "network", "insertion"),
    ("netwprk", "network", "substitution"),
    ("newtork", "network", "transposition"),
    ("ntwrk", "network", "two edits"),
    ("nwetork", "network", "two edits"),
    ("xyz", "network", "other"),
    ("Netwrk", "network", "deletion"),
])
def test_classify_error_on_hand_examples(wrong, right, kind):
    assert baseline.classify_error(wrong, right) == kind


def test_classify_error_refuses_a_correct_word():
    with pytest.raises(ValueError, match="no error"):
        baseline.classify_error("network", "network")


def test_every_classified_kind_is_listed():
    made = noise.generate(["network", "beginning", "receive", "station", "separate"] * 40, seed=0)
    kinds = {baseline.classify_error(m.wrong, m.right) for m in made}
    assert kinds <= set(baseline.ERROR_KINDS)
    assert {"doubled letters", "phonetic", "deletion", "insertion", "substitution",
            "transposition", "two edits"} <= kinds


@pytest.mark.parametrize("a, b, d", [("", "", 0), ("abc", "", 3), ("ca", "ac", 1),
                                     ("kitten", "sitting", 3), ("network", "newtork", 1),
                                     ("ca", "abc", 3)])
def test_edit_distance(a, b, d):
    assert baseline.edit_distance(a, b) == d == baseline.edit_distance(b, a)


def test_squeeze():
    assert baseline.squeeze("accommodate") == "acomodate" and baseline.squeeze("") == ""


def test_error_table_counts_per_kind():
    pairs = [("begining", "beginning"), ("netwrk", "network"), ("netwrok", "network"),
             ("xyz", "network")]
    predictions = [["beginning"], ["net", "network"], [], ["network"]]
    rows = {r["kind"]: r for r in baseline.error_table(pairs, predictions)}
    assert list(rows) == ["doubled letters", "deletion", "transposition", "other"]
    assert (rows["deletion"]["top1"], rows["deletion"]["top3"]) == (0, 1)
    assert rows["deletion"]["missed"] == ["netwrk"] and rows["doubled letters"]["top1"] == 1
    assert rows["transposition"]["count"] == 1 and rows["transposition"]["top3"] == 0
    with pytest.raises(ValueError, match="predictions"):
        baseline.error_table(pairs, predictions[:2])


@pytest.fixture(scope="module")
def checker():
    return baseline.spellchecker(distance=2)


def test_pyspellchecker_on_a_handful_of_pairs(checker):
    pairs = [("speling", "spelling"), ("korrectud", "corrected"), ("begining", "beginning"),
             ("recieve", "receive"), ("networc", "network"), ("zzzzqqqq", "quiz")]
    result = baseline.evaluate_pyspellchecker(pairs, checker=checker)
    assert result.n == 6 and result.seconds > 0 and result.words_per_second > 0
    for (wrong, _), guesses in zip(pairs, result.predictions):
        assert len(guesses) <= 3
        assert guesses[:1] == ([checker.correction(wrong)] if checker.correction(wrong) else [])
    assert result.predictions[-1] == []  # nothing within two edits
    assert result.predictions[0][0] == "spelling" and result.predictions[1][0] == "corrected"
    hits = [guesses[:1] == [right] for guesses, (_, right) in zip(result.predictions, pairs)]
    assert result.top1 == pytest.approx(sum(hits) / 6)
    assert result.top1 <= result.top3 <= 1
    with pytest.raises(ValueError, match="empty"):
        baseline.evaluate_pyspellchecker([], checker=checker)


def test_ranked_candidates_orders_by_frequency(checker):
    ranked = baseline.ranked_candidates(checker, "thw", k=10)
    assert ranked[0] == "the" and len(ranked) <= 10
    assert [checker[w] for w in ranked] == sorted((checker[w] for w in ranked), reverse=True)
    assert baseline.ranked_candidates(checker, "network") == ["network"]
