import { createCallActivities, type CallDependencies } from './call-activities';
import { createDispatchRecorder } from './dispatch-record';
import { createProjectionActivities } from './projection-activities';
import { createSmsActivities, type SmsDependencies } from './sms-activities';
import type { ReminderStore } from '../store/reminder-store';
import type { DispatchCallRequest, DispatchRecord, SendSmsRequest } from './types';

export type ActivityDependencies = SmsDependencies & CallDependencies & { reminders: ReminderStore };

/** All activities, built from the clients they use (real ones in the worker, stand-ins at the edge in tests). */
export function createActivities(dependencies: ActivityDependencies) {
  const sms = createSmsActivities(dependencies);
  const calls = createCallActivities(dependencies);
  const recordDispatch = createDispatchRecorder(dependencies.reminders);
  return {
    ...createProjectionActivities(dependencies),
    /** `recorded`: whether the request's record was written (with the message SID). */
    async sendSms(request: SendSmsRequest & DispatchRecord): Promise<{ messageSid: string; recorded: boolean }> {
      const { messageSid } = await sms.sendSms(request);
      return { messageSid, recorded: await recordDispatch(request.record, messageSid) };
    },
    /** `recorded`: whether the request's record was written (with the room name). */
    async dispatchCall(request: DispatchCallRequest & DispatchRecord): Promise<{ externalId: string; recorded: boolean }> {
      const { externalId } = await calls.dispatchCall(request);
      return { externalId, recorded: await recordDispatch(request.record, externalId) };
    },
  };
}

/** What the workflow can ask for: derived from the implementation, so the two cannot drift apart. */
export type ReminderActivities = ReturnType<typeof createActivities>;
