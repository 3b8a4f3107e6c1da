// The Temporal SDK's worker metrics (Prometheus text on WORKER_METRICS_PORT), read before and
// after a window to say where the time went: how long activities took (saveProjection is a
// MongoDB write, sendSms a Twilio call), how long Temporal took to take a completed task
// (RespondWorkflowTaskCompleted: the server's persistence), how long tasks queued.
export type MetricsSnapshot = Map<string, number>;

export async function snapshotMetrics(url: string | undefined): Promise<MetricsSnapshot> {
  const snapshot: MetricsSnapshot = new Map();
  if (!url) return snapshot;
  const text = await fetch(url)
    .then((response) => response.text())
    .catch(() => '');
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels = '', value] = match;
    if (name!.endsWith('_bucket')) continue;
    const keep = labels.match(/(activity_type|operation)="[^"]*"/g) ?? [];
    const key = `${name}${keep.length ? `{${keep.join(',')}}` : ''}`;
    snapshot.set(key, (snapshot.get(key) ?? 0) + Number(value));
  }
  return snapshot;
}

export interface TimeBreakdown {
  /** Mean execution time of each activity type, ms, and how many ran. */
  activities: Record<string, { meanMs: number; count: number }>;
  /** Activity executions that failed (each one is retried: a billable action on Cloud). */
  activityFailures: number;
  /** Mean latency of the worker's calls to Temporal, by operation, ms. */
  requests: Record<string, { meanMs: number; count: number }>;
  workflowTaskScheduleToStartMs: number;
  workflowTaskExecutionMs: number;
  activityScheduleToStartMs: number;
  workflowTasks: number;
}

export function breakdown(before: MetricsSnapshot, after: MetricsSnapshot): TimeBreakdown {
  const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
  // Keys are `<name>_sum{labels}` and `<name>_count{labels}`.
  const mean = (name: string, labels = '') => {
    const count = delta(`${name}_count${labels}`);
    return { meanMs: count > 0 ? delta(`${name}_sum${labels}`) / count : NaN, count };
  };
  const activities: TimeBreakdown['activities'] = {};
  const requests: TimeBreakdown['requests'] = {};
  let activityFailures = 0;
  for (const key of after.keys()) {
    const activity = /^temporal_activity_execution_latency_count(\{activity_type="[^"]+"\})$/.exec(key);
    if (activity && delta(key) > 0)
      activities[/"([^"]+)"/.exec(activity[1]!)![1]!] = mean('temporal_activity_execution_latency', activity[1]);
    const request = /^temporal_request_latency_count(\{operation="[^"]+"\})$/.exec(key);
    if (request && delta(key) > 0) requests[/"([^"]+)"/.exec(request[1]!)![1]!] = mean('temporal_request_latency', request[1]);
    if (key.startsWith('temporal_activity_execution_failed')) activityFailures += delta(key);
  }
  const workflowTasks = mean('temporal_workflow_task_execution_latency');
  return {
    activities,
    activityFailures,
    requests,
    workflowTaskScheduleToStartMs: mean('temporal_workflow_task_schedule_to_start_latency').meanMs,
    workflowTaskExecutionMs: workflowTasks.meanMs,
    activityScheduleToStartMs: mean('temporal_activity_schedule_to_start_latency').meanMs,
    workflowTasks: workflowTasks.count,
  };
}

/** One line: "saveProjection 85 ms ×412 · sendSms 40 ms ×200 · Temporal RespondWorkflowTaskCompleted 62 ms · WFT queued 120 ms, ran 4 ms". */
export function describeBreakdown(b: TimeBreakdown): string {
  const parts = Object.entries(b.activities).map(([type, { meanMs, count }]) => `${type} ${meanMs.toFixed(0)} ms ×${count}`);
  const respond = b.requests.RespondWorkflowTaskCompleted;
  if (respond) parts.push(`Temporal took WFT completions in ${respond.meanMs.toFixed(0)} ms`);
  const activityRespond = b.requests.RespondActivityTaskCompleted;
  if (activityRespond) parts.push(`activity completions in ${activityRespond.meanMs.toFixed(0)} ms`);
  if (Number.isFinite(b.workflowTaskScheduleToStartMs))
    parts.push(
      `WFT queued ${b.workflowTaskScheduleToStartMs.toFixed(0)} ms, ran ${b.workflowTaskExecutionMs.toFixed(0)} ms (×${b.workflowTasks})`,
    );
  if (Number.isFinite(b.activityScheduleToStartMs)) parts.push(`activities queued ${b.activityScheduleToStartMs.toFixed(0)} ms`);
  if (b.activityFailures > 0) parts.push(`${b.activityFailures} activity failures (retried)`);
  return parts.join(' · ');
}
