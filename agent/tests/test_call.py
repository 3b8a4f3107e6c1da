"""The job's paths that end before a conversation: bad metadata and a dial nobody answered."""

import json

from payment_agent.call import CallDependencies, run_call
from payment_agent.config import load_config
from payment_agent.dialing import CallNotConnected
from payment_agent.outcomes import no_answer, sip_failure

from .fakes import FakeJobContext, RecordingWebhooks
from .test_config import BASE
from .test_metadata import REMINDER, dispatch

CONFIG = load_config(BASE, telephony=False)


class FailingDialer:
    def __init__(self, error: Exception) -> None:
        self.error = error
        self.dialled: list[str] = []

    async def dial(self, ctx, job, ring_timeout):
        self.dialled.append(job.reminder_id)
        raise self.error


def deps(webhooks, dialer):
    def no_session(job):
        raise AssertionError("no conversation without an answer")

    return CallDependencies(config=CONFIG, webhooks=webhooks, dialer=dialer, new_session=no_session, room_options=None)


async def test_bad_metadata_is_reported_as_call_failed_and_nothing_is_dialled():
    webhooks, dialer = RecordingWebhooks(), FailingDialer(AssertionError("dialled"))
    ctx = FakeJobContext(dispatch(phone_number="12345", webhook_url=...))
    await run_call(ctx, deps(webhooks, dialer))
    assert dialer.dialled == []
    [(url, event)] = webhooks.sent
    assert url == CONFIG.webhook_url  # the metadata gave none
    assert event["event_type"] == "call_failed" and event["reminder_id"] == REMINDER and event["attempt"] == 2
    assert event["outcome"]["connected"] is False
    assert event["outcome"]["notes"] == "Invalid dispatch metadata: phone_number must be an E.164 number"
    assert ctx.shutdown_reason == "invalid metadata"


async def test_metadata_without_a_reminder_is_only_logged(caplog):
    webhooks = RecordingWebhooks()
    ctx = FakeJobContext(json.dumps({"attempt": 1}))
    await run_call(ctx, deps(webhooks, FailingDialer(AssertionError())))
    assert webhooks.sent == []
    assert "cannot report the failure" in caplog.text


async def test_a_ring_timeout_reports_call_failed_no_answer_to_the_metadatas_url():
    webhooks = RecordingWebhooks()
    ctx = FakeJobContext(dispatch())
    await run_call(ctx, deps(webhooks, FailingDialer(CallNotConnected(no_answer()))))
    [(url, event)] = webhooks.sent
    assert url == "http://127.0.0.1:3000/api/webhooks/call-status"
    assert event == {
        "reminder_id": REMINDER,
        "event_type": "call_failed",
        "attempt": 2,
        "outcome": {"connected": False, "duration": 0, "customer_response": "no_answer", "notes": "Timeout waiting for participant to join"},
    }
    assert ctx.deleted_room and ctx.shutdown_reason == "call ended"


async def test_a_busy_line_reports_busy():
    webhooks = RecordingWebhooks()
    await run_call(FakeJobContext(dispatch()), deps(webhooks, FailingDialer(CallNotConnected(sip_failure(486, "Busy Here")))))
    assert [event["outcome"]["customer_response"] for _, event in webhooks.sent] == ["busy"]


async def test_an_unexpected_error_is_reported_once_and_does_not_escape_the_job():
    webhooks = RecordingWebhooks()
    ctx = FakeJobContext(dispatch())
    await run_call(ctx, deps(webhooks, FailingDialer(RuntimeError("LiveKit went away"))))
    [(_, event)] = webhooks.sent
    assert event["event_type"] == "call_failed"
    assert event["outcome"]["notes"] == "Agent error: RuntimeError"
    for callback in ctx.shutdown_callbacks:  # a later job shutdown reports nothing more
        await callback("room closed")
    assert len(webhooks.sent) == 1
