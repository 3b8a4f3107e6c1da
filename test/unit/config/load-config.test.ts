import { ConfigError, loadConfig } from '../../../src/config/load-config';

/** A complete, valid production environment; tests remove or break one thing at a time. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  API_KEYS: 'prod-key-one,prod-key-two',
  WEBHOOK_SECRET: 'prod-webhook-secret-0123456789',
  PUBLIC_BASE_URL: 'https://reminders.example.com',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'prod-twilio-auth-token',
  TWILIO_FROM_NUMBER: '+14155550100',
  LIVEKIT_URL: 'https://livekit.example.com',
  LIVEKIT_API_KEY: 'APIprodkey',
  LIVEKIT_API_SECRET: 'prod-livekit-secret',
};

const REQUIRED_IN_PRODUCTION = [
  'API_KEYS',
  'WEBHOOK_SECRET',
  'PUBLIC_BASE_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM_NUMBER',
  'LIVEKIT_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
];

const without = (env: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));

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

/** The variables a ConfigError names, from its problems ("NAME: why"). */
const namedIn = (error: ConfigError) => error.problems.map((problem) => problem.split(':')[0]);

describe('loadConfig in development', () => {
  it('runs on loopback with development defaults when the environment is empty', () => {
    const { config, warnings } = loadConfig({});
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      environment: 'development',
      logLevel: 'info',
      api: { host: '127.0.0.1', port: 3000, apiKeys: ['dev-api-key'], bodyLimit: '64kb' },
      webhooks: {
        secret: 'dev-webhook-secret',
        twilioAuthToken: 'dev-twilio-auth-token',
        publicBaseUrl: 'http://127.0.0.1:3000',
        agentWebhookUrl: 'http://127.0.0.1:3000/api/webhooks/call-status',
      },
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'payment-reminders' },
      mongodbUri: 'mongodb://127.0.0.1:27017/payment_reminders',
      twilio: { accountSid: 'ACdevelopmentonly', authToken: 'dev-twilio-auth-token', fromNumber: '+15005550006' },
      livekit: { url: 'http://127.0.0.1:7880', apiKey: 'devkey', apiSecret: 'secret', agentName: 'payment-reminder-agent' },
      reminders: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes', defaultMaxAttempts: 3 },
    });
    expect(config.temporal.tls).toBeUndefined();
    expect(config.temporal.apiKey).toBeUndefined();
    expect(config.workerMetricsPort).toBeUndefined();
  });

  it('lists every variable that fell back to a development default', () => {
    const { config } = loadConfig({});
    expect([...config.developmentDefaults].sort()).toEqual(
      [
        'API_KEYS',
        'WEBHOOK_SECRET',
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'TWILIO_FROM_NUMBER',
        'LIVEKIT_URL',
        'LIVEKIT_API_KEY',
        'LIVEKIT_API_SECRET',
      ].sort(),
    );
  });

  it('does not list a variable that was given, and treats an empty value as not given', () => {
    const { config } = loadConfig({ API_KEYS: 'k1, k2 ,,k3', WEBHOOK_SECRET: '', LIVEKIT_URL: 'http://10.0.0.5:7880' });
    expect(config.api.apiKeys).toEqual(['k1', 'k2', 'k3']);
    expect(config.livekit.url).toBe('http://10.0.0.5:7880');
    expect(config.developmentDefaults).not.toContain('API_KEYS');
    expect(config.developmentDefaults).not.toContain('LIVEKIT_URL');
    expect(config.developmentDefaults).toContain('WEBHOOK_SECRET');
    expect(config.webhooks.secret).toBe('dev-webhook-secret');
  });

  it('uses the same development defaults under NODE_ENV=test', () => {
    const { config } = loadConfig({ NODE_ENV: 'test' });
    expect(config.environment).toBe('test');
    expect(config.developmentDefaults).toHaveLength(8);
  });
});

