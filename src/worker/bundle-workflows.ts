// The workflow code as one bundle, built by `npm run build` (after tsc): a deployed worker
// loads it (WORKER_WORKFLOW_BUNDLE) instead of running webpack when it starts, which takes
// seconds and leaves webpack's memory behind in the worker's RSS (bench/RESULTS.md).
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

export async function writeWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  writeFileSync(file, code);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bundle-workflows <output file>');
  writeWorkflowBundle(file).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
