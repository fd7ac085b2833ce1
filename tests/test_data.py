import hashlib
import http.server
import shutil
import socket
import threading
from pathlib import Path

import numpy as np
import pytest

from cnnrnn import data, release
from cnnrnn.runtime import NetworkBlockedError

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
    for name, expected in manifest.items():
        assert data.sha256_of(ROOT / "data" / name) == expected, name


def test_package_registry_is_a_copy_of_the_manifest():
    # Downloads are verified against the copy shipped inside the package; it must not drift.
    shipped = (ROOT / "cnnrnn" / "SHA256SUMS").read_bytes()
    assert shipped == (ROOT / "data" / "SHA256SUMS").read_bytes()
    assert data.REGISTRY == data.read_manifest(ROOT / "data")


def test_downloads_come_from_the_release():
    assert data.data_url() == release.DATA_URL


def test_data_readme_names_every_file():
    readme = (ROOT / "data" / "README.md").read_text()
    for name in data.REGISTRY:
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
    """As on Colab: no data/ folder anywhere, an empty cache, downloads from the release."""
    monkeypatch.setattr(data, "find_data_dir", lambda: None)
    monkeypatch.setenv("CNNRNN_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("CNNRNN_OFFLINE", raising=False)
    monkeypatch.delenv("CNNRNN_DATA_URL", raising=False)
    return tmp_path / "cache"


@pytest.fixture
def release_on_loopback(server, alone, monkeypatch):
    """The release's data/ folder served on 127.0.0.1 (empty until a test puts files there)."""
    served, url = server
    monkeypatch.setenv("CNNRNN_DATA_URL", url)
    return served


SET2 = "norvig_spell-testset2.txt"


def test_download_verifies_and_caches(release_on_loopback, alone):
    shutil.copy(ROOT / "data" / SET2, release_on_loopback / SET2)
    assert len(data.load_misspellings("norvig2")) == 400
    assert data.sha256_of(alone / SET2) == data.REGISTRY[SET2]
    (release_on_loopback / SET2).unlink()  # a second load reads the cache, not the server
    assert len(data.load_misspellings("norvig2")) == 400


def test_loopback_downloads_are_allowed_offline(release_on_loopback, alone, monkeypatch):
    monkeypatch.setenv("CNNRNN_OFFLINE", "1")  # 127.0.0.1 never leaves the machine
    shutil.copy(ROOT / "data" / SET2, release_on_loopback / SET2)
    assert len(data.load_misspellings("norvig2")) == 400


def test_download_with_wrong_checksum_is_discarded(release_on_loopback, alone):
    (release_on_loopback / SET2).write_text("right: wrnog\n")
    with pytest.raises(data.DataError, match=r"did not match its sha256 and was discarded"):
        data.load_misspellings("norvig2")
    assert not any(alone.iterdir())  # no file, no temporary left behind


class _Truncating(http.server.BaseHTTPRequestHandler):
    """Promises a whole file, sends half of it, hangs up: an interrupted download."""

    def do_GET(self):
        body = (ROOT / "data" / SET2).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_interrupted_download_leaves_nothing_behind(alone, monkeypatch):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Truncating)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("CNNRNN_DATA_URL", f"http://127.0.0.1:{httpd.server_address[1]}/")
    try:
        with pytest.raises(data.DataError, match=rf"could not download {SET2}.*Nothing was saved"):
            data.load_misspellings("norvig2")
    finally:
        httpd.shutdown()
    assert not alone.exists() or not any(alone.iterdir())


def test_download_failure_names_the_url(release_on_loopback, alone):
    url = rf"http://127\.0\.0\.1:\d+/{SET2}"
    with pytest.raises(data.DataError, match=rf"could not download {SET2} from {url}"):
        data.load_misspellings("norvig2")


def test_corrupt_cache_is_replaced_only_by_a_verified_download(release_on_loopback, alone):
    alone.mkdir(parents=True)
    cached = alone / SET2
    cached.write_text("half a file")
    (release_on_loopback / SET2).write_text("not the file either")
    with pytest.raises(data.DataError, match="discarded"):
        data.load_misspellings("norvig2")
    assert cached.read_text() == "half a file"
    shutil.copy(ROOT / "data" / SET2, release_on_loopback / SET2)
    assert len(data.load_misspellings("norvig2")) == 400
    assert data.sha256_of(cached) == data.REGISTRY[SET2]


def test_offline_without_local_copy_refuses_to_download(alone, monkeypatch):
    monkeypatch.setenv("CNNRNN_OFFLINE", "1")
    with pytest.raises(data.DataError, match=r"downloads are disabled \(CNNRNN_OFFLINE=1\).*unset"):
        data.load_shakespeare()


def test_offline_uses_a_verified_cached_copy(alone, monkeypatch):
    alone.mkdir(parents=True)
    shutil.copy(ROOT / "data" / SET2, alone / SET2)
    monkeypatch.setenv("CNNRNN_OFFLINE", "1")
    assert len(data.load_misspellings("norvig2")) == 400


def test_a_real_download_would_hit_the_network_guard(alone, monkeypatch):
    # Downloads allowed, the socket guard on (conftest): the release URL must be stopped by the
    # guard, not by a missing network. Fake DNS, as on a machine with a network, so that the
    # connection is really attempted (without it, name resolution fails first on a machine with
    # no network, and the guard would never be exercised).
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", port))]  # TEST-NET-1

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(data.DataError) as caught:
        data.load_misspellings("norvig1")
    assert release.DATA_URL in str(caught.value)
    chain, error = [], caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    blocked = [e for e in chain if isinstance(e, NetworkBlockedError)]
    assert blocked and "CNNRNN_OFFLINE" in str(blocked[0])
