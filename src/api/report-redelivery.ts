import type { Logger } from '../observability/logger';
import type { PendingReports } from '../store/pending-reports';
import { isTemporalUnreachable } from '../temporal/unreachable';
import type { ReminderService } from './reminder-service';

export interface ReportRedeliveryOptions {
  reports: Pick<PendingReports, 'claimNext' | 'release' | 'remove'>;
  service: Pick<ReminderService, 'signalReport'>;
  intervalMs: number;
  logger: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Signals the reports the webhooks stored while Temporal was unreachable, oldest first, and
 * deletes each once signalled. Every API instance runs one.
 *
 * A report may reach its workflow twice: two instances may both claim it (FerretDB does not
 * isolate updates), or a signal whose answer was lost may have landed before it was stored.
 * That is harmless, because the workflow ignores a repeated report (src/workflows/inbox.ts and
 * src/domain/status-machine.ts): an SMS status carries its MessageSid and attempt and a call
 * event its attempt, so a copy of an earlier attempt's report is dropped by the inbox; a
 * repeated `delivered`, `call_completed` or `call_failed` finds the reminder terminal or
 * `failed` and is ignored; a repeated `call_answered` finds it `processing` and is ignored; an
 * SMS status no newer than the last one changes nothing. test/e2e/duplicate-call-event.test.ts
 * and the stand-in's duplicated callbacks show it. Order only matters within one reminder and
 * the status machine already takes reports out of order (a late `call_answered` after
 * `call_completed` is ignored), so oldest-first is the best effort, not a guarantee.
 */
export class ReportRedelivery {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: ReportRedeliveryOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the loop and waits for a pass under way (its claim would otherwise hold the report for the lease). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  /** One pass: signals free reports until none is left or Temporal is still unreachable. */
  async redeliverPending(): Promise<{ signalled: number; dropped: number }> {
    const { reports, service, logger } = this.options;
    const counts = { signalled: 0, dropped: 0 };
    while (!this.stopped) {
      const report = await reports.claimNext();
      if (!report) break;
      const about = { reportId: report._id, reminderId: report.reminderId, kind: report.kind };
      try {
        await service.signalReport(report);
      } catch (error) {
        if ((error as Error).name === 'WorkflowNotFoundError') {
          logger.warn(about, 'queued report dropped: its workflow no longer exists');
          await reports.remove(report._id);
          counts.dropped++;
          continue;
        }
        if (isTemporalUnreachable(error)) {
          // Free it for the next pass, here or on another instance; the rest would fail alike.
          await reports.release(report._id);
          logger.warn({ ...about, err: error }, 'queued report not yet delivered: Temporal still unavailable');
          break;
        }
        // Another failure (say, a permission): its lease keeps it aside while the others go.
        logger.warn({ ...about, err: error }, 'queued report not delivered; retried when its lease ends');
        continue;
      }
      await reports.remove(report._id);
      counts.signalled++;
    }
    if (counts.signalled + counts.dropped > 0) logger.info(counts, 'queued reports redelivered');
    return counts;
  }

  private schedule(): void {
    if (this.stopped) return;
    // A timeout after each pass rather than an interval: passes never overlap.
    this.timer = setTimeout(() => {
      this.pass = this.redeliverPending()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'queued reports could not be read: MongoDB unavailable'))
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
