import { createCallActivities, type CallDependencies } from './call-activities';
import { createProjectionActivities } from './projection-activities';
import { createSmsActivities, type SmsDependencies } from './sms-activities';
import type { ReminderActivities } from './types';
import type { ReminderStore } from '../projection/reminder-store';

export type ActivityDependencies = SmsDependencies & CallDependencies & { reminders: ReminderStore };

/** All activities, built from the clients they use (real ones in the worker, stand-ins at the edge in tests). */
export function createActivities(dependencies: ActivityDependencies): ReminderActivities {
  return {
    ...createProjectionActivities(dependencies),
    ...createSmsActivities(dependencies),
    ...createCallActivities(dependencies),
  };
}
