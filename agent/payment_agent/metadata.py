"""The dispatch metadata the backend writes (src/activities/call-activities.ts, `dispatchCall`),
parsed and checked before anything is dialled."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlparse

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True)
class CallJob:
    reminder_id: str
    attempt: int
    phone_number: str
    customer_name: str
    amount_due: str
    due_date: str
    reference: str
    message: str
    webhook_url: str | None


class InvalidMetadataError(Exception):
    """The metadata cannot drive a call. `reminder_id` and `attempt` are kept when they could
    be read, so the failure can still be reported for the right reminder."""

    def __init__(self, problems: list[str], *, reminder_id: str | None, attempt: int | None, webhook_url: str | None) -> None:
        super().__init__("invalid dispatch metadata: " + "; ".join(problems))
        self.problems = problems
        self.reminder_id = reminder_id
        self.attempt = attempt
        self.webhook_url = webhook_url


def _reminder_id(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        uuid.UUID(value)
        return value if len(value) == 36 else None
    except ValueError:
        return None


def _attempt(value: Any) -> int | None:
    # bool is an int in Python; a JSON true is not an attempt number.
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def _webhook_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    parsed = urlparse(value)
    return value if parsed.scheme in ("http", "https") and parsed.netloc else None


def parse_metadata(raw: str) -> CallJob:
    """The job to run, or InvalidMetadataError naming every field that is wrong.

    Problems never include the phone number's value: it is customer data and goes to logs.
    """
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        raise InvalidMetadataError(["metadata is not JSON"], reminder_id=None, attempt=None, webhook_url=None) from None
    if not isinstance(data, dict):
        raise InvalidMetadataError(["metadata is not a JSON object"], reminder_id=None, attempt=None, webhook_url=None)

    problems: list[str] = []
    reminder_id = _reminder_id(data.get("reminder_id"))
    if reminder_id is None:
        problems.append("reminder_id must be a UUID")
    attempt = _attempt(data.get("attempt"))
    if attempt is None:
        problems.append("attempt must be an integer ≥ 1")
    phone = data.get("phone_number")
    if not isinstance(phone, str) or not E164.match(phone):
        problems.append("phone_number must be an E.164 number")

    def text(name: str, *, required: bool = True) -> str:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if required or value is not None:
            problems.append(f"{name} must be a non-empty string")
        return ""

    customer_name = text("customer_name")
    amount_due = text("amount_due")
    due_date = text("due_date")
    if due_date:
        try:
            date.fromisoformat(due_date)
        except ValueError:
            problems.append("due_date must be an ISO date (YYYY-MM-DD)")
    reference = text("reference")
    message = text("message", required=False)
    webhook_url = None
    if data.get("webhook_url") is not None:
        webhook_url = _webhook_url(data.get("webhook_url"))
        if webhook_url is None:
            problems.append("webhook_url must be an http(s) URL")

    if problems:
        raise InvalidMetadataError(problems, reminder_id=reminder_id, attempt=attempt, webhook_url=webhook_url)
    assert reminder_id is not None and attempt is not None and isinstance(phone, str)
    return CallJob(
        reminder_id=reminder_id,
        attempt=attempt,
        phone_number=phone,
        customer_name=customer_name,
        amount_due=amount_due,
        due_date=due_date,
        reference=reference,
        message=message,
        webhook_url=webhook_url,
    )
