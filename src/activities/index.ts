import { ApplicationFailure } from '@temporalio/activity';
import { OPTED_OUT_REASON } from '../policy/types';
import { createCallActivities, type CallDependencies } from './call-activities';
import { createContactCheck, type ContactCheckDependencies } from './contact-check';
import { createDispatchRecorder } from './dispatch-record';
import { createInvoiceActivities, type InvoiceProjectionStore } from './invoice-activities';
import { createProjectionActivities } from './projection-activities';
import { createSmsActivities, type SmsDependencies } from './sms-activities';
import type { ConsentStore } from '../store/consents';
import type { ReminderStore } from '../store/reminder-store';
import type { ContactAllowed, ContactRefused, ContactSubject, DispatchCallRequest, DispatchRecord, SendSmsRequest } from './types';

export type ActivityDependencies = SmsDependencies &
  CallDependencies &
  ContactCheckDependencies & {
    reminders: ReminderStore;
    invoices: InvoiceProjectionStore;
    /** false (CONTACT_POLICY_CHECKS=off, benchmarks only): send without asking the contact policy. */
    contactPolicyChecks?: boolean;
    consents: Pick<ConsentStore, 'get' | 'optOut'>;
  };

/** All activities, built from the clients they use (real ones in the worker, stand-ins at the edge in tests). */
export function createActivities(dependencies: ActivityDependencies) {
  const sms = createSmsActivities(dependencies);
  const calls = createCallActivities(dependencies);
  const recordDispatch = createDispatchRecorder(dependencies.reminders);
  // The bench measures what the checks cost by running beside a worker without them.
  const checkContact =
    dependencies.contactPolicyChecks === false
      ? () => Promise.resolve<ContactRefused | ContactAllowed>({})
      : createContactCheck(dependencies);
  return {
    ...createProjectionActivities(dependencies),
    ...createInvoiceActivities(dependencies),
    /**
     * Sends the SMS if the contact policy allows it now. `recorded`: whether the request's
     * record was written (with the message SID). A Twilio 21610 (the number replied STOP at
     * Twilio) is an opt-out: it is recorded for the number, and the attempt is refused.
     */
    async sendSms(
      request: SendSmsRequest & DispatchRecord & ContactSubject,
    ): Promise<{ messageSid: string; recorded: boolean } | ContactRefused> {
      const checked = await checkContact(request, { reminderId: request.reminderId, attempt: request.attempt, channel: 'sms' });
      if ('refused' in checked) return checked;
      let messageSid: string;
      try {
        ({ messageSid } = await sms.sendSms(request));
      } catch (error) {
        if (!(error instanceof ApplicationFailure && error.type === 'RecipientOptedOut')) throw error;
        await dependencies.consents.optOut(request.to, { source: 'twilio-21610', detail: error.message });
        return { refused: { verdict: 'refuse', reason: OPTED_OUT_REASON } };
      }
      return { messageSid, recorded: await recordDispatch(request.record, messageSid) };
    },
    /** Dispatches the voice agent if the contact policy allows a call now. `recorded`: as for sendSms (with the room name). */
    async dispatchCall(
      request: DispatchCallRequest & DispatchRecord & ContactSubject,
    ): Promise<{ externalId: string; recorded: boolean } | ContactRefused> {
      const checked = await checkContact(request, { reminderId: request.reminderId, attempt: request.attempt, channel: 'call' });
      if ('refused' in checked) return checked;
      // A plan step's agent is told what is owed now: a partial payment since the step started counts.
      const { owed } = checked;
      const { externalId } = await calls.dispatchCall(
        owed ? { ...request, amountDue: `${owed.outstanding.toFixed(2)} ${owed.currency}` } : request,
      );
      return { externalId, recorded: await recordDispatch(request.record, externalId) };
    },
  };
}

/** What the workflow can ask for: derived from the implementation, so the two cannot drift apart. */
export type ReminderActivities = ReturnType<typeof createActivities>;
