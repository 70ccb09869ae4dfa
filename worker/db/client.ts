import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const clients = new WeakMap<D1Database, ReturnType<typeof create>>();
const create = (db: D1Database) => drizzle(db, { schema });

/** The drizzle client of a D1 binding, built once per binding (building one walks the whole schema). */
export function getDb(env: { DB: D1Database }) {
  let client = clients.get(env.DB);
  if (!client) {
    client = create(env.DB);
    clients.set(env.DB, client);
  }
  return client;
}

export type Db = ReturnType<typeof getDb>;
export { schema };
