/** Errors the API turns into responses; each carries its HTTP status, mapped in one middleware. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(readonly issues: { field: string; message: string }[]) {
    super(400, `invalid request: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`, { issues });
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'unauthorized') {
    super(401, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

/** Temporal or MongoDB could not take the request now; the sender should retry. */
export class ServiceUnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}

/**
 * An error from Temporal or MongoDB as the client should see it: 503, retry later (a 404 or
 * 409 already decided stays what it is).
 */
export function unavailable(error: unknown): Error {
  if (error instanceof NotFoundError || error instanceof ConflictError) return error;
  const { message, cause } = error as Error & { cause?: Error };
  return new ServiceUnavailableError(
    `a backing service is unavailable, retry later (${message}${cause?.message ? `: ${cause.message}` : ''})`,
  );
}
