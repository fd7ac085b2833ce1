"""cnnrnn.autocorrect.text and the command line, with a stand-in corrector (a dictionary), so
that what is tested is the handling of text, arguments and bad input, not the model."""

import io
import sys

import pytest

from cnnrnn.autocorrect import __main__ as cli
from cnnrnn.autocorrect.text import correct_lines, match_case

FIXES = {"networc": ["network", "networks"], "speling": ["spelling", "spieling"],
         "teh": ["the", "ten"]}


class DictCorrector:
    """Corrects the words of FIXES; every other word is 'known'. Records each batch."""

    def __init__(self):
        self.batches = []

    def candidates(self, words, top=1):
        self.batches.append(list(words))
        return [FIXES.get(w, [w])[:top] for w in words]


def test_match_case():
    assert match_case("networc", "network") == "network"
    assert match_case("Networc", "network") == "Network"
    assert match_case("NETWORC", "network") == "NETWORK"
    assert match_case("I", "a") == "A"


@pytest.mark.parametrize("line, expected", [
    ("networc", "network"),
    ("Networc", "Network"),
    ("NETWORC", "NETWORK"),
    ("A networc, teh speling!", "A network, the spelling!"),
    ("  networc\t(teh)  ", "  network\t(the)  "),
    ("", ""),
    ("networc2 2networc 42", "networc2 2networc 42"),        # digits: left alone
    ("networc's teh", "networc's the"),                     # apostrophes: left alone
    ("NetWorc iPhone", "NetWorc iPhone"),                    # mixed case: left alone
    ("网络 networc сеть", "网络 network сеть"),               # non-Latin passes through
    ("naïve networc", "naïve network"),
])
def test_correct_lines_changes_only_misspelled_words(line, expected):
    assert correct_lines(DictCorrector(), [line]) == [expected]


def test_correct_lines_is_one_batch_of_distinct_words_and_keeps_order():
    corrector = DictCorrector()
    out = correct_lines(corrector, ["teh networc", "", "Teh", "networc networc"])
    assert out == ["the network", "", "The", "network network"]
    assert len(corrector.batches) == 1
    assert sorted(corrector.batches[0]) == ["networc", "teh"]


def test_top_k_joins_the_alternatives():
    assert correct_lines(DictCorrector(), ["Networc ok"], top=2) == ["Network|Networks ok"]


def run_cli(monkeypatch, capsysbinary, argv, stdin=b"", tty=False):
    monkeypatch.setattr("cnnrnn.autocorrect.model.Corrector.load",
                        classmethod(lambda cls, path=None, vocabulary=None: DictCorrector()))
    stream = io.BytesIO(stdin)
    fake_stdin = io.TextIOWrapper(stream)
    monkeypatch.setattr(fake_stdin, "isatty", lambda: tty, raising=False)
    monkeypatch.setattr(sys, "stdin", fake_stdin)
    code = cli.main(argv)
    out, err = capsysbinary.readouterr()
    return code, out, err


def test_cli_corrects_the_words_given(monkeypatch, capsysbinary):
    code, out, _ = run_cli(monkeypatch, capsysbinary, ["networc", "Speling", "fine"])
    assert code == 0
    assert out == b"network\nSpelling\nfine\n"


def test_cli_top_k(monkeypatch, capsysbinary):
    code, out, _ = run_cli(monkeypatch, capsysbinary, ["--top", "2", "networc"])
    assert (code, out) == (0, b"network|networks\n")


def test_cli_reads_lines_from_stdin_in_order(monkeypatch, capsysbinary):
    stdin = b"networc\n\nA teh speling.\r\nlast line without newline"
    code, out, _ = run_cli(monkeypatch, capsysbinary, [], stdin)
    assert code == 0
    assert out == b"network\n\nA the spelling.\r\nlast line without newline\n"


@pytest.mark.parametrize("tty", [True, False])
def test_cli_passes_invalid_utf8_and_long_tokens_through(monkeypatch, capsysbinary, tty):
    long_token = b"a" * 100_000
    stdin = b"teh \xff\xfe networc\n" + long_token + b"\n\xc3\n"
    code, out, _ = run_cli(monkeypatch, capsysbinary, [], stdin, tty)
    assert code == 0
    assert out == b"the \xff\xfe network\n" + long_token + b"\n\xc3\n"


def test_cli_many_lines_come_back_in_blocks(monkeypatch, capsysbinary):
    lines = [b"networc %d" % i for i in range(2 * cli.BLOCK_LINES + 5)]
    code, out, _ = run_cli(monkeypatch, capsysbinary, [], b"\n".join(lines) + b"\n")
    assert code == 0
    assert out.splitlines() == [b"network %d" % i for i in range(len(lines))]


def test_cli_missing_model_is_a_one_line_error(tmp_path, capsys):
    code = cli.main(["--model", str(tmp_path / "nothing.npz"), "networc"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no corrector model" in err and "python -m cnnrnn.autocorrect train" in err
    assert "Traceback" not in err


def test_cli_corrupt_model_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    code = cli.main(["--model", str(bad), "networc"])
    err = capsys.readouterr().err
    assert code == 2 and "not a readable corrector model" in err


def test_cli_rejects_top_zero(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--top", "0", "networc"])
    assert stop.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
