import type { PlanStep } from '../../../src/domain/invoice';
import { planSchema, schedulePlan } from '../../../src/domain/plan-schedule';

const bounds = { maxSteps: 12, maxSpanHours: 120 * 24 };
const DEFAULT_PLAN: PlanStep[] = [
  { at: '-3d', channel: 'sms' },
  { at: '0d', channel: 'call', fallback: 'sms' },
  { at: '+3d', channel: 'sms' },
  { at: '+7d', channel: 'call', fallback: 'sms' },
];

/** Each issue as `path: message`, so a test names the field and what is wrong with it. */
function problems(plan: unknown, limits = bounds): string[] {
  const result = planSchema(limits).safeParse(plan);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(plan)'}: ${issue.message}`);
}

describe('a plan is checked', () => {
  it('accepts the default plan and hours as offsets', () => {
    expect(problems(DEFAULT_PLAN)).toEqual([]);
    expect(
      problems([
        { at: '0d', channel: 'sms' },
        { at: '+12h', channel: 'call' },
        { at: '3d', channel: 'sms' },
      ]),
    ).toEqual([]);
  });

  it('names each malformed step field', () => {
    expect(
      problems([
        { at: 'tomorrow', channel: 'sms' },
        { at: '+1d', channel: 'fax' },
        { at: '+2d', channel: 'sms', fallback: 'sms' },
        { at: '+3d', channel: 'sms', extra: true },
      ]),
    ).toEqual([
      '0.at: must be an offset from the due date such as -3d, 0d, +7d or +12h',
      expect.stringMatching(/^1\.channel: /),
      '2.fallback: must be another channel than the step’s own',
      expect.stringMatching(/^3: .*extra/),
    ]);
  });

  it('refuses steps out of order or at the same offset', () => {
    expect(
      problems([
        { at: '+3d', channel: 'sms' },
        { at: '0d', channel: 'call' },
        { at: '-1d', channel: 'sms' },
      ]),
    ).toEqual(['1.at: must come after step 1 (+3d)', '2.at: must come after step 2 (0d)']);
    expect(
      problems([
        { at: '0d', channel: 'sms' },
        { at: '+24h', channel: 'call' },
        { at: '+1d', channel: 'sms' },
      ]),
    ).toEqual(['2.at: must come after step 2 (+24h)']);
  });

  it('refuses template placeholders it does not know, naming them and the known ones', () => {
    expect(problems([{ at: '0d', channel: 'sms', template: 'Hi {name}, {amount} {currency} by {dueDate} ({reference})' }])).toEqual([]);
    expect(problems([{ at: '0d', channel: 'sms', template: 'Hi {first_name}, pay {amount}{ total}' }])).toEqual([
      '0.template: unknown placeholder {first_name}, { total}; a template may use {name}, {amount}, {currency}, {dueDate}, {reference}',
    ]);
  });

  it('bounds the number of steps and the span around the due date', () => {
    expect(problems([])).toEqual(['(plan): a plan needs at least one step']);
    const many = Array.from({ length: 13 }, (_, index) => ({ at: `+${index}d`, channel: 'sms' }));
    expect(problems(many)).toEqual(['(plan): a plan has at most 12 steps']);
    expect(
      problems([
        { at: '-61d', channel: 'sms' },
        { at: '+60d', channel: 'sms' },
      ]),
    ).toEqual(['(plan): the plan spans 121 days around the due date; at most 120 days']);
    // A single step far from the due date spans the distance to it.
    expect(problems([{ at: '+121d', channel: 'sms' }])).toEqual(['(plan): the plan spans 121 days around the due date; at most 120 days']);
    expect(problems([{ at: '+121d', channel: 'sms' }], { maxSteps: 2, maxSpanHours: 200 * 24 })).toEqual([]);
  });
});

describe('a plan is scheduled in the customer’s zone', () => {
  it('puts each step at the step time on its local day, numbered from 1', () => {
    const steps = schedulePlan(DEFAULT_PLAN, { dueDate: '2026-12-01', zone: 'America/New_York', stepTime: '10:00' });
    expect(steps.map((step) => [step.number, step.scheduledAt])).toEqual([
      [1, '2026-11-28T15:00:00.000Z'],
      [2, '2026-12-01T15:00:00.000Z'],
      [3, '2026-12-04T15:00:00.000Z'],
      [4, '2026-12-08T15:00:00.000Z'],
    ]);
    expect(steps[1]).toEqual({ at: '0d', channel: 'call', fallback: 'sms', number: 2, scheduledAt: '2026-12-01T15:00:00.000Z' });
  });

  it('keeps 10:00 local across a DST change (New York springs forward on 2026-03-08)', () => {
    const steps = schedulePlan(DEFAULT_PLAN, { dueDate: '2026-03-08', zone: 'America/New_York', stepTime: '10:00' });
    expect(steps.map((step) => step.scheduledAt)).toEqual([
      '2026-03-05T15:00:00.000Z', // EST, UTC−5
      '2026-03-08T14:00:00.000Z', // EDT, UTC−4, the day of the change
      '2026-03-11T14:00:00.000Z',
      '2026-03-15T14:00:00.000Z',
    ]);
  });

  it('moves a step time the change skips forward by the gap, and counts hours as elapsed time', () => {
    const [skipped] = schedulePlan([{ at: '0d', channel: 'sms' }], { dueDate: '2026-03-29', zone: 'Europe/Berlin', stepTime: '02:30' });
    expect(skipped!.scheduledAt).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST: 02:00–03:00 does not exist that night
    const [, later] = schedulePlan(
      [
        { at: '-1d', channel: 'sms' },
        { at: '+12h', channel: 'call' },
      ],
      { dueDate: '2026-10-25', zone: 'Europe/Berlin', stepTime: '00:00' },
    );
    expect(later!.scheduledAt).toBe('2026-10-25T10:00:00.000Z'); // midnight CEST + 12 h = 11:00 CET, after the clocks went back
  });

  it('reads the due date in the zone, not in UTC: Auckland is a day ahead', () => {
    const [step] = schedulePlan([{ at: '0d', channel: 'sms' }], { dueDate: '2026-12-01', zone: 'Pacific/Auckland', stepTime: '10:00' });
    expect(step!.scheduledAt).toBe('2026-11-30T21:00:00.000Z');
  });
});
