import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets and phone numbers never reach a log line: header values
 * that carry credentials or signatures and the known secret fields are redacted.
 */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-webhook-signature"]',
        'req.headers["x-twilio-signature"]',
        'req.headers["webhook-signature"]',
        '*.authToken',
        '*.apiSecret',
        '*.apiKey',
        '*.secret',
        'phone',
        '*.phone',
        'To',
        'From',
      ],
      censor: '[redacted]',
    },
  });
}
