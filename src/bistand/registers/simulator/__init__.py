"""The registers simulator: SSBTEK v10 and Navet over SOAP and mutual TLS (a test CA made at start-up),
answering in the published schemas for a synthetic population, with fault injection. Start it with
``bistand registers serve``.

Everything here is for tests, demos and benchmarks; the clients production runs (`registers.client`,
`ssbtek`, `navet`, `lefi`, …) never import it (tests/registers/test_simulator_apart.py). The package
imports nothing when it is imported, so that demo data can read the population without the server:
`simulator.server` (the HTTP server), `population` (who lives where, from a seed), `answers` and
`records` (what each register says of them in a month), `render` (the published XML), `faults` (fault
injection), `amounts` (the benefit levels it pays), `month` (a realistic month of applications).
"""