describe('loadConfig in production', () => {
  it('accepts a complete environment without any development default', () => {
    const { config, warnings } = loadConfig(PRODUCTION);
    expect(warnings).toEqual([]);
    expect(config.developmentDefaults).toEqual([]);
    expect(config).toMatchObject({
      environment: 'production',
      api: { apiKeys: ['prod-key-one', 'prod-key-two'] },
      webhooks: { secret: PRODUCTION.WEBHOOK_SECRET, twilioAuthToken: PRODUCTION.TWILIO_AUTH_TOKEN },
      twilio: {
        accountSid: PRODUCTION.TWILIO_ACCOUNT_SID,
        authToken: PRODUCTION.TWILIO_AUTH_TOKEN,
        fromNumber: PRODUCTION.TWILIO_FROM_NUMBER,
      },
      livekit: { url: PRODUCTION.LIVEKIT_URL, apiKey: PRODUCTION.LIVEKIT_API_KEY, apiSecret: PRODUCTION.LIVEKIT_API_SECRET },
    });
  });

  it('names every missing variable when none is set', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.name).toBe('ConfigError');
    for (const name of [...REQUIRED_IN_PRODUCTION, 'TWILIO_WEBHOOK_SECRET']) {
      expect(error.message).toContain(`${name}: required when NODE_ENV=production`);
    }
    expect(namedIn(error).sort()).toEqual([...REQUIRED_IN_PRODUCTION, 'TWILIO_WEBHOOK_SECRET'].sort());
  });

  it.each(REQUIRED_IN_PRODUCTION)('names %s, and only what is missing, when it alone is absent', (name) => {
    const error = configError(without(PRODUCTION, name));
    // Without a Twilio auth token there is nothing for the Twilio webhook secret to fall back to.
    const expected = name === 'TWILIO_AUTH_TOKEN' ? ['TWILIO_AUTH_TOKEN', 'TWILIO_WEBHOOK_SECRET'] : [name];
    expect(namedIn(error).sort()).toEqual(expected.sort());
    expect(error.message).toContain(`${name}: required when NODE_ENV=production`);
  });

  it.each(REQUIRED_IN_PRODUCTION)('treats an empty %s as missing', (name) => {
    expect(namedIn(configError({ ...PRODUCTION, [name]: '' }))).toContain(name);
  });

  it.each(['API_KEYS', 'WEBHOOK_SECRET', 'TWILIO_AUTH_TOKEN', 'LIVEKIT_API_SECRET'])('treats a whitespace-only %s as missing', (name) => {
    expect(namedIn(configError({ ...PRODUCTION, [name]: ' \n' }))).toContain(name);
  });

  it('accepts a Twilio auth token without a separate TWILIO_WEBHOOK_SECRET', () => {
    expect(() => loadConfig(without(PRODUCTION, 'TWILIO_WEBHOOK_SECRET'))).not.toThrow();
  });

  it('refuses a webhook secret shorter than 16 characters', () => {
    const error = configError({ ...PRODUCTION, WEBHOOK_SECRET: 'short-secret' });
    expect(namedIn(error)).toEqual(['WEBHOOK_SECRET']);
    expect(error.message).not.toContain('short-secret');
    expect(() => loadConfig({ ...PRODUCTION, WEBHOOK_SECRET: '0123456789abcdef' })).not.toThrow();
  });

  it('names both the malformed and the missing variables in one error', () => {
    const error = configError({ ...without(PRODUCTION, 'API_KEYS', 'LIVEKIT_URL'), API_PORT: 'abc' });
    expect(namedIn(error).sort()).toEqual(['API_KEYS', 'API_PORT', 'LIVEKIT_URL']);
  });
});

describe('CONTACT_POLICY_CHECKS (benchmarks only)', () => {
  it('checks the contact policy unless told otherwise', () => {
    expect(loadConfig({}).config.contactPolicyChecks).toBe(true);
    expect(loadConfig(PRODUCTION).config.contactPolicyChecks).toBe(true);
    expect(loadConfig({ CONTACT_POLICY_CHECKS: 'on' }).config.contactPolicyChecks).toBe(true);
  });

  it('turns the checks off outside production', () => {
    expect(loadConfig({ CONTACT_POLICY_CHECKS: 'off' }).config.contactPolicyChecks).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', CONTACT_POLICY_CHECKS: 'off' }).config.contactPolicyChecks).toBe(false);
  });

  it('refuses off in production, saying it is for benchmarks only', () => {
    const error = configError({ ...PRODUCTION, CONTACT_POLICY_CHECKS: 'off' });
    expect(namedIn(error)).toEqual(['CONTACT_POLICY_CHECKS']);
    expect(error.message).toContain('CONTACT_POLICY_CHECKS: off is for benchmarks only');
  });

  it('names a value other than on or off', () => {
    expect(namedIn(configError({ CONTACT_POLICY_CHECKS: 'false' }))).toEqual(['CONTACT_POLICY_CHECKS']);
  });
});

