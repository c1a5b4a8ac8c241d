"""The gateway with a shared call (SSBTEK's agencies), in process with a fake call: one call per attempt
for the sources still waiting, an open breaker leaves its source out of the call, a bug in the call is
every source's error and never the look-up's crash, and the sources without a call are asked beside it."""

from __future__ import annotations

from bistand.identity.personnummer import Personnummer
from bistand.registers import CircuitOpen, ClientSettings, RegisterClient, RegisterUnavailable, Source
from bistand.registers.errors import RegisterError
from bistand.registers.facts import SkvFacts
from bistand.registers.interface import Parsed, RawAnswer
from bistand.registers.sources import Period

PNR = "199001012385"
SETTINGS = ClientSettings(timeout=1, retries=2, backoff_base=0, backoff_max=0, breaker_threshold=1)


class FakeCall:
    """Answers every source with its name, except those in ``failing`` (a BT error) or a crash."""

    def __init__(self, failing: dict[Source, int] | None = None, crash: bool = False) -> None:
        self.calls: list[tuple[list[Source], str | None]] = []
        self.failing = dict(failing or {})
        self.crash = crash

    def fetch_many(
        self,
        person: Personnummer,
        period: Period,
        sources: list[Source],
        request_id: str,
        timeout: float,
        asked_by: str | None = None,
    ) -> dict[Source, RawAnswer | RegisterError]:
        self.calls.append((list(sources), asked_by))
        if self.crash:
            raise KeyError("a bug")
        outcome: dict[Source, RawAnswer | RegisterError] = {}
        for source in sources:
            if self.failing.get(source, 0) > 0:
                self.failing[source] -= 1
                outcome[source] = RegisterUnavailable(source, "BT: the agency could not answer")
            else:
                outcome[source] = RawAnswer(source.value)
        return outcome


class Agency:
    def __init__(self, source: Source, call: FakeCall) -> None:
        self.source, self.call = source, call

    def fetch(self, *args: object) -> RawAnswer:
        raise AssertionError("an agency sharing a call is never asked alone")

    def parse(self, raw: str) -> Parsed:
        assert raw == self.source.value, "each source reads its own part"
        return Parsed(SkvFacts(()))


class Alone:
    source = Source.NAVET

    def __init__(self) -> None:
        self.asked = 0

    def fetch(self, person: Personnummer, period: Period, request_id: str, timeout: float) -> RawAnswer:
        self.asked += 1
        return RawAnswer("navet")

    def parse(self, raw: str) -> Parsed:
        return Parsed(SkvFacts(()))


AGENCIES = (Source.FK, Source.AF, Source.CSN)


def gateway(call: FakeCall, alone: Alone | None = None) -> RegisterClient:
    adapters = {s: Agency(s, call) for s in AGENCIES}
    if alone is not None:
        adapters[Source.NAVET] = alone
    return RegisterClient(adapters, SETTINGS, sleep=lambda _: None)


def test_one_call_for_the_agencies_and_the_other_sources_beside_it():
    call, navet = FakeCall(), Alone()
    with gateway(call, navet) as client:
        answer = client.lookup(PNR, "2026-03", asked_by="handlaggare1")
    assert answer.complete
    assert call.calls == [(list(AGENCIES), "handlaggare1")]
    assert navet.asked == 1


def test_a_retry_asks_again_only_for_the_agencies_that_failed():
    call = FakeCall(failing={Source.AF: 1})
    with gateway(call) as client:
        answer = client.lookup(PNR, "2026-03")
    assert answer.complete
    assert [sources for sources, _ in call.calls] == [list(AGENCIES), [Source.AF]]
    assert [answer[s].provenance.attempts for s in AGENCIES] == [1, 2, 1]


def test_an_open_breaker_leaves_its_agency_out_of_the_call():
    call = FakeCall(failing={Source.CSN: 3})
    with gateway(call) as client:
        first = client.lookup(PNR, "2026-03")
        assert isinstance(first[Source.CSN].error, RegisterUnavailable)  # the breaker opens (threshold 1)
        call.calls.clear()
        second = client.lookup(PNR, "2026-03")
    assert isinstance(second[Source.CSN].error, CircuitOpen)
    assert call.calls == [([Source.FK, Source.AF], None)]
    assert second[Source.FK].ok and second[Source.AF].ok


def test_a_bug_in_the_call_is_every_agencys_error_not_the_lookups_crash():
    call, navet = FakeCall(crash=True), Alone()
    with gateway(call, navet) as client:
        answer = client.lookup(PNR, "2026-03")
    assert set(answer.errors) == set(AGENCIES)
    assert all("KeyError" in str(answer[s].error) for s in AGENCIES)
    assert answer[Source.NAVET].ok
