import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { CallEventSignal, SmsStatusSignal } from '../workflows/definitions';
import { COLLECTIONS } from './collections';

/** A verified webhook's report for a reminder's workflow, as the signal it becomes. */
export type PendingReport =
  { reminderId: string; kind: 'smsStatus'; signal: SmsStatusSignal } | { reminderId: string; kind: 'callEvent'; signal: CallEventSignal };

export type PendingReportDocument = PendingReport & {
  _id: string;
  receivedAt: Date;
  /** Until when the instance that claimed it last may signal it undisturbed; a past date: free. */
  leaseUntil: Date;
  /** How often it has been claimed (a report that keeps failing shows up here). */
  claims: number;
  /** Written by each claim; only the instance whose token is still there afterwards keeps it. */
  claimToken?: string;
};

/** How long a claim keeps other instances off a report: far longer than a signal's 5 s deadline. */
export const REPORT_LEASE_MS = 30_000;

/**
 * Webhook reports Temporal could not take when they arrived (Twilio and the voice agent do
 * not send them again once we answered), kept until an API instance signals them.
 *
 * A claim is one findOneAndUpdate, so on MongoDB two instances never hold the same report at
 * once. FerretDB does not isolate updates, so there two may both claim one: the workflow
 * ignores a repeated report (see ReportRedelivery), which makes that harmless.
 */
export class PendingReports {
  private readonly reports: Collection<PendingReportDocument>;

  constructor(db: Db) {
    this.reports = db.collection<PendingReportDocument>(COLLECTIONS.pendingReports);
  }

  /** Stores a report, free to be claimed at once; returns its id. */
  async add(report: PendingReport, now = new Date()): Promise<string> {
    // The time first, so ids sort in arrival order even where receivedAt ties (same millisecond).
    const _id = `${now.toISOString()}-${randomUUID()}`;
    await this.reports.insertOne({ ...report, _id, receivedAt: now, leaseUntil: now, claims: 0 });
    return _id;
  }

  /** The oldest report no one holds, now leased to the caller until now + REPORT_LEASE_MS; null if none. */
  async claimNext(now = new Date(), leaseMs = REPORT_LEASE_MS): Promise<PendingReportDocument | null> {
    for (let tries = 0; tries < 5; tries++) {
      const claimToken = randomUUID();
      const claimed = await this.reports.findOneAndUpdate(
        { leaseUntil: { $lte: now } },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs), claimToken }, $inc: { claims: 1 } },
        { sort: { receivedAt: 1, _id: 1 }, returnDocument: 'after' },
      );
      if (!claimed) return null;
      // On FerretDB several instances may take the same report in the same moment, each
      // writing its token: the last one written keeps it, and the others try the next report.
      // Both reading after both writes is what still lets two through (rarely, and harmlessly).
      if ((await this.reports.countDocuments({ _id: claimed._id, claimToken }, { limit: 1 })) > 0) return claimed;
    }
    return null;
  }

  /** Frees a claimed report for the next pass (its signal could not be sent yet). */
  async release(id: string, now = new Date()): Promise<void> {
    await this.reports.updateOne({ _id: id }, { $set: { leaseUntil: now } });
  }

  /** Removes a report once signalled (or when its workflow is gone). */
  async remove(id: string): Promise<void> {
    await this.reports.deleteOne({ _id: id });
  }

  /** Every stored report, oldest first (for tests and operators). */
  async list(): Promise<PendingReportDocument[]> {
    return this.reports.find({}).sort({ receivedAt: 1, _id: 1 }).toArray();
  }
}
