import { initialReminderState } from '../../../src/domain/initial-state';
import {
  SMS_DELIVERY_STATUSES,
  type Channel,
  type ReminderState,
  type ReminderStatus,
  type SmsDeliveryStatus,
} from '../../../src/domain/reminder';
import {
  canRetry,
  isAllowedStep,
  isAwaitingReport,
  isTerminal,
  STATUS_GRAPH,
  transition,
  type ReminderEvent,
  type TransitionResult,
} from '../../../src/domain/status-machine';
import { DONE_RESPONSES, outcome, PERMANENT_SMS_CODES, RETRYABLE_SMS_CODES, RETRY_RESPONSES } from './fixtures';

// ---------------------------------------------------------------------------------------------
// Fixtures: every state is reached through the machine itself (except an SMS reminder in
// `processing`, which no event can produce but which the machine must still handle safely).
// ---------------------------------------------------------------------------------------------

const CREATED_AT = '2026-03-01T09:00:00.000Z';
const AT = '2026-03-01T10:00:00.000Z';
const NEXT = '2026-03-01T10:15:00.000Z';
const MAX_ATTEMPTS = 3;

/** Applies events that must all be accepted; a fixture that cannot be built fails loudly. */
function applyAll(state: ReminderState, ...events: ReminderEvent[]): ReminderState {
  return events.reduce((current, event) => {
    const result = transition(current, event, AT);
    if (!result.changed) throw new Error(`fixture event ${event.type} was ignored from ${current.status}: ${result.ignored}`);
    return result.state;
  }, state);
}

const created = (channel: Channel, maxAttempts = MAX_ATTEMPTS) =>
  initialReminderState({ reminderId: `rem-${channel}`, channel, maxAttempts }, CREATED_AT);

const dispatched = (attempt: number): ReminderEvent => ({ type: 'dispatched', attempt, externalId: `ext-${attempt}` });
const timedOut: ReminderEvent = { type: 'timed_out', reason: 'no report in time' };
const retryScheduled: ReminderEvent = { type: 'retry_scheduled', nextAttemptAt: NEXT };

/** A reminder whose attempts 1..n-1 timed out and whose attempt n is out with the customer. */
function inProgressAt(channel: Channel, attempt: number, maxAttempts = MAX_ATTEMPTS): ReminderState {
  let state = created(channel, maxAttempts);
  for (let earlier = 1; earlier < attempt; earlier++) state = applyAll(state, dispatched(earlier), timedOut, retryScheduled);
  return applyAll(state, dispatched(attempt));
}

type Scenario =
  'pending' | 'in_progress' | 'processing' | 'completed' | 'failed-with-retry-left' | 'failed-final' | 'failed-permanent' | 'cancelled';

const SCENARIOS: Scenario[] = [
  'pending',
  'in_progress',
  'processing',
  'completed',
  'failed-with-retry-left',
  'failed-final',
  'failed-permanent',
  'cancelled',
];
const TERMINAL_SCENARIOS: Scenario[] = ['completed', 'failed-final', 'failed-permanent', 'cancelled'];
const NON_TERMINAL_SCENARIOS = SCENARIOS.filter((scenario) => !TERMINAL_SCENARIOS.includes(scenario));

function stateFor(channel: Channel, scenario: Scenario): ReminderState {
  const deliver: ReminderEvent =
    channel === 'sms' ? { type: 'sms_status', messageStatus: 'delivered' } : { type: 'call_completed', outcome: outcome('will_pay_today') };
  switch (scenario) {
    case 'pending':
      return created(channel);
    case 'in_progress':
      return inProgressAt(channel, 1);
    case 'processing':
      // No event moves an SMS reminder to `processing`; build it by hand to prove it is still safe.
      return channel === 'call'
        ? applyAll(inProgressAt('call', 1), { type: 'call_answered' })
        : { ...inProgressAt('sms', 1), status: 'processing' };
    case 'completed':
      return applyAll(inProgressAt(channel, 1), deliver);
    case 'failed-with-retry-left':
      return applyAll(inProgressAt(channel, 1), timedOut);
    case 'failed-final':
      return applyAll(inProgressAt(channel, MAX_ATTEMPTS), timedOut);
    case 'failed-permanent':
      return applyAll(created(channel), { type: 'send_failed', attempt: 1, reason: 'opted out', errorCode: '21610', permanent: true });
    case 'cancelled':
      return applyAll(created(channel), { type: 'cancelled', reason: 'paid by bank transfer' });
  }
}

/** Deep-freezes a state so that any in-place mutation by `transition` throws. */
function frozen(state: ReminderState): ReminderState {
  state.history.forEach((entry) => Object.freeze(entry));
  Object.freeze(state.history);
  if (state.callOutcome) Object.freeze(state.callOutcome);
  return Object.freeze(state);
}

// ---------------------------------------------------------------------------------------------
// The event catalogue: one representative per kind for the matrix, and the full set for the
// "terminal never moves" property.
// ---------------------------------------------------------------------------------------------

