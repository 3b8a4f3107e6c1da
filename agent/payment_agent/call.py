"""One job: one attempt of one reminder's call, from the dispatch to the last webhook.

    metadata → dial (SIP, ring timeout) → call_answered → conversation (AgentSession, tools)
             → call_completed (connected, measured duration, customer_response, notes)

Every way out of the job reports once: bad metadata and a dial nobody answered as
`call_failed`, a call that connected as `call_completed`, whatever ended it (the agent's
end_call, the customer hanging up, the room closing, the maximum duration, an error).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from livekit import rtc
from livekit.agents import AgentSession, JobContext
from livekit.agents.voice import room_io
from livekit.agents.voice.events import CloseEvent

from .config import AgentConfig
from .conversation import CallRecord, PaymentReminderAgent
from .dialing import CallNotConnected, Dialer
from .metadata import CallJob, InvalidMetadataError, parse_metadata
from .outcomes import CallOutcome, call_answered, call_completed, call_failed, ended_without_outcome, opted_out
from .webhooks import WebhookClient

logger = logging.getLogger("payment_agent.call")


@dataclass(frozen=True)
class CallDependencies:
    """What a job needs; the worker builds the production set, agent/standins the local one."""

    config: AgentConfig
    webhooks: WebhookClient
    dialer: Dialer
    new_session: Callable[[CallJob], AgentSession]
    room_options: room_io.RoomOptions
    clock: Callable[[], float] = time.monotonic


def _log_fields(reminder_id: str | None, attempt: int | None) -> dict[str, Any]:
    return {"reminder_id": reminder_id, "attempt": attempt}


async def run_call(ctx: JobContext, deps: CallDependencies) -> None:
    try:
        job = parse_metadata(ctx.job.metadata)
    except InvalidMetadataError as error:
        await _report_invalid_metadata(ctx, deps, error)
        return
    ctx.log_context_fields = _log_fields(job.reminder_id, job.attempt)
    await _Call(ctx, deps, job).run()


async def _report_invalid_metadata(ctx: JobContext, deps: CallDependencies, error: InvalidMetadataError) -> None:
    logger.error("invalid dispatch metadata: %s", "; ".join(error.problems), extra=_log_fields(error.reminder_id, error.attempt))
    if error.reminder_id is not None:
        outcome = CallOutcome(
            connected=False, duration=0, customer_response="not_connected", notes="Invalid dispatch metadata: " + "; ".join(error.problems)
        )
        await deps.webhooks.send(error.webhook_url or deps.config.webhook_url, call_failed(error.reminder_id, error.attempt, outcome))
    else:
        logger.error("cannot report the failure: the metadata names no reminder")
    ctx.shutdown(reason="invalid metadata")


class _Call:
    def __init__(self, ctx: JobContext, deps: CallDependencies, job: CallJob) -> None:
        self.ctx, self.deps, self.job = ctx, deps, job
        self.url = job.webhook_url or deps.config.webhook_url
        self.record = CallRecord()
        self.answered_at: float | None = None
        self.reported = False

    async def report(self, event: dict[str, Any]) -> object:
        return await self.deps.webhooks.send(self.url, event)

    def elapsed(self) -> float:
        return 0.0 if self.answered_at is None else self.deps.clock() - self.answered_at

    async def run(self) -> None:
        # If the job is shut down from outside before the end was reported, report it then.
        self.ctx.add_shutdown_callback(self._on_job_shutdown)
        try:
            await self.ctx.connect()
            try:
                callee = await self.deps.dialer.dial(self.ctx, self.job, self.deps.config.ring_timeout_seconds)
            except CallNotConnected as not_connected:
                logger.info("call not connected: %s", not_connected.outcome.customer_response)
                await self._finish(call_failed(self.job.reminder_id, self.job.attempt, not_connected.outcome))
                return
            self.answered_at = self.deps.clock()
            await self.report(call_answered(self.job))
            reason = await self._converse(callee.identity)
            await self._finish(call_completed(self.job, self._outcome(reason)))
        except Exception as error:  # one call's fault ends that call, reported, never the worker
            logger.exception("call failed with an error")
            await self._finish_after_error(error)
        finally:
            if not self.reported:
                await self._finish_after_error(RuntimeError("call ended without a report"))
            await self._hang_up()

    async def _converse(self, callee_identity: str) -> str:
        session = self.deps.new_session(self.job)
        closed: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def on_close(event: CloseEvent) -> None:
            if not closed.done():
                closed.set_result(event.reason.value)

        def on_participant_disconnected(participant: rtc.RemoteParticipant) -> None:
            # The session closes on its own when its linked callee leaves; this also covers a
            # hang-up before the session had linked them.
            if participant.identity == callee_identity and not closed.done():
                closed.set_result("participant_disconnected")

        session.on("close", on_close)
        self.ctx.room.on("participant_disconnected", on_participant_disconnected)
        agent = PaymentReminderAgent(self.job, self.record, self.report, self.elapsed)
        # The session listens to the callee alone and closes when they hang up.
        options = replace(self.deps.room_options, participant_identity=callee_identity, close_on_disconnect=True)
        try:
            await session.start(agent, room=self.ctx.room, room_options=options)
            if callee_identity not in self.ctx.room.remote_participants and not closed.done():
                closed.set_result("participant_disconnected")
            remaining = self.deps.config.max_call_duration_seconds - self.elapsed()
            try:
                return await asyncio.wait_for(asyncio.shield(closed), timeout=max(remaining, 0))
            except asyncio.TimeoutError:
                logger.info("maximum call duration reached; ending the call")
                return "max_duration"
        finally:
            self.ctx.room.off("participant_disconnected", on_participant_disconnected)
            await session.aclose()

    def _outcome(self, reason: str) -> CallOutcome:
        duration = self.elapsed()
        if self.record.outcome is not None:
            return replace(self.record.outcome, duration=duration)
        if self.record.opted_out:
            return opted_out(duration)
        notes = {
            "participant_disconnected": "Customer hung up before an outcome was recorded",
            "max_duration": "Maximum call duration reached",
        }.get(reason, f"Call ended ({reason}) before an outcome was recorded")
        return ended_without_outcome(duration, notes)

    async def _finish(self, event: dict[str, Any]) -> None:
        if self.reported:
            return
        self.reported = True
        await self.report(event)

    async def _finish_after_error(self, error: BaseException) -> None:
        notes = f"Agent error: {type(error).__name__}"
        if self.answered_at is None:
            outcome = CallOutcome(connected=False, duration=0, customer_response="not_connected", notes=notes)
            await self._finish(call_failed(self.job.reminder_id, self.job.attempt, outcome))
        else:
            await self._finish(call_completed(self.job, self._outcome("error")))

    async def _on_job_shutdown(self, reason: str) -> None:
        if not self.reported:
            await self._finish_after_error(RuntimeError(f"job shut down: {reason}"))

    async def _hang_up(self) -> None:
        # Deleting the room disconnects everyone in it, the SIP leg included: the phone call ends.
        try:
            await self.ctx.delete_room()
        except Exception:
            logger.warning("could not delete the room", exc_info=True)
        self.ctx.shutdown(reason="call ended")
