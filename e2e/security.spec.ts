// The pages' Content-Security-Policy in a real browser against the dev server:
// a per-request nonce, the app still hydrates and runs under it, and script the
// page did not ship (an injected inline <script>) does not run. That ticket HTML
// is shown as text is covered in triage.spec.ts.
import { expect, type Page, test } from "@playwright/test";
import { DEMO, signIn } from "./helpers";

/** Collects CSP violations the page reports. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  return violations;
}

test("HTML pages carry a strict CSP with a fresh nonce that the page's own scripts carry", async ({ page, request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const csp = first.headers()["content-security-policy"]!;
  expect(csp).toBeTruthy();
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/form-action 'self'/);
  expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
  const nonceOf = (h: string) => h.match(/'nonce-([^']+)'/)![1]!;
  expect(nonceOf(second.headers()["content-security-policy"]!)).not.toBe(nonceOf(csp));
  // Every inline script in the document carries this response's nonce.
  const html = await first.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonceOf(csp)}"`);

  const violations = watchCsp(page);
  const response = await page.goto("/login");
  expect(response!.headers()["content-security-policy"]).toMatch(/'nonce-/);
  expect(response!.headers()["x-frame-options"]).toBe("DENY");
  await signIn(page, DEMO.lead);
  // The agent's WebSocket connects under connect-src.
  await expect(page.getByTestId("live-indicator")).toContainText(/live/i);
  await page.getByTestId("nav-insights").click();
  await expect(page.getByTestId("figures-chart")).toBeVisible();
  expect(violations).toEqual([]);
});

test("script the page did not ship does not run", async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = 1";
    document.body.appendChild(s);
    const img = document.createElement("img");
    img.setAttribute("src", "data:,x");
    img.setAttribute("onerror", "window.__injected = 2");
    img.setAttribute("onload", "window.__injected = 3");
    document.body.appendChild(img);
  });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});

test("every form action answers a body that is not a form with 400 or 415 and a message, never a 500", async ({ page }) => {
  await signIn(page, "admin@demo.test");
  const actions = [
    "/login",
    "/logout",
    `/accounts/${DEMO.account}/queue`,
    `/accounts/${DEMO.account}/operations`,
    `/accounts/${DEMO.account}/tokens`,
    `/accounts/${DEMO.account}/members`,
    `/accounts/${DEMO.account}/connectors`,
    `/accounts/${DEMO.account}/connections`,
    "/invite/st_inv_0000",
    "/oauth/authorize",
  ];
  const bodies: { name: string; headers: Record<string, string>; data: string | Buffer }[] = [
    { name: "JSON", headers: { "content-type": "application/json" }, data: JSON.stringify({ intent: "create", action: "approve" }) },
    { name: "empty, no content-type", headers: {}, data: "" },
    { name: "plain text", headers: { "content-type": "text/plain" }, data: "intent=create" },
    {
      name: "broken multipart",
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      data: '--xyz\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncre',
    },
  ];
  // Vite's dev server answers its own error page when its proxy to workerd drops
  // a request ("[vite] Internal server error: fetch failed", seen once in CI on
  // an empty POST): that is the local serving path, not the Worker's answer, so
  // such a request is sent again (at most twice). Any answer from the Worker counts.
  const post = async (path: string, body: (typeof bodies)[number]) => {
    for (let attempt = 0; ; attempt++) {
      const res = await page.request.post(path, { headers: { ...body.headers, origin: new URL(page.url()).origin }, data: body.data, maxRedirects: 0 });
      const text = await res.text();
      const viteProxyError = res.status() === 500 && text.includes("<title>Error</title>") && text.includes("const error =");
      if (!viteProxyError || attempt === 2) return { status: res.status(), text };
    }
  };
  for (const path of actions) {
    for (const body of bodies) {
      const { status, text } = await post(path, body);
      expect([400, 415], `${path} with ${body.name}: ${status} ${text.slice(0, 200)}`).toContain(status);
    }
  }
});
