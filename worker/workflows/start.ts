// Starting the triage Workflow: one instance per task, the task id is the
// instance id, so starting twice is harmless.
export interface TriageParams {
  accountId: string;
  taskId: string;
}

export async function startTriage(env: Env, params: TriageParams): Promise<void> {
  // A repeated delivery finds the instance already there.
  if (await instanceExists(env, params.taskId)) return;
  try {
    await env.TRIAGE_WORKFLOW.create({ id: params.taskId, params });
  } catch (err) {
    // Two deliveries raced and the other one created it first.
    if (await instanceExists(env, params.taskId)) return;
    throw err;
  }
}

async function instanceExists(env: Env, id: string): Promise<boolean> {
  try {
    await env.TRIAGE_WORKFLOW.get(id);
    return true;
  } catch {
    return false;
  }
}
