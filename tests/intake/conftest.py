"""Intake fixtures: register look-ups pointed at the simulator (tests/simulator.py), or at nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def with_registers(settings, registers_simulator):
    """Point the web app's register look-ups at the simulator."""
    settings.REGISTERS_URL = registers_simulator
    return registers_simulator


@pytest.fixture
def no_registers(settings):
    """Registers that cannot be reached: nothing listens on this port."""
    settings.REGISTERS_URL = "http://127.0.0.1:9"
