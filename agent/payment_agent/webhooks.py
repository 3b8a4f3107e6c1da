"""Reports call events to the backend exactly as the webhook guide and the README say.

    X-Webhook-Signature: hex(HMAC-SHA256(key = WEBHOOK_SECRET as UTF-8, message = the exact body bytes))

The body is serialized once and those bytes are both signed and sent. Delivery is tried at
once, after 2 s and after 4 s; a network error, a 5xx or a 429 is retried, any other answer is
final. When delivery fails for good, the event is logged at error level for a person to
investigate. Optionally (WEBHOOK_SIGNATURE_SCHEME=standard) it signs with Standard Webhooks,
which the backend accepts when configured so.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

logger = logging.getLogger("payment_agent.webhooks")

SIGNATURE_HEADER = "X-Webhook-Signature"
RETRY_DELAYS_SECONDS: tuple[float, ...] = (0.0, 2.0, 4.0)
REQUEST_TIMEOUT_SECONDS = 10.0


def encode_event(event: dict[str, Any]) -> bytes:
    """The one serialization of an event: compact JSON, UTF-8, as the backend's schema reads it."""
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_body(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def standard_webhook_key(secret: str) -> bytes:
    """The Standard Webhooks key: the base64 part of a `whsec_…` secret, else the secret's UTF-8
    bytes (as the backend's verifier, src/webhooks/standard-webhooks.ts, reads it)."""
    if not secret:
        raise ValueError("Standard Webhooks secret is empty")
    if not secret.startswith("whsec_"):
        return secret.encode("utf-8")
    encoded = secret[len("whsec_") :]
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError('the part after "whsec_" is not valid base64') from None
    if not key:
        raise ValueError('the part after "whsec_" is empty')
    return key


def sign_standard_webhook(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    message = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(standard_webhook_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    text: str


# (url, body, headers) → the answer; raises on a network error. Injected so tests need no server.
Post = Callable[[str, bytes, dict[str, str]], Awaitable[HttpAnswer]]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    delivered: bool
    attempts: int
    status: int | None = None


def aiohttp_post(session: aiohttp.ClientSession) -> Post:
    async def post(url: str, body: bytes, headers: dict[str, str]) -> HttpAnswer:
        async with session.post(url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)) as response:
            return HttpAnswer(response.status, (await response.text())[:500])

    return post


class WebhookClient:
    def __init__(
        self,
        *,
        secret: str,
        post: Post,
        scheme: str = "hmac",
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        delays: Sequence[float] = RETRY_DELAYS_SECONDS,
    ) -> None:
        self._secret = secret
        self._post = post
        self._scheme = scheme
        self._sleep = sleep
        self._clock = clock
        self._delays = tuple(delays)

    def _headers(self, body: bytes, webhook_id: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self._scheme == "standard":
            timestamp = int(self._clock())  # signed anew for each try
            headers["webhook-id"] = webhook_id
            headers["webhook-timestamp"] = str(timestamp)
            headers["webhook-signature"] = sign_standard_webhook(self._secret, webhook_id, timestamp, body)
        else:
            headers[SIGNATURE_HEADER] = sign_body(self._secret, body)
        return headers

    async def send(self, url: str, event: dict[str, Any]) -> Delivery:
        body = encode_event(event)
        # One id per event, kept across tries, so the receiver can drop a duplicate delivery.
        webhook_id = f"msg_{uuid.uuid4().hex}"
        summary = {"event_type": event.get("event_type"), "reminder_id": event.get("reminder_id"), "attempt": event.get("attempt")}
        last_error = ""
        for number, delay in enumerate(self._delays, start=1):
            if delay > 0:
                await self._sleep(delay)
            try:
                answer = await self._post(url, body, self._headers(body, webhook_id))
            except Exception as error:  # network faults of any kind are retried
                last_error = f"{type(error).__name__}: {error}"
                logger.warning("webhook try %d failed: %s", number, last_error, extra=summary)
                continue
            if 200 <= answer.status < 300:
                logger.info("webhook delivered (HTTP %d, try %d)", answer.status, number, extra=summary)
                return Delivery(True, number, answer.status)
            last_error = f"HTTP {answer.status}: {answer.text}"
            if answer.status < 500 and answer.status != 429:
                # Our backend's own answer (bad signature, unknown reminder): no retry changes it.
                self._give_up(url, body, number, last_error)
                return Delivery(False, number, answer.status)
            logger.warning("webhook try %d failed: %s", number, last_error, extra=summary)
        self._give_up(url, body, len(self._delays), last_error)
        return Delivery(False, len(self._delays))

    def _give_up(self, url: str, body: bytes, tries: int, last_error: str) -> None:
        # The event itself is logged (it holds no phone number), so a person can replay it.
        logger.error(
            "webhook delivery failed; needs manual investigation: url=%s tries=%d last_error=%s event=%s",
            url,
            tries,
            last_error,
            body.decode("utf-8"),
        )
