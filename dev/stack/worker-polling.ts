import type { Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { waitUntil, type ManagedProcess } from './processes';

export interface WaitForPollerOptions {
  namespace?: string;
  /** The worker's process: if it exits first, the wait fails with what it last wrote. */
  process?: ManagedProcess;
  /**
   * Only a poll at or after this time (epoch ms) counts. The server lists a worker's pollers
   * for minutes after it is gone, so a restarted worker is ready only once it polls anew.
   */
  since?: number;
  /**
   * Only this process's polls count (the SDK's default identity is `<pid>@<host>`): beside
   * another worker on the same queue, whose polls say nothing about this one.
   */
  pid?: number;
  timeoutMs?: number;
}

/**
 * Resolves once a worker polls the task queue's workflow tasks: it has connected, bundled or
 * loaded its workflows, and can take work. A started process alone says none of that.
 */
export async function waitForPoller(connection: Connection, taskQueue: string, options: WaitForPollerOptions = {}): Promise<void> {
  const { namespace = 'default', process, since = 0, pid, timeoutMs = 120_000 } = options;
  await waitUntil(
    `a worker polling ${taskQueue}`,
    async () => {
      const described = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return (described.pollers ?? []).some(
        (poller) => tsToMs(poller.lastAccessTime) >= since && (pid === undefined || (poller.identity ?? '').startsWith(`${pid}@`)),
      );
    },
    { process, timeoutMs },
  );
}
