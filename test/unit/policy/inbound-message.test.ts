import {
  classifyInboundMessage,
  HELP_KEYWORDS,
  normalise,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  REVOKING_PHRASES,
} from '../../../src/policy/inbound-message';

const kindOf = (body: string, optOutType?: string) => classifyInboundMessage({ body, ...(optOutType ? { optOutType } : {}) }).kind;

describe('classifying an inbound text', () => {
  it.each(OPT_OUT_KEYWORDS)('opts out on the Twilio keyword %s, in any case and with surrounding spaces', (keyword) => {
    expect(classifyInboundMessage({ body: keyword })).toEqual({ kind: 'opt-out', by: 'keyword', detail: `keyword ${keyword}` });
    expect(kindOf(` ${keyword.toLowerCase()}\n`)).toBe('opt-out');
    expect(kindOf(keyword[0] + keyword.slice(1).toLowerCase())).toBe('opt-out');
  });

  it.each(OPT_IN_KEYWORDS)('opts in on the Twilio keyword %s', (keyword) => {
    expect(classifyInboundMessage({ body: keyword })).toEqual({ kind: 'opt-in', by: 'keyword', detail: `keyword ${keyword}` });
    expect(kindOf(` ${keyword.toLowerCase()} `)).toBe('opt-in');
  });

  it.each(HELP_KEYWORDS)('answers help on the Twilio keyword %s', (keyword) => {
    expect(classifyInboundMessage({ body: keyword })).toEqual({ kind: 'help', by: 'keyword', detail: `keyword ${keyword}` });
    expect(kindOf(keyword.toLowerCase())).toBe('help');
  });

  it('is exactly the keyword lists Twilio documents', () => {
    expect([...OPT_OUT_KEYWORDS].sort()).toEqual(['CANCEL', 'END', 'OPTOUT', 'QUIT', 'REVOKE', 'STOP', 'STOPALL', 'UNSUBSCRIBE']);
    expect([...OPT_IN_KEYWORDS].sort()).toEqual(['START', 'UNSTOP', 'YES']);
    expect([...HELP_KEYWORDS].sort()).toEqual(['HELP', 'INFO']);
  });

  it('takes a keyword only as the whole body, as Twilio does', () => {
    expect(kindOf('yes I will pay on friday')).toBe('message');
    expect(kindOf('help me understand the amount')).toBe('message');
    expect(kindOf('START paying tomorrow')).toBe('message');
    expect(kindOf('the end of the month')).toBe('message');
    expect(kindOf('STOPPED')).toBe('message');
  });

  it.each([
    ['STOP', 'opt-out'],
    ['START', 'opt-in'],
    ['HELP', 'help'],
    ['stop', 'opt-out'],
  ])('follows OptOutType %s (Advanced Opt-Out) whatever the body says', (optOutType, kind) => {
    expect(classifyInboundMessage({ body: 'ALTO', optOutType })).toMatchObject({ kind, by: 'OptOutType' });
    expect(kindOf('START', optOutType)).toBe(kind);
  });

  it('ignores an OptOutType it does not know and reads the body', () => {
    expect(kindOf('STOP', 'OTHER')).toBe('opt-out');
    expect(kindOf('hello', 'OTHER')).toBe('message');
  });

  it.each(REVOKING_PHRASES)('opts out on the revoking phrase "%s", alone or inside a sentence', (phrase) => {
    expect(classifyInboundMessage({ body: phrase })).toEqual({ kind: 'opt-out', by: 'phrase', detail: `phrase "${phrase}"` });
    expect(kindOf(`Hi. ${phrase.toUpperCase()}!! Thanks`)).toBe('opt-out');
  });

  it('lists only phrases already in normalised form, so each one can match', () => {
    for (const phrase of REVOKING_PHRASES) expect(normalise(phrase)).toBe(phrase);
  });

  it('reads apostrophes, curly or straight, punctuation and spacing the same way', () => {
    expect(kindOf('Don’t call me again')).toBe('opt-out');
    expect(kindOf("don't   CALL me, ever")).toBe('opt-out');
    expect(kindOf('Please...stop texting me.')).toBe('opt-out');
    expect(kindOf('DO NOT\nCONTACT ME')).toBe('opt-out');
  });

  it('keeps other text as a message, including phrases that only look close', () => {
    expect(classifyInboundMessage({ body: 'I paid yesterday, reference INV-1001' })).toEqual({ kind: 'message' });
    expect(kindOf('can you stop by the office')).toBe('message');
    expect(kindOf('call me back please')).toBe('message');
    expect(kindOf('stop texting meat')).toBe('message');
    expect(kindOf('')).toBe('message');
  });
});
