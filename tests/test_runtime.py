import socket

import pytest

from cnnrnn import runtime as config


def test_fast_mode_follows_the_environment(monkeypatch):
    monkeypatch.setenv("CNNRNN_FAST", "1")
    assert config.is_fast()
    monkeypatch.setenv("CNNRNN_FAST", "0")
    assert not config.is_fast()
    monkeypatch.delenv("CNNRNN_FAST")
    assert not config.is_fast()


def test_pick_returns_the_value_for_the_mode():
    fast = config.RunConfig(fast=True, seed=0, verbose=2, offline=True, devices="CPU")
    full = config.RunConfig(fast=False, seed=0, verbose="auto", offline=False, devices="CPU")
    assert fast.pick(full=10, fast=2) == 2 and fast.mode == "fast"
    assert full.pick(full=10, fast=2) == 10 and full.mode == "full"


@pytest.mark.parametrize("value, expected", [("", "auto"), ("0", 0), ("2", 2)])
def test_fit_verbosity(monkeypatch, value, expected):
    monkeypatch.setenv("CNNRNN_VERBOSE", value)
    assert config.fit_verbosity() == expected


def test_bad_verbosity_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CNNRNN_VERBOSE", "loud")
    with pytest.raises(ValueError, match="CNNRNN_VERBOSE must be 0, 1 or 2"):
        config.fit_verbosity()


def test_network_is_blocked_but_loopback_works():
    # conftest blocks the network for the whole session
    with pytest.raises(config.NetworkBlockedError, match="CNNRNN_OFFLINE=1"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()


def test_seed_everything_repeats_numpy_draws():
    import numpy as np

    config.seed_everything(3)
    first = np.random.rand(3)
    config.seed_everything(3)
    np.testing.assert_array_equal(first, np.random.rand(3))


def test_setup_reports_mode_and_devices(monkeypatch, capsys):
    monkeypatch.setenv("CNNRNN_FAST", "1")
    monkeypatch.setenv("CNNRNN_VERBOSE", "2")
    cfg = config.setup(seed=1)
    line = capsys.readouterr().out
    assert cfg.fast and cfg.verbose == 2 and cfg.seed == 1
    assert "fast mode" in line and ("CPU" in line or "GPU" in line)
