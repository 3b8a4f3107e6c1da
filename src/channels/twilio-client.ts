import twilio from 'twilio';
import type { Config } from '../config';

type RequestOptions<TData> = Parameters<typeof twilio.RequestClient.prototype.request<TData>>[0];

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * The real Twilio client. With `apiBaseUrl` set (local development and tests only), its
 * requests go to that origin instead of https://api.twilio.com — Twilio's documented
 * custom-HTTP-client extension point; everything above the transport is unchanged.
 */
export function createTwilioClient(settings: Config['twilio']): TwilioClient {
  if (!settings.apiBaseUrl) return twilio(settings.accountSid, settings.authToken);
  const base = settings.apiBaseUrl.replace(/\/+$/, '');
  class RedirectingRequestClient extends twilio.RequestClient {
    override request<TData>(options: RequestOptions<TData>) {
      return super.request<TData>({ ...options, uri: options.uri.replace(/^https:\/\/[a-z.]*twilio\.com/, base) });
    }
  }
  return twilio(settings.accountSid, settings.authToken, { httpClient: new RedirectingRequestClient() });
}
