// Counts a workflow history's events and its Temporal Cloud billable actions, and says what
// each action was for. Histories are in the format of `temporal workflow show --output json`
// (the committed test/replay/histories/*/*.json and the fresh ones the bench exports).
//
// Billable actions, as Temporal Cloud's "Actions" page states them: workflow start 1; each
// signal 1; each timer started 1; each activity scheduled 1, plus 1 per retry (attempt > 1
// in the ActivityTaskStarted event's attempt field); each search-attribute upsert 1, except
// an upsert of TemporalChangeVersion alone (the one the SDK writes for patched(), which the
// page exempts; attributes set at start are free too); each update accepted 1; markers 0;
// local activities 1 per workflow task that ran any.
//
// Between workflows (an invoice plan and its step reminders), as the same page states it
// (https://docs.temporal.io/cloud/actions, "Child Workflows" and "Signal sent"; read in
// temporalio/documentation docs/evaluate/temporal-cloud/actions.mdx): a child workflow is two
// actions, "one for starting the Workflow, and another for the attempted Execution", so the
// parent's StartChildWorkflowExecutionInitiated is 1 here and the child's own
// WorkflowExecutionStarted is its 1 start, counted in the child's history. A signal is 1
// "whether sent from a Client or from a Workflow": one signal, one action, counted where it is
// received (the receiver's WorkflowExecutionSignaled, as for a client's signal); the sender's
// SignalExternalWorkflowExecutionInitiated is listed as not billed here, so a plan's parent
// and children summed count it once. (The time-skipping server does not mark a signal from a
// workflow as such in the receiver's history, so counting at the receiver needs no pairing.)

/** A payload as the JSON format prints it: its bytes in base64 (JSON text for our payloads). */
export interface HistoryPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** The fields of a history event this counter reads (int64 ids print as strings); others are ignored. */
export interface HistoryEvent {
  eventId: string;
  eventType: string;
  userMetadata?: { summary?: HistoryPayload };
  workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string }; input?: { payloads?: HistoryPayload[] } };
  workflowExecutionCompletedEventAttributes?: { result?: { payloads?: HistoryPayload[] } };
  workflowExecutionSignaledEventAttributes?: {
    signalName?: string;
    input?: { payloads?: HistoryPayload[] };
    /** Set by the dev server when another workflow sent it. */
    externalWorkflowExecution?: { workflowId?: string };
  };
  startChildWorkflowExecutionInitiatedEventAttributes?: { workflowId?: string; workflowType?: { name?: string } };
  signalExternalWorkflowExecutionInitiatedEventAttributes?: { signalName?: string; workflowExecution?: { workflowId?: string } };
  timerStartedEventAttributes?: { startToFireTimeout?: string };
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  activityTaskStartedEventAttributes?: { scheduledEventId?: string; attempt?: number };
  upsertWorkflowSearchAttributesEventAttributes?: { searchAttributes?: { indexedFields?: Record<string, HistoryPayload> } };
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
  markerRecordedEventAttributes?: { markerName?: string; workflowTaskCompletedEventId?: string };
}

export interface WorkflowHistory {
  events: HistoryEvent[];
}

export interface ActionItem {
  eventId: number;
  kind:
    'start' | 'child workflow' | 'signal' | 'timer' | 'activity' | 'activity retry' | 'search attributes' | 'update' | 'local activities';
  what: string;
}

export interface HistoryCost {
  events: number;
  actions: number;
  breakdown: {
    start: number;
    /** Children this workflow started (the parent's half of a child's two actions). */
    childStarts: number;
    signals: number;
    timers: number;
    activities: number;
    activityRetries: number;
    upserts: number;
    updates: number;
    localActivityTasks: number;
  };
  /** Events that cost nothing but fill the history (workflow tasks, markers, completions). */
  workflowTasks: number;
  items: ActionItem[];
  /**
   * Events a reader might take for actions that are not billed in this history:
   * TemporalChangeVersion upserts (exempt), signals sent to another workflow (billed where received).
   */
  notBilled: ActionItem[];
}

