import { profileFor } from '../policy/profiles';
import { wideningProblems, type ContactWindowOverride } from '../policy/window-override';
import { standardWebhookKey } from '../webhooks/standard-webhooks';
import { invoicePlanSettings, type InvoicePlanSettings } from './invoice-plans';
import { environmentSchema, type Environment } from './schema';

export interface Config {
  environment: Environment['NODE_ENV'];
  logLevel: Environment['LOG_LEVEL'];
  api: {
    host: string;
    port: number;
    apiKeys: string[];
    bodyLimit: string;
    /** How often queued webhook reports are signalled again (REPORT_REDELIVERY_INTERVAL), in ms. */
    reportRedeliveryIntervalMs: number;
  };
  webhooks: {
    /** Shared with the voice agent: HMAC-SHA256 key for X-Webhook-Signature. */
    secret: string;
    /** The Twilio auth token, which Twilio uses to sign X-Twilio-Signature. */
    twilioAuthToken: string;
    /** The public origin webhook senders call; Twilio signs the URL it called, so we validate against this. */
    publicBaseUrl: string;
    /** Where the voice agent posts call events (handed to the agent in dispatch metadata). */
    agentWebhookUrl: string;
    /** Which call-status signatures are accepted. */
    signatureScheme: 'hmac' | 'standard' | 'both';
    /** Standard Webhooks secrets, newest first (defaults to WEBHOOK_SECRET). */
    standardSecrets: string[];
    /** Standard Webhooks secrets of the payment webhook, newest first (defaults to standardSecrets). */
    paymentSecrets: string[];
  };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls?: { certPath?: string; keyPath?: string };
    apiKey?: string;
  };
  mongodbUri: string;
  twilio: { accountSid: string; authToken: string; fromNumber: string; apiBaseUrl?: string };
  livekit: { url: string; apiKey: string; apiSecret: string; agentName: string };
  reminders: {
    responseTimeout: string;
    maxCallDuration: string;
    retryBackoff: string;
    defaultMaxAttempts: number;
  };
  /** Invoice plans: the default plan, the step time, the promise grace and the plans' bounds. */
  invoices: InvoicePlanSettings;
  workerMetricsPort?: number;
  /** Workflows the worker keeps in memory between tasks (its sticky cache). */
  workerMaxCachedWorkflows: number;
  /** The contact policy's profile (CONTACT_PROFILE). */
  contactProfile: string;
  /** The operator's narrowing of that profile's window (CONTACT_WINDOW_DAYS, _HOURS, CONTACT_CLOSED_DATES, CONTACT_CALL_END_MARGIN); {} for none. */
  contactWindow: ContactWindowOverride;
  /** Whether sends check the contact policy (CONTACT_POLICY_CHECKS); false for benchmarks only, never in production. */
  contactPolicyChecks: boolean;
  /** A pre-built workflow bundle (file path); undefined: bundle at start. */
  workerWorkflowBundle?: string;
  /** Variables that fell back to a development-only default (never in production). */
  developmentDefaults: string[];
}

/** The variables that hold one value (not a parsed list or window), which a development default may stand in for. */
type ScalarVariable = NonNullable<
  { [Name in keyof Environment]: Environment[Name] extends string | number | boolean | undefined ? Name : never }[keyof Environment]
>;

export interface ConfigWarning {
  variable: string;
  message: string;
}

/** Thrown at start-up; its message names every missing or malformed variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const SECRETS = [
  'API_KEYS',
  'WEBHOOK_SECRET',
  'TWILIO_WEBHOOK_SECRET',
  'TWILIO_AUTH_TOKEN',
  'LIVEKIT_API_SECRET',
  'TEMPORAL_API_KEY',
  'STANDARD_WEBHOOK_SECRETS',
  'PAYMENT_WEBHOOK_SECRETS',
] as const;

/** Development-only values: good enough to run everything on loopback, never for production. */
const DEVELOPMENT_DEFAULTS: Record<string, string> = {
  API_KEYS: 'dev-api-key',
  WEBHOOK_SECRET: 'dev-webhook-secret',
  TWILIO_ACCOUNT_SID: 'ACdevelopmentonly',
  TWILIO_AUTH_TOKEN: 'dev-twilio-auth-token',
  TWILIO_FROM_NUMBER: '+15005550006',
  LIVEKIT_URL: 'http://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'secret',
};

