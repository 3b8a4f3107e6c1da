"""Writes test/vectors/webhook-signatures.json, once: signatures made by the agent's signer, which
pytest (tests/test_signature_vectors.py) and jest (test/unit/webhooks/signature-vectors.test.ts)
both check. Run again only to add a case; commit the result.

    .tools/agent-venv/bin/python agent/tests/make_signature_vectors.py
"""

from __future__ import annotations

import base64
import json
import pathlib

from payment_agent.webhooks import encode_event, sign_body, sign_standard_webhook

ROOT = pathlib.Path(__file__).resolve().parents[2]
REMINDER = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"

CASES = [
    ("call_answered", "dev-webhook-secret", {"reminder_id": REMINDER, "event_type": "call_answered", "attempt": 1}),
    (
        "call_completed with a promise and non-ASCII notes",
        "0123456789abcdef0123456789abcdef",
        {
            "reminder_id": REMINDER,
            "event_type": "call_completed",
            "attempt": 2,
            "outcome": {
                "connected": True,
                "duration": 47,
                "customer_response": "promise_to_pay",
                "notes": "Zahlt am Freitag – “versprochen” ✓",
                "promised_date": "2026-12-18",
                "promised_amount": 60.25,
            },
        },
    ),
    (
        "call_failed as the guide shows",
        "a secret with spaces inside it",
        {
            "reminder_id": REMINDER,
            "event_type": "call_failed",
            "attempt": 1,
            "outcome": {"connected": False, "duration": 0, "customer_response": "no_answer", "notes": "Timeout waiting for participant to join"},
        },
    ),
    ("opt_out_requested", "ünïcödé-secret-🔑-long-enough", {"reminder_id": REMINDER, "event_type": "opt_out_requested", "attempt": 3, "notes": "Please stop calling me"}),
]

STANDARD_SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()


def main() -> None:
    vectors = []
    for index, (name, secret, event) in enumerate(CASES):
        body = encode_event(event)
        timestamp = 1_796_000_000 + index
        webhook_id = f"msg_vector{index}"
        vectors.append(
            {
                "name": name,
                "secret": secret,
                "body_base64": base64.b64encode(body).decode("ascii"),
                "x_webhook_signature": sign_body(secret, body),
                "standard": {
                    "secret": STANDARD_SECRET,
                    "webhook_id": webhook_id,
                    "webhook_timestamp": timestamp,
                    "webhook_signature": sign_standard_webhook(STANDARD_SECRET, webhook_id, timestamp, body),
                },
                # The same event serialized differently: its bytes differ, so the signature must not verify.
                "reserialized_body_base64": base64.b64encode(json.dumps(event, indent=1).encode()).decode("ascii"),
            }
        )
    out = ROOT / "test" / "vectors" / "webhook-signatures.json"
    out.write_text(json.dumps({"generated_by": "agent/tests/make_signature_vectors.py", "vectors": vectors}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(vectors)} vectors to {out}")


if __name__ == "__main__":
    main()
