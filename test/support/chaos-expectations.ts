import type { FaultResult } from '../../dev/chaos/run-chaos';

/**
 * What every fault of a chaos short form must show: each reminder settled, none went
 * backwards, each projection equals its workflow, no attempt texted twice, and no reminder
 * texted again after a send was reported delivered (issue 16: a delivered report lost while
 * Temporal's history service restarted made the next attempt text the customer again). At
 * least `minSmsSends` SMS went out per fault, so the checks had sends to look at.
 */
export function expectEveryFaultClean(results: FaultResult[], remindersPerFault: number, minSmsSends: number): void {
  for (const result of results) {
    expect({ fault: result.fault, problems: result.problems }).toEqual({ fault: result.fault, problems: [] });
    expect(result).toMatchObject({
      reminders: remindersPerFault,
      settled: remindersPerFault,
      stuck: 0,
      wentBackwards: 0,
      projectionMismatches: 0,
      duplicateSmsSends: 0,
      smsResentAfterDelivered: 0,
    });
    expect(result.smsSends).toBeGreaterThanOrEqual(minSmsSends);
  }
}
