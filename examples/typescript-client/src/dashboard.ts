// Runs a dashboard's operations once against a live API and prints what it saw as JSON:
//   MOMENTUM_API_URL=http://127.0.0.1:8000/graphql MOMENTUM_TOKEN=… node dist/dashboard.js
import { MomentumClient } from "./client.js";
import {
  AcknowledgeFeedbackDocument,
  AddKeyResultDocument,
  CheckInDocument,
  CheckInKeyResultDocument,
  CreateGoalDocument,
  FeedbackInboxDocument,
  GoalUpdatedDocument,
  GoalWithKeyResultsDocument,
  GoalsPageDocument,
  MeDocument,
  type GoalUpdatedSubscription,
} from "./gql/graphql.js";

const SUBSCRIPTION_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const url = process.env.MOMENTUM_API_URL ?? "http://127.0.0.1:8000/graphql";
  const token = process.env.MOMENTUM_TOKEN;
  if (!token) {
    throw new Error("set MOMENTUM_TOKEN (e.g. `momentum token --sub ada`)");
  }
  const api = new MomentumClient(url, token);
  try {
    const { me } = await api.request(MeDocument, {});

    const created = (await api.request(CreateGoalDocument, { input: { title: "Ship the dashboard" } })).createGoal;
    const goalId = created.goalId;
    const added = (
      await api.request(AddKeyResultDocument, {
        input: { goalId, title: "Screens done", kind: "INCREASE_TO", start: 0, target: 10, unit: "screens" },
      })
    ).addKeyResult;
    // `consistency` = the write's sequence: the read waits until the read models include it
    const before = (await api.request(GoalWithKeyResultsDocument, { id: goalId, consistency: added.sequence })).goal;

    const updates = api.subscribe(GoalUpdatedDocument, { goalId });
    const current = await within(updates.next(), "the subscription's first goal");
    const checkIn = (
      await api.request(CheckInDocument, { input: { goalId, progress: 40, confidence: 7, note: "on track" } })
    ).recordCheckIn;
    const pushed = await within(untilVersion(updates, checkIn.version), "the check-in pushed by goalUpdated");
    await updates.return(undefined);

    const krCheckIn = (
      await api.request(CheckInKeyResultDocument, {
        input: { goalId, keyResultId: added.keyResultId ?? "", value: 5, confidence: 8 },
      })
    ).checkInKeyResult;
    const goal = (await api.request(GoalWithKeyResultsDocument, { id: goalId, consistency: krCheckIn.sequence })).goal;
    const page = (await api.request(GoalsPageDocument, { first: 10, filter: { owner: me.id } })).goals;

    const inbox = (await api.request(FeedbackInboxDocument, { first: 10 })).feedbackInbox;
    const unread = inbox.find((item) => item.acknowledgedAt == null);
    const acknowledged = unread
      ? (await api.request(AcknowledgeFeedbackDocument, { input: { feedbackId: unread.id } })).acknowledgeFeedback
      : null;

    console.log(
      JSON.stringify({ me, created, before, subscription: { current: current.value, pushed }, goal, page, inbox, acknowledged }),
    );
  } finally {
    await api.close();
  }
}

async function untilVersion(
  updates: AsyncGenerator<GoalUpdatedSubscription>,
  version: number,
): Promise<GoalUpdatedSubscription> {
  for (;;) {
    const next = await updates.next();
    if (next.done) {
      throw new Error("the subscription ended");
    }
    if (next.value.goalUpdated.version >= version) {
      return next.value;
    }
  }
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${SUBSCRIPTION_TIMEOUT_MS} ms`)), SUBSCRIPTION_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
