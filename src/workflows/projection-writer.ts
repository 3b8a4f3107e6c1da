import { proxyActivities } from '@temporalio/workflow';
import { projectionActivityOptions } from '../activities/options';
import type { ReminderActivities } from '../activities';
import type { ReminderSnapshot } from './definitions';
import { workflowNow, type TrackedReminder } from './tracked-reminder';

const { saveProjection } = proxyActivities<Pick<ReminderActivities, 'saveProjection'>>(projectionActivityOptions);

/** What a send activity answers: the provider's id, and whether it wrote the record it was given. */
export interface RecordedSend {
  externalId: string;
  recorded: boolean;
}

/**
 * Keeps the MongoDB projection in step with the workflow. Each write is the whole snapshot at
 * a version, so a retried or late write can never move the stored reminder backwards; a
 * version already written is not written again.
 */
export class ProjectionWriter {
  private writtenVersion = 0;

  constructor(private readonly reminder: TrackedReminder) {}

  async write(): Promise<void> {
    const { state } = this.reminder;
    if (state.version === this.writtenVersion) return;
    const snapshot = this.reminder.snapshot();
    await saveProjection.executeWithOptions({ summary: `record ${snapshot.status} (v${snapshot.version})` }, [snapshot]);
    this.writtenVersion = Math.max(this.writtenVersion, snapshot.version);
  }

  /**
   * Sends an attempt and applies its dispatch, letting the send activity record the state
   * the dispatch leads to (one activity less per attempt). That record carries the version
   * the dispatch will have here; if the reminder changed during the send (an operator
   * cancelled it), the record is not our state, so our version moves past it and the next
   * write replaces it. A send the contact policy refused comes back as it is, unapplied.
   */
  async sendRecorded<Refusal extends object>(
    attempt: number,
    send: (record: ReminderSnapshot) => Promise<RecordedSend | Refusal>,
  ): Promise<Refusal | undefined> {
    const at = workflowNow();
    const versionBefore = this.reminder.state.version;
    const expected = this.reminder.preview({ type: 'dispatched', attempt, externalId: '' }, at);
    const sent = await send(this.reminder.snapshot(expected));
    if (!('externalId' in sent)) return sent; // nothing went out, so nothing was recorded
    const { externalId, recorded } = sent;
    if (this.reminder.state.version === versionBefore) {
      this.reminder.apply({ type: 'dispatched', attempt, externalId }, at);
      if (recorded) this.writtenVersion = this.reminder.state.version;
    } else {
      this.reminder.apply({ type: 'dispatched', attempt, externalId });
      this.reminder.moveVersionPast(expected.version);
    }
    return undefined;
  }
}
