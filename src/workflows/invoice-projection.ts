import { proxyActivities } from '@temporalio/workflow';
import { projectionActivityOptions } from '../activities/options';
import type { ReminderActivities } from '../activities';
import type { InvoiceStatus } from '../domain/invoice';
import type { TrackedPlan } from './tracked-plan';

const { saveInvoiceProjection } = proxyActivities<Pick<ReminderActivities, 'saveInvoiceProjection'>>(projectionActivityOptions);

/**
 * Keeps the invoice's MongoDB projection in step at the plan's own transitions: paused,
 * resumed, ended. The API wrote the open plan when it started it; what happens inside a step
 * is in that step's reminder projection (which carries the invoice reference), so writing per
 * step would only add activities to every plan. Each write is the whole snapshot at a version.
 */
export class InvoiceProjectionWriter {
  private writtenStatus: InvoiceStatus = 'open';

  constructor(private readonly plan: TrackedPlan) {}

  async writeOnTransition(): Promise<void> {
    const snapshot = this.plan.snapshot();
    if (snapshot.status === this.writtenStatus) return;
    await saveInvoiceProjection.executeWithOptions({ summary: `record ${snapshot.status} (v${snapshot.version})` }, [snapshot]);
    this.writtenStatus = snapshot.status;
  }
}
