"""Verified loaders for the course's data sets.

Every file is read from the repository's ``data/`` folder and checked against the sha256 listed in
``data/SHA256SUMS`` before use. A notebook opened alone (on Colab, say) has no ``data/`` folder:
then the file is downloaded once from its public source into a cache
(``~/.cache/cnnrnn``, or ``$CNNRNN_CACHE``) and checked against the checksum recorded here.

Nothing is ever overwritten: a file whose checksum is wrong stays where it is and the error says
how to restore it. With ``CNNRNN_OFFLINE=1`` (the tests) nothing is downloaded at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnrnn.runtime import OFFLINE_ENV, is_offline

MANIFEST_NAME = "SHA256SUMS"
COURSE_REPOSITORY = "https://github.com/cnn-vs-rnn/cnn-vs-rnn"
_MIRROR = "https://raw.githubusercontent.com/cnn-vs-rnn/cnn-vs-rnn/main/data/"


@dataclass(frozen=True)
class Remote:
    """Where a file can be downloaded from, and the sha256 of exactly what that URL serves."""

    url: str
    sha256: str


# The course's own copy in data/ comes first where the original is not byte-identical.
REMOTES: dict[str, Remote] = {
    # Keras' own MNIST file: same arrays as data/mnist.npz, different zip container and checksum.
    "mnist.npz": Remote(
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    ),
    "tinyshakespeare.txt": Remote(
        "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    ),
    "norvig_spell-testset1.txt": Remote(
        "https://norvig.com/spell-testset1.txt",
        "a5a152f32d66001fd9762e6745357a744e415eae064bd8cb2f4a42471f850724",
    ),
    "norvig_spell-testset2.txt": Remote(
        "https://norvig.com/spell-testset2.txt",
        "72f64bbfa60ef1a41eabd408fb3f6daff6c54f1944cb919efbf1e1449296b0a3",
    ),
    # The NER splits are the course's TAB-separated re-packaging of the original releases.
    "btc_train.conll": Remote(
        _MIRROR + "btc_train.conll",
        "2117732e744d8f1692786c7ebb919c52dadd406f082b43fe1e625a51f2cadd0f",
    ),
    "btc_dev.conll": Remote(
        _MIRROR + "btc_dev.conll",
        "9f7d33bcd195cecf9767357a5f1fe0ba879af6c55ebb68b8e846bff23c4e7fa5",
    ),
    "btc_test.conll": Remote(
        _MIRROR + "btc_test.conll",
        "3bd2387dfc98ebc9d8b77d8b9c59826262e9beadce71ce8edde272821b9c87c8",
    ),
    "wnut17_train.conll": Remote(
        _MIRROR + "wnut17_train.conll",
        "731820e13f71af324c6b55a1575ec2ce59fbaa2a0806f8f0400b98d56cd6a7a5",
    ),
    "wnut17_dev.conll": Remote(
        _MIRROR + "wnut17_dev.conll",
        "e053b752b8155113ca66e7db08af5f2f5f43ab993694e4774f1ec5bad42312d8",
    ),
    "wnut17_test.conll": Remote(
        _MIRROR + "wnut17_test.conll",
        "2aa79b764e56ec9264a1b30fdd9b70195bd00ff400b62edd8f399d5f13c178f0",
    ),
}

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


def _download(remote: Remote, target: Path) -> None:
    if is_offline():
        raise DataError(
            f"{target.name} is not available locally and downloads are disabled "
            f"({OFFLINE_ENV}=1). Restore the file in data/ (git checkout -- data/{target.name}) "
            f"or unset {OFFLINE_ENV} to download it from {remote.url}."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=target.name, suffix=".part",
                                     delete=False) as tmp:
        partial = Path(tmp.name)
        try:
            with urllib.request.urlopen(remote.url, timeout=60) as response:
                shutil.copyfileobj(response, tmp)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise DataError(
                f"could not download {target.name} from {remote.url}: {error}. Check the "
                f"network, or copy the file by hand into {target.parent} (data/README.md in the "
                f"course repository, {COURSE_REPOSITORY}, lists every source)."
            ) from error
    actual = sha256_of(partial)
    if actual != remote.sha256:
        partial.unlink()
        raise ChecksumMismatchError(
            target, remote.sha256, actual,
            f"the download from {remote.url} changed upstream or was cut short; it was discarded. "
            f"Try again, or report it at {COURSE_REPOSITORY}/issues.",
        )
    partial.replace(target)


def fetch(name: str) -> Path:
    """Path to the verified data file ``name`` (e.g. ``"mnist.npz"``), downloading it if needed."""
    if name not in REMOTES:
        raise DataError(f"unknown data file {name!r}; known files: {', '.join(sorted(REMOTES))}")
    data_dir = find_data_dir()
    if data_dir is not None:
        manifest = read_manifest(data_dir)
        if name not in manifest:
            raise DataError(f"{name} is not listed in {data_dir / MANIFEST_NAME}; add its sha256.")
        path = data_dir / name
        if path.is_file():
            actual = sha256_of(path)
            if actual != manifest[name]:
                raise ChecksumMismatchError(
                    path, manifest[name], actual,
                    f"restore it with `git checkout -- data/{name}` (or copy it again from the "
                    "source in data/README.md).",
                )
            return path
        if is_offline():
            raise DataError(
                f"{path} is missing and downloads are disabled ({OFFLINE_ENV}=1). "
                f"Restore it with `git checkout -- data/{name}`."
            )
    remote = REMOTES[name]
    cached = cache_dir() / name
    if cached.is_file():
        actual = sha256_of(cached)
        if actual != remote.sha256:
            raise ChecksumMismatchError(
                cached, remote.sha256, actual,
                f"delete {cached} and run again to download a fresh copy from {remote.url}.",
            )
        return cached
    _download(remote, cached)
    return cached


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
