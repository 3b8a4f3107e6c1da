import { ConfigError, loadConfig } from '../../../src/config/load-config';

/** Runs loadConfig and returns the ConfigError it must throw. */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

const contactWindow = (env: NodeJS.ProcessEnv) => loadConfig(env).config.contactWindow;

describe('the contact window overrides, parsed', () => {
  it('override nothing unless set (an empty value is unset)', () => {
    expect(contactWindow({})).toEqual({});
    expect(
      contactWindow({ CONTACT_WINDOW_DAYS: '', CONTACT_WINDOW_HOURS: '', CONTACT_CLOSED_DATES: '', CONTACT_CALL_END_MARGIN: '' }),
    ).toEqual({});
  });

  it.each([
    ['mon-fri', [1, 2, 3, 4, 5]],
    ['mon,tue,wed', [1, 2, 3]],
    ['Sat , SUN', [6, 7]],
    ['mon-wed,fri', [1, 2, 3, 5]],
    ['fri-mon', [1, 5, 6, 7]],
    ['wed', [3]],
    ['mon-sun,tue', [1, 2, 3, 4, 5, 6, 7]],
  ])('CONTACT_WINDOW_DAYS=%s is ISO weekdays %j', (value, days) => {
    expect(contactWindow({ CONTACT_WINDOW_DAYS: value }).days).toEqual(days);
  });

  it('CONTACT_WINDOW_HOURS gives the opening and the closing, 24:00 being the end of the day', () => {
    expect(contactWindow({ CONTACT_WINDOW_HOURS: '09:00-17:30' }).hours).toEqual({ opens: '09:00', closes: '17:30' });
    expect(contactWindow({ CONTACT_PROFILE: 'development', CONTACT_WINDOW_HOURS: ' 18:00 - 24:00 ' }).hours).toEqual({
      opens: '18:00',
      closes: '24:00',
    });
  });

  it('CONTACT_CLOSED_DATES gives the dates sorted and once each', () => {
    expect(contactWindow({ CONTACT_CLOSED_DATES: '2026-12-25, 2026-12-24,2026-12-25' }).closedDates).toEqual(['2026-12-24', '2026-12-25']);
  });

  it('CONTACT_CALL_END_MARGIN is a Temporal duration string, kept as minutes', () => {
    expect(contactWindow({ CONTACT_CALL_END_MARGIN: '30 minutes' }).callEndMarginMinutes).toBe(30);
    expect(contactWindow({ CONTACT_CALL_END_MARGIN: '1h' }).callEndMarginMinutes).toBe(60);
    expect(contactWindow({ CONTACT_CALL_END_MARGIN: '15m' }).callEndMarginMinutes).toBe(15);
  });
});

