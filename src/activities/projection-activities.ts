import type { ReminderStore } from '../store/reminder-store';
import type { ReminderSnapshot } from '../workflows/definitions';

export function createProjectionActivities({ reminders }: { reminders: ReminderStore }) {
  return {
    async saveProjection(projection: ReminderSnapshot): Promise<void> {
      await reminders.save(projection);
    },
  };
}
