"""Verified loaders for the course's data sets.

Every file is read from the repository's ``data/`` folder (or ``$CNNRNN_DATA``) and checked against
the sha256 listed in ``data/SHA256SUMS`` before use. A notebook opened alone (on Colab, say) has no
``data/`` folder: then :mod:`pooch` downloads the file once from the course's release
(:data:`cnnrnn.release.DATA_URL`, or ``$CNNRNN_DATA_URL``) into a cache (``~/.cache/cnnrnn``, or
``$CNNRNN_CACHE``) and verifies it against :data:`REGISTRY`, a copy of ``data/SHA256SUMS`` shipped
inside this package (the package must work without the repository). Pooch writes to a temporary
file and moves it into the cache only once the checksum matches, so a cut-short or corrupt download
leaves nothing behind.

A file in ``data/`` whose checksum is wrong is never overwritten: the error says how to restore it
(a wrong file in the cache is downloaded again, and replaced only by a verified copy).
With ``CNNRNN_OFFLINE=1`` (the tests) nothing is downloaded from outside this machine.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from pathlib import Path

import numpy as np
import pooch
import requests

from cnnrnn import release
from cnnrnn.runtime import OFFLINE_ENV, is_loopback_address, is_offline

MANIFEST_NAME = "SHA256SUMS"
DATA_URL_ENV = "CNNRNN_DATA_URL"

NER_CORPORA = ("btc", "wnut17")
NER_SPLITS = ("train", "dev", "test")
MISSPELLING_SETS = {"norvig1": "norvig_spell-testset1.txt", "norvig2": "norvig_spell-testset2.txt"}


class DataError(RuntimeError):
    """A data file is missing, corrupt or cannot be fetched. The message says what to do."""


class ChecksumMismatchError(DataError):
    """A data file exists but its sha256 is not the expected one."""

    def __init__(self, path: Path, expected: str, actual: str, fix: str):
        self.path, self.expected, self.actual = path, expected, actual
        super().__init__(
            f"{path} is corrupt or not the expected file: its sha256 is {actual}, "
            f"expected {expected}. It was left untouched. To fix: {fix}"
        )


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` from ``folder/SHA256SUMS`` (the format ``sha256sum -c`` reads)."""
    manifest = {}
    for number, line in enumerate((folder / MANIFEST_NAME).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise DataError(f"{folder / MANIFEST_NAME}:{number} is not '<sha256>  <file>': {line!r}")
        manifest[parts[1].lstrip("*")] = parts[0].lower()
    return manifest


#: ``{file name: sha256}`` of every file a notebook may download: ``cnnrnn/SHA256SUMS``, a
#: byte-for-byte copy of ``data/SHA256SUMS`` (a unit test checks it) shipped as package data.
REGISTRY: dict[str, str] = read_manifest(Path(__file__).resolve().parent)


def find_data_dir() -> Path | None:
    """The repository's ``data/`` folder, or None when the package runs without the repository.

    ``$CNNRNN_DATA`` wins; then the folder beside this package (a clone, Binder, an editable
    install); then ``data/`` in the working directory or one of its parents.
    """
    if os.environ.get("CNNRNN_DATA"):
        return Path(os.environ["CNNRNN_DATA"])
    candidates = [Path(__file__).resolve().parent.parent]
    cwd = Path.cwd().resolve()
    candidates += [cwd, *cwd.parents]
    for root in candidates:
        if (root / "data" / MANIFEST_NAME).is_file():
            return root / "data"
    return None


def cache_dir() -> Path:
    """Where downloads go when there is no ``data/`` folder."""
    return Path(os.environ.get("CNNRNN_CACHE", Path.home() / ".cache" / "cnnrnn"))


def data_url() -> str:
    """The base URL of downloads: the release's ``data/`` folder, or ``$CNNRNN_DATA_URL``."""
    return os.environ.get(DATA_URL_ENV) or release.DATA_URL


def _stays_on_this_machine(url: str) -> bool:
    """True for a loopback URL (127.0.0.1, localhost, [::1]): the socket guard's own rule."""
    host = urllib.parse.urlsplit(url).hostname
    return bool(host) and is_loopback_address((host, 0))


def _local(name: str, data_dir: Path) -> Path | None:
    """``data_dir/name`` verified against ``data_dir/SHA256SUMS``, or None if it is not there."""
    manifest = read_manifest(data_dir)
    if name not in manifest:
        raise DataError(f"{name} is not listed in {data_dir / MANIFEST_NAME}; add its sha256.")
    path = data_dir / name
    if not path.is_file():
        return None
    actual = sha256_of(path)
    if actual != manifest[name]:
        raise ChecksumMismatchError(
            path, manifest[name], actual,
            f"restore it with `git checkout -- data/{name}` (or copy it again from the "
            "source in data/README.md).",
        )
    return path


def _download(name: str, missing: str) -> Path:
    """The cached copy of ``name``, downloaded and verified by pooch if it is not there yet.

    ``missing`` says why a download is needed, for the offline error.
    """
    cache, base_url = cache_dir(), data_url()
    url = base_url.rstrip("/") + "/" + name
    cached = cache / name
    if is_offline() and not _stays_on_this_machine(base_url):
        # Pooch has no offline mode: a verified cached copy is all that may be used.
        if cached.is_file() and sha256_of(cached) == REGISTRY[name]:
            return cached
        raise DataError(
            f"{missing} and downloads are disabled ({OFFLINE_ENV}=1). Restore it with "
            f"`git checkout -- data/{name}` in a clone of the course, or unset {OFFLINE_ENV} to "
            f"download it from {url}."
        )
    # A cached file whose checksum is wrong is downloaded again and replaced once verified.
    fetcher = pooch.create(path=cache, base_url=base_url, registry=REGISTRY)
    try:
        return Path(fetcher.fetch(name, progressbar=False))
    except requests.RequestException as error:  # also a connection refused by the socket guard
        raise DataError(
            f"could not download {name} from {url}: {error}. Nothing was saved. Check the network "
            f"(and ${DATA_URL_ENV}, if set), or copy data/{name} of {release.REPOSITORY} by hand "
            f"into {cache}."
        ) from error
    except ValueError as error:  # pooch: the checksum did not match; it deleted the download
        raise DataError(
            f"the download of {name} from {url} did not match its sha256 and was discarded "
            f"({error}). Try again; if it persists, report it at {release.REPOSITORY}/issues."
        ) from error
    except OSError as error:
        raise DataError(
            f"could not write {name} into the cache {cache}: {error}. Set CNNRNN_CACHE to a "
            "writable folder."
        ) from error


def fetch(name: str) -> Path:
    """Path to the verified data file ``name`` (e.g. ``"mnist.npz"``), downloading it if needed."""
    if name not in REGISTRY:
        raise DataError(f"unknown data file {name!r}; known files: {', '.join(sorted(REGISTRY))}")
    data_dir = find_data_dir()
    if data_dir is None:
        return _download(name, f"{name} is in no data/ folder and not in the cache {cache_dir()}")
    return _local(name, data_dir) or _download(name, f"{data_dir / name} is missing")


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST as ``(x_train, y_train), (x_test, y_test)``, uint8 images 28x28, like Keras.

    60,000 training and 10,000 test digits (LeCun, Cortes and Burges; CC BY-SA 3.0).
    """
    with np.load(fetch("mnist.npz"), allow_pickle=False) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def load_shakespeare() -> str:
    """Tiny Shakespeare: 1,115,394 characters of plays, as one string."""
    return fetch("tinyshakespeare.txt").read_text(encoding="utf-8")


def parse_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences from a ``token<TAB>tag`` file; blank or whitespace-only lines separate them.

    WNUT-17's training file separates sentences with lines holding a lone TAB, hence
    "whitespace-only". A few Broad Twitter Corpus tokens are empty strings (the original tweet had
    whitespace or control characters there); they are kept, so that token and tag lists stay
    aligned with the published sentence counts.
    """
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    sentences.append((tokens, tags))
                    tokens, tags = [], []
                continue
            token, sep, tag = line.rpartition("\t")
            if not sep or not tag.strip():
                raise DataError(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
            tokens.append(token)
            tags.append(tag)
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def load_ner(corpus: str, split: str) -> list[tuple[list[str], list[str]]]:
    """Named-entity sentences as ``[(tokens, BIO tags), ...]``.

    ``corpus`` is ``"btc"`` (Broad Twitter Corpus: PER, LOC, ORG) or ``"wnut17"`` (WNUT-17
    emerging entities); ``split`` is ``"train"``, ``"dev"`` or ``"test"``.
    """
    if corpus not in NER_CORPORA:
        raise ValueError(f"corpus must be one of {NER_CORPORA}, not {corpus!r}")
    if split not in NER_SPLITS:
        raise ValueError(f"split must be one of {NER_SPLITS}, not {split!r}")
    return parse_conll(fetch(f"{corpus}_{split}.conll"))


def load_misspellings(name: str) -> list[tuple[str, str]]:
    """Real human misspellings as ``[(misspelled, correct), ...]`` from Norvig's test sets.

    ``name`` is ``"norvig1"`` (270 misspellings) or ``"norvig2"`` (400).
    """
    if name not in MISSPELLING_SETS:
        raise ValueError(f"name must be one of {tuple(MISSPELLING_SETS)}, not {name!r}")
    path = fetch(MISSPELLING_SETS[name])
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        right, sep, wrongs = line.partition(":")
        if not sep or not right.strip() or not wrongs.split():
            raise DataError(f"{path}:{number}: expected 'right: wrong1 wrong2 ...', got {line!r}")
        pairs.extend((wrong, right.strip()) for wrong in wrongs.split())
    return pairs