export const REQUIRED_IN_PRODUCTION = [
  'API_KEYS',
  'WEBHOOK_SECRET',
  'PUBLIC_BASE_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_FROM_NUMBER',
  'LIVEKIT_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
] as const;

/**
 * Reads and validates the environment once. Secrets are trimmed (a stray newline from a
 * copied secret is the guide's most common signature failure) and reported as warnings;
 * the warnings name the variable, never its value.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): { config: Config; warnings: ConfigWarning[] } {
  const warnings: ConfigWarning[] = [];
  // An empty variable (`API_PORT=` in a .env file) means unset, so its default applies.
  const raw: Record<string, string | undefined> = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  for (const name of SECRETS) {
    const value = raw[name];
    if (value !== undefined && value !== value.trim()) {
      warnings.push({ variable: name, message: `${name} had leading or trailing whitespace, which was removed` });
      raw[name] = value.trim();
    }
  }

  // Every problem at once: an operator should not fix one variable only to learn of the next.
  const parsed = environmentSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if ((raw.NODE_ENV ?? 'development') === 'production') {
    const missing: string[] = REQUIRED_IN_PRODUCTION.filter((name) => !raw[name]);
    if (!raw.TWILIO_WEBHOOK_SECRET && !raw.TWILIO_AUTH_TOKEN) missing.push('TWILIO_WEBHOOK_SECRET');
    problems.push(...missing.map((name) => `${name}: required when NODE_ENV=production`));
    if (raw.WEBHOOK_SECRET && raw.WEBHOOK_SECRET.length < 16) problems.push('WEBHOOK_SECRET: must be at least 16 characters in production');
    if (raw.CONTACT_POLICY_CHECKS === 'off') {
      problems.push(
        'CONTACT_POLICY_CHECKS: off is for benchmarks only; production always checks window, consent and caps before a contact',
      );
    }
  }
  if (parsed.success) problems.push(...contactWindowProblems(parsed.data));
  if (parsed.success) problems.push(...invoicePlanSettings(parsed.data).problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  if (!env.TWILIO_WEBHOOK_SECRET && env.TWILIO_AUTH_TOKEN) env.TWILIO_WEBHOOK_SECRET = env.TWILIO_AUTH_TOKEN;

  const developmentDefaults: string[] = [];
  const value = (name: ScalarVariable): string | undefined => {
    const given = env[name];
    if (given !== undefined && given !== '') return String(given);
    if (env.NODE_ENV === 'production') return undefined;
    const fallback = DEVELOPMENT_DEFAULTS[name];
    if (fallback !== undefined) developmentDefaults.push(name);
    return fallback;
  };

  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://${env.API_HOST}:${env.API_PORT}`).replace(/\/+$/, '');
  const twilioAuthToken = value('TWILIO_AUTH_TOKEN')!;
  const webhookSecret = value('WEBHOOK_SECRET')!;
  const standardSecrets = env.STANDARD_WEBHOOK_SECRETS ? secretList(env.STANDARD_WEBHOOK_SECRETS) : [webhookSecret];
  const config: Config = {
    environment: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    api: {
      host: env.API_HOST,
      port: env.API_PORT,
      apiKeys: value('API_KEYS')!
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
      bodyLimit: env.REQUEST_BODY_LIMIT,
      reportRedeliveryIntervalMs: env.REPORT_REDELIVERY_INTERVAL,
    },
    webhooks: {
      secret: webhookSecret,
      twilioAuthToken: env.TWILIO_WEBHOOK_SECRET ?? twilioAuthToken,
      publicBaseUrl,
      agentWebhookUrl: env.WEBHOOK_URL ?? `${publicBaseUrl}/api/webhooks/call-status`,
      signatureScheme: env.WEBHOOK_SIGNATURE_SCHEME,
      standardSecrets,
      paymentSecrets: env.PAYMENT_WEBHOOK_SECRETS ? secretList(env.PAYMENT_WEBHOOK_SECRETS) : standardSecrets,
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls:
        env.TEMPORAL_TLS || env.TEMPORAL_API_KEY ? { certPath: env.TEMPORAL_TLS_CERT_PATH, keyPath: env.TEMPORAL_TLS_KEY_PATH } : undefined,
      apiKey: env.TEMPORAL_API_KEY,
    },
    mongodbUri: env.MONGODB_URI,
    twilio: {
      accountSid: value('TWILIO_ACCOUNT_SID')!,
      authToken: twilioAuthToken,
      fromNumber: value('TWILIO_FROM_NUMBER')!,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
    },
    livekit: {
      url: value('LIVEKIT_URL')!,
      apiKey: value('LIVEKIT_API_KEY')!,
      apiSecret: value('LIVEKIT_API_SECRET')!,
      agentName: env.LIVEKIT_AGENT_NAME,
    },
    reminders: {
      responseTimeout: env.REMINDER_RESPONSE_TIMEOUT,
      maxCallDuration: env.REMINDER_MAX_CALL_DURATION,
      retryBackoff: env.REMINDER_RETRY_BACKOFF,
      defaultMaxAttempts: env.REMINDER_DEFAULT_MAX_ATTEMPTS,
    },
    invoices: invoicePlanSettings(env).settings,
    workerMetricsPort: env.WORKER_METRICS_PORT === undefined ? undefined : Number(env.WORKER_METRICS_PORT),
    workerMaxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    contactProfile: env.CONTACT_PROFILE,
    contactWindow: contactWindowOverride(env),
    contactPolicyChecks: env.CONTACT_POLICY_CHECKS,
    ...(env.WORKER_WORKFLOW_BUNDLE ? { workerWorkflowBundle: env.WORKER_WORKFLOW_BUNDLE } : {}),
    developmentDefaults,
  };
  if (config.webhooks.signatureScheme !== 'hmac') checkStandardSecrets('STANDARD_WEBHOOK_SECRETS', config.webhooks.standardSecrets);
  // The payment webhook always verifies Standard Webhooks signatures.
  checkStandardSecrets(
    env.PAYMENT_WEBHOOK_SECRETS ? 'PAYMENT_WEBHOOK_SECRETS' : 'STANDARD_WEBHOOK_SECRETS',
    config.webhooks.paymentSecrets,
  );
  return { config, warnings };
}

const secretList = (value: string): string[] =>
  value
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);

/** A malformed `whsec_` secret fails at start, not as a 500 on the first webhook. */
function checkStandardSecrets(variable: string, secrets: string[]): void {
  for (const secret of secrets) {
    try {
      standardWebhookKey(secret);
    } catch (error) {
      throw new ConfigError([`${variable}: ${(error as Error).message}`]);
    }
  }
}

