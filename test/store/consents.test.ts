import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { ConsentStore } from '../../src/store/consents';
import { testStack } from '../support/stack';

let sequence = 0;
/** A number of the 555-01xx range reserved for fiction, unique per test. */
const phone = () => `+1415555${String(100 + sequence++).padStart(4, '0')}`;

describe('the consent store in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let consents: ConsentStore;
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('consents'), { retryWrites: false });
    consents = new ConsentStore(mongo.db());
  });
  afterAll(() => mongo?.close());

  it('knows nothing of a number that never opted out or in', async () => {
    const number = phone();
    expect(await consents.get(number)).toBeUndefined();
    expect(await consents.find(number)).toBeUndefined();
  });

  it('records an opt-out and an opt-in with who made each and when, in order', async () => {
    const number = phone();
    const stopAt = new Date('2026-11-24T10:00:00.000Z');
    const startAt = new Date('2026-11-25T09:30:00.000Z');
    await consents.optOut(number, { source: 'twilio-inbound', detail: 'keyword STOP' }, stopAt);
    expect(await consents.get(number)).toEqual({ optedOut: true });
    await consents.optIn(number, { source: 'twilio-inbound', detail: 'keyword START' }, startAt);
    expect(await consents.get(number)).toEqual({ optedOut: false });
    expect(await consents.find(number)).toEqual({
      phone: number,
      optedOut: false,
      updatedAt: startAt,
      history: [
        { optedOut: true, source: 'twilio-inbound', detail: 'keyword STOP', at: stopAt },
        { optedOut: false, source: 'twilio-inbound', detail: 'keyword START', at: startAt },
      ],
    });
  });

  it('keeps the channels of a narrower opt-out until a change without channels replaces it', async () => {
    const number = phone();
    await consents.optOut(number, { source: 'voice-agent', channels: ['call'] });
    expect(await consents.get(number)).toEqual({ optedOut: true, channels: ['call'] });
    await consents.optOut(number, { source: 'twilio-21610' });
    expect(await consents.get(number)).toEqual({ optedOut: true });
    expect((await consents.find(number))?.history.map((change) => change.source)).toEqual(['voice-agent', 'twilio-21610']);
  });

  it('creates one record when the first two changes for a number arrive at once', async () => {
    const number = phone();
    await Promise.all([consents.optOut(number, { source: 'twilio-inbound' }), consents.optOut(number, { source: 'twilio-21610' })]);
    expect(await consents.get(number)).toEqual({ optedOut: true });
    expect(
      await mongo
        .db()
        .collection(COLLECTIONS.consents)
        .countDocuments({ _id: number as never }),
    ).toBe(1);
  });
});
