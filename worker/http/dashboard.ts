// The dashboard's way into the worker: everything app/ loaders and actions
// call, in one place (app/ imports worker code only from here and from
// worker/domain). Loaders and actions run on the server, so this module is
// never part of the browser bundle; browser code takes constants and types
// from worker/domain.
export { decideTask } from "../agent/decide";
export { glossProposal } from "../agent/gloss";
export { hostedModelsAvailable } from "../agent/models/model";
export { openProposal, queuePage } from "../agent/proposals";
export { type Sample, type SampleSummary, sampleById, samplePage } from "../audit/samples";
export { toolLatencyReport } from "../audit/tool-latency";
export {
  adminRevoke,
  allConnections,
  type ConnectionView,
  disconnectMine,
  myConnections,
  type ProviderConnections,
  removeMemberWithConnections,
} from "../delegation/admin";
export { handleConnectCallback, handleConnectStart } from "../delegation/connect";
export { accessConfig } from "../identity/access";
export { type ApiTokenView, createApiToken, listApiTokens, revokeApiToken, scopesForRole } from "../identity/api-tokens";
export { checkLoginAllowed, recordLoginAttempt } from "../identity/login-limits";
export {
  acceptInvitation,
  changeMemberRole,
  findInvitation,
  INVITATION_TTL_DAYS,
  type InvitationView,
  inviteMember,
  listMembers,
  type MemberView,
  PASSWORD_MIN,
  revokeInvitation,
} from "../identity/members";
export { oidcConfig } from "../identity/oidc";
export { clearReturnToCookie, returnToOf } from "../identity/return-to";
export { checkCredentials, clearSessionCookie, createSession, destroySession, getSessionUser, requireRole, revokeAllSessions } from "../identity/session";
export { handleAccessSignIn, handleOidcCallback, handleOidcStart } from "../identity/sso";
export { DEFAULT_GRACE_HOURS } from "../integrations/connector-settings";
export { FRESHDESK_TEMPLATE, FRESHDESK_TOKEN_HEADER } from "../integrations/freshdesk/inbound";
export {
  addKnowledgeArticle,
  articleFromFile,
  deleteKnowledgeArticle,
  type KnowledgeSourceView,
  knowledgePage,
  knowledgeSourceViews,
  searchKnowledgeAs,
  syncKnowledgeNow,
  UPLOAD_FORMATS,
} from "../knowledge/requests";
export { MATCH_THRESHOLD } from "../knowledge/search";
export { loadConsent, submitConsent } from "../mcp/consent";
export { listMcpConnections, type McpConnectionView, originOfRequest, revokeMcpConnection } from "../mcp/oauth";
export { billingOverview, enableBillingSource, updateGenericBilling, updateStripeBilling } from "../operations/billing";
export {
  type ConnectorOverview,
  connectorOverview,
  enableConnector,
  rotateConnectorSecret,
  updateConnectorOutbound,
  updateConnectorWriteBack,
} from "../operations/connectors";
export { deleteAccountCategory, type OperationsPatch, saveAccountCategory, updateOperations } from "../operations/settings";
export type { AccountPolicy } from "../policy/account-policy";
export { type OperatingState, operatingState } from "../policy/operating-state";
export { dailyFiguresFor, escalations, recentTasks, triageInsights, waitingCounts } from "../tasks/queries";
export { cloudflareContext } from "./app-context";
export { cspNonceContext } from "./csp";
export { insightsFilterFromUrl, latencyWindowFromUrl } from "./insights-params";
