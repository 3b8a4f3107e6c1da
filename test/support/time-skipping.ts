import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { ReminderHarness, type HarnessOptions } from './reminder-harness';
import { registerSearchAttributes } from './search-attributes';
import { testStack } from './stack';

/** The whole service on the time-skipping test server, where the 10-minute timers and the nights pass in seconds. */
export interface TimeSkippingSystem {
  env: TestWorkflowEnvironment;
  harness: ReminderHarness;
  stop(): Promise<void>;
}

export async function startTimeSkippingSystem(options: Omit<HarnessOptions, 'temporal'> = {}): Promise<TimeSkippingSystem> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testStack().timeSkippingServer } },
  });
  try {
    await registerSearchAttributes(env.connection);
    const harness = await ReminderHarness.start({ ...options, temporal: { client: env.client, nativeConnection: env.nativeConnection } });
    return {
      env,
      harness,
      async stop() {
        await harness.stop();
        await env.teardown();
      },
    };
  } catch (error) {
    await env.teardown();
    throw error;
  }
}

/**
 * Local times on the test server's clock, so a test that needs 23:00 in New York gets it
 * whatever the hour the suite runs at.
 */
export function testServerClock(env: TestWorkflowEnvironment) {
  return {
    /** The next instant, at least 5 minutes ahead of the test server's now, that reads `hour:minute` in `zone`. */
    nextLocal: async (zone: string, hour: number, minute = 0): Promise<DateTime> => {
      const now = DateTime.fromMillis(await env.currentTimeMs(), { zone });
      const today = now.set({ hour, minute, second: 0, millisecond: 0 });
      return today > now.plus({ minutes: 5 }) ? today : today.plus({ days: 1 });
    },
    /** Lets test-server time pass until `at` (and a minute more), firing the timers on the way. */
    skipTo: async (at: DateTime): Promise<void> => {
      await env.sleep(Math.max(at.toMillis() - (await env.currentTimeMs()) + 60_000, 1));
    },
  };
}
