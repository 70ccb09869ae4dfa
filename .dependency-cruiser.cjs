// The layer rule, checked by `npm run check:deps` (part of `npm test`):
// a module may import its own folder and the layers below it, never above.
// A call upward is a function passed in. AGENTS.md explains each layer.
// Type-only imports count too (tsPreCompilationDeps).
/** Lowest first. Each entry: the paths of one layer (folders, or single files where a folder spans two layers). */
const LAYERS = [
  ["^worker/domain/", "^worker/crypto/"],
  ["^worker/db/"],
  ["^worker/policy/", "^worker/audit/"],
  ["^worker/identity/", "^worker/integrations/"],
  // Billing calls outside systems (Stripe, a signed lookup URL) with the connectors' HTTP helpers.
  ["^worker/delivery/", "^worker/billing/"],
  ["^worker/tasks/"],
  // The only code that creates or signals a triage Workflow sits below the agent, which signals decisions.
  ["^worker/triage/client\\.ts$"],
  ["^worker/agent/", "^worker/knowledge/"],
  ["^worker/triage/(?!client\\.ts$)", "^worker/intake/"],
  ["^worker/mcp/", "^worker/operations/", "^worker/delegation/"],
  ["^worker/http/"],
  ["^worker/index\\.ts$"],
];

const union = (paths) => `(${paths.join("|")})`;
const TESTS = "(\\.test\\.ts$|^test/|^e2e/)";

const layerRules = LAYERS.slice(0, -1).map((paths, i) => ({
  name: `layer-${i}-imports-upward`,
  comment: `${paths.join(", ")} may not import a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(", ")})`,
  severity: "error",
  from: { path: union(paths), pathNot: TESTS },
  to: { path: union(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import cycles between modules, type-only imports included.",
      severity: "error",
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { pathNot: TESTS } },
    },
    ...layerRules,
    {
      name: "app-through-domain-and-facade",
      comment:
        "The dashboard reaches the worker only through worker/domain (types, enums, schemas) and worker/http/dashboard.ts (what loaders and actions call).",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^worker/", pathNot: "^worker/(domain/|http/dashboard\\.ts$|env\\.d\\.ts$)" },
    },
    {
      name: "worker-never-imports-app",
      severity: "error",
      from: { path: "^worker/" },
      to: { path: "^app/" },
    },
    {
      name: "domain-imports-nothing-of-ours",
      comment: "worker/domain is the vocabulary everything shares: it imports only itself (and npm packages such as zod).",
      severity: "error",
      from: { path: "^worker/domain/" },
      to: { path: "^(worker/(?!domain/)|app/|test/)" },
    },
    {
      name: "no-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, pathNot: "^(cloudflare:|virtual:|node:)|/\\+types/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|build|\\.react-router|\\.wrangler)/|worker/env\\.d\\.ts$|bench/compare-language-detectors\\.mjs$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.cloudflare.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".d.ts"],
    },
    moduleSystems: ["es6"],
  },
};
