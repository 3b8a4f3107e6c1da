// What an invoice plan waits for next, in words: the API's `waitingFor` and the Web UI's
// current details. Derived from the state alone, so it can never disagree with it.
import type { InvoiceState, StepContact, StepRecord } from './invoice';

const contactLabel = (step: StepRecord, contact: StepContact): string =>
  `step ${step.number}, ${contact.role === 'fallback' ? `fallback ${contact.channel}` : contact.channel}`;

export function describeWaiting(state: Pick<InvoiceState, 'status' | 'pause' | 'steps'>): string {
  switch (state.status) {
    case 'paid':
    case 'cancelled':
    case 'exhausted':
      return `nothing: ${state.status}`;
    case 'paused': {
      const pause = state.pause;
      if (pause?.by === 'promise') return `promise to pay until ${pause.until}`;
      return `paused by operator: ${pause?.reason ?? 'no reason given'}${pause?.until ? ` (until ${pause.until})` : ''}`;
    }
    case 'open': {
      const running = state.steps.find((step) => step.status === 'running');
      const contact = running?.contacts.at(-1);
      // The plan hears from its reminder only when it ends, so it says what it started, not
      // whether the reminder is still waiting for the step's instant or already sending.
      if (running && contact) {
        const when = contact.role === 'step' ? `, due at ${running.scheduledAt}` : '';
        return `reminder ${contact.reminderId} (${contactLabel(running, contact)}${when})`;
      }
      const next = running ?? state.steps.find((step) => step.status === 'scheduled');
      return next ? `step ${next.number} (${next.channel}) due at ${next.scheduledAt}` : 'nothing: every step has run';
    }
  }
}
