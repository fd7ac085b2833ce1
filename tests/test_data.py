import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from cnnrnn import data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of the small data files, used through CNNRNN_DATA."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ["norvig_spell-testset1.txt", "btc_dev.conll", "SHA256SUMS"]:
        shutil.copy(ROOT / "data" / name, folder / name)
    monkeypatch.setenv("CNNRNN_DATA", str(folder))
    return folder


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("CNNRNN_OFFLINE", "1")


# --- the real files ---------------------------------------------------------------------------

def test_manifest_lists_every_shipped_file_with_the_right_checksum():
    manifest = data.read_manifest(ROOT / "data")
    assert set(manifest) == set(data.REMOTES)
    for name, expected in manifest.items():
        assert data.sha256_of(ROOT / "data" / name) == expected, name


def test_remote_checksums_match_where_the_bytes_are_the_same():
    manifest = data.read_manifest(ROOT / "data")
    for name, remote in data.REMOTES.items():
        if name != "mnist.npz":  # Keras' file: same arrays, different zip container
            assert remote.sha256 == manifest[name], name


def test_data_readme_names_every_file():
    readme = (ROOT / "data" / "README.md").read_text()
    for name in data.REMOTES:
        assert name in readme, name


def test_load_mnist_shapes_and_ranges():
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and set(np.unique(y_test)) == set(range(10))


def test_load_shakespeare():
    text = data.load_shakespeare()
    assert len(text) == 1_115_394 and len(set(text)) == 65


@pytest.mark.parametrize("corpus, split, sentences", [("btc", "train", 6338), ("btc", "dev", 1001),
                                                      ("btc", "test", 2001)])
def test_load_ner_btc_sentence_counts(corpus, split, sentences):
    loaded = data.load_ner(corpus, split)
    assert len(loaded) == sentences
    tokens, tags = loaded[0]
    assert len(tokens) == len(tags) and all(t[0] in "BIO" for t in tags)


@pytest.mark.parametrize("split, sentences", [("train", 3394), ("dev", 1009), ("test", 1287)])
def test_load_ner_wnut17_sentence_counts(split, sentences):
    loaded = data.load_ner("wnut17", split)
    assert len(loaded) == sentences
    assert all(len(tokens) == len(tags) > 0 for tokens, tags in loaded)


def test_load_misspellings_counts():
    assert len(data.load_misspellings("norvig1")) == 270
    assert len(data.load_misspellings("norvig2")) == 400
    assert ("begining", "beginning") in data.load_misspellings("norvig1")


# --- bad input ---------------------------------------------------------------------------------

def test_unknown_names_are_clear_errors():
    with pytest.raises(ValueError, match="corpus must be one of"):
        data.load_ner("conll03", "train")
    with pytest.raises(ValueError, match="split must be one of"):
        data.load_ner("btc", "validation")
    with pytest.raises(ValueError, match="norvig1"):
        data.load_misspellings("birkbeck")
    with pytest.raises(data.DataError, match="unknown data file"):
        data.fetch("imagenet.tar")


def test_corrupt_file_is_reported_and_left_untouched(data_copy, offline):
    path = data_copy / "norvig_spell-testset1.txt"
    path.write_text("corrupted\n")
    with pytest.raises(data.ChecksumMismatchError) as caught:
        data.load_misspellings("norvig1")
    message = str(caught.value)
    assert "norvig_spell-testset1.txt" in message and "git checkout" in message
    assert data.read_manifest(data_copy)["norvig_spell-testset1.txt"] in message
    assert hashlib.sha256(b"corrupted\n").hexdigest() in message
    assert path.read_text() == "corrupted\n"


def test_missing_file_offline_says_how_to_restore_it(data_copy, offline):
    with pytest.raises(data.DataError, match=r"missing and downloads are disabled.*git checkout"):
        data.load_misspellings("norvig2")


def test_file_missing_from_the_manifest(data_copy):
    (data_copy / "SHA256SUMS").write_text("")
    with pytest.raises(data.DataError, match="not listed in"):
        data.load_misspellings("norvig1")


def test_malformed_manifest_line(data_copy):
    (data_copy / "SHA256SUMS").write_text("abc norvig_spell-testset1.txt\n")
    with pytest.raises(data.DataError, match="SHA256SUMS:1"):
        data.load_misspellings("norvig1")


def test_malformed_conll_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("Hello\tO\n\t\nworld O\n")
    with pytest.raises(data.DataError, match="bad.conll:3"):
        data.parse_conll(path)


# --- downloads (from a server on loopback) -------------------------------------------------------

@pytest.fixture
def server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def alone(tmp_path, monkeypatch):
    """As on Colab: no data/ folder anywhere, an empty cache."""
    monkeypatch.setattr(data, "find_data_dir", lambda: None)
    monkeypatch.setenv("CNNRNN_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNRNN_OFFLINE", raising=False)
    return tmp_path / "cache"


def test_download_verifies_and_caches(server, alone, monkeypatch):
    served, url = server
    shutil.copy(ROOT / "data" / "norvig_spell-testset2.txt", served / "set2.txt")
    remote = data.REMOTES["norvig_spell-testset2.txt"]
    monkeypatch.setitem(data.REMOTES, "norvig_spell-testset2.txt", data.Remote(url + "set2.txt", remote.sha256))
    assert len(data.load_misspellings("norvig2")) == 400
    assert (alone / "norvig_spell-testset2.txt").is_file()
    (served / "set2.txt").unlink()  # a second load reads the cache, not the server
    assert len(data.load_misspellings("norvig2")) == 400


def test_download_with_wrong_checksum_is_discarded(server, alone, monkeypatch):
    served, url = server
    (served / "set2.txt").write_text("right: wrnog\n")
    monkeypatch.setitem(data.REMOTES, "norvig_spell-testset2.txt",
                        data.Remote(url + "set2.txt", "0" * 64))
    with pytest.raises(data.ChecksumMismatchError, match="discarded"):
        data.load_misspellings("norvig2")
    assert not any(alone.iterdir())


def test_download_failure_names_the_url(server, alone, monkeypatch):
    _, url = server
    monkeypatch.setitem(data.REMOTES, "norvig_spell-testset2.txt", data.Remote(url + "nothing", "0" * 64))
    with pytest.raises(data.DataError, match=r"could not download .*nothing"):
        data.load_misspellings("norvig2")


def test_corrupt_cache_is_not_overwritten(alone):
    alone.mkdir(parents=True)
    cached = alone / "norvig_spell-testset1.txt"
    cached.write_text("half a file")
    with pytest.raises(data.ChecksumMismatchError, match="delete"):
        data.load_misspellings("norvig1")
    assert cached.read_text() == "half a file"


def test_offline_without_local_copy_refuses_to_download(alone, monkeypatch):
    monkeypatch.setenv("CNNRNN_OFFLINE", "1")
    with pytest.raises(data.DataError, match="downloads are disabled"):
        data.load_shakespeare()


def test_a_real_download_would_hit_the_network_guard(alone):
    # With downloads allowed but the socket guard on (conftest), the real URL fails loudly.
    with pytest.raises(data.DataError, match="could not download"):
        data.load_misspellings("norvig1")
