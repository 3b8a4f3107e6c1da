import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers log every state change at INFO; tests only need errors (expected activity retries log warnings). Runtime.install must
// run before any worker or connection exists in this test file's process.
Runtime.install({ logger: new DefaultLogger('ERROR') });