const MATRIX_EVENTS = {
  dispatched: dispatched(1),
  send_failed: { type: 'send_failed', attempt: 1, reason: 'Twilio 503', permanent: false },
  'sms_status sent': { type: 'sms_status', messageStatus: 'sent' },
  'sms_status delivered': { type: 'sms_status', messageStatus: 'delivered' },
  'sms_status failed 30003': { type: 'sms_status', messageStatus: 'failed', errorCode: '30003' },
  call_answered: { type: 'call_answered' },
  'call_completed done': { type: 'call_completed', outcome: outcome('will_pay_today') },
  'call_completed retry': { type: 'call_completed', outcome: outcome('call_back_later') },
  call_failed: { type: 'call_failed', outcome: outcome('no_answer', false) },
  timed_out: timedOut,
  retry_scheduled: retryScheduled,
  rescheduled: { type: 'rescheduled', nextAttemptAt: NEXT },
  deferred: { type: 'deferred', nextAttemptAt: NEXT, reason: 'outside contact hours in America/Los_Angeles until 08:00' },
  cancelled: { type: 'cancelled', reason: 'customer paid' },
} satisfies Record<string, ReminderEvent>;
type MatrixEvent = keyof typeof MATRIX_EVENTS;

const ALL_EVENTS: Array<[string, ReminderEvent]> = [
  ...[1, 2, 3, 4].map((attempt): [string, ReminderEvent] => [`dispatched #${attempt}`, dispatched(attempt)]),
  ['send_failed retryable', { type: 'send_failed', attempt: 1, reason: 'Twilio 503', permanent: false }],
  ['send_failed permanent', { type: 'send_failed', attempt: 1, reason: 'invalid number', errorCode: '21211', permanent: true }],
  ...SMS_DELIVERY_STATUSES.flatMap((messageStatus): Array<[string, ReminderEvent]> => [
    [`sms_status ${messageStatus}`, { type: 'sms_status', messageStatus }],
    [`sms_status ${messageStatus} 30003`, { type: 'sms_status', messageStatus, errorCode: '30003' }],
    [`sms_status ${messageStatus} 30005`, { type: 'sms_status', messageStatus, errorCode: '30005' }],
  ]),
  ['call_answered', { type: 'call_answered' }],
  ...[...RETRY_RESPONSES, ...DONE_RESPONSES, 'something_new'].flatMap((response): Array<[string, ReminderEvent]> => [
    [`call_completed ${response} connected`, { type: 'call_completed', outcome: outcome(response, true) }],
    [`call_completed ${response} not connected`, { type: 'call_completed', outcome: outcome(response, false) }],
  ]),
  ['call_failed with outcome', { type: 'call_failed', outcome: outcome('no_answer', false, { notes: 'rang out' }) }],
  ['call_failed without outcome', { type: 'call_failed' }],
  ['timed_out', timedOut],
  ['retry_scheduled', retryScheduled],
  ['rescheduled', { type: 'rescheduled', nextAttemptAt: NEXT }],
  ['deferred', { type: 'deferred', nextAttemptAt: NEXT, reason: 'call cap reached' }],
  ['cancelled', { type: 'cancelled', reason: 'late cancel' }],
];

// ---------------------------------------------------------------------------------------------
// The expected matrix. A status means "accepted, and the reminder is now in that status";
// IGNORED means "changed: false, state returned untouched".
// ---------------------------------------------------------------------------------------------

const IGNORED = 'ignored' as const;
type Expected = ReminderStatus | typeof IGNORED;
type Row = Record<MatrixEvent, Expected>;

const allIgnored: Row = Object.fromEntries(Object.keys(MATRIX_EVENTS).map((name) => [name, IGNORED])) as Row;
const pendingRow: Row = {
  ...allIgnored,
  dispatched: 'in_progress',
  send_failed: 'failed',
  rescheduled: 'pending',
  deferred: 'pending',
  cancelled: 'cancelled',
};
const retryLeftRow: Row = { ...allIgnored, retry_scheduled: 'pending', cancelled: 'cancelled' };

const EXPECTED: Record<Channel, Record<Scenario, Row>> = {
  sms: {
    pending: pendingRow,
    in_progress: {
      ...allIgnored,
      'sms_status sent': 'in_progress',
      'sms_status delivered': 'completed',
      'sms_status failed 30003': 'failed',
      timed_out: 'failed',
      cancelled: 'cancelled',
    },
    processing: { ...allIgnored, timed_out: 'failed', cancelled: 'cancelled' },
    completed: allIgnored,
    'failed-with-retry-left': retryLeftRow,
    'failed-final': allIgnored,
    'failed-permanent': allIgnored,
    cancelled: allIgnored,
  },
  call: {
    pending: pendingRow,
    in_progress: {
      ...allIgnored,
      call_answered: 'processing',
      'call_completed done': 'completed',
      'call_completed retry': 'failed',
      call_failed: 'failed',
      timed_out: 'failed',
      cancelled: 'cancelled',
    },
    processing: {
      ...allIgnored,
      'call_completed done': 'completed',
      'call_completed retry': 'failed',
      call_failed: 'failed',
      timed_out: 'failed',
      cancelled: 'cancelled',
    },
    completed: allIgnored,
    'failed-with-retry-left': retryLeftRow,
    'failed-final': allIgnored,
    'failed-permanent': allIgnored,
    cancelled: allIgnored,
  },
};

