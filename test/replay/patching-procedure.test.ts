import { Client, Connection } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { testStack, uniqueTaskQueue } from '../support/stack';
import type { StepActivities } from './patching/activities';

/**
 * The procedure every change to a released workflow's command order goes through, shown end
 * to end on a small workflow (README: "Changing workflow code safely"). Each stage's code is
 * run for real to record a history, and each history is replayed against the next stages.
 */
const STAGES = ['1-before', '2-changed-unpatched', '3-patched', '4-deprecated', '5-removed'] as const;
type Stage = (typeof STAGES)[number];

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;
const activities: StepActivities = { step: (name) => Promise.resolve(name) };

describe('changing a released workflow: patched(), then deprecatePatch(), then removal', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  const bundles = new Map<Stage, WorkflowBundleWithSourceMap>();
  const recorded = new Map<Stage, History>();

  beforeAll(async () => {
    const { temporalAddress } = testStack();
    connection = await Connection.connect({ address: temporalAddress });
    nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    client = new Client({ connection });
    for (const stage of STAGES) {
      bundles.set(stage, await bundleWorkflowCode({ workflowsPath: require.resolve(`./patching/${stage}`), logger: silent }));
    }
  });
  afterAll(async () => {
    await connection?.close();
    await nativeConnection?.close();
  });

  /** Runs the stage's workflow to completion and keeps its history. */
  const record = async (stage: Stage): Promise<string[]> => {
    const taskQueue = uniqueTaskQueue(`patching-${stage}`);
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, activities, workflowBundle: bundles.get(stage)! });
    const workflowId = `patching-${stage}-${taskQueue.slice(-8)}`;
    const result = await worker.runUntil(client.workflow.execute<() => Promise<string[]>>('exampleWorkflow', { taskQueue, workflowId }));
    recorded.set(stage, await client.workflow.getHandle(workflowId).fetchHistory());
    return result;
  };

  /** The error name replaying the history recorded by `from` on the code of `on` ends with, or 'replays'. */
  const replay = async (from: Stage, on: Stage): Promise<string> => {
    const history = recorded.get(from);
    if (!history) throw new Error(`no history recorded for ${from}`);
    try {
      await Worker.runReplayHistory({ workflowBundle: bundles.get(on)!, replayName: `${from}-on-${on}` }, history);
      return 'replays';
    } catch (error) {
      return (error as Error).name;
    }
  };

  it('a history of the released workflow breaks on the change made without a patch', async () => {
    expect(await record('1-before')).toEqual(['send']);
    expect(await replay('1-before', '1-before')).toBe('replays');
    expect(await replay('1-before', '2-changed-unpatched')).toBe('DeterminismViolationError');
  });

  it('step 1, patched(): old histories replay on the old branch, new workflows take the new one', async () => {
    expect(await replay('1-before', '3-patched')).toBe('replays');
    expect(await record('3-patched')).toEqual(['check', 'send']);
    const markers = recorded.get('3-patched')!.events!.filter((event) => event.markerRecordedEventAttributes);
    expect(markers).toHaveLength(1);
  });

  it('step 2, deprecatePatch(): only once no pre-patch workflow is open, since their histories no longer replay', async () => {
    expect(await replay('1-before', '4-deprecated')).toBe('DeterminismViolationError');
    expect(await replay('3-patched', '4-deprecated')).toBe('replays');
    expect(await record('4-deprecated')).toEqual(['check', 'send']);
    expect(await replay('4-deprecated', '3-patched')).toBe('replays'); // a worker not yet upgraded still copes
  });

  it('step 3, removal: histories of the deprecation stage replay on code with no patch left', async () => {
    expect(await replay('4-deprecated', '5-removed')).toBe('replays');
    expect(await record('5-removed')).toEqual(['check', 'send']);
  });
});
