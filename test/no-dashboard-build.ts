// Stands in for React Router's server build inside the workerd unit tests,
// where no dashboard is built. Any page request there is a test bug.
export const routes = {};
export const entry = { module: { default: () => new Response("dashboard not built in unit tests", { status: 500 }) } };
export default {};