function expectIgnored(before: ReminderState, result: TransitionResult): void {
  expect(result.changed).toBe(false);
  expect(result.state).toBe(before);
  expect(result.ignored).toEqual(expect.any(String));
}

/** Version and history bookkeeping that every accepted event must respect. */
function expectBookkeeping(before: ReminderState, result: TransitionResult, event: ReminderEvent): void {
  expect(result.changed).toBe(true);
  expect(result.ignored).toBeUndefined();
  expect(result.state.version).toBe(before.version + 1);
  const deliveryOnly = event.type === 'sms_status' && result.state.status === before.status;
  if (deliveryOnly) {
    expect(result.state.history).toEqual(before.history);
  } else {
    expect(result.state.history).toHaveLength(before.history.length + 1);
    expect(result.state.history.slice(0, -1)).toEqual(before.history);
    expect(result.state.history.at(-1)).toMatchObject({ status: result.state.status, attempt: result.state.attempt, at: AT });
  }
}
describe('the fixtures', () => {
  it.each((['sms', 'call'] as const).flatMap((channel) => SCENARIOS.map((scenario) => [channel, scenario] as const)))(
    '%s %s is terminal exactly when it should be',
    (channel, scenario) => {
      const state = stateFor(channel, scenario);
      expect(isTerminal(state)).toBe(TERMINAL_SCENARIOS.includes(scenario));
      expect(canRetry(state)).toBe(scenario === 'failed-with-retry-left');
      expect(isAwaitingReport(state)).toBe(scenario === 'in_progress' || scenario === 'processing');
    },
  );
});

describe('transition matrix: every event from every status, for both channels', () => {
  const cases = (['sms', 'call'] as const).flatMap((channel) =>
    SCENARIOS.flatMap((scenario) =>
      (Object.keys(MATRIX_EVENTS) as MatrixEvent[]).map(
        (eventName) => [channel, scenario, eventName, EXPECTED[channel][scenario][eventName]] as const,
      ),
    ),
  );

  it.each(cases)('%s reminder, %s, %s → %s', (channel, scenario, eventName, expected) => {
    const before = frozen(stateFor(channel, scenario));
    const event = MATRIX_EVENTS[eventName];
    const result = transition(before, event, AT);
    if (expected === IGNORED) {
      expectIgnored(before, result);
    } else {
      expect(result.state.status).toBe(expected);
      expectBookkeeping(before, result, event);
    }
  });
});

describe('terminal reminders never move', () => {
  const cases = (['sms', 'call'] as const).flatMap((channel) =>
    TERMINAL_SCENARIOS.flatMap((scenario) => ALL_EVENTS.map(([name, event]) => [channel, scenario, name, event] as const)),
  );

  it(`ignores all ${ALL_EVENTS.length} kinds of event in every terminal status of both channels`, () => {
    expect(cases.length).toBe(2 * TERMINAL_SCENARIOS.length * ALL_EVENTS.length);
    for (const [channel, scenario, name, event] of cases) {
      const before = frozen(stateFor(channel, scenario));
      const result = transition(before, event, AT);
      // The label makes a failure say which combination moved.
      expect({ combination: `${channel} ${scenario} + ${name}`, changed: result.changed, same: result.state === before }).toEqual({
        combination: `${channel} ${scenario} + ${name}`,
        changed: false,
        same: true,
      });
      expect(result.ignored).toBe(`reminder already ${before.status}`);
    }
  });

  it('stays terminal, with an unchanged version and history, after a long replay of every event', () => {
    for (const channel of ['sms', 'call'] as const) {
      for (const scenario of TERMINAL_SCENARIOS) {
        const start = stateFor(channel, scenario);
        let state = start;
        for (const [, event] of [...ALL_EVENTS, ...ALL_EVENTS.slice().reverse()]) state = transition(state, event, AT).state;
        expect(state).toBe(start);
      }
    }
  });
});

describe('STATUS_GRAPH', () => {
  it('is exactly the set of status changes transition makes, from every state of both channels, for every event', () => {
    const made = new Set<string>();
    for (const channel of ['sms', 'call'] as const) {
      for (const scenario of SCENARIOS) {
        const before = stateFor(channel, scenario);
        for (const [, event] of ALL_EVENTS) {
          const after = transition(before, event, AT).state;
          if (after.history.length > before.history.length) made.add(`${before.status} → ${after.status}`);
        }
      }
    }
    const listed = Object.entries(STATUS_GRAPH).flatMap(([from, targets]) => targets.map((to) => `${from} → ${to}`));
    expect([...made].sort()).toEqual(listed.sort());
  });

  it('allows the steps it lists and no others', () => {
    expect(isAllowedStep('failed', 'pending')).toBe(true);
    expect(isAllowedStep('pending', 'pending')).toBe(true);
    expect(isAllowedStep('completed', 'pending')).toBe(false);
    expect(isAllowedStep('cancelled', 'failed')).toBe(false);
    expect(isAllowedStep('processing', 'in_progress')).toBe(false);
  });
});

