import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { ReminderActivities } from '../activities';

export interface ReminderWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ReminderActivities;
  /** The sticky cache's size; the SDK's default grows with the heap (over 1,000 workflows). */
  maxCachedWorkflows?: number;
  /** A pre-built bundle (deployments, tests); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createReminderWorker(options: ReminderWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}
