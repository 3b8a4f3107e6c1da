import json

import pytest

from payment_agent.metadata import InvalidMetadataError, parse_metadata

REMINDER = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"


def dispatch(**overrides):
    """The metadata exactly as src/activities/call-activities.ts writes it."""
    data = {
        "reminder_id": REMINDER,
        "attempt": 2,
        "phone_number": "+14155550123",
        "customer_name": "Ada Lovelace",
        "amount_due": "120.50 USD",
        "due_date": "2026-12-01",
        "reference": "INV-1001",
        "message": "Thanks for your business.",
        "webhook_url": "http://127.0.0.1:3000/api/webhooks/call-status",
    }
    data.update(overrides)
    return json.dumps({key: value for key, value in data.items() if value is not ...})


def test_the_backends_metadata_becomes_a_call_job():
    job = parse_metadata(dispatch())
    assert job.reminder_id == REMINDER
    assert job.attempt == 2
    assert job.phone_number == "+14155550123"
    assert job.amount_due == "120.50 USD"
    assert job.due_date == "2026-12-01"
    assert job.message == "Thanks for your business."
    assert job.webhook_url == "http://127.0.0.1:3000/api/webhooks/call-status"


def test_message_and_webhook_url_are_optional():
    job = parse_metadata(dispatch(message=..., webhook_url=...))
    assert job.message == ""
    assert job.webhook_url is None


@pytest.mark.parametrize("raw", ["", "not json", "[1, 2]", "null", '"text"'])
def test_metadata_that_is_no_json_object_names_no_reminder(raw):
    with pytest.raises(InvalidMetadataError) as caught:
        parse_metadata(raw)
    assert caught.value.reminder_id is None


def test_every_bad_field_is_named_and_the_reminder_is_kept_for_the_report():
    with pytest.raises(InvalidMetadataError) as caught:
        parse_metadata(dispatch(phone_number="0415 555", attempt=0, due_date="1 December", customer_name="  ", webhook_url="ftp://x"))
    error = caught.value
    assert error.reminder_id == REMINDER
    assert error.attempt is None
    assert error.problems == [
        "attempt must be an integer ≥ 1",
        "phone_number must be an E.164 number",
        "customer_name must be a non-empty string",
        "due_date must be an ISO date (YYYY-MM-DD)",
        "webhook_url must be an http(s) URL",
    ]


def test_a_problem_never_repeats_the_phone_number():
    with pytest.raises(InvalidMetadataError) as caught:
        parse_metadata(dispatch(phone_number="+1415555012345678"))
    assert "+1415555012345678" not in str(caught.value)


@pytest.mark.parametrize("attempt", [True, 1.5, "1", -1])
def test_attempt_must_be_a_whole_number_from_one(attempt):
    with pytest.raises(InvalidMetadataError) as caught:
        parse_metadata(dispatch(attempt=attempt))
    assert caught.value.problems == ["attempt must be an integer ≥ 1"]


def test_reminder_id_must_be_a_uuid():
    with pytest.raises(InvalidMetadataError) as caught:
        parse_metadata(dispatch(reminder_id="reminder-1"))
    assert caught.value.reminder_id is None
    assert caught.value.problems == ["reminder_id must be a UUID"]
