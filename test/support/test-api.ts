import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, type AppDependencies } from '../../src/api/app';
import type { ReminderService } from '../../src/api/reminder-service';
import { TEST_SECRETS } from './reminder-harness';

export interface TestApi {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * One API instance (src/api/app.ts) for a test that builds its own ReminderService (a Temporal
 * that does not answer, a closed store): the test secrets, listening on a free loopback port,
 * its public base URL that port (Twilio's signatures are over it).
 */
export async function serveTestApi(
  reminderService: ReminderService,
  options: { readinessChecks?: AppDependencies['readinessChecks']; logger?: AppDependencies['logger'] } = {},
): Promise<TestApi> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = createApp({
    logger: options.logger ?? pino({ level: 'silent' }),
    reminderService,
    readinessChecks: options.readinessChecks ?? {},
    apiKeys: [TEST_SECRETS.apiKey],
    webhooks: { secret: TEST_SECRETS.webhookSecret, twilioAuthToken: TEST_SECRETS.twilioAuthToken, publicBaseUrl: baseUrl },
    bodyLimit: '16kb',
  });
  server.on('request', app.callback());
  return {
    baseUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