const CONTACT_WINDOW_VARIABLES: Record<keyof ContactWindowOverride, keyof Environment> = {
  days: 'CONTACT_WINDOW_DAYS',
  hours: 'CONTACT_WINDOW_HOURS',
  closedDates: 'CONTACT_CLOSED_DATES',
  callEndMarginMinutes: 'CONTACT_CALL_END_MARGIN',
};

function contactWindowOverride(env: Environment): ContactWindowOverride {
  return {
    ...(env.CONTACT_WINDOW_DAYS ? { days: env.CONTACT_WINDOW_DAYS } : {}),
    ...(env.CONTACT_WINDOW_HOURS ? { hours: env.CONTACT_WINDOW_HOURS } : {}),
    ...(env.CONTACT_CLOSED_DATES ? { closedDates: env.CONTACT_CLOSED_DATES } : {}),
    ...(env.CONTACT_CALL_END_MARGIN !== undefined ? { callEndMarginMinutes: env.CONTACT_CALL_END_MARGIN } : {}),
  };
}

/** The profile's window is the legal floor (window-override.ts): an override that widens it is refused. */
function contactWindowProblems(env: Environment): string[] {
  const problems = wideningProblems(profileFor({ configured: env.CONTACT_PROFILE }), contactWindowOverride(env));
  return Object.entries(problems).map(
    ([field, message]) => `${CONTACT_WINDOW_VARIABLES[field as keyof ContactWindowOverride]}: ${message}`,
  );
}
