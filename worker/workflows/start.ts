// Starting the triage Workflow: one instance per task, the task id is the
// instance id, so starting twice is harmless.
export interface TriageParams {
  accountId: string;
  taskId: string;
}

export async function startTriage(env: Env, params: TriageParams): Promise<void> {
  try {
    await env.TRIAGE_WORKFLOW.create({ id: params.taskId, params });
  } catch (err) {
    // A repeated delivery: the instance is already there, nothing to do.
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
