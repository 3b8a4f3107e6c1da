"""SIP dialing: the request it makes and how a SIP answer becomes an outcome."""

import asyncio

import pytest
from livekit import api

from payment_agent.dialing import CallNotConnected, SipDialer, callee_identity
from payment_agent.metadata import parse_metadata

from .fakes import FakeJobContext
from .test_metadata import dispatch

JOB = parse_metadata(dispatch())


class FakeSip:
    def __init__(self, error: Exception | None = None, joins: bool = True) -> None:
        self.error = error
        self.requests: list[api.CreateSIPParticipantRequest] = []
        self.ctx: FakeJobContext | None = None
        self.joins = joins

    async def create_sip_participant(self, request):
        self.requests.append(request)
        if self.error:
            raise self.error
        if self.joins and self.ctx:
            self.ctx.participants[request.participant_identity] = "callee"


def context(sip: FakeSip) -> FakeJobContext:
    ctx = FakeJobContext(dispatch(), sip=sip)
    sip.ctx = ctx
    return ctx


async def test_dials_the_number_on_the_trunk_and_waits_for_the_answer():
    sip = FakeSip()
    callee = await SipDialer("ST_trunk", 600).dial(context(sip), JOB, ring_timeout=25)
    assert callee == "callee"
    [request] = sip.requests
    assert (request.sip_trunk_id, request.sip_call_to, request.room_name) == ("ST_trunk", "+14155550123", "reminder-room")
    assert request.wait_until_answered and request.ringing_timeout.seconds == 25 and request.max_call_duration.seconds == 600
    assert request.participant_identity == callee_identity(JOB)
    assert "+1415" not in request.participant_identity


@pytest.mark.parametrize(("code", "response"), [("486", "busy"), ("603", "declined"), ("480", "unavailable"), ("408", "no_answer")])
async def test_a_sip_error_becomes_the_calls_outcome(code, response):
    error = api.SipCallError("unavailable", "dial failed", status=503, metadata={"sip_status_code": code, "sip_status": "Reason"})
    with pytest.raises(CallNotConnected) as caught:
        await SipDialer("ST_trunk", 600).dial(context(FakeSip(error)), JOB, ring_timeout=25)
    assert caught.value.outcome.customer_response == response
    assert caught.value.outcome.connected is False


async def test_a_request_that_times_out_is_no_answer():
    with pytest.raises(CallNotConnected) as caught:
        await SipDialer("ST_trunk", 600).dial(context(FakeSip(asyncio.TimeoutError())), JOB, ring_timeout=25)
    assert caught.value.outcome.notes == "Timeout waiting for participant to join"


async def test_an_answer_whose_callee_never_joins_is_no_answer(monkeypatch):
    monkeypatch.setattr("payment_agent.dialing.JOIN_GRACE_SECONDS", 0.05)
    with pytest.raises(CallNotConnected) as caught:
        await SipDialer("ST_trunk", 600).dial(context(FakeSip(joins=False)), JOB, ring_timeout=25)
    assert caught.value.outcome.customer_response == "no_answer"


async def test_a_dial_livekit_refuses_without_a_sip_status_is_not_connected():
    error = api.ServerError("unavailable", "sip not connected", status=503)
    with pytest.raises(CallNotConnected) as caught:
        await SipDialer("ST_trunk", 600).dial(context(FakeSip(error)), JOB, ring_timeout=25)
    assert (caught.value.outcome.customer_response, caught.value.outcome.notes) == ("not_connected", "Dial refused: unavailable")
