import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { isTemporalUnreachable } from '../../../src/temporal/unreachable';

/** A gRPC error as @grpc/grpc-js makes it: a message and a numeric status code. */
const grpcError = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });

describe('isTemporalUnreachable', () => {
  it.each([
    [4, 'DEADLINE_EXCEEDED'],
    [8, 'RESOURCE_EXHAUSTED'],
    [14, 'UNAVAILABLE'],
  ])('is true for a signal that failed with %i %s (wrapped as the client wraps it)', (code, name) => {
    expect(isTemporalUnreachable(new ServiceError('Failed to signal Workflow', { cause: grpcError(code, name) }))).toBe(true);
    expect(isTemporalUnreachable(grpcError(code, name))).toBe(true);
  });

  it('is false for refusals that would fail again, and for errors without a code', () => {
    expect(isTemporalUnreachable(new ServiceError('denied', { cause: grpcError(7, 'PERMISSION_DENIED') }))).toBe(false);
    expect(isTemporalUnreachable(new ServiceError('bad', { cause: grpcError(3, 'INVALID_ARGUMENT') }))).toBe(false);
    expect(isTemporalUnreachable(new WorkflowNotFoundError('gone', 'reminder-x', undefined))).toBe(false);
    expect(isTemporalUnreachable(new Error('something else'))).toBe(false);
    expect(isTemporalUnreachable(undefined)).toBe(false);
  });
});
