"""The registers simulator: SSBTEK v10 and Navet over SOAP and mutual TLS (a test CA made at start-up),
answering in the published schemas for a synthetic population, with fault injection. Start it with
``bistand registers serve``."""

from bistand.registers.simulator.server import SimulatorServer, person_key

__all__ = ["SimulatorServer", "person_key"]
