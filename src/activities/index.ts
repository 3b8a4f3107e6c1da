import { createCallActivities, type CallDependencies } from './call-activities';
import { createDispatchRecorder } from './dispatch-record';
import { createProjectionActivities } from './projection-activities';
import { createSmsActivities, type SmsDependencies } from './sms-activities';
import type { ReminderActivities } from './types';
import type { ReminderStore } from '../store/reminder-store';

export type ActivityDependencies = SmsDependencies & CallDependencies & { reminders: ReminderStore };

/** All activities, built from the clients they use (real ones in the worker, stand-ins at the edge in tests). */
export function createActivities(dependencies: ActivityDependencies): ReminderActivities {
  const sms = createSmsActivities(dependencies);
  const calls = createCallActivities(dependencies);
  const recordDispatch = createDispatchRecorder(dependencies.reminders);
  return {
    ...createProjectionActivities(dependencies),
    async sendSms(request) {
      const { messageSid } = await sms.sendSms(request);
      return { messageSid, recorded: await recordDispatch(request.record, messageSid) };
    },
    async dispatchCall(request) {
      const { externalId } = await calls.dispatchCall(request);
      return { externalId, recorded: await recordDispatch(request.record, externalId) };
    },
  };
}
