import { z } from 'zod';
import { CHANNELS, REMINDER_STATUSES } from '../domain/reminder';
import { ValidationError } from './errors';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550123');
export const text = (max: number) => z.string().trim().min(1).max(max);
const timezone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

/** Who a reminder or an invoice is for. */
export const customerSchema = z.strictObject({
  id: text(128),
  name: text(200),
  phone: e164,
  timezone: timezone.optional(),
  region: z
    .strictObject({
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
      subdivision: z
        .string()
        .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as US-CA')
        .optional(),
    })
    .refine((region) => !region.subdivision || region.subdivision.startsWith(`${region.country}-`), {
      message: 'subdivision must be in the country (e.g. US-CA in US)',
      path: ['subdivision'],
    })
    .optional(),
});

/** In major units, at most 2 decimals. */
export const amountSchema = z.number().positive().max(1_000_000_000).multipleOf(0.01);
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

/** POST /api/reminders. Strict: unknown keys (and so `$where` and friends) are rejected. */
export const createReminderSchema = z.strictObject({
  id: z.uuid().optional(),
  channel: z.enum(CHANNELS),
  customer: customerSchema,
  payment: z.strictObject({
    amount: amountSchema,
    currency: currencySchema,
    dueDate: z.iso.date(),
    reference: text(128),
  }),
  message: text(1600).optional(),
  sendAt: z.iso.datetime({ offset: true }).optional(),
  maxAttempts: z.number().int().min(1).max(10).optional(),
});
export type CreateReminderRequest = z.infer<typeof createReminderSchema>;

export const listRemindersSchema = z.strictObject({
  status: z.enum(REMINDER_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  customerId: text(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export const reminderIdSchema = z.uuid();

/**
 * A call's outcome. Fields beyond the guide's are kept, not rejected or dropped (an agent may
 * add some before the backend knows them; the body limit bounds them). `promised_date` is
 * checked by the plan, which ignores a promise it cannot read, so a malformed one never costs
 * the call its outcome.
 */
const callOutcomeSchema = z.looseObject({
  connected: z.boolean(),
  duration: z.number().min(0).max(86_400),
  customer_response: z.string().trim().min(1).max(100),
  notes: z.string().max(2000).optional(),
  promised_date: z.string().max(40).optional(),
  promised_amount: z.number().min(0).max(1e12).optional(),
});

/** The voice agent's events, exactly as in the webhook configuration guide (plus an optional attempt). */
export const callEventSchema = z.discriminatedUnion('event_type', [
  z.object({ event_type: z.literal('call_answered'), reminder_id: z.uuid(), attempt: z.number().int().min(1).optional() }),
  z.object({
    event_type: z.literal('call_completed'),
    reminder_id: z.uuid(),
    attempt: z.number().int().min(1).optional(),
    outcome: callOutcomeSchema,
  }),
  z.object({
    event_type: z.literal('call_failed'),
    reminder_id: z.uuid(),
    attempt: z.number().int().min(1).optional(),
    outcome: callOutcomeSchema.optional(),
  }),
  // Ours, beside the guide's: the agent heard the customer ask not to be contacted again.
  z.object({
    event_type: z.literal('opt_out_requested'),
    reminder_id: z.uuid(),
    attempt: z.number().int().min(1).optional(),
    notes: z.string().max(2000).optional(),
  }),
]);
export type CallEvent = z.infer<typeof callEventSchema>;

export const twilioStatusSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/, 'must be a Twilio message SID'),
  MessageStatus: z.string().min(1).max(32),
  ErrorCode: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
});

export const twilioCallbackQuerySchema = z.object({
  reminderId: z.uuid().optional(),
  attempt: z.coerce.number().int().min(1).max(100).optional(),
});

/** Twilio's "a message comes in" webhook: the fields we use (Twilio sends more; they are dropped). */
export const twilioInboundSchema = z.object({
  From: e164,
  To: z.string().min(1).max(32),
  // An MMS with only media has no text.
  Body: z.string().max(10_000).default(''),
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-zA-Z]{32}$/, 'must be a Twilio message SID'),
  /** With Advanced Opt-Out: which of the service's keywords the body matched. */
  OptOutType: z.string().max(16).optional(),
});

/** GET /api/consents/:phone. */
export const phoneSchema = e164;

/** GET /api/customers/:id/contacts. */
export const customerIdSchema = text(128);
export const customerContactsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Parses or throws a 400 that names each offending field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })));
}
