import type { StepRecord, StepStatus } from '../../../src/domain/invoice';
import { missedSteps, newInvoiceState, nextScheduledStep } from '../../../src/domain/invoice-plan';

const NOW = Date.parse('2026-12-10T12:00:00.000Z');
const HOUR = 3_600_000;

/** Steps at the given offsets from NOW (hours), all scheduled unless a status is given. */
const steps = (...entries: (number | [number, StepStatus])[]): StepRecord[] =>
  entries.map((entry, index) => {
    const [hours, status] = Array.isArray(entry) ? entry : [entry, 'scheduled' as const];
    return {
      number: index + 1,
      at: `${hours}h`,
      channel: 'sms',
      scheduledAt: new Date(NOW + hours * HOUR).toISOString(),
      status,
      contacts: [],
    };
  });

describe('the catch-up rule', () => {
  it('skips nothing when no scheduled step has come due', () => {
    expect(missedSteps(steps(1, 24, 48), NOW)).toEqual([]);
  });

  it('skips nothing when only one step has come due: it runs now', () => {
    expect(missedSteps(steps(-1, 24), NOW)).toEqual([]);
  });

  it('of several steps that came due, skips all but the latest, each with a note naming it', () => {
    const missed = missedSteps(steps(-72, -24, -1, 24), NOW);
    expect(missed.map(({ number }) => number)).toEqual([1, 2]);
    expect(missed[0]!.note).toBe('missed (due 2026-12-07T12:00:00.000Z): only the latest step that came due, step 3, runs');
  });

  it('counts a step due exactly now as come due', () => {
    expect(missedSteps(steps(-5, 0), NOW).map(({ number }) => number)).toEqual([1]);
  });

  it('leaves steps that already ran, were skipped or stopped alone', () => {
    expect(missedSteps(steps([-72, 'done'], [-48, 'skipped'], -24, -1), NOW).map(({ number }) => number)).toEqual([3]);
    expect(missedSteps(steps([-72, 'done'], [-1, 'stopped']), NOW)).toEqual([]);
  });

  it('the next step is the first one still scheduled', () => {
    expect(nextScheduledStep(steps([-72, 'done'], [-1, 'skipped'], 5, 9))?.number).toBe(3);
    expect(nextScheduledStep(steps([-72, 'done']))).toBeUndefined();
  });
});

describe('a new plan', () => {
  it('is open, owes the whole amount, has every step scheduled, and says which step comes first', () => {
    const plan = steps(1, 24).map(({ status: _status, contacts: _contacts, ...step }) => step);
    const state = newInvoiceState({ reference: 'INV-1', amount: 120.5, plan });
    expect(state).toMatchObject({ status: 'open', outstanding: 120.5, payments: [], promises: [], version: 1 });
    expect(state.steps.map(({ status }) => status)).toEqual(['scheduled', 'scheduled']);
    expect(state.waitingFor).toBe(`step 1 (sms) due at ${plan[0]!.scheduledAt}`);
  });
});
