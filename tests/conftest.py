"""Shared test settings: no network in the test process (notebook kernels are covered by
CNNRNN_OFFLINE=1, which `make test` sets and cnnrnn honours on import)."""

import pytest

from cnnrnn.runtime import block_network, unblock_network


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    block_network()
    yield
    unblock_network()
