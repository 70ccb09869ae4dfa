// Types of a tool call made on someone's behalf, shared by the drafter's tool
// host and the RPC surface in ../stubs.ts (here, so that neither imports the other).

/** Who made a tool call or an audited change, when it was not the agent itself. */
export interface CallerRef {
  /** `user:<email>` */
  actor: string;
  /** The MCP client's name. */
  client: string;
}

export type FiledHandoff = { handoff_id: string; queue: string; note: string; status: "filed" };