const emptyBreakdown = (): HistoryCost['breakdown'] => ({
  start: 0,
  childStarts: 0,
  signals: 0,
  timers: 0,
  activities: 0,
  activityRetries: 0,
  upserts: 0,
  updates: 0,
  localActivityTasks: 0,
});

/** The search attribute the SDK upserts for patched(); Temporal Cloud bills no action for it. */
export const CHANGE_VERSION_ATTRIBUTE = 'TemporalChangeVersion';

/** A payload's value (our payloads are JSON; anything else comes back as its text). */
export const decode = (payload: HistoryPayload | undefined): unknown => {
  if (!payload?.data) return undefined;
  const text = Buffer.from(payload.data, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};
const summaryOf = (event: HistoryEvent): string | undefined => {
  const value = decode(event.userMetadata?.summary);
  return typeof value === 'string' ? value : undefined;
};
const short = (value: unknown, max = 90): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};
/** What a signal carried, in a word: an SMS status or a call event type. */
const signalGist = (input: unknown): string => {
  if (input && typeof input === 'object') {
    const { messageStatus, eventType, status } = input as { messageStatus?: string; eventType?: string; status?: string };
    return messageStatus ?? eventType ?? status ?? short(input, 40);
  }
  return short(input ?? '', 40);
};

export function historyCost(history: WorkflowHistory): HistoryCost {
  const events = history.events;
  const items: ActionItem[] = [];
  const notBilled: ActionItem[] = [];
  const breakdown = emptyBreakdown();
  const activityNames = new Map<string, string>();
  const localActivityTasks = new Set<string>();
  let workflowTasks = 0;

  for (const event of events) {
    const id = Number(event.eventId);
    switch (event.eventType) {
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED': {
        breakdown.start++;
        const type = event.workflowExecutionStartedEventAttributes?.workflowType?.name;
        items.push({ eventId: id, kind: 'start', what: `start ${type}${summaryOf(event) ? `: "${summaryOf(event)}"` : ''}` });
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED': {
        breakdown.signals++;
        const attributes = event.workflowExecutionSignaledEventAttributes ?? {};
        const gist = signalGist(decode(attributes.input?.payloads?.[0]));
        const from = attributes.externalWorkflowExecution?.workflowId ?? 'a webhook or the API';
        items.push({ eventId: id, kind: 'signal', what: `signal ${attributes.signalName} (${gist}) from ${from}` });
        break;
      }
      case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED': {
        breakdown.childStarts++;
        const attributes = event.startChildWorkflowExecutionInitiatedEventAttributes ?? {};
        items.push({
          eventId: id,
          kind: 'child workflow',
          what: `start child ${attributes.workflowType?.name} ${short(attributes.workflowId ?? '', 48)}${summaryOf(event) ? `: "${summaryOf(event)}"` : ''} (its own start is billed in its history)`,
        });
        break;
      }
      case 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED': {
        const attributes = event.signalExternalWorkflowExecutionInitiatedEventAttributes ?? {};
        notBilled.push({
          eventId: id,
          kind: 'signal',
          what: `signal ${attributes.signalName} sent to ${short(attributes.workflowExecution?.workflowId ?? 'another workflow', 48)} (billed where received)`,
        });
        break;
      }
      case 'EVENT_TYPE_TIMER_STARTED': {
        breakdown.timers++;
        const attributes = event.timerStartedEventAttributes ?? {};
        items.push({
          eventId: id,
          kind: 'timer',
          what: `timer ${attributes.startToFireTimeout}${summaryOf(event) ? `: "${summaryOf(event)}"` : ''}`,
        });
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED': {
        breakdown.activities++;
        const name = event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
        activityNames.set(event.eventId, name);
        items.push({ eventId: id, kind: 'activity', what: `activity ${name}${summaryOf(event) ? `: "${summaryOf(event)}"` : ''}` });
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_STARTED': {
        const attributes = event.activityTaskStartedEventAttributes ?? {};
        const retries = Math.max(Number(attributes.attempt ?? 1) - 1, 0);
        if (retries > 0) {
          breakdown.activityRetries += retries;
          const name = activityNames.get(String(attributes.scheduledEventId)) ?? 'activity';
          items.push({
            eventId: id,
            kind: 'activity retry',
            what: `${retries} retr${retries === 1 ? 'y' : 'ies'} of ${name} (started on attempt ${attributes.attempt})`,
          });
        }
        break;
      }
      case 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        const shown = Object.entries(fields)
          .map(([key, value]) => `${key}=${short(decode(value), 40)}`)
          .join(', ');
        const keys = Object.keys(fields);
        if (keys.length === 1 && keys[0] === CHANGE_VERSION_ATTRIBUTE) {
          notBilled.push({ eventId: id, kind: 'search attributes', what: `upsert ${shown} (written by the SDK for patched(); exempt)` });
          break;
        }
        breakdown.upserts++;
        items.push({ eventId: id, kind: 'search attributes', what: `upsert ${shown}` });
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        breakdown.updates++;
        const name = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
        items.push({ eventId: id, kind: 'update', what: `update ${name ?? ''} accepted` });
        break;
      }
      case 'EVENT_TYPE_MARKER_RECORDED': {
        const attributes = event.markerRecordedEventAttributes ?? {};
        if (attributes.markerName === 'core_local_activity' && !localActivityTasks.has(String(attributes.workflowTaskCompletedEventId))) {
          localActivityTasks.add(String(attributes.workflowTaskCompletedEventId));
          breakdown.localActivityTasks++;
          items.push({
            eventId: id,
            kind: 'local activities',
            what: `local activities of workflow task ${attributes.workflowTaskCompletedEventId}`,
          });
        }
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED':
        workflowTasks++;
        break;
      default:
        break;
    }
  }
  const actions = Object.values(breakdown).reduce((a, b) => a + b, 0);
  return { events: events.length, actions, breakdown, workflowTasks, items, notBilled };
}

