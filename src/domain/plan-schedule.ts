// A dunning plan as a business writes it: checked, then turned into instants. Pure (the zone is
// an input): the API resolves a plan when it accepts an invoice, where time-zone data may be
// used, and the config checks its default plan with the same rules; the workflow only reads the
// resolved steps (zone data changes between deploys, and a replay must see the same instants).
import { DateTime } from 'luxon';
import { z } from 'zod';
import { TEMPLATE_PLACEHOLDERS, type PlanStep, type ScheduledStep } from './invoice';
import { CHANNELS } from './reminder';

/** How long and how wide a plan may be (PLAN_MAX_STEPS, PLAN_MAX_SPAN). */
export interface PlanBounds {
  maxSteps: number;
  /** From the earliest of the first step and the due date to the latest of the last step and the due date. */
  maxSpanHours: number;
}

/** `-3d`, `0d`, `+7d` (calendar days, at the step time), or `+12h` (hours after that day's step time). */
const OFFSET = /^([+-]?)(\d{1,4})([dh])$/;

interface Offset {
  days: number;
  hours: number;
}

function parseOffset(at: string): Offset | undefined {
  const match = OFFSET.exec(at);
  if (!match) return undefined;
  const amount = (match[1] === '-' ? -1 : 1) * Number(match[2]);
  return match[3] === 'd' ? { days: amount, hours: 0 } : { days: 0, hours: amount };
}

/** The offset in hours from the due date's step time: what ordering and span compare. */
const offsetHours = ({ days, hours }: Offset): number => days * 24 + hours;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholders a template uses that TEMPLATE_PLACEHOLDERS does not have. */
function unknownPlaceholders(template: string): string[] {
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS;
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !known.includes(name));
}

const stepSchema = z
  .strictObject({
    at: z.string().trim().regex(OFFSET, 'must be an offset from the due date such as -3d, 0d, +7d or +12h'),
    channel: z.enum(CHANNELS),
    fallback: z.enum(CHANNELS).optional(),
    template: z
      .string()
      .trim()
      .min(1)
      .max(1600)
      .refine((template) => unknownPlaceholders(template).length === 0, {
        error: (issue) =>
          `unknown placeholder ${unknownPlaceholders(String(issue.input))
            .map((name) => `{${name}}`)
            .join(', ')}; a template may use ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`,
      })
      .optional(),
  })
  .refine((step) => step.fallback === undefined || step.fallback !== step.channel, {
    message: 'must be another channel than the step’s own',
    path: ['fallback'],
  });

/** A plan: 1 to maxSteps steps, strictly in order of `at`, within maxSpanHours of the due date. */
export function planSchema(bounds: PlanBounds): z.ZodType<PlanStep[]> {
  return z
    .array(stepSchema)
    .min(1, 'a plan needs at least one step')
    .max(bounds.maxSteps, `a plan has at most ${bounds.maxSteps} steps`)
    .superRefine((steps, context) => {
      const offsets = steps.map((step) => parseOffset(step.at));
      if (offsets.some((offset) => offset === undefined)) return; // each malformed `at` is already named
      const hours = offsets.map((offset) => offsetHours(offset!));
      hours.forEach((offset, index) => {
        if (index > 0 && offset <= hours[index - 1]!) {
          context.addIssue({ code: 'custom', path: [index, 'at'], message: `must come after step ${index} (${steps[index - 1]!.at})` });
        }
      });
      const span = Math.max(...hours, 0) - Math.min(...hours, 0);
      if (span > bounds.maxSpanHours) {
        context.addIssue({
          code: 'custom',
          message: `the plan spans ${formatHours(span)} around the due date; at most ${formatHours(bounds.maxSpanHours)}`,
        });
      }
    });
}

const formatHours = (hours: number): string => (hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`);

export interface PlanClock {
  /** ISO date the invoice is due. */
  dueDate: string;
  /** The customer's primary zone (src/policy/zones.ts `primaryZone`). */
  zone: string;
  /** Local `HH:mm` a step is due on its day (PLAN_STEP_TIME). */
  stepTime: string;
}

/**
 * Each step's instant: its day (the due date plus its days, counted on the customer's local
 * calendar, so a DST change in between keeps 10:00 at 10:00) at the step time, plus its hours.
 * A step time a DST change skips that day (02:30 in spring) moves forward by the gap, as luxon
 * does. Whether the customer may be contacted then is the contact policy's question, asked at
 * send time; this only says when the step is due.
 */
export function schedulePlan(plan: readonly PlanStep[], { dueDate, zone, stepTime }: PlanClock): ScheduledStep[] {
  const [hour, minute] = stepTime.split(':').map(Number) as [number, number];
  const due = DateTime.fromISO(dueDate, { zone });
  if (!due.isValid) throw new RangeError(`cannot schedule a plan: ${due.invalidExplanation ?? `due date ${dueDate} in ${zone}`}`);
  return plan.map((step, index) => {
    const offset = parseOffset(step.at);
    if (!offset) throw new RangeError(`step ${index + 1}: '${step.at}' is not an offset`);
    const local = due.plus({ days: offset.days }).set({ hour, minute, second: 0, millisecond: 0 }).plus({ hours: offset.hours });
    return { ...step, number: index + 1, scheduledAt: local.toUTC().toISO() };
  });
}
