// The vectors shared with the Python voice agent (test/vectors/webhook-signatures.json, made by
// the agent's signer; agent/tests/test_signature_vectors.py checks the agent reproduces them):
// our verifiers accept each of them, and our signers produce the same signatures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signWebhookBody, verifyWebhookSignature } from '../../../src/webhooks/signature';
import { signStandardWebhook, verifyStandardWebhook } from '../../../src/webhooks/standard-webhooks';

interface Vector {
  name: string;
  secret: string;
  body_base64: string;
  x_webhook_signature: string;
  standard: { secret: string; webhook_id: string; webhook_timestamp: number; webhook_signature: string };
  reserialized_body_base64: string;
}

const { vectors } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'vectors', 'webhook-signatures.json'), 'utf8')) as {
  vectors: Vector[];
};
const bytes = (base64: string) => Buffer.from(base64, 'base64');

describe('webhook signatures shared with the Python agent', () => {
  it('has the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(4);
  });

  describe.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const body = bytes(vector.body_base64);

    it('the agent’s X-Webhook-Signature verifies', () => {
      expect(() => verifyWebhookSignature(vector.secret, body, vector.x_webhook_signature)).not.toThrow();
    });

    it('our signer makes the same signature', () => {
      expect(signWebhookBody(vector.secret, body)).toBe(vector.x_webhook_signature);
    });

    it('a re-serialized body does not verify', () => {
      expect(() => verifyWebhookSignature(vector.secret, bytes(vector.reserialized_body_base64), vector.x_webhook_signature)).toThrow(
        'does not match',
      );
    });

    it('the agent’s Standard Webhooks signature verifies, and ours is the same', () => {
      const { secret, webhook_id: id, webhook_timestamp: timestamp, webhook_signature: signature } = vector.standard;
      const now = new Date(timestamp * 1000);
      expect(verifyStandardWebhook({ secrets: [secret], headers: { id, timestamp: String(timestamp), signature }, body, now })).toEqual({
        id,
        timestamp,
      });
      expect(signStandardWebhook({ id, timestamp, body, secret })).toBe(signature);
    });
  });
});