describe('malformed values', () => {
  const MALFORMED: Array<[string, string]> = [
    ['API_PORT', 'abc'],
    ['MONGODB_URI', 'http://x'],
    ['TWILIO_FROM_NUMBER', '123'],
    ['REMINDER_RESPONSE_TIMEOUT', 'soon'],
    ['TEMPORAL_TLS', 'maybe'],
  ];

  it.each(MALFORMED)('%s=%s is named in the error (development)', (name, value) => {
    const error = configError({ [name]: value });
    expect(namedIn(error)).toEqual([name]);
    expect(error.message).toMatch(new RegExp(`^  - ${name}: `, 'm'));
  });

  it.each(MALFORMED)('%s=%s is named in the error (production)', (name, value) => {
    expect(namedIn(configError({ ...PRODUCTION, [name]: value }))).toEqual([name]);
  });

  it('names all of them at once when all are malformed', () => {
    const error = configError(Object.fromEntries(MALFORMED));
    expect(namedIn(error).sort()).toEqual(MALFORMED.map(([name]) => name).sort());
    for (const [name] of MALFORMED) expect(error.message).toContain(`${name}:`);
    expect(error.message.startsWith('Invalid configuration:\n')).toBe(true);
  });

  it.each([
    ['API_PORT', '3000.5'],
    ['API_PORT', '70000'],
    ['MONGODB_URI', 'mongodb:/missing-slash'],
    ['TWILIO_FROM_NUMBER', '4155550100'],
    ['TWILIO_FROM_NUMBER', '+0155550100'],
    ['REMINDER_MAX_CALL_DURATION', '30 fortnights'],
    ['REMINDER_RETRY_BACKOFF', 'minutes'],
    ['TEMPORAL_TLS', 'TRUE'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['WEBHOOK_URL', 'example.com/hook'],
    ['REMINDER_DEFAULT_MAX_ATTEMPTS', '0'],
    ['NODE_ENV', 'staging'],
  ])('also names %s=%p', (name, value) => {
    expect(namedIn(configError({ [name]: value }))).toEqual([name]);
  });

  it.each([
    ['API_PORT', '8080', (c: ReturnType<typeof loadConfig>['config']) => c.api.port, 8080],
    [
      'MONGODB_URI',
      'mongodb+srv://cluster.example.net/db',
      (c: ReturnType<typeof loadConfig>['config']) => c.mongodbUri,
      'mongodb+srv://cluster.example.net/db',
    ],
    ['TWILIO_FROM_NUMBER', '+447700900123', (c: ReturnType<typeof loadConfig>['config']) => c.twilio.fromNumber, '+447700900123'],
    ['REMINDER_RESPONSE_TIMEOUT', '90s', (c: ReturnType<typeof loadConfig>['config']) => c.reminders.responseTimeout, '90s'],
    ['TEMPORAL_TLS', 'true', (c: ReturnType<typeof loadConfig>['config']) => c.temporal.tls, {}],
  ] as const)('accepts a well-formed %s=%s', (name, value, read, expected) => {
    expect(read(loadConfig({ [name]: value }).config)).toEqual(expected);
  });

  it('does not turn an empty API_PORT into port 0', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ API_PORT: '' }).config.api.port;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return;
    }
    expect(port).not.toBe(0);
  });
});

