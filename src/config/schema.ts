import { z } from 'zod';
import { CONTACT_PROFILE_NAMES } from '../policy/profiles';

/** A Temporal duration string such as '10 minutes' or '30s' (see @temporalio/common's Duration). */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/i, 'expected a duration such as "10 minutes"');

const port = z.coerce.number().int().min(0).max(65535);
const url = z.string().trim().url();
const optional = (schema: z.ZodType<string>) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Every environment variable the services read; `.env.example` documents each one. */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),

  API_HOST: z.string().trim().default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_KEYS: optional(z.string()),
  REQUEST_BODY_LIMIT: z
    .string()
    .trim()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as "64kb"')
    .default('64kb'),

  WEBHOOK_SECRET: optional(z.string()),
  TWILIO_WEBHOOK_SECRET: optional(z.string()),
  WEBHOOK_URL: optional(url),
  /** `hmac`: the guide's X-Webhook-Signature; `standard`: Standard Webhooks only; `both`: either. */
  WEBHOOK_SIGNATURE_SCHEME: z.enum(['hmac', 'standard', 'both']).default('hmac'),
  /** Standard Webhooks secrets (`whsec_…`), comma-separated: several at once for rotation. */
  STANDARD_WEBHOOK_SECRETS: optional(z.string()),
  PUBLIC_BASE_URL: optional(url),

  TEMPORAL_ADDRESS: z.string().trim().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1).default('payment-reminders'),
  TEMPORAL_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  TEMPORAL_TLS_CERT_PATH: optional(z.string()),
  TEMPORAL_TLS_KEY_PATH: optional(z.string()),
  TEMPORAL_API_KEY: optional(z.string()),
  WORKER_METRICS_PORT: optional(port.transform(String)),
  // Reminders wait minutes on timers and their short histories replay in milliseconds, so a
  // small sticky cache bounds the worker's memory at little CPU cost (`npm run bench:heap`
  // measures the workflow thread's heap per cached workflow).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(100),
  // The bundle `npm run build` writes (dist/workflow-bundle.js); without it the worker bundles
  // src/workflows when it starts, as in development.
  WORKER_WORKFLOW_BUNDLE: optional(z.string().min(1)),

  // The contact policy's rules (src/policy/profiles.ts): US (Regulation F) unless configured;
  // customers in a stricter region (US-MA) get that region's profile. `development` allows
  // contact at any hour, for local use only.
  CONTACT_PROFILE: z.enum(CONTACT_PROFILE_NAMES).default('US'),
  // Benchmarks only: `off` sends without the policy's checks, so the bench can measure what
  // they cost beside the default; refused when NODE_ENV=production (load-config.ts).
  CONTACT_POLICY_CHECKS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((value) => value === 'on'),

  MONGODB_URI: z
    .string()
    .trim()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/payment_reminders'),

  TWILIO_ACCOUNT_SID: optional(z.string()),
  TWILIO_AUTH_TOKEN: optional(z.string()),
  TWILIO_FROM_NUMBER: optional(z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +15005550006')),
  TWILIO_API_BASE_URL: optional(url),

  LIVEKIT_URL: optional(url),
  LIVEKIT_API_KEY: optional(z.string()),
  LIVEKIT_API_SECRET: optional(z.string()),
  LIVEKIT_AGENT_NAME: z.string().trim().min(1).default('payment-reminder-agent'),

  REMINDER_RESPONSE_TIMEOUT: duration.default('10 minutes'),
  REMINDER_MAX_CALL_DURATION: duration.default('30 minutes'),
  REMINDER_RETRY_BACKOFF: duration.default('15 minutes'),
  REMINDER_DEFAULT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
});

export type Environment = z.infer<typeof environmentSchema>;
