"""What a call comes to, in the backend's words (README "Call outcomes", src/domain/call-outcome.ts),
and the webhook events that carry it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .metadata import CallJob

NO_ANSWER_NOTES = "Timeout waiting for participant to join"

# A SIP final answer to the dial, as the customer_response the backend stores. Each of these
# means "try again later" to the backend, because the call did not connect.
SIP_STATUS_RESPONSES: dict[int, str] = {
    486: "busy",  # Busy Here
    600: "busy",  # Busy Everywhere
    603: "declined",  # Decline
    480: "unavailable",  # Temporarily Unavailable
    408: "no_answer",  # Request Timeout: rang out
    487: "no_answer",  # Request Terminated: our ring timeout cancelled it
}

# What the conversation's model may record, beside free text the backend also accepts.
KNOWN_RESPONSES = (
    "will_pay_today",
    "promise_to_pay",
    "already_paid",
    "disputed",
    "call_back_later",
    "callback_requested",
    "wrong_person",
    "voicemail",
    "refused",
)


@dataclass(frozen=True)
class CallOutcome:
    connected: bool
    duration: float
    customer_response: str
    notes: str | None = None
    promised_date: str | None = None
    promised_amount: float | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "connected": self.connected,
            "duration": round(self.duration),
            "customer_response": self.customer_response,
        }
        if self.notes:
            body["notes"] = self.notes[:2000]  # the backend's limit
        if self.promised_date:
            body["promised_date"] = self.promised_date
        if self.promised_amount is not None:
            body["promised_amount"] = self.promised_amount
        return body


def no_answer() -> CallOutcome:
    return CallOutcome(connected=False, duration=0, customer_response="no_answer", notes=NO_ANSWER_NOTES)


def sip_failure(status_code: int | None, reason: str | None) -> CallOutcome:
    """The outcome of a dial the SIP side answered with a failure (or none: a ring timeout)."""
    if status_code is None:
        return no_answer()
    response = SIP_STATUS_RESPONSES.get(status_code, "not_connected")
    if response == "no_answer":
        return no_answer()
    return CallOutcome(connected=False, duration=0, customer_response=response, notes=f"SIP {status_code} {reason or ''}".strip())


class InvalidOutcomeError(ValueError):
    """The model recorded something the backend could not use; the tool tells it why."""


def recorded_outcome(
    *, customer_response: str, notes: str | None, promised_date: str | None, promised_amount: float | None, duration: float
) -> CallOutcome:
    """The outcome of a connected call, as the conversation's model recorded it."""
    response = customer_response.strip().lower().replace(" ", "_")
    if not response or len(response) > 100:
        raise InvalidOutcomeError("customer_response must be 1 to 100 characters")
    if response == "promise_to_pay":
        if not promised_date:
            raise InvalidOutcomeError("a promise_to_pay needs promised_date (YYYY-MM-DD)")
        try:
            date.fromisoformat(promised_date)
        except ValueError:
            raise InvalidOutcomeError("promised_date must be a date (YYYY-MM-DD)") from None
        if promised_amount is not None and not promised_amount > 0:
            raise InvalidOutcomeError("promised_amount must be more than 0")
    else:
        promised_date, promised_amount = None, None
    return CallOutcome(
        # A machine took the call: no conversation with the customer (nor one for the contact policy).
        connected=response != "voicemail",
        duration=duration,
        customer_response=response,
        notes=notes,
        promised_date=promised_date,
        promised_amount=promised_amount,
    )


def ended_without_outcome(duration: float, reason: str) -> CallOutcome:
    """A connected call that ended before the model recorded anything (hang-up, maximum duration)."""
    return CallOutcome(connected=True, duration=duration, customer_response="line_dropped", notes=reason)


def opted_out(duration: float) -> CallOutcome:
    """A connected call in which the customer asked not to be contacted, and nothing else was recorded."""
    return CallOutcome(connected=True, duration=duration, customer_response="opted_out", notes="Customer asked not to be contacted again")


def _event(event_type: str, reminder_id: str, attempt: int | None) -> dict[str, Any]:
    event: dict[str, Any] = {"reminder_id": reminder_id, "event_type": event_type}
    if attempt is not None:
        event["attempt"] = attempt  # so the backend ignores a late event of an earlier attempt
    return event


def call_answered(job: CallJob) -> dict[str, Any]:
    return _event("call_answered", job.reminder_id, job.attempt)


def call_completed(job: CallJob, outcome: CallOutcome) -> dict[str, Any]:
    return {**_event("call_completed", job.reminder_id, job.attempt), "outcome": outcome.as_json()}


def call_failed(reminder_id: str, attempt: int | None, outcome: CallOutcome) -> dict[str, Any]:
    return {**_event("call_failed", reminder_id, attempt), "outcome": outcome.as_json()}


def opt_out_requested(job: CallJob, notes: str | None) -> dict[str, Any]:
    event = _event("opt_out_requested", job.reminder_id, job.attempt)
    if notes:
        event["notes"] = notes[:2000]
    return event