describe('version and history bookkeeping (seeded random walks)', () => {
  /** mulberry32: a tiny deterministic PRNG, so a failing walk can be replayed. */
  const prng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const RANK: Record<SmsDeliveryStatus, number> = {
    accepted: 1,
    scheduled: 1,
    queued: 1,
    sending: 2,
    sent: 3,
    delivered: 4,
    undelivered: 4,
    failed: 4,
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('walk with seed %i keeps every invariant', (seed) => {
    const random = prng(seed);
    for (const channel of ['sms', 'call'] as const) {
      let state = created(channel);
      let wasTerminal = false;
      let moves = 0;
      let accepted = 0;
      for (let step = 0; step < 400; step++) {
        const [name, candidate] = ALL_EVENTS[Math.floor(random() * ALL_EVENTS.length)]!;
        // Keep dispatches plausible: the next attempt number.
        const event: ReminderEvent =
          candidate.type === 'dispatched'
            ? dispatched(state.attempt + 1)
            : candidate.type === 'send_failed'
              ? { ...candidate, attempt: state.attempt + 1 }
              : candidate;
        const before = state;
        const result = transition(before, event, AT);
        const where = `seed ${seed}, ${channel}, step ${step}, ${name} from ${before.status}`;

        expect({ where, versionDelta: result.state.version - before.version }).toEqual({ where, versionDelta: result.changed ? 1 : 0 });
        if (!result.changed) expect(result.state).toBe(before);
        const deliveryOnly = event.type === 'sms_status' && result.state.status === before.status;
        const expectedGrowth = result.changed && !deliveryOnly ? 1 : 0;
        expect({ where, grew: result.state.history.length - before.history.length }).toEqual({ where, grew: expectedGrowth });
        if (result.state.status !== before.status) expect({ where, grew: expectedGrowth }).toEqual({ where, grew: 1 });
        moves += expectedGrowth;
        if (result.changed) accepted++;
        if (wasTerminal) expect({ where, changed: result.changed }).toEqual({ where, changed: false });
        if (
          event.type === 'sms_status' &&
          result.changed &&
          before.deliveryStatus !== undefined &&
          result.state.attempt === before.attempt
        ) {
          expect({ where, backwards: RANK[result.state.deliveryStatus!] < RANK[before.deliveryStatus] }).toEqual({
            where,
            backwards: false,
          });
        }
        state = result.state;
        wasTerminal = isTerminal(state);
      }
      // Every history entry beyond "created" stands for exactly one accepted status move.
      expect(state.history[0]).toEqual({ status: 'pending', attempt: 0, at: CREATED_AT, reason: 'created' });
      expect(state.history).toHaveLength(moves + 1);
      expect(state.version).toBe(1 + accepted);
    }
  });
});

describe('dispatch and send failures', () => {
  it('dispatch moves a pending reminder to in_progress and records the attempt and external id', () => {
    const result = transition(created('sms'), dispatched(1), AT);
    expect(result.state).toMatchObject({ status: 'in_progress', attempt: 1, externalId: 'ext-1', version: 2 });
    expect(result.state.history.at(-1)).toEqual({ status: 'in_progress', attempt: 1, at: AT });
  });

  it("a new attempt forgets the previous attempt's delivery status, outcome, error, reason and next-attempt time", () => {
    const failedSms = applyAll(
      inProgressAt('sms', 1),
      { type: 'sms_status', messageStatus: 'sent' },
      { type: 'sms_status', messageStatus: 'undelivered', errorCode: '30003' },
      retryScheduled,
    );
    expect(failedSms).toMatchObject({ status: 'pending', deliveryStatus: 'undelivered', errorCode: '30003', nextAttemptAt: NEXT });
    const second = transition(failedSms, dispatched(2), AT).state;
    expect(second).toMatchObject({ status: 'in_progress', attempt: 2, externalId: 'ext-2' });
    expect(second.deliveryStatus).toBeUndefined();
    expect(second.errorCode).toBeUndefined();
    expect(second.skipReason).toBeUndefined();
    expect(second.nextAttemptAt).toBeUndefined();

    const failedCall = applyAll(inProgressAt('call', 1), { type: 'call_completed', outcome: outcome('busy', false) }, retryScheduled);
    expect(failedCall.callOutcome?.customer_response).toBe('busy');
    expect(transition(failedCall, dispatched(2), AT).state.callOutcome).toBeUndefined();
  });

  it('a dispatch while an attempt is already out is ignored (no double send)', () => {
    const state = inProgressAt('call', 1);
    expectIgnored(state, transition(state, dispatched(2), AT));
  });

  it('a retryable send failure leaves a retry, and records the attempt and error code', () => {
    const result = transition(
      created('sms'),
      { type: 'send_failed', attempt: 1, reason: 'Twilio 503', errorCode: '20503', permanent: false },
      AT,
    );
    expect(result.state).toMatchObject({
      status: 'failed',
      attempt: 1,
      errorCode: '20503',
      skipReason: 'Twilio 503',
      permanentFailure: false,
    });
    expect(result.state.history.at(-1)).toEqual({ status: 'failed', attempt: 1, at: AT, reason: 'Twilio 503' });
    expect(canRetry(result.state)).toBe(true);
    expect(isTerminal(result.state)).toBe(false);
  });

  it('a permanent send failure is terminal even on the first attempt', () => {
    const result = transition(
      created('sms'),
      { type: 'send_failed', attempt: 1, reason: 'opted out', errorCode: '21610', permanent: true },
      AT,
    );
    expect(result.state).toMatchObject({ status: 'failed', permanentFailure: true, errorCode: '21610', skipReason: 'opted out' });
    expect(result.state.history.at(-1)?.reason).toBe('opted out (permanent)');
    expect(isTerminal(result.state)).toBe(true);
    expectIgnored(result.state, transition(result.state, retryScheduled, AT));
  });

  it('a send failure reported while an attempt is out is ignored', () => {
    const state = inProgressAt('sms', 1);
    expectIgnored(state, transition(state, { type: 'send_failed', attempt: 1, reason: 'late', permanent: true }, AT));
  });
});

describe('SMS delivery reports', () => {
  it('queued → sending → sent → delivered completes the reminder with one history entry for the whole progress', () => {
    let state = inProgressAt('sms', 1);
    const start = state;
    for (const messageStatus of ['queued', 'sending', 'sent'] as const) {
      const result = transition(state, { type: 'sms_status', messageStatus }, AT);
      expect(result.changed).toBe(true);
      expect(result.state).toMatchObject({ status: 'in_progress', deliveryStatus: messageStatus });
      state = result.state;
    }
    expect(state.version).toBe(start.version + 3);
    expect(state.history).toEqual(start.history);

    const done = transition(state, { type: 'sms_status', messageStatus: 'delivered' }, AT).state;
    expect(done).toMatchObject({ status: 'completed', deliveryStatus: 'delivered', version: start.version + 4 });
    expect(done.history.map((entry) => entry.status)).toEqual(['pending', 'in_progress', 'completed']);
  });

  it('a delivered report completes the reminder even when it is the first report to arrive', () => {
    const result = transition(inProgressAt('sms', 1), { type: 'sms_status', messageStatus: 'delivered' }, AT);
    expect(result.state).toMatchObject({ status: 'completed', deliveryStatus: 'delivered' });
  });

  it('a late "sent" after "delivered" is ignored and the reminder stays completed', () => {
    const delivered = applyAll(
      inProgressAt('sms', 1),
      { type: 'sms_status', messageStatus: 'sent' },
      { type: 'sms_status', messageStatus: 'delivered' },
    );
    const result = transition(delivered, { type: 'sms_status', messageStatus: 'sent' }, AT);
    expectIgnored(delivered, result);
    expect(result.state).toMatchObject({ status: 'completed', deliveryStatus: 'delivered' });
  });

  const backwards: Array<[SmsDeliveryStatus, SmsDeliveryStatus]> = [
    ['sent', 'queued'],
    ['sent', 'sending'],
    ['sent', 'accepted'],
    ['sending', 'queued'],
    ['sending', 'scheduled'],
    ['sent', 'sent'],
    ['queued', 'queued'],
    ['queued', 'accepted'],
  ];
  it.each(backwards)('a "%s" report is not overwritten by a later "%s" (out of order or duplicate)', (current, late) => {
    const state = applyAll(inProgressAt('sms', 1), { type: 'sms_status', messageStatus: current });
    const result = transition(state, { type: 'sms_status', messageStatus: late }, AT);
    expectIgnored(state, result);
    expect(result.ignored).toBe(`delivery status ${late} is not newer than ${current}`);
    expect(result.state.deliveryStatus).toBe(current);
  });

  it.each(PERMANENT_SMS_CODES.flatMap((code) => (['failed', 'undelivered'] as const).map((status) => [status, code] as const)))(
    '%s with permanent Twilio error %s fails the reminder for good on the first attempt',
    (messageStatus, errorCode) => {
      const result = transition(inProgressAt('sms', 1), { type: 'sms_status', messageStatus, errorCode }, AT);
      expect(result.state).toMatchObject({
        status: 'failed',
        attempt: 1,
        deliveryStatus: messageStatus,
        errorCode,
        permanentFailure: true,
        skipReason: `SMS ${messageStatus} (Twilio error ${errorCode})`,
      });
      expect(result.state.history.at(-1)?.reason).toBe(`SMS ${messageStatus} (Twilio error ${errorCode}) (permanent)`);
      expect(isTerminal(result.state)).toBe(true);
      expect(canRetry(result.state)).toBe(false);
      expectIgnored(result.state, transition(result.state, retryScheduled, AT));
    },
  );

  it.each(
    [...RETRYABLE_SMS_CODES, undefined].flatMap((code) => (['failed', 'undelivered'] as const).map((status) => [status, code] as const)),
  )('%s with non-permanent error %s allows a retry while attempts are left', (messageStatus, errorCode) => {
    const failed = transition(inProgressAt('sms', 1), { type: 'sms_status', messageStatus, errorCode }, AT).state;
    expect(failed).toMatchObject({ status: 'failed', permanentFailure: false, deliveryStatus: messageStatus });
    expect(failed.skipReason).toBe(errorCode ? `SMS ${messageStatus} (Twilio error ${errorCode})` : `SMS ${messageStatus}`);
    expect(isTerminal(failed)).toBe(false);

    const retried = transition(failed, retryScheduled, AT);
    expect(retried.state).toMatchObject({ status: 'pending', nextAttemptAt: NEXT, attempt: 1 });
    expect(retried.state.history.at(-1)).toEqual({ status: 'pending', attempt: 1, at: AT, reason: `attempt 2 of 3 at ${NEXT}` });
  });

  it.each([1, 2, 3])('a 30003 failure on attempt %i of 3 can be retried exactly when attempts are left', (attempt) => {
    const failed = transition(inProgressAt('sms', attempt), { type: 'sms_status', messageStatus: 'failed', errorCode: '30003' }, AT).state;
    expect(failed).toMatchObject({ status: 'failed', attempt, permanentFailure: false });
    const retried = transition(failed, retryScheduled, AT);
    if (attempt < MAX_ATTEMPTS) {
      expect(retried.state.status).toBe('pending');
      expect(isTerminal(failed)).toBe(false);
    } else {
      expectIgnored(failed, retried);
      expect(retried.ignored).toBe('reminder already failed');
      expect(isTerminal(failed)).toBe(true);
    }
  });

  it('a single-attempt reminder is terminal after its first retryable failure', () => {
    const state = applyAll(created('sms', 1), dispatched(1), { type: 'sms_status', messageStatus: 'failed', errorCode: '30003' });
    expect(isTerminal(state)).toBe(true);
  });

  it('an SMS report on a call reminder is ignored', () => {
    for (const messageStatus of SMS_DELIVERY_STATUSES) {
      const state = inProgressAt('call', 1);
      const result = transition(state, { type: 'sms_status', messageStatus, errorCode: '30005' }, AT);
      expectIgnored(state, result);
      expect(result.ignored).toBe('an SMS status for a call reminder');
    }
  });

  it('a late "delivered" after the SMS timeout changes nothing', () => {
    const timedOutState = applyAll(inProgressAt('sms', 1), timedOut);
    expectIgnored(timedOutState, transition(timedOutState, { type: 'sms_status', messageStatus: 'delivered' }, AT));
    const waitingForRetry = applyAll(timedOutState, retryScheduled);
    expectIgnored(waitingForRetry, transition(waitingForRetry, { type: 'sms_status', messageStatus: 'delivered' }, AT));
  });

  it('a report for a pending reminder (nothing sent yet) is ignored', () => {
    const state = created('sms');
    expect(transition(state, { type: 'sms_status', messageStatus: 'sent' }, AT).ignored).toBe('no SMS is under way (status pending)');
  });
});

describe('call outcomes', () => {
  describe('call_completed applies decideCallOutcome', () => {
    it.each(
      RETRY_RESPONSES.flatMap((response) => (['in_progress', 'processing'] as const).map((scenario) => [response, scenario] as const)),
    )('"%s" from %s fails the attempt, keeps the outcome, and leaves a retry', (response, scenario) => {
      const event = { type: 'call_completed', outcome: outcome(response, true) } as const;
      const result = transition(stateFor('call', scenario), event, AT);
      expect(result.state).toMatchObject({ status: 'failed', permanentFailure: false, callOutcome: event.outcome });
      expect(result.state.skipReason).toBe(`Call outcome requires a retry: ${response}`);
      expect(canRetry(result.state)).toBe(true);
    });

    it.each(
      DONE_RESPONSES.flatMap((response) => (['in_progress', 'processing'] as const).map((scenario) => [response, scenario] as const)),
    )('"%s" from %s completes the reminder and keeps the outcome', (response, scenario) => {
      const event = { type: 'call_completed', outcome: outcome(response, true, { notes: 'spoke to customer' }) } as const;
      const result = transition(stateFor('call', scenario), event, AT);
      expect(result.state).toMatchObject({ status: 'completed', callOutcome: event.outcome });
      expect(result.state.skipReason).toBeUndefined();
      expect(isTerminal(result.state)).toBe(true);
    });

    it.each(DONE_RESPONSES)('"%s" reported for a call that never connected is retried', (response) => {
      const result = transition(stateFor('call', 'in_progress'), { type: 'call_completed', outcome: outcome(response, false) }, AT);
      expect(result.state.status).toBe('failed');
      expect(canRetry(result.state)).toBe(true);
    });

    it.each([
      ['asked_for_manager', true, 'completed'],
      ['SPOKE_IN_FRENCH', true, 'completed'],
      ['hung_up_immediately', false, 'failed'],
      ['  Will_Pay_Today  ', true, 'completed'],
    ] as const)(
      'an unknown or oddly written response %p (connected: %s) is accepted as %s and stored verbatim',
      (response, connected, status) => {
        const event = { type: 'call_completed', outcome: outcome(response, connected) } as const;
        const result = transition(stateFor('call', 'processing'), event, AT);
        expect(result.changed).toBe(true);
        expect(result.ignored).toBeUndefined();
        expect(result.state.status).toBe(status);
        expect(result.state.callOutcome).toEqual(event.outcome);
        expect(result.state.callOutcome?.customer_response).toBe(response);
      },
    );

    it('a retry outcome on the last attempt is terminal', () => {
      const result = transition(inProgressAt('call', MAX_ATTEMPTS), { type: 'call_completed', outcome: outcome('no_answer', false) }, AT);
      expect(result.state).toMatchObject({ status: 'failed', attempt: MAX_ATTEMPTS });
      expect(isTerminal(result.state)).toBe(true);
    });
  });

  it('call_answered moves in_progress to processing and adds a history entry', () => {
    const before = inProgressAt('call', 1);
    const result = transition(before, { type: 'call_answered' }, AT);
    expect(result.state.status).toBe('processing');
    expect(result.state.history.at(-1)).toEqual({ status: 'processing', attempt: 1, at: AT });
  });

  it('a duplicate call_answered while processing is ignored', () => {
    const state = stateFor('call', 'processing');
    const result = transition(state, { type: 'call_answered' }, AT);
    expectIgnored(state, result);
    expect(result.ignored).toBe('call_answered while processing');
  });

  it('call_failed prefers the notes, then the response, then "no details" as the reason', () => {
    const from = stateFor('call', 'in_progress');
    const withNotes = transition(from, { type: 'call_failed', outcome: outcome('no_answer', false, { notes: 'rang 30 times' }) }, AT).state;
    expect(withNotes).toMatchObject({ status: 'failed', skipReason: 'Call failed: rang 30 times', permanentFailure: false });
    expect(withNotes.callOutcome?.notes).toBe('rang 30 times');
    expect(transition(from, { type: 'call_failed', outcome: outcome('busy', false) }, AT).state.skipReason).toBe('Call failed: busy');
    const bare = transition(from, { type: 'call_failed' }, AT).state;
    expect(bare.skipReason).toBe('Call failed: no details');
    expect(bare.callOutcome).toBeUndefined();
    expect(canRetry(bare)).toBe(true);
  });

  it.each([
    ['call_answered', { type: 'call_answered' }],
    ['call_completed', { type: 'call_completed', outcome: outcome('will_pay_today') }],
    ['call_failed', { type: 'call_failed' }],
  ] as Array<[string, ReminderEvent]>)('a %s for an SMS reminder is ignored', (_name, event) => {
    for (const scenario of NON_TERMINAL_SCENARIOS) {
      const state = stateFor('sms', scenario);
      const result = transition(state, event, AT);
      expectIgnored(state, result);
      expect(result.ignored).toBe('a call event for an SMS reminder');
    }
  });

  it('a late call_completed after the timeout changes nothing', () => {
    const afterTimeout = applyAll(stateFor('call', 'processing'), timedOut);
    expect(afterTimeout.status).toBe('failed');
    const late = transition(afterTimeout, { type: 'call_completed', outcome: outcome('will_pay_today') }, AT);
    expectIgnored(afterTimeout, late);
    expect(late.ignored).toBe('call_completed while failed');
  });

  it('a late call_completed while the next attempt is waiting changes nothing', () => {
    const waiting = applyAll(stateFor('call', 'in_progress'), timedOut, retryScheduled);
    expectIgnored(waiting, transition(waiting, { type: 'call_completed', outcome: outcome('already_paid') }, AT));
    expectIgnored(waiting, transition(waiting, { type: 'call_failed' }, AT));
    expectIgnored(waiting, transition(waiting, { type: 'call_answered' }, AT));
  });

  it('a late call_completed after the final timeout changes nothing', () => {
    const final = applyAll(inProgressAt('call', MAX_ATTEMPTS), timedOut);
    expect(isTerminal(final)).toBe(true);
    expectIgnored(final, transition(final, { type: 'call_completed', outcome: outcome('will_pay_today') }, AT));
  });

  it('a duplicate call_completed after completion changes nothing, even with a different outcome', () => {
    const done = stateFor('call', 'completed');
    const result = transition(done, { type: 'call_completed', outcome: outcome('no_answer', false) }, AT);
    expectIgnored(done, result);
    expect(result.state.callOutcome?.customer_response).toBe('will_pay_today');
  });
});

describe('timeouts', () => {
  it.each([
    ['sms', 'in_progress'],
    ['call', 'in_progress'],
    ['call', 'processing'],
  ] as const)('a timeout of a %s reminder in %s fails the attempt with the given reason', (channel, scenario) => {
    const result = transition(stateFor(channel, scenario), { type: 'timed_out', reason: 'Call timeout - no agent response' }, AT);
    expect(result.state).toMatchObject({ status: 'failed', skipReason: 'Call timeout - no agent response', permanentFailure: false });
    expect(result.state.history.at(-1)?.reason).toBe('Call timeout - no agent response');
  });

  it('a timeout while pending is ignored (nothing is out)', () => {
    expect(transition(created('call'), timedOut, AT).ignored).toBe('timeout while pending');
  });
});

describe('retry_scheduled', () => {
  it('only moves a failed reminder with a retry left back to pending, with the next attempt time', () => {
    const failed = stateFor('call', 'failed-with-retry-left');
    const result = transition(failed, retryScheduled, AT);
    expect(result.state).toMatchObject({ status: 'pending', attempt: 1, nextAttemptAt: NEXT, version: failed.version + 1 });
    expect(result.state.history.at(-1)).toEqual({ status: 'pending', attempt: 1, at: AT, reason: `attempt 2 of 3 at ${NEXT}` });
  });

  it.each(SCENARIOS.filter((scenario) => scenario !== 'failed-with-retry-left'))('is ignored from %s', (scenario) => {
    const state = stateFor('sms', scenario);
    expectIgnored(state, transition(state, retryScheduled, AT));
  });
});

describe('rescheduled', () => {
  it("moves a pending reminder's next attempt and records why", () => {
    const pending = applyAll(stateFor('sms', 'failed-with-retry-left'), retryScheduled);
    const later = '2026-03-02T08:00:00.000Z';
    const result = transition(pending, { type: 'rescheduled', nextAttemptAt: later }, AT);
    expect(result.state).toMatchObject({ status: 'pending', nextAttemptAt: later, attempt: 1, version: pending.version + 1 });
    expect(result.state.history.at(-1)).toEqual({ status: 'pending', attempt: 1, at: AT, reason: `rescheduled to ${later}` });
  });

  it.each((['sms', 'call'] as const).flatMap((channel) => SCENARIOS.filter((s) => s !== 'pending').map((s) => [channel, s] as const)))(
    'is refused for a %s reminder that is %s',
    (channel, scenario) => {
      const state = stateFor(channel, scenario);
      expectIgnored(state, transition(state, { type: 'rescheduled', nextAttemptAt: NEXT }, AT));
    },
  );
});

describe('deferred', () => {
  const reason = 'outside contact hours in America/Los_Angeles until 08:00';
  const later = '2026-03-02T16:00:00.000Z';

  it('keeps a pending reminder pending, with the next attempt, the waiting reason and a history entry; the attempt is not used up', () => {
    const pending = created('sms');
    const result = transition(pending, { type: 'deferred', nextAttemptAt: later, reason }, AT);
    expect(result.state).toMatchObject({
      status: 'pending',
      attempt: 0,
      nextAttemptAt: later,
      waitingReason: reason,
      version: pending.version + 1,
    });
    expect(result.state.history.at(-1)).toEqual({ status: 'pending', attempt: 0, at: AT, reason: `deferred: ${reason}` });
  });

  it('the waiting reason goes once the attempt is dispatched, rescheduled or cancelled', () => {
    const waiting = applyAll(created('sms'), { type: 'deferred', nextAttemptAt: later, reason });
    for (const event of [
      dispatched(1),
      { type: 'rescheduled', nextAttemptAt: NEXT },
      { type: 'cancelled', reason: 'paid' },
    ] satisfies ReminderEvent[]) {
      expect(transition(waiting, event, AT).state.waitingReason).toBeUndefined();
    }
  });

  it.each((['sms', 'call'] as const).flatMap((channel) => SCENARIOS.filter((s) => s !== 'pending').map((s) => [channel, s] as const)))(
    'is refused for a %s reminder that is %s',
    (channel, scenario) => {
      const state = stateFor(channel, scenario);
      expectIgnored(state, transition(state, { type: 'deferred', nextAttemptAt: NEXT, reason }, AT));
    },
  );
});

describe('cancelled', () => {
  it.each((['sms', 'call'] as const).flatMap((channel) => NON_TERMINAL_SCENARIOS.map((s) => [channel, s] as const)))(
    'cancels a %s reminder that is %s, keeping the reason and clearing the next attempt',
    (channel, scenario) => {
      const state =
        scenario === 'pending' ? applyAll(created(channel), { type: 'rescheduled', nextAttemptAt: NEXT }) : stateFor(channel, scenario);
      const result = transition(state, { type: 'cancelled', reason: 'customer paid' }, AT);
      expect(result.state).toMatchObject({ status: 'cancelled', skipReason: 'customer paid', version: state.version + 1 });
      expect(result.state.nextAttemptAt).toBeUndefined();
      expect(result.state.history.at(-1)).toEqual({ status: 'cancelled', attempt: state.attempt, at: AT, reason: 'customer paid' });
      expect(isTerminal(result.state)).toBe(true);
    },
  );

  it.each((['sms', 'call'] as const).flatMap((channel) => TERMINAL_SCENARIOS.map((s) => [channel, s] as const)))(
    'cannot cancel a %s reminder that is already %s',
    (channel, scenario) => {
      const state = stateFor(channel, scenario);
      expectIgnored(state, transition(state, { type: 'cancelled', reason: 'too late' }, AT));
    },
  );
});

describe('purity', () => {
  it('never mutates the state it is given', () => {
    for (const channel of ['sms', 'call'] as const) {
      for (const scenario of SCENARIOS) {
        const original = stateFor(channel, scenario);
        const snapshot = structuredClone(original);
        for (const [, event] of ALL_EVENTS) transition(frozen(original), event, AT);
        expect(original).toEqual(snapshot);
      }
    }
  });
});
