import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { PlanStep } from '../domain/invoice';
import { planSchema, type PlanBounds } from '../domain/plan-schedule';
import type { Environment } from './schema';

/** What invoice plans take from the config (the variables are in schema.ts). */
export interface InvoicePlanSettings {
  /** The plan an invoice gets when its request gives none (DEFAULT_INVOICE_PLAN). */
  defaultPlan: PlanStep[];
  /** Local `HH:mm` in the customer's primary zone a step is due on its day (PLAN_STEP_TIME). */
  stepTime: string;
  /** How long after a promised date a paused plan waits before it resumes (PROMISE_GRACE), a Temporal duration. */
  promiseGrace: string;
  /** What every plan, the default one included, must keep to (PLAN_MAX_STEPS, PLAN_MAX_SPAN). */
  planBounds: PlanBounds;
}

/**
 * The invoice plan settings, or the problems with them, each naming its variable. The default
 * plan is checked with the rules a request's plan is (src/domain/plan-schedule.ts), so a
 * service never starts with a default it would refuse from a client.
 */
export function invoicePlanSettings(env: Environment): { settings: InvoicePlanSettings; problems: string[] } {
  const planBounds: PlanBounds = { maxSteps: env.PLAN_MAX_STEPS, maxSpanHours: msToNumber(env.PLAN_MAX_SPAN as Duration) / 3_600_000 };
  const settings = { defaultPlan: [], stepTime: env.PLAN_STEP_TIME, promiseGrace: env.PROMISE_GRACE, planBounds };
  let json: unknown;
  try {
    json = JSON.parse(env.DEFAULT_INVOICE_PLAN);
  } catch {
    return { settings, problems: ['DEFAULT_INVOICE_PLAN: is not JSON (expected e.g. [{"at":"-3d","channel":"sms"}])'] };
  }
  const parsed = planSchema(planBounds).safeParse(json);
  if (parsed.success) return { settings: { ...settings, defaultPlan: parsed.data }, problems: [] };
  return {
    settings,
    problems: parsed.error.issues.map(
      (issue) => `DEFAULT_INVOICE_PLAN: ${issue.path.length ? `step ${stepPath(issue.path)}: ` : ''}${issue.message}`,
    ),
  };
}

/** `[1, 'at']` → `2 at`: steps are numbered from 1 for people. */
const stepPath = ([index, ...rest]: PropertyKey[]): string =>
  [typeof index === 'number' ? index + 1 : String(index), ...rest.map(String)].join(' ');
