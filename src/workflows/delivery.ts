import { proxyActivities } from '@temporalio/workflow';
import { deliveryActivityOptions } from '../activities/options';
import type { ReminderActivities } from '../activities';
import type { ContactRefused } from '../activities/types';
import type { ReminderSnapshot, ReminderWorkflowInput } from './definitions';
import type { RecordedSend } from './projection-writer';

const { sendSms, dispatchCall } = proxyActivities<Pick<ReminderActivities, 'sendSms' | 'dispatchCall'>>(deliveryActivityOptions);

/**
 * Sends one attempt on the reminder's channel, if the contact policy allows it now (the
 * activity asks it right before sending); the activity also writes `record` to the projection.
 */
export async function sendAttempt(
  input: ReminderWorkflowInput,
  attempt: number,
  record: ReminderSnapshot,
): Promise<RecordedSend | ContactRefused> {
  const contact = { customer: input.customer, reference: input.payment.reference, ...(input.invoice && { invoice: input.invoice }) };
  if (input.channel === 'sms') {
    const sent = await sendSms.executeWithOptions({ summary: `send SMS, attempt ${attempt}` }, [
      { reminderId: input.reminderId, attempt, to: input.customer.phone, body: input.message, record, contact },
    ]);
    return 'refused' in sent ? sent : { externalId: sent.messageSid, recorded: sent.recorded };
  }
  return dispatchCall.executeWithOptions({ summary: `dispatch voice agent, attempt ${attempt}` }, [
    {
      reminderId: input.reminderId,
      attempt,
      phone: input.customer.phone,
      customerName: input.customer.name,
      amountDue: `${input.payment.amount.toFixed(2)} ${input.payment.currency}`,
      dueDate: input.payment.dueDate,
      reference: input.payment.reference,
      message: input.message,
      record,
      contact,
    },
  ]);
}
