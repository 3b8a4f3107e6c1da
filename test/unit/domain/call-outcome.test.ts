import { classifyCustomerResponse, decideCallOutcome, KNOWN_CUSTOMER_RESPONSES } from '../../../src/domain/call-outcome';
import { DONE_RESPONSES, outcome, RETRY_RESPONSES } from './fixtures';

describe('call outcomes', () => {
  it('the documented response lists are exactly the ones these tests cover', () => {
    expect([...KNOWN_CUSTOMER_RESPONSES.retry].sort()).toEqual([...RETRY_RESPONSES].sort());
    expect([...KNOWN_CUSTOMER_RESPONSES.done].sort()).toEqual([...DONE_RESPONSES].sort());
  });

  describe('decideCallOutcome', () => {
    it.each(RETRY_RESPONSES.flatMap((response) => [true, false].map((connected) => [response, connected] as const)))(
      '%s (connected: %s) → retry',
      (response, connected) => expect(decideCallOutcome(outcome(response, connected))).toBe('retry'),
    );
    it.each(DONE_RESPONSES)('%s on a connected call → done', (response) => expect(decideCallOutcome(outcome(response, true))).toBe('done'));
    it.each(DONE_RESPONSES)('%s on a call that never connected → retry', (response) =>
      expect(decideCallOutcome(outcome(response, false))).toBe('retry'),
    );
    it('an unknown response is done when connected and retry when not', () => {
      expect(decideCallOutcome(outcome('asked_for_manager', true))).toBe('done');
      expect(decideCallOutcome(outcome('asked_for_manager', false))).toBe('retry');
    });
    it('ignores case and surrounding whitespace', () => {
      expect(decideCallOutcome(outcome('  VoiceMail ', true))).toBe('retry');
      expect(decideCallOutcome(outcome(' Already_Paid\n', false))).toBe('retry');
      expect(decideCallOutcome(outcome('NO_ANSWER', true))).toBe('retry');
    });
  });
});

describe('classifyCustomerResponse', () => {
  it.each(RETRY_RESPONSES)('%s is a known retry response', (response) => expect(classifyCustomerResponse(response)).toBe('retry'));
  it.each(DONE_RESPONSES)('%s is a known done response', (response) => expect(classifyCustomerResponse(response)).toBe('done'));
  it.each(['asked_for_manager', '', 'paid', 'will pay today'])('%p is unknown', (response) =>
    expect(classifyCustomerResponse(response)).toBe('unknown'),
  );
  it('ignores case and surrounding whitespace', () => {
    expect(classifyCustomerResponse(' Already_Paid\n')).toBe('done');
    expect(classifyCustomerResponse('  VoiceMail ')).toBe('retry');
  });
});