describe('secrets with surrounding whitespace', () => {
  const SECRETS: Record<string, string> = {
    API_KEYS: 'ak-7f3e9b1d2c',
    WEBHOOK_SECRET: 'wh-4a8c2e6f0b1d3579',
    TWILIO_WEBHOOK_SECRET: 'tw-wh-9d8c7b6a5f4e',
    TWILIO_AUTH_TOKEN: 'tw-at-1a2b3c4d5e6f',
    LIVEKIT_API_SECRET: 'lk-s-0f9e8d7c6b5a',
    TEMPORAL_API_KEY: 'tmprl-k-5e4d3c2b1a',
  };

  it.each(Object.entries(SECRETS))('%s is trimmed and a warning names it without revealing the value', (name, secret) => {
    const { config, warnings } = loadConfig({ ...PRODUCTION, [name]: `  ${secret}\n` });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.variable).toBe(name);
    expect(warnings[0]!.message).toContain(name);
    expect(JSON.stringify(warnings)).not.toContain(secret);

    const used: Record<string, unknown> = {
      API_KEYS: config.api.apiKeys,
      WEBHOOK_SECRET: config.webhooks.secret,
      TWILIO_WEBHOOK_SECRET: config.webhooks.twilioAuthToken,
      TWILIO_AUTH_TOKEN: config.twilio.authToken,
      LIVEKIT_API_SECRET: config.livekit.apiSecret,
      TEMPORAL_API_KEY: config.temporal.apiKey,
    };
    expect(used[name]).toEqual(name === 'API_KEYS' ? [secret] : secret);
  });

  it('warns once per padded secret, and about nothing else', () => {
    const env = { ...PRODUCTION, ...Object.fromEntries(Object.entries(SECRETS).map(([name, secret]) => [name, `\t${secret} \r\n`])) };
    const { warnings } = loadConfig(env);
    expect(warnings.map((warning) => warning.variable).sort()).toEqual(Object.keys(SECRETS).sort());
    const text = JSON.stringify(warnings);
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  it('does not warn about a secret without surrounding whitespace, even one with inner spaces', () => {
    expect(loadConfig({ ...PRODUCTION, LIVEKIT_API_SECRET: 'inner space secret' }).warnings).toEqual([]);
  });

  it('a trimmed Twilio auth token is also what the Twilio webhook check falls back to', () => {
    const { config } = loadConfig({ ...PRODUCTION, TWILIO_AUTH_TOKEN: `${SECRETS.TWILIO_AUTH_TOKEN}\n` });
    expect(config.webhooks.twilioAuthToken).toBe(SECRETS.TWILIO_AUTH_TOKEN);
  });
});

describe('webhook settings', () => {
  it('TWILIO_WEBHOOK_SECRET falls back to TWILIO_AUTH_TOKEN', () => {
    const { config } = loadConfig({ TWILIO_AUTH_TOKEN: 'my-twilio-token' });
    expect(config.webhooks.twilioAuthToken).toBe('my-twilio-token');
    expect(config.twilio.authToken).toBe('my-twilio-token');
  });

  it('an explicit TWILIO_WEBHOOK_SECRET wins over the auth token', () => {
    const { config } = loadConfig({ ...PRODUCTION, TWILIO_WEBHOOK_SECRET: 'separate-signing-token' });
    expect(config.webhooks.twilioAuthToken).toBe('separate-signing-token');
    expect(config.twilio.authToken).toBe(PRODUCTION.TWILIO_AUTH_TOKEN);
  });

  it.each([
    ['https://reminders.example.com/', 'https://reminders.example.com'],
    ['https://reminders.example.com///', 'https://reminders.example.com'],
    ['https://example.com/reminders/', 'https://example.com/reminders'],
    ['https://reminders.example.com', 'https://reminders.example.com'],
  ])('PUBLIC_BASE_URL %s is used as %s', (given, expected) => {
    const { config } = loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: given });
    expect(config.webhooks.publicBaseUrl).toBe(expected);
    expect(config.webhooks.agentWebhookUrl).toBe(`${expected}/api/webhooks/call-status`);
  });

  it('WEBHOOK_URL defaults to PUBLIC_BASE_URL + /api/webhooks/call-status, and an explicit one wins', () => {
    expect(loadConfig(PRODUCTION).config.webhooks.agentWebhookUrl).toBe('https://reminders.example.com/api/webhooks/call-status');
    const explicit = loadConfig({ ...PRODUCTION, WEBHOOK_URL: 'https://hooks.example.org/agent' });
    expect(explicit.config.webhooks.agentWebhookUrl).toBe('https://hooks.example.org/agent');
    expect(explicit.config.webhooks.publicBaseUrl).toBe('https://reminders.example.com');
  });

  it('without PUBLIC_BASE_URL (development) the origin is built from API_HOST and API_PORT', () => {
    const { config } = loadConfig({ API_HOST: '0.0.0.0', API_PORT: '4100' });
    expect(config.webhooks.publicBaseUrl).toBe('http://0.0.0.0:4100');
    expect(config.webhooks.agentWebhookUrl).toBe('http://0.0.0.0:4100/api/webhooks/call-status');
  });
});
