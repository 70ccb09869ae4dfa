// Retention purges delete old rows a batch at a time: one statement over a
// large backlog would hold D1 for long, and a run that stops at `maxBatches`
// leaves the rest to the next one.

/**
 * Runs `statement` (a delete whose last parameter is the batch size) until a
 * batch deletes fewer than `batch` rows or `maxBatches` ran; returns how many went.
 */
export async function deleteInBatches(db: D1Database, statement: string, params: unknown[], batch: number, maxBatches: number): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < maxBatches; i++) {
    const result = await db
      .prepare(statement)
      .bind(...params, batch)
      .run();
    const changes = result.meta.changes ?? 0;
    deleted += changes;
    if (changes < batch) break;
  }
  return deleted;
}
