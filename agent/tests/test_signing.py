import base64
import hashlib
import hmac
import json

import pytest

from payment_agent.webhooks import encode_event, sign_body, sign_standard_webhook, standard_webhook_key


def test_the_signature_is_hex_hmac_sha256_of_the_exact_bytes():
    body = b'{"reminder_id":"r","event_type":"call_answered"}'
    signature = sign_body("dev-webhook-secret", body)
    assert signature == hmac.new(b"dev-webhook-secret", body, hashlib.sha256).hexdigest()
    assert len(signature) == 64 and signature == signature.lower()


def test_a_changed_byte_changes_the_signature():
    assert sign_body("secret-secret-16", b'{"a":1}') != sign_body("secret-secret-16", b'{"a": 1}')
    assert sign_body("secret-secret-16", b"x") != sign_body("secret-secret-17", b"x")


def test_events_are_encoded_once_as_compact_utf8_json():
    body = encode_event({"notes": "Zahlt – ✓", "n": 1})
    assert body == '{"notes":"Zahlt – ✓","n":1}'.encode()
    assert json.loads(body) == {"notes": "Zahlt – ✓", "n": 1}


def test_standard_webhooks_signs_id_timestamp_and_body_with_the_whsec_key():
    key = bytes(range(32))
    secret = "whsec_" + base64.b64encode(key).decode()
    expected = base64.b64encode(hmac.new(key, b"msg_1.1700000000.{}", hashlib.sha256).digest()).decode()
    assert sign_standard_webhook(secret, "msg_1", 1700000000, b"{}") == f"v1,{expected}"


def test_an_unprefixed_standard_secret_is_its_utf8_bytes_as_the_backend_reads_it():
    assert standard_webhook_key("plain-secret") == b"plain-secret"


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_not*base64"])
def test_an_unusable_standard_secret_is_refused(secret):
    with pytest.raises(ValueError):
        standard_webhook_key(secret)
