import { WORKER_NODE_OPTIONS, withWorkerNodeOptions } from '../../../src/worker/node-options';

describe('withWorkerNodeOptions', () => {
  it('adds the worker flags to an environment without NODE_OPTIONS', () => {
    expect(withWorkerNodeOptions({ PATH: '/bin' })).toEqual({ PATH: '/bin', NODE_OPTIONS: WORKER_NODE_OPTIONS });
  });

  it('keeps the NODE_OPTIONS already set, and puts the worker flags after them', () => {
    expect(withWorkerNodeOptions({ NODE_OPTIONS: '--enable-source-maps' }, '--max-semi-space-size=4').NODE_OPTIONS).toBe(
      '--enable-source-maps --max-semi-space-size=4',
    );
  });

  it('leaves the environment as it is when there are no flags (V8 defaults)', () => {
    const env = { PATH: '/bin' };
    expect(withWorkerNodeOptions(env, '')).toBe(env);
  });

  it('does not change the environment it was given', () => {
    const env = { PATH: '/bin' };
    withWorkerNodeOptions(env);
    expect(env).toEqual({ PATH: '/bin' });
  });
});
