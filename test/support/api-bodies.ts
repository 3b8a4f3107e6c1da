// The JSON bodies the API answers with, named for the tests that read them. Where the source
// declares the shape, the type is taken from it, so a test that reads a field the API no
// longer sends stops compiling. The bodies are parsed JSON, not checked against these types.
import type { DeliveryResult, ReminderService } from '../../src/api/reminder-service';
import type { ValidationError } from '../../src/api/errors';

export type { ReminderView } from '../../src/api/reminder-view';

export type ReminderList = Awaited<ReturnType<ReminderService['list']>>;

/** What the error-mapping middleware sends; `issues` only for a validation error. */
export interface ErrorBody {
  error: string;
  issues?: ValidationError['issues'];
}

/** A webhook's answer: what became of the event, or why it was refused. */
export type WebhookBody = ({ received: true } & DeliveryResult) | ErrorBody;
