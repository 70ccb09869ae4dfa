// The dashboard's way into the worker: everything app/ loaders and actions
// call, in one place (app/ imports worker code only from here and from
// worker/domain). Loaders and actions run on the server, so this module is
// never part of the browser bundle; browser code takes constants and types
// from worker/domain.
export { decideTask } from "../agent/decide";
export { openProposal, queuePage } from "../agent/proposals";
export { adminRevoke, allConnections, disconnectMine, myConnections, removeMemberWithConnections, type ConnectionView, type ProviderConnections } from "../delegation/admin";
export { handleConnectCallback, handleConnectStart } from "../delegation/connect";
export { cloudflareContext } from "./app-context";
export { cspNonceContext } from "./csp";
export { accessConfig } from "../identity/access";
export { createApiToken, listApiTokens, revokeApiToken, scopesForRole, type ApiTokenView } from "../identity/api-tokens";
export { checkLoginAllowed, recordLoginAttempt } from "../identity/login-limits";
export { INVITATION_TTL_DAYS, PASSWORD_MIN, acceptInvitation, changeMemberRole, findInvitation, inviteMember, listMembers, revokeInvitation, type InvitationView, type MemberView } from "../identity/members";
export { oidcConfig } from "../identity/oidc";
export { clearReturnToCookie, returnToOf } from "../identity/return-to";
export { checkCredentials, clearSessionCookie, createSession, destroySession, getSessionUser, requireRole, revokeAllSessions } from "../identity/session";
export { handleAccessSignIn, handleOidcCallback, handleOidcStart } from "../identity/sso";
export { DEFAULT_GRACE_HOURS } from "../integrations/connector-settings";
export { FRESHDESK_TEMPLATE, FRESHDESK_TOKEN_HEADER } from "../integrations/freshdesk/inbound";
export { loadConsent, submitConsent } from "../mcp/consent";
export { listMcpConnections, originOfRequest, revokeMcpConnection, type McpConnectionView } from "../mcp/oauth";
export { connectorOverview, enableConnector, rotateConnectorSecret, updateConnectorOutbound, type ConnectorOverview } from "../operations/connectors";
export { updateOperations, type OperationsPatch } from "../operations/settings";
export { type AccountPolicy } from "../policy/account-policy";
export { operatingState, type OperatingState } from "../policy/operating-state";
export { dailyFiguresFor, escalations, recentTasks, waitingCounts } from "../tasks/queries";
