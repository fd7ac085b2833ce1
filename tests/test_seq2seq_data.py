"""cnnrnn.seq2seq_data: the dates task is deterministic, unambiguous, within its length bounds and
encoded for teacher forcing; the copy/reverse control is what it says."""

from datetime import date, timedelta

import numpy as np
import pytest

from cnnrnn import seq2seq_data as s2s


def test_formats_render_the_documented_examples():
    texts = {name: render(date(1998, 3, 3)) for name, render in s2s.FORMATS.items()}
    assert texts["d Month yyyy"] == "3 March 1998"
    assert texts["dd/mm/yy"] == "03/03/98"
    assert texts["Weekday, Month dth, yyyy"] == "Tuesday, March 3rd, 1998"
    assert texts["yyyy m d"] == "1998 3 3"
    assert texts["month d yy"] == "march 3 98"
    assert texts["WEEKDAY D MONTH YYYY"] == "TUESDAY 3 MARCH 1998"
    ordinals = [s2s.FORMATS["dth Month, yyyy"](date(2001, 1, day)).split()[0]
                for day in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31)]
    assert ordinals == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
                        "23rd", "31st"]


def test_every_text_of_every_day_names_one_date_and_fits_the_vocabulary():
    first = date(s2s.FIRST_YEAR, 1, 1)
    days = [first + timedelta(k) for k in range((date(s2s.LAST_YEAR, 12, 31) - first).days + 1)]
    reading = {}
    for day in days:
        for render in s2s.FORMATS.values():
            text = render(day)
            assert reading.setdefault(text, day) == day, f"{text!r} reads as two dates"
    assert min(map(len, reading)) == s2s.SHORTEST_LENGTH
    assert set("".join(reading)) <= set(s2s.INPUT_VOCAB.chars[1:])   # never the padding code


def test_dates_are_deterministic_real_and_in_range():
    pairs = s2s.make_dates(500, seed=3)
    assert pairs == s2s.make_dates(500, 3) and pairs != s2s.make_dates(500, seed=4)
    for human, iso in pairs:
        day = date.fromisoformat(iso)                     # raises for a date that does not exist
        assert s2s.FIRST_YEAR <= day.year <= s2s.LAST_YEAR and len(iso) == s2s.TARGET_LENGTH
        assert human in {render(day) for render in s2s.FORMATS.values()}  # no filler by default
    years = [int(iso[:4]) for _, iso in pairs]
    assert min(years) < 1960 and max(years) > 2040        # both centuries of two-digit years
    assert len({human for human, _ in pairs}) > 450


@pytest.mark.parametrize("min_length, max_length", [
    (None, 8), (None, 12), (20, None), (30, 40), (9, 9), (25, 25), (60, 80)])
def test_lengths_stay_within_bounds_and_filler_keeps_the_date(min_length, max_length):
    pairs = s2s.make_dates(300, seed=1, min_length=min_length, max_length=max_length)
    lengths = np.array([len(human) for human, _ in pairs])
    assert lengths.min() >= (min_length or 0) and lengths.max() <= (max_length or 10**6)
    if min_length is not None and max_length is None:
        assert (lengths[lengths > min_length] <= 31).all()   # only natural texts exceed the pad
    for human, iso in pairs:
        renders = [render(date.fromisoformat(iso)) for render in s2s.FORMATS.values()]
        assert any(text in human for text in renders)     # the date is still there, unchanged
        s2s.INPUT_VOCAB.check(human)


def test_filler_words_say_nothing_about_a_date():
    names = [name.lower() for name in s2s.MONTHS + s2s.WEEKDAYS]
    for word in s2s.FILLER_WORDS:
        assert word.isalpha() and word.islower()
        assert not any(name.startswith(word[:3]) for name in names if len(word) >= 3), word
    assert {len(word) for word in s2s.FILLER_WORDS} >= {1, 2, 3}   # any gap >= 2 can be filled


def test_inputs_are_padded_with_zero_at_the_end():
    codes = s2s.encode_inputs(["3 May 1998", "03/05/98"])
    assert codes.shape == (2, 10) and codes.dtype == np.int32
    assert (codes[1, 8:] == 0).all() and (codes[:, :8] > 0).all()
    assert s2s.INPUT_VOCAB.decode(codes[1, :8]) == "03/05/98"
    assert s2s.encode_inputs(["ab"], length=5).tolist() == [
        list(s2s.INPUT_VOCAB.encode("ab")) + [0, 0, 0]]


