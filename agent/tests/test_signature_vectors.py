"""The shared vectors (test/vectors/webhook-signatures.json): the agent's signer must reproduce
every one; test/unit/webhooks/signature-vectors.test.ts checks them against the backend's verifier."""

import base64
import json

import pytest

from payment_agent.webhooks import sign_body, sign_standard_webhook

from .conftest import ROOT

VECTORS = json.loads((ROOT / "test" / "vectors" / "webhook-signatures.json").read_text())["vectors"]


def test_there_are_vectors():
    assert len(VECTORS) >= 4


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_the_agent_signs_each_vector_as_recorded(vector):
    body = base64.b64decode(vector["body_base64"])
    assert sign_body(vector["secret"], body) == vector["x_webhook_signature"]
    standard = vector["standard"]
    assert sign_standard_webhook(standard["secret"], standard["webhook_id"], standard["webhook_timestamp"], body) == standard["webhook_signature"]


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_a_reserialized_body_has_another_signature(vector):
    assert sign_body(vector["secret"], base64.b64decode(vector["reserialized_body_base64"])) != vector["x_webhook_signature"]
