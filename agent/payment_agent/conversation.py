"""The conversation: an agent whose instructions come from the dispatch, and the function tools
its model calls to record what the customer said and to end the call."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from livekit.agents import Agent, RunContext, function_tool

from .metadata import CallJob
from .outcomes import KNOWN_RESPONSES, CallOutcome, InvalidOutcomeError, opt_out_requested, recorded_outcome

logger = logging.getLogger("payment_agent.conversation")

Report = Callable[[dict[str, Any]], Awaitable[object]]


def build_instructions(job: CallJob) -> str:
    lines = [
        "You are a courteous voice assistant calling on behalf of the business about a payment reminder.",
        f"You are speaking with {job.customer_name}. The amount due is {job.amount_due}, due on {job.due_date},"
        f" reference {job.reference}.",
        "Confirm you are speaking with the right person before discussing the payment. If not, record"
        " `wrong_person` and end the call without giving any details.",
        "Ask whether and when they will pay. Record the outcome once with record_outcome, using one of: "
        + ", ".join(KNOWN_RESPONSES)
        + ". For a promise to pay on a later date use `promise_to_pay` with promised_date (YYYY-MM-DD)"
        " and, if they promise less than the whole amount, promised_amount.",
        "If the customer asks not to be called or contacted again, call record_opt_out with their words,"
        " confirm they will not be contacted again, and end the call.",
        "Never ask for card numbers or other payment details over the phone. Keep it brief; once the outcome"
        " is recorded, thank them and call end_call.",
    ]
    if job.message:
        lines.append(f"The business asked you to pass on this message: {job.message}")
    return "\n".join(lines)


@dataclass
class CallRecord:
    """What the model recorded during the call; call.py turns it into call_completed."""

    outcome: CallOutcome | None = None
    opted_out: bool = False
    ended_by_agent: bool = False
    notes: list[str] = field(default_factory=list)


class PaymentReminderAgent(Agent):
    def __init__(self, job: CallJob, record: CallRecord, report: Report, elapsed: Callable[[], float]) -> None:
        super().__init__(instructions=build_instructions(job))
        self._job = job
        self._record = record
        self._report = report
        self._elapsed = elapsed

    async def on_enter(self) -> None:
        self.session.generate_reply(instructions="Greet the customer by name and say why you are calling.")

    @function_tool()
    async def record_outcome(
        self,
        customer_response: str,
        notes: str | None = None,
        promised_date: str | None = None,
        promised_amount: float | None = None,
    ) -> str:
        """Record what the customer said about the payment.

        Args:
            customer_response: one of will_pay_today, promise_to_pay, already_paid, disputed, call_back_later,
                callback_requested, wrong_person, voicemail, refused
            notes: a short summary of what the customer said
            promised_date: with promise_to_pay, the date they promised to pay by (YYYY-MM-DD)
            promised_amount: with promise_to_pay, the amount promised, if less than the whole
        """
        try:
            self._record.outcome = recorded_outcome(
                customer_response=customer_response,
                notes=notes,
                promised_date=promised_date,
                promised_amount=promised_amount,
                duration=self._elapsed(),
            )
        except InvalidOutcomeError as error:
            return f"Not recorded: {error}. Ask the customer and record again."
        logger.info("outcome recorded: %s", self._record.outcome.customer_response)
        return "Recorded."

    @function_tool()
    async def record_opt_out(self, notes: str | None = None) -> str:
        """Record that the customer asked not to be contacted again.

        Args:
            notes: the customer's words, briefly
        """
        if not self._record.opted_out:
            self._record.opted_out = True
            # Reported at once, not at the end of the call: an opt-out must hold even if the call drops now.
            await self._report(opt_out_requested(self._job, notes))
        return "Recorded: they will not be contacted again. Confirm this, then end the call."

    @function_tool()
    async def end_call(self, ctx: RunContext) -> str:
        """End the call, after saying goodbye."""
        self._record.ended_by_agent = True
        # The goodbye the model says next is spoken on this same speech; close once it is out.
        ctx.speech_handle.add_done_callback(lambda _: ctx.session.shutdown())
        return "Say a short goodbye."