def test_targets_are_shifted_for_teacher_forcing_and_decode_back():
    isos = ["1998-03-03", "2049-12-31"]
    decoder_inputs, decoder_targets = s2s.encode_targets(isos)
    assert decoder_inputs.shape == decoder_targets.shape == (2, s2s.TARGET_LENGTH + 1)
    start, end = s2s.TARGET_VOCAB.encode(s2s.START + s2s.END)
    assert (decoder_inputs[:, 0] == start).all() and (decoder_targets[:, -1] == end).all()
    np.testing.assert_array_equal(decoder_inputs[:, 1:], decoder_targets[:, :-1])
    assert s2s.decode_targets(decoder_targets) == isos
    assert s2s.decode_targets(decoder_inputs) == isos     # START is dropped, END cuts
    early = decoder_targets.copy()
    early[0, 4] = end                                     # a model that stops too soon
    assert s2s.decode_targets(early)[0] == "1998"


def test_exact_match_counts_whole_strings():
    assert s2s.exact_match(["1998-03-03", "1998-03-04"], ["1998-03-03", "1998-03-03"]) == 0.5
    assert s2s.exact_match(("a",), ["a"]) == 1.0


def test_copy_or_reverse():
    inputs, targets = s2s.make_copy_or_reverse(200, 7, 5, seed=2)
    assert inputs.shape == targets.shape == (200, 7) and inputs.dtype == np.int32
    np.testing.assert_array_equal(targets, inputs[:, ::-1])
    assert set(np.unique(inputs)) == {1, 2, 3, 4}         # 0 stays free for start / padding
    copied = s2s.make_copy_or_reverse(200, 7, 5, seed=2, reverse=False)
    np.testing.assert_array_equal(copied[0], inputs)
    np.testing.assert_array_equal(copied[1], inputs)
    assert not np.array_equal(s2s.make_copy_or_reverse(200, 7, 5, seed=3)[0], inputs)
    start = s2s.shift_right(targets, 0)
    assert (start[:, 0] == 0).all() and (start[:, 1:] == targets[:, :-1]).all()


@pytest.mark.parametrize("call, match", [
    (lambda: s2s.make_dates(0), "n must be"),
    (lambda: s2s.make_dates(5, max_length=7), "max_length must be an integer >= 8"),
    (lambda: s2s.make_dates(5, min_length=20, max_length=10), "must not exceed"),
    (lambda: s2s.make_dates(5, min_length=2.5), "min_length"),
    (lambda: s2s.encode_inputs("3 May 1998"), "sequence of strings"),
    (lambda: s2s.encode_inputs(["3 May 1998"], length=4), "does not fit length 4"),
    (lambda: s2s.encode_inputs(["3 Mai 1998!"]), "not in the vocabulary"),
    (lambda: s2s.encode_targets(["1998-3-3"]), "not ISO dates"),
    (lambda: s2s.decode_targets([1, 2, 3]), r"\(n, steps\)"),
    (lambda: s2s.exact_match(["a"], ["a", "b"]), "1 predictions for 2 targets"),
    (lambda: s2s.exact_match([], []), "no targets"),
    (lambda: s2s.make_copy_or_reverse(5, 3, 2), "vocab_size"),
    (lambda: s2s.make_copy_or_reverse(5, 0, 4), "length"),
])
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_spans_mark_the_date_inside_the_filler():
    plain = s2s.make_dates(200, seed=5, min_length=30, max_length=60)
    with_spans = s2s.make_dates(200, seed=5, min_length=30, max_length=60, spans=True)
    assert [(h, i) for h, i, _ in with_spans] == plain  # the same draws
    padded = 0
    for human, iso, (start, stop) in with_spans:
        core = human[start:stop]
        assert core.strip() == core and any(ch.isdigit() for ch in core)
        outside = (human[:start] + " " + human[stop:]).replace(".", " ").split()
        assert all(word in s2s.FILLER_WORDS for word in outside)
        padded += bool(outside)
    assert padded > 150  # most texts got filler at these lengths
