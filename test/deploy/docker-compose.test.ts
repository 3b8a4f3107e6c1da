import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REQUIRED_IN_PRODUCTION } from '../../src/config';
import { environmentSchema } from '../../src/config/schema';
import { WORKER_NODE_OPTIONS } from '../../src/worker/node-options';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/search-attributes';

// No Docker engine runs here, so the compose file is checked by reading it.
const root = path.resolve(__dirname, '..', '..');
// Jest's asymmetric matchers are typed `any`; `as unknown` keeps that out of the expectations.
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as unknown;
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, unknown>; command?: unknown }>;
};

describe('docker-compose.yml', () => {
  it('has the production-like services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'mongo', 'postgresql', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
    );
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
    const script = JSON.stringify(compose.services['temporal-search-attributes']!.command);
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
