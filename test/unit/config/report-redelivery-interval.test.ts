import { ConfigError, loadConfig } from '../../../src/config/load-config';

const problemsFor = (value: string): string[] => {
  try {
    loadConfig({ REPORT_REDELIVERY_INTERVAL: value });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected REPORT_REDELIVERY_INTERVAL=${value} to be refused`);
};

describe('REPORT_REDELIVERY_INTERVAL', () => {
  it('is 2 seconds unless set', () => {
    expect(loadConfig({}).config.api.reportRedeliveryIntervalMs).toBe(2_000);
  });

  it('takes a Temporal duration', () => {
    expect(loadConfig({ REPORT_REDELIVERY_INTERVAL: '500ms' }).config.api.reportRedeliveryIntervalMs).toBe(500);
    expect(loadConfig({ REPORT_REDELIVERY_INTERVAL: '1 minute' }).config.api.reportRedeliveryIntervalMs).toBe(60_000);
  });

  it.each(['soon', '10ms', '1 hour'])('refuses %s, naming the variable', (value) => {
    expect(problemsFor(value).some((problem) => problem.startsWith('REPORT_REDELIVERY_INTERVAL'))).toBe(true);
  });
});
