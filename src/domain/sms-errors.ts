/**
 * Twilio error codes after which sending the same SMS again cannot succeed, so the reminder
 * fails at once instead of retrying. Everything else (30003 unreachable handset, 30008
 * unknown carrier error, ...) is worth another attempt after the backoff.
 */
const PERMANENT_SMS_ERROR_CODES = new Set([
  '21211', // invalid 'To' number
  '21610', // recipient replied STOP
  '21612', // 'To' not reachable from this 'From'
  '21614', // 'To' is not a mobile number
  '30004', // message blocked
  '30005', // unknown destination handset
  '30006', // landline or unreachable carrier
  '30007', // filtered as spam
]);

export function isPermanentSmsError(errorCode: string | undefined): boolean {
  return errorCode !== undefined && PERMANENT_SMS_ERROR_CODES.has(errorCode);
}
