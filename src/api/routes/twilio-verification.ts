import twilio from 'twilio';
import { UnauthorizedError } from '../errors';
import { formBody } from '../middleware/raw-body';

/**
 * The form fields of a request Twilio signed, or a 401 before anything is looked up. Twilio
 * signs the URL it called, which a proxy may hide from us, so the URL is the configured public
 * base URL with the path and query as received (twilio-node#321).
 */
export function verifiedTwilioForm(
  ctx: Parameters<typeof formBody>[0] & { originalUrl: string; get(header: string): string },
  settings: { twilioAuthToken: string; publicBaseUrl: string },
): Record<string, string> {
  const fields = formBody(ctx);
  const url = settings.publicBaseUrl + ctx.originalUrl;
  if (!twilio.validateRequest(settings.twilioAuthToken, ctx.get('x-twilio-signature'), url, fields)) {
    throw new UnauthorizedError('invalid X-Twilio-Signature');
  }
  return fields;
}
