"""The registers simulator: an HTTP service that answers like SSBTEK's sources and Navet would, for a
synthetic population, with fault injection. Start it with ``bistand registers serve``."""

from bistand.registers.simulator.server import SimulatorServer, person_key

__all__ = ["SimulatorServer", "person_key"]
