// Where the MCP server and its OAuth endpoints live (no runtime imports).
export const MCP_PATH = "/mcp";
/** Our consent page (a dashboard route), advertised as the authorization endpoint. */
export const AUTHORIZE_PATH = "/oauth/authorize";
/** Token exchange, refresh and revocation (RFC 7009): the OAuth provider's. */
export const TOKEN_PATH = "/oauth/token";
/** Dynamic client registration (RFC 7591): the OAuth provider's. */
export const REGISTER_PATH = "/oauth/register";
