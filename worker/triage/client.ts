// The only code that creates or signals a ticket's triage Workflow: one
// instance per task, the task id is the instance id, so starting twice is
// harmless. Instance handles are RPC stubs: each is disposed once used.

export interface TriageParams {
  accountId: string;
  taskId: string;
  /**
   * The requester is a help desk's stand-in to look up first (the Workflow's
   * "identify requester" step). Intake knows from the mapping; a starter that
   * does not say (admission, the sweep) has it read from the ticket.
   */
  identifyRequester?: boolean;
}

function dispose(handle: unknown) {
  const symbol = (Symbol as { dispose?: symbol }).dispose;
  if (!symbol || !handle) return;
  (handle as Record<symbol, (() => void) | undefined>)[symbol]?.();
}

export async function startTriage(env: Env, given: TriageParams): Promise<void> {
  const params = { ...given, identifyRequester: given.identifyRequester ?? (await requesterPending(env, given.taskId)) };
  try {
    dispose(await env.TRIAGE_WORKFLOW.create({ id: params.taskId, params }));
  } catch (err) {
    // A repeated delivery: the instance is already there, nothing to do.
    if (await instanceExists(env, params.taskId)) return;
    throw err;
  }
}

/** Sends an event to a task's Workflow (a decision, `resume`, `wake`). Throws when there is no such instance. */
export async function signalTriage(env: Env, taskId: string, event: { type: string; payload: unknown }): Promise<void> {
  const instance = await env.TRIAGE_WORKFLOW.get(taskId);
  try {
    await instance.sendEvent(event);
  } finally {
    dispose(instance);
  }
}

/** Whether the ticket's stand-in requester still waits to be looked up (tickets.requester_lookup). */
async function requesterPending(env: Env, taskId: string): Promise<boolean> {
  const row = await env.DB.prepare("select json_extract(requester_lookup, '$.status') as status from tickets where id = ?1")
    .bind(taskId)
    .first<{ status: string | null }>();
  return row?.status === "pending";
}

async function instanceExists(env: Env, id: string): Promise<boolean> {
  try {
    dispose(await env.TRIAGE_WORKFLOW.get(id));
    return true;
  } catch {
    return false;
  }
}