describe('malformed contact window overrides are refused at start, by variable', () => {
  it.each([
    ['CONTACT_WINDOW_DAYS', 'weekdays', "'weekdays' is not a day or a range of days"],
    ['CONTACT_WINDOW_DAYS', 'mon-fri-sat', "'mon-fri-sat' is not a day or a range of days"],
    ['CONTACT_WINDOW_DAYS', 'mon,,fri', "'' is not a day"],
    ['CONTACT_WINDOW_HOURS', '8-21', 'expected opening and closing times such as "08:00-21:00"'],
    ['CONTACT_WINDOW_HOURS', '08:00-25:00', 'expected opening and closing times'],
    ['CONTACT_WINDOW_HOURS', '20:00-09:00', 'it cannot wrap past midnight'],
    ['CONTACT_WINDOW_HOURS', '10:00-10:00', 'must open before it closes'],
    ['CONTACT_CLOSED_DATES', '2026-02-30', "not ISO dates (YYYY-MM-DD): '2026-02-30'"],
    ['CONTACT_CLOSED_DATES', '2026-12-24,25/12/2026', "not ISO dates (YYYY-MM-DD): '25/12/2026'"],
    ['CONTACT_CALL_END_MARGIN', 'a while', 'expected a duration such as "10 minutes"'],
    ['CONTACT_CALL_END_MARGIN', '2 days', 'expected less than a day'],
  ])('%s=%s: %s', (variable, value, message) => {
    const error = configError({ CONTACT_PROFILE: 'development', [variable]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(error.problems[0]).toContain(message);
  });
});

describe('an override may only narrow a legal profile', () => {
  it('refuses hours outside the US 08:00–21:00, at either end, naming the variable and the limit', () => {
    for (const hours of ['07:30-20:00', '09:00-21:30', '00:00-24:00']) {
      const error = configError({ CONTACT_WINDOW_HOURS: hours });
      expect(error.problems).toEqual([
        `CONTACT_WINDOW_HOURS: ${hours} reaches outside the US profile's hours 08:00–21:00, its legal limit; an override may only narrow them`,
      ]);
    }
    expect(configError({ CONTACT_PROFILE: 'US-MA', CONTACT_WINDOW_HOURS: '07:00-12:00' }).problems[0]).toMatch(
      /^CONTACT_WINDOW_HOURS: .*US-MA/,
    );
  });

  it('accepts hours inside it, its own included', () => {
    expect(contactWindow({ CONTACT_WINDOW_HOURS: '08:00-21:00' }).hours).toEqual({ opens: '08:00', closes: '21:00' });
    expect(contactWindow({ CONTACT_WINDOW_HOURS: '09:00-18:00' }).hours).toEqual({ opens: '09:00', closes: '18:00' });
  });

  it('accepts any hours under the development profile, which is open around the clock', () => {
    expect(contactWindow({ CONTACT_PROFILE: 'development', CONTACT_WINDOW_HOURS: '00:00-06:00' }).hours).toEqual({
      opens: '00:00',
      closes: '06:00',
    });
  });

  it('refuses a call margin shorter than the profile’s 15 minutes, and accepts a longer one', () => {
    expect(configError({ CONTACT_CALL_END_MARGIN: '10 minutes' }).problems).toEqual([
      "CONTACT_CALL_END_MARGIN: 10 minutes is shorter than the US profile's 15 minutes; an override may only lengthen it",
    ]);
    expect(contactWindow({ CONTACT_CALL_END_MARGIN: '45 minutes' }).callEndMarginMinutes).toBe(45);
    expect(contactWindow({ CONTACT_PROFILE: 'development', CONTACT_CALL_END_MARGIN: '5 minutes' }).callEndMarginMinutes).toBe(5);
  });

  it('refuses hours and a margin that together leave no time for a call', () => {
    expect(configError({ CONTACT_WINDOW_HOURS: '09:00-10:00', CONTACT_CALL_END_MARGIN: '1 hour' }).problems).toEqual([
      'CONTACT_CALL_END_MARGIN: leaves no time for a call: the last dial (60 minutes before 10:00) is not after the opening at 09:00',
    ]);
    expect(configError({ CONTACT_WINDOW_HOURS: '09:00-09:10' }).problems[0]).toMatch(/^CONTACT_WINDOW_HOURS: leaves no time for a call/);
  });

  it('names every refused override at once, beside other problems', () => {
    const error = configError({
      CONTACT_WINDOW_HOURS: '06:00-23:00',
      CONTACT_CALL_END_MARGIN: '5 minutes',
      CONTACT_CLOSED_DATES: '2026-13-01',
    });
    // A malformed value stops the narrowing check (there is nothing valid to compare), so it is named alone.
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual(['CONTACT_CLOSED_DATES']);
    const widening = configError({ CONTACT_WINDOW_HOURS: '06:00-23:00', CONTACT_CALL_END_MARGIN: '5 minutes' });
    expect(widening.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['CONTACT_CALL_END_MARGIN', 'CONTACT_WINDOW_HOURS']);
  });

  it('refuses them in production too, like any other problem', () => {
    expect(configError({ NODE_ENV: 'production', CONTACT_WINDOW_HOURS: '07:00-21:00' }).problems).toContain(
      "CONTACT_WINDOW_HOURS: 07:00-21:00 reaches outside the US profile's hours 08:00–21:00, its legal limit; an override may only narrow them",
    );
  });
});