/** Events, actions and the breakdown of several histories together (a plan's parent and its children). */
export type CostTotals = Pick<HistoryCost, 'events' | 'actions' | 'breakdown'>;

export function sumCosts(costs: CostTotals[]): CostTotals {
  const breakdown = emptyBreakdown();
  for (const cost of costs) for (const key of Object.keys(breakdown) as (keyof typeof breakdown)[]) breakdown[key] += cost.breakdown[key];
  return {
    events: costs.reduce((sum, cost) => sum + cost.events, 0),
    actions: costs.reduce((sum, cost) => sum + cost.actions, 0),
    breakdown,
  };
}

/** a − b, field by field: what a plan costs beyond the same contacts as standalone reminders. */
export function differenceOf(a: CostTotals, b: CostTotals): CostTotals {
  const breakdown = { ...a.breakdown };
  for (const key of Object.keys(breakdown) as (keyof typeof breakdown)[]) breakdown[key] -= b.breakdown[key];
  return { events: a.events - b.events, actions: a.actions - b.actions, breakdown };
}

/** The columns of a cost row, in the order costCells gives them (sections 3's reminder and plan tables). */
export const COST_COLUMNS = [
  'events',
  'actions',
  'start',
  'child starts',
  'signals',
  'timers',
  'activities',
  'retries',
  'SA upserts',
  'updates',
  'LA tasks',
];
export const costCells = (c: CostTotals) => [
  c.events,
  c.actions,
  c.breakdown.start,
  c.breakdown.childStarts,
  c.breakdown.signals,
  c.breakdown.timers,
  c.breakdown.activities,
  c.breakdown.activityRetries,
  c.breakdown.upserts,
  c.breakdown.updates,
  c.breakdown.localActivityTasks,
];
