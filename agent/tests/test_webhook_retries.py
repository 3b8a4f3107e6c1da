import hashlib
import hmac
import logging

import pytest

from payment_agent.webhooks import HttpAnswer, WebhookClient

EVENT = {"reminder_id": "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b", "event_type": "call_answered", "attempt": 2}
URL = "http://backend.test/api/webhooks/call-status"
SECRET = "dev-webhook-secret"


class FakeClock:
    """Time that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now


class FakeBackend:
    def __init__(self, clock: FakeClock, answers: list[object]) -> None:
        self.clock = clock
        self.answers = answers
        self.requests: list[tuple[float, str, bytes, dict[str, str]]] = []

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> HttpAnswer:
        self.requests.append((self.clock.now, url, body, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert isinstance(answer, int)
        return HttpAnswer(answer, "answer")


def client(clock: FakeClock, backend: FakeBackend, scheme: str = "hmac") -> WebhookClient:
    return WebhookClient(secret=SECRET, post=backend.post, sleep=clock.sleep, clock=clock.time, scheme=scheme)


async def test_tries_at_once_then_after_2_s_then_after_4_s_and_logs_the_event_for_investigation(caplog):
    clock = FakeClock()
    backend = FakeBackend(clock, [ConnectionError("refused"), 503, 500])
    with caplog.at_level(logging.ERROR, logger="payment_agent.webhooks"):
        delivery = await client(clock, backend).send(URL, EVENT)
    assert (delivery.delivered, delivery.attempts) == (False, 3)
    start = 1_800_000_000.0
    assert [request[0] - start for request in backend.requests] == [0, 2, 6]
    assert clock.sleeps == [2, 4]
    [record] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "manual investigation" in record.getMessage()
    assert '"event_type":"call_answered"' in record.getMessage()
    assert "HTTP 500" in record.getMessage()


async def test_a_delivered_event_is_not_sent_again():
    clock = FakeClock()
    backend = FakeBackend(clock, [429, 200])
    delivery = await client(clock, backend).send(URL, EVENT)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (True, 2, 200)
    assert clock.sleeps == [2]


@pytest.mark.parametrize("status", [400, 401, 404])
async def test_a_4xx_answer_is_final(status, caplog):
    clock = FakeClock()
    backend = FakeBackend(clock, [status])
    with caplog.at_level(logging.ERROR, logger="payment_agent.webhooks"):
        delivery = await client(clock, backend).send(URL, EVENT)
    assert (delivery.delivered, delivery.attempts, delivery.status) == (False, 1, status)
    assert len(backend.requests) == 1
    assert any("manual investigation" in record.getMessage() for record in caplog.records)


async def test_every_try_sends_the_same_signed_bytes_with_the_attempt_number():
    clock = FakeClock()
    backend = FakeBackend(clock, [502, 200])
    await client(clock, backend).send(URL, EVENT)
    bodies = {request[2] for request in backend.requests}
    assert bodies == {b'{"reminder_id":"6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b","event_type":"call_answered","attempt":2}'}
    for _, url, body, headers in backend.requests:
        assert url == URL
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Webhook-Signature"] == hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


async def test_standard_webhooks_keep_the_id_and_sign_each_try_at_its_time():
    clock = FakeClock()
    backend = FakeBackend(clock, [500, 200])
    await client(clock, backend, scheme="standard").send(URL, EVENT)
    first, second = (request[3] for request in backend.requests)
    assert first["webhook-id"] == second["webhook-id"]
    assert first["webhook-id"].startswith("msg_")
    assert (int(first["webhook-timestamp"]), int(second["webhook-timestamp"])) == (1_800_000_000, 1_800_000_002)
    assert first["webhook-signature"] != second["webhook-signature"]
    assert "X-Webhook-Signature" not in first
