import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { INSTANCES } from '../../dev/cluster/cluster';
import { NUM_HISTORY_SHARDS, TEMPORAL_SERVICES } from '../../dev/cluster/temporal-config';
import { clusterVersions } from '../../dev/cluster/versions';
import { requireTool } from '../../dev/stack/tools';
import { REQUIRED_IN_PRODUCTION } from '../../src/config';
import { environmentSchema } from '../../src/config/schema';
import { WORKER_NODE_OPTIONS } from '../../src/worker/node-options';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/search-attributes';

// No Docker engine runs here, so the compose file is checked by reading it.
const root = path.resolve(__dirname, '..', '..');
// Jest's asymmetric matchers are typed `any`; `as unknown` keeps that out of the expectations.
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as unknown;
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      environment?: Record<string, unknown>;
      command?: unknown;
      stop_grace_period?: string;
      deploy?: { replicas?: number };
    }
  >;
};
const variablesOf = (file: string) =>
  [...readFileSync(path.join(root, file), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!);

/**
 * Every variable the agent's config module reads, found by running it (agent/payment_agent/config.py)
 * in the agent's venv on a mapping that records each look-up, once per provider and signature
 * scheme it accepts, so a variable read only for one choice is found too.
 */
function variablesTheAgentConfigReads(): string[] {
  const script = `
import itertools, json
from payment_agent import config
class Recording(dict):
    read = set()
    def get(self, key, default=None):
        Recording.read.add(key)
        return super().get(key, default)
base = {"WEBHOOK_URL": "http://api:3000/", "WEBHOOK_SECRET": "whsec_MDEyMzQ1Njc4OWFiY2RlZg==", "LIVEKIT_URL": "ws://livekit",
        "LIVEKIT_API_KEY": "key", "LIVEKIT_API_SECRET": "secret", "SIP_OUTBOUND_TRUNK_ID": "ST_trunk"}
for stt, llm, tts, scheme in itertools.product(config.STT_PROVIDERS, config.LLM_PROVIDERS, config.TTS_PROVIDERS, ("hmac", "standard")):
    env = Recording(base, STT_PROVIDER=stt, LLM_PROVIDER=llm, TTS_PROVIDER=tts, WEBHOOK_SIGNATURE_SCHEME=scheme)
    try:
        config.load_config(env)
    except config.ConfigError:
        pass  # this venv need not hold the provider plugins; every variable is still read
print(json.dumps(sorted(Recording.read)))
`;
  const output = execFileSync(requireTool('agentPython'), ['-c', script], { cwd: path.join(root, 'agent'), encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

describe('docker-compose.yml', () => {
  it('has the production-like services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'agent',
        'api',
        'mongo',
        'postgresql',
        ...TEMPORAL_SERVICES.map((service) => `temporal-${service}`),
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it("runs Temporal's services apart, one container each, as npm run cluster runs them as processes", () => {
    for (const service of TEMPORAL_SERVICES) {
      expect({ service, runs: compose.services[`temporal-${service}`]!.environment!.TEMPORAL_SERVICES }).toEqual({
        service,
        runs: service,
      });
    }
    expect(compose.services['temporal-setup']!.environment!.TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
    expect(compose.services.api!.environment!.TEMPORAL_ADDRESS).toBe('temporal-frontend:7233');
  });

  it('runs as many reminder workers as npm run cluster does', () => {
    expect(compose.services.worker!.deploy?.replicas).toBe(INSTANCES.workers);
  });

  it('runs the Temporal server, its tools, the Web UI and PostgreSQL at the versions npm run cluster runs', () => {
    const versions = clusterVersions();
    const bare = (version: string) => version.replace(/^v/, '');
    for (const service of TEMPORAL_SERVICES) {
      expect(compose.services[`temporal-${service}`]!.image).toBe(`temporalio/server:${bare(versions.temporalServer)}`);
      expect(compose.services[`temporal-${service}`]!.environment!.NUM_HISTORY_SHARDS).toBe(NUM_HISTORY_SHARDS);
    }
    expect(compose.services['temporal-schema']!.image).toBe(`temporalio/admin-tools:${bare(versions.temporalServer)}`);
    expect(compose.services['temporal-setup']!.image).toBe(`temporalio/admin-tools:${bare(versions.temporalServer)}`);
    expect(compose.services['temporal-ui']!.image).toBe(`temporalio/ui:${bare(versions.temporalUi)}`);
    expect(compose.services.postgresql!.image).toMatch(new RegExp(`^postgres:${versions.postgresMajor}\\.`));
  });

  it('pins every image it pulls to a version', () => {
    for (const [name, service] of Object.entries(compose.services).filter(([, service]) => !service.build)) {
      expect({ name, image: service.image }).toEqual({ name, image: matching(/^[\w./-]+:\d[\w.-]*$/) });
    }
  });

  it.each(['api', 'worker'])('sets every variable the config requires in production for %s', (name) => {
    const environment = compose.services[name]!.environment!;
    expect(environment.NODE_ENV).toBe('production');
    for (const variable of [...REQUIRED_IN_PRODUCTION, 'TEMPORAL_ADDRESS', 'MONGODB_URI']) {
      expect({ variable, value: environment[variable] }).toEqual({ variable, value: matching(/\S/) });
    }
    // Secrets must come from the environment, never be written into the file.
    for (const secret of ['API_KEYS', 'WEBHOOK_SECRET', 'TWILIO_AUTH_TOKEN', 'LIVEKIT_API_SECRET']) {
      expect(environment[secret]).toMatch(/^\$\{[A-Z_]+:\?/);
    }
    for (const variable of Object.keys(environment)) {
      expect(Object.keys(environmentSchema.shape)).toContain(variable);
    }
  });

  it('registers every custom search attribute the workflows use', () => {
    const script = JSON.stringify(compose.services['temporal-setup']!.command);
    for (const registration of SEARCH_ATTRIBUTE_REGISTRATIONS) expect(script).toContain(registration);
  });

  it('runs the worker with the V8 flags the local stacks use', () => {
    expect(compose.services.worker!.command).toEqual(['node', ...WORKER_NODE_OPTIONS.split(' '), 'dist/src/worker/main.js']);
  });

  it('lists every config variable in .env.example', () => {
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const variable of Object.keys(environmentSchema.shape)) expect(example).toMatch(new RegExp(`^${variable}=`, 'm'));
  });
});

describe('docker-compose.yml: the voice agent', () => {
  const agent = compose.services.agent!;
  const environment = agent.environment!;
  const api = compose.services.api!.environment!;

  it('builds agent/Dockerfile', () => {
    expect(agent.build).toBe('./agent');
  });

  it('sets exactly the variables of agent/.env.example', () => {
    expect(Object.keys(environment).sort()).toEqual(variablesOf('agent/.env.example').sort());
  });

  it("sets every variable the agent's config reads", () => {
    const read = variablesTheAgentConfigReads();
    expect(read).toEqual(expect.arrayContaining(['WEBHOOK_URL', 'WEBHOOK_SECRET', 'SIP_OUTBOUND_TRUNK_ID', 'OPENAI_API_KEY']));
    for (const variable of read) expect({ variable, set: variable in environment }).toEqual({ variable, set: true });
  });

  it('takes every secret from the environment, required, never written into the file', () => {
    const secrets = Object.keys(environment).filter((variable) => /(_SECRET|_API_KEY)$/.test(variable));
    expect(secrets).toEqual(expect.arrayContaining(['WEBHOOK_SECRET', 'LIVEKIT_API_SECRET', 'DEEPGRAM_API_KEY', 'OPENAI_API_KEY']));
    for (const secret of secrets) expect({ secret, value: environment[secret] }).toEqual({ secret, value: matching(/^\$\{[A-Z_]+:\?/) });
  });

  it("shares the backend's webhook secret, LiveKit project and agent name", () => {
    for (const variable of ['WEBHOOK_SECRET', 'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_AGENT_NAME']) {
      expect({ variable, value: environment[variable] }).toEqual({ variable, value: api[variable] });
    }
  });

  it("posts its events to the api service's call-status webhook", () => {
    const url = new URL(String(environment.WEBHOOK_URL));
    expect({ host: url.hostname, port: url.port, path: url.pathname }).toEqual({
      host: 'api',
      port: String(api.API_PORT),
      path: '/api/webhooks/call-status',
    });
  });

  it('gives a stop time to drain the longest call', () => {
    const maxCallSeconds = Number(/:-(\d+)\}$/.exec(String(environment.CALL_MAX_DURATION_SECONDS))?.[1]);
    const grace = /^(\d+)m$/.exec(agent.stop_grace_period ?? '');
    // The worker's drain: the maximum call plus a minute for its reports (agent/payment_agent/worker.py).
    expect(Number(grace?.[1]) * 60).toBeGreaterThanOrEqual(maxCallSeconds + 60);
  });
});
