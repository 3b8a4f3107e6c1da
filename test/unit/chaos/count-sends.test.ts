import { countSends } from '../../../dev/chaos/invariants';
import type { StandInMessage, StandInStatus } from '../../../dev/standins/twilio-standin';

const sent = (reminderId: string, attempt: number, ...statuses: StandInStatus[]): StandInMessage => ({
  sid: `SM-${reminderId}-${attempt}-${Math.random()}`,
  to: '+14155550123',
  from: '+15005550006',
  body: 'reminder',
  statusCallback: `http://127.0.0.1:3000/api/webhooks/twilio/status?reminderId=${reminderId}&attempt=${attempt}`,
  dateCreated: new Date(),
  callbacks: statuses.map((status) => ({ status, answeredWith: status === 'delivered' ? 503 : 200 })),
});

describe("chaos's count of SMS sends", () => {
  it('counts a reminder texted again after a delivered send (issue 16), which is no duplicate per attempt', () => {
    const messages = [sent('lost-report', 1, 'sent', 'delivered'), sent('lost-report', 2, 'sent', 'delivered')];
    expect(countSends(messages, new Set(['lost-report']))).toEqual({ sends: 2, duplicates: 0, resentAfterDelivered: 1 });
  });

  it('does not count a retry after an undelivered send, nor a delivered last send', () => {
    const messages = [sent('retried', 1, 'sent', 'undelivered'), sent('retried', 2, 'sent', 'delivered'), sent('once', 1, 'delivered')];
    expect(countSends(messages, new Set(['retried', 'once']))).toEqual({ sends: 3, duplicates: 0, resentAfterDelivered: 0 });
  });

  it('counts two sends of one attempt as a duplicate, and ignores reminders outside the run', () => {
    const messages = [sent('twice', 1), sent('twice', 1), sent('other', 1, 'delivered'), sent('other', 2)];
    expect(countSends(messages, new Set(['twice']))).toEqual({ sends: 2, duplicates: 1, resentAfterDelivered: 0 });
  });
});
