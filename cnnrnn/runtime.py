"""The run-time set-up shared by every notebook: mode, seed, determinism, log noise, devices and
network policy.

Environment variables (all optional):

``CNNRNN_FAST=1``
    Fast mode: smaller data and fewer epochs. The tests use it; readers get full mode.
``CNNRNN_VERBOSE``
    Keras ``fit`` verbosity. Unset means ``"auto"`` (a progress bar); the tests and the book build
    set ``2`` (one line per epoch), because progress bars are unreadable in stored outputs.
``CNNRNN_SEED``
    Replaces the seed a notebook passes to :func:`setup`, so the same notebook can be run with
    several seeds to measure how much its numbers move (``tools/seed_spread.py``).
``CNNRNN_OFFLINE=1``
    No network: the data loaders refuse to download and :func:`block_network` is switched on as
    soon as :mod:`cnnrnn` is imported, so a hidden download fails loudly, inside notebook
    kernels too (a kernel is a separate process and inherits the environment, not pytest's
    socket patches).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import socket
import warnings
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

FAST_ENV = "CNNRNN_FAST"
VERBOSE_ENV = "CNNRNN_VERBOSE"
SEED_ENV = "CNNRNN_SEED"
OFFLINE_ENV = "CNNRNN_OFFLINE"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def is_fast() -> bool:
    """True when ``CNNRNN_FAST=1``: smaller data, fewer epochs (what the tests run)."""
    return _flag(FAST_ENV)


def is_offline() -> bool:
    """True when ``CNNRNN_OFFLINE=1``: nothing may be downloaded."""
    return _flag(OFFLINE_ENV)


def fit_verbosity() -> int | str:
    """Keras ``verbose=`` value: ``"auto"`` interactively, or what ``CNNRNN_VERBOSE`` says."""
    value = os.environ.get(VERBOSE_ENV, "").strip()
    if not value:
        return "auto"
    if value not in {"0", "1", "2"}:
        raise ValueError(f"{VERBOSE_ENV} must be 0, 1 or 2, not {value!r}")
    return int(value)


class NetworkBlockedError(OSError):
    """Raised for a network connection attempted while ``CNNRNN_OFFLINE=1``."""


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def is_loopback_address(address: Any) -> bool:
    """True for a socket address that stays on this machine: loopback, ``localhost``, Unix sockets.

    The socket guard and the data loaders both ask this, so they agree on what "offline" allows.
    """
    if not isinstance(address, tuple):  # AF_UNIX path or abstract socket
        return True
    host = address[0]
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost would need DNS, i.e. the network
        return False


def _guarded(real):
    def connect(self, address):
        if not is_loopback_address(address):
            raise NetworkBlockedError(
                f"network access to {address!r} is blocked because {OFFLINE_ENV}=1 "
                "(tests must not download anything; ship the file in data/ instead)"
            )
        return real(self, address)

    return connect


def block_network() -> None:
    """Refuse every socket connection except to loopback and Unix sockets (idempotent)."""
    socket.socket.connect = _guarded(_real_connect)
    socket.socket.connect_ex = _guarded(_real_connect_ex)


def unblock_network() -> None:
    """Undo :func:`block_network`."""
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ and Python log noise. Call before TensorFlow is imported.

    A few lines (absl's ``InitializeLog``, the oneDNN notice) are printed by C++ before any
    setting can reach them; they go to stderr and nothing here compares stderr.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow")


def import_keras_quietly():
    """Import Keras (and TensorFlow) with file descriptor 2 pointed at /dev/null meanwhile.

    TensorFlow's C++ start-up writes absl and CUDA-probe lines straight to fd 2, past every Python
    setting; silencing the descriptor for the import keeps them out of notebook outputs. Real
    errors still surface: a failed import raises as usual.
    """
    import sys

    if "keras" in sys.modules:
        return sys.modules["keras"]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import keras
            import tensorflow as tf

            tf.config.list_physical_devices()  # triggers the device probe while fd 2 is silent
            # TensorFlow sets its own logger's level on import, after quiet_tensorflow() ran:
            # set it again, or retracing notices (harmless here) fill the outputs.
            tf.get_logger().setLevel(logging.ERROR)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return keras


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and the Keras backend with one number."""
    random.seed(seed)
    try:
        import keras
    except ImportError:  # the data helpers work without Keras
        import numpy as np

        np.random.seed(seed)
        return
    keras.utils.set_random_seed(seed)


def enable_determinism() -> bool:
    """Make TensorFlow's ops deterministic: the same seed then gives the same numbers, run after run.

    Without it, some kernels (parallel reductions, some GPU convolutions) add floating-point
    numbers in an order that varies between runs, so two runs with one seed drift apart. The cost
    is a little speed on some GPU ops. Returns False when TensorFlow is not installed.
    """
    try:
        import tensorflow as tf
    except ImportError:
        return False
    tf.config.experimental.enable_op_determinism()
    return True


def describe_devices() -> str:
    """One line naming the devices TensorFlow will use, e.g. ``"GPU: NVIDIA H100 (1)"``."""
    try:
        import tensorflow as tf
    except ImportError:
        return f"CPU ({os.cpu_count()} cores, no TensorFlow)"
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return f"CPU ({os.cpu_count()} cores)"
    names = []
    for gpu in gpus:
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
    return "GPU: " + ", ".join(sorted(set(names))) + f" ({len(gpus)})"


@dataclass(frozen=True)
class RunConfig:
    """What :func:`setup` decided: read it instead of the environment in notebooks."""

    fast: bool
    seed: int
    verbose: int | str
    offline: bool
    devices: str

    @property
    def mode(self) -> str:
        return "fast" if self.fast else "full"

    def pick(self, *, full: T, fast: T) -> T:
        """The value for the current mode, e.g. ``epochs = cfg.pick(full=10, fast=2)``."""
        return fast if self.fast else full

    def summary(self) -> str:
        import keras

        extra = ", offline" if self.offline else ""
        return (
            f"cnnrnn: {self.mode} mode{extra}, seed {self.seed}, {self.devices}, "
            f"Keras {keras.__version__} ({keras.backend.backend()} backend)"
        )


def setup(seed: int = 0, *, quiet: bool = False) -> RunConfig:
    """Prepare a notebook or script: quiet logs, plot style, seeds; print one status line.

    Call it in the first code cell, before importing Keras or TensorFlow yourself. Besides the
    seeds it turns on TensorFlow's op determinism (:func:`enable_determinism`).
    """
    if os.environ.get(SEED_ENV, "").strip():
        seed = int(os.environ[SEED_ENV])
    quiet_tensorflow()
    if is_offline():
        block_network()
    from cnnrnn import plots

    plots.use_style()
    try:
        import_keras_quietly()
    except ImportError:  # the data helpers work without Keras
        pass
    seed_everything(seed)
    enable_determinism()
    config = RunConfig(
        fast=is_fast(),
        seed=seed,
        verbose=fit_verbosity(),
        offline=is_offline(),
        devices=describe_devices(),
    )
    if not quiet:
        print(config.summary())
    return config
