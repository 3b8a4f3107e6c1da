import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { CONTACT_PROFILE_NAMES } from '../policy/profiles';

/** A Temporal duration string such as '10 minutes' or '30s' (see @temporalio/common's Duration). */
const duration = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/i, 'expected a duration such as "10 minutes"');

// ---- The contact window's overrides (src/policy/window-override.ts says why they only narrow) ----

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `mon-fri`, `mon,wed,fri`, `mon-thu,sat` (a range may wrap: `fri-mon`) → ISO weekdays, sorted. */
const weekdays = z
  .string()
  .trim()
  .transform((value, context) => {
    const days = new Set<number>();
    for (const part of value.toLowerCase().split(',')) {
      const [from, to = from, ...rest] = part.split('-').map((name) => WEEKDAYS.indexOf(name.trim()) + 1);
      if (!from || !to || rest.length > 0) {
        context.addIssue({ code: 'custom', message: `'${part.trim()}' is not a day or a range of days (e.g. mon-fri, or mon,tue,wed)` });
        return z.NEVER;
      }
      for (let day = from; ; day = (day % 7) + 1) {
        days.add(day);
        if (day === to) break;
      }
    }
    return [...days].sort((a, b) => a - b);
  });

/** `08:00-21:00` → opens and closes, local `HH:mm` (`24:00`: the end of the day); no wrapping past midnight. */
const HOURS = /^((?:[01]\d|2[0-3]):[0-5]\d|24:00)\s*-\s*((?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const hours = z
  .string()
  .trim()
  .regex(HOURS, 'expected opening and closing times such as "08:00-21:00"')
  .transform((value) => {
    const [, opens, closes] = HOURS.exec(value) as unknown as [string, string, string];
    return { opens, closes };
  })
  .refine(({ opens, closes }) => opens < closes, 'the window must open before it closes (it cannot wrap past midnight)');

/** `2026-12-24,2026-12-25` → ISO dates, each a real calendar date. */
const isoDates = z
  .string()
  .trim()
  .transform((value, context) => {
    const dates = value.split(',').map((date) => date.trim());
    const invalid = dates.filter((date) => !/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid);
    if (invalid.length > 0) {
      context.addIssue({ code: 'custom', message: `not ISO dates (YYYY-MM-DD): ${invalid.map((date) => `'${date}'`).join(', ')}` });
      return z.NEVER;
    }
    return [...new Set(dates)].sort();
  });

/** A Temporal duration string → minutes, under a day. */
const minutes = duration
  .transform((value) => msToNumber(value as Duration) / 60_000)
  .refine((value) => value < 24 * 60, 'expected less than a day');

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
  // How often each API instance signals the webhook reports it stored while Temporal was
  // unreachable (src/api/report-redelivery.ts): soon after Temporal is back, without a busy loop.
  REPORT_REDELIVERY_INTERVAL: duration
    .default('2 seconds')
    .transform((value) => msToNumber(value as Duration))
    .refine((ms) => ms >= 100 && ms <= 10 * 60_000, 'expected between 100 ms and 10 minutes'),

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
  // Narrow the profile's window (never widen it: load-config.ts refuses that): days of the
  // week, local hours, local dates with no contact, and a call's last-dial margin.
  CONTACT_WINDOW_DAYS: weekdays.optional(),
  CONTACT_WINDOW_HOURS: hours.optional(),
  CONTACT_CLOSED_DATES: isoDates.optional(),
  CONTACT_CALL_END_MARGIN: minutes.optional(),
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

  // Invoice plans (src/config/invoice-plans.ts checks the default plan against the bounds):
  // the plan an invoice gets when its request gives none, as the API takes it (JSON); the
  // local time of day a step is due, in the customer's primary zone; how long after a promised
  // date a plan paused by a promise waits before it resumes; how many steps a plan may have and
  // how far around the due date it may reach.
  DEFAULT_INVOICE_PLAN: z
    .string()
    .trim()
    .default(
      '[{"at":"-3d","channel":"sms"},{"at":"0d","channel":"call","fallback":"sms"},{"at":"+3d","channel":"sms"},{"at":"+7d","channel":"call","fallback":"sms"}]',
    ),
  PLAN_STEP_TIME: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time of day such as "10:00"')
    .default('10:00'),
  PROMISE_GRACE: duration.default('2 days'),
  PLAN_MAX_STEPS: z.coerce.number().int().min(1).max(50).default(12),
  PLAN_MAX_SPAN: duration.default('120 days'),
  /** Standard Webhooks secrets the payment provider signs POST /api/webhooks/payments with; default STANDARD_WEBHOOK_SECRETS. */
  PAYMENT_WEBHOOK_SECRETS: optional(z.string()),
});

export type Environment = z.infer<typeof environmentSchema>;
