import type { ReminderStore } from '../projection/reminder-store';
import type { ReminderProjection } from './types';

export function createProjectionActivities({ reminders }: { reminders: ReminderStore }) {
  return {
    async saveProjection(projection: ReminderProjection): Promise<void> {
      await reminders.save(projection);
    },
  };
}
