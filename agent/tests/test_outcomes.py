import pytest

from payment_agent.metadata import CallJob
from payment_agent.outcomes import (
    NO_ANSWER_NOTES,
    InvalidOutcomeError,
    call_completed,
    call_failed,
    ended_without_outcome,
    no_answer,
    opt_out_requested,
    opted_out,
    recorded_outcome,
    sip_failure,
)

JOB = CallJob(
    reminder_id="6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b",
    attempt=3,
    phone_number="+14155550123",
    customer_name="Ada",
    amount_due="10.00 USD",
    due_date="2026-12-01",
    reference="INV-1",
    message="",
    webhook_url=None,
)


@pytest.mark.parametrize(
    ("status", "response"), [(486, "busy"), (600, "busy"), (603, "declined"), (480, "unavailable"), (500, "not_connected")]
)
def test_a_sip_failure_answer_becomes_its_customer_response(status, response):
    outcome = sip_failure(status, "Reason")
    assert (outcome.connected, outcome.duration, outcome.customer_response) == (False, 0, response)
    assert outcome.notes == f"SIP {status} Reason"


@pytest.mark.parametrize("status", [None, 408, 487])
def test_ringing_out_is_no_answer_with_the_guides_notes(status):
    outcome = sip_failure(status, None)
    assert outcome == no_answer()
    assert outcome.as_json() == {"connected": False, "duration": 0, "customer_response": "no_answer", "notes": NO_ANSWER_NOTES}


def test_call_failed_is_the_guides_event_with_the_attempt():
    assert call_failed(JOB.reminder_id, JOB.attempt, no_answer()) == {
        "reminder_id": JOB.reminder_id,
        "event_type": "call_failed",
        "attempt": 3,
        "outcome": {"connected": False, "duration": 0, "customer_response": "no_answer", "notes": "Timeout waiting for participant to join"},
    }


def test_a_promise_to_pay_carries_its_date_and_amount():
    outcome = recorded_outcome(customer_response="promise_to_pay", notes="Friday", promised_date="2026-12-18", promised_amount=50, duration=41.6)
    assert call_completed(JOB, outcome)["outcome"] == {
        "connected": True,
        "duration": 42,
        "customer_response": "promise_to_pay",
        "notes": "Friday",
        "promised_date": "2026-12-18",
        "promised_amount": 50,
    }


@pytest.mark.parametrize(
    ("date", "amount", "message"),
    [(None, None, "needs promised_date"), ("next friday", None, "must be a date"), ("2026-02-30", None, "must be a date"), ("2026-12-18", 0, "more than 0")],
)
def test_an_unusable_promise_is_refused_with_the_reason(date, amount, message):
    with pytest.raises(InvalidOutcomeError, match=message):
        recorded_outcome(customer_response="promise_to_pay", notes=None, promised_date=date, promised_amount=amount, duration=1)


def test_promise_fields_are_dropped_from_other_answers():
    outcome = recorded_outcome(customer_response="Will Pay Today", notes=None, promised_date="2026-12-18", promised_amount=5, duration=3)
    assert outcome.as_json() == {"connected": True, "duration": 3, "customer_response": "will_pay_today"}


def test_a_call_that_ended_without_an_outcome_is_a_dropped_line():
    # line_dropped on a connected call is a retry for the backend (src/domain/call-outcome.ts).
    outcome = ended_without_outcome(12.2, "Customer hung up")
    assert outcome.as_json() == {"connected": True, "duration": 12, "customer_response": "line_dropped", "notes": "Customer hung up"}


def test_notes_are_cut_to_the_backends_limit():
    assert len(ended_without_outcome(1, "x" * 5000).as_json()["notes"]) == 2000
    assert len(opt_out_requested(JOB, "y" * 3000)["notes"]) == 2000


def test_opt_out_requested_is_our_event_with_the_attempt():
    assert opt_out_requested(JOB, "stop calling") == {
        "reminder_id": JOB.reminder_id,
        "event_type": "opt_out_requested",
        "attempt": 3,
        "notes": "stop calling",
    }


def test_voicemail_is_not_a_conversation_with_the_customer():
    outcome = recorded_outcome(customer_response="voicemail", notes=None, promised_date=None, promised_amount=None, duration=9)
    assert (outcome.connected, outcome.customer_response) == (False, "voicemail")


def test_an_opt_out_with_nothing_else_recorded_completes_the_call():
    # opted_out on a connected call is no retry for the backend: the number is not called again.
    assert opted_out(30).as_json() == {
        "connected": True,
        "duration": 30,
        "customer_response": "opted_out",
        "notes": "Customer asked not to be contacted again",
    }
