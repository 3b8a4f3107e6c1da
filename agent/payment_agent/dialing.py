"""Placing the call: LiveKit SIP dials the customer on the configured outbound trunk, and the
job waits for the callee to join the room, within the ring timeout."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from livekit import api, rtc
from livekit.agents import JobContext

from .metadata import CallJob
from .outcomes import CallOutcome, no_answer, sip_failure

logger = logging.getLogger("payment_agent.dialing")

# After SIP reports the answer, the callee's participant should be in the room at once.
JOIN_GRACE_SECONDS = 10.0


class CallNotConnected(Exception):
    """Nobody came on the line; `outcome` says why, in the backend's words."""

    def __init__(self, outcome: CallOutcome) -> None:
        super().__init__(outcome.notes or outcome.customer_response)
        self.outcome = outcome


class Dialer(Protocol):
    async def dial(self, ctx: JobContext, job: CallJob, ring_timeout: float) -> rtc.RemoteParticipant:
        """The callee, once they have joined the room; raises CallNotConnected otherwise."""
        ...


def callee_identity(job: CallJob) -> str:
    # Never the phone number: identities end up in logs and in LiveKit's dashboards.
    return f"callee-{job.reminder_id}-{job.attempt}"


async def wait_for_callee(ctx: JobContext, identity: str, timeout: float) -> rtc.RemoteParticipant:
    try:
        return await asyncio.wait_for(ctx.wait_for_participant(identity=identity), timeout)
    except asyncio.TimeoutError:
        raise CallNotConnected(no_answer()) from None


class SipDialer:
    def __init__(self, trunk_id: str, max_call_duration_seconds: float) -> None:
        self._trunk_id = trunk_id
        self._max_call_duration = int(max_call_duration_seconds)

    async def dial(self, ctx: JobContext, job: CallJob, ring_timeout: float) -> rtc.RemoteParticipant:
        identity = callee_identity(job)
        request = api.CreateSIPParticipantRequest(
            sip_trunk_id=self._trunk_id,
            sip_call_to=job.phone_number,
            room_name=ctx.room.name,
            participant_identity=identity,
            wait_until_answered=True,
            hide_phone_number=True,
        )
        request.ringing_timeout.seconds = int(ring_timeout)
        # The SIP side hangs up at the maximum too, even if this job were gone.
        request.max_call_duration.seconds = self._max_call_duration
        try:
            await ctx.api.sip.create_sip_participant(request)
        except api.SipCallError as error:
            logger.info("dial failed: SIP %s %s", error.sip_status_code, error.sip_status)
            raise CallNotConnected(sip_failure(error.sip_status_code, error.sip_status)) from None
        except api.ServerError as error:
            # No SIP status: LiveKit refused the dial itself (no SIP service, a bad trunk, a quota).
            logger.warning("dial refused by LiveKit: %s %s", error.code, error.message)
            raise CallNotConnected(
                CallOutcome(connected=False, duration=0, customer_response="not_connected", notes=f"Dial refused: {error.code}")
            ) from None
        except asyncio.TimeoutError:
            raise CallNotConnected(no_answer()) from None
        return await wait_for_callee(ctx, identity, JOIN_GRACE_SECONDS)
