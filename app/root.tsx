import { useEffect } from "react";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";
import { ErrorView } from "./components/ErrorView";
import "./app.css";

export const meta: Route.MetaFunction = () => [{ title: "Support Triage" }];

export const links: Route.LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

/**
 * The page's CSP nonce, in the browser. On the server <Links> gets the request's
 * nonce from <ServerRouter nonce> (app/entry.server.tsx) and puts it on every
 * <link>; in the browser React Router has no nonce, so the stylesheet links
 * (the dev server's critical.css, the built CSS) would hydrate without it: a
 * hydration mismatch on every page. The browser hides the nonce attribute but
 * keeps the element's `nonce` property, so it is read back from a script the
 * server rendered. Undefined on the server, where <Links> uses the request's.
 */
const browserNonce = typeof document === "undefined" ? undefined : document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce || undefined;

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links nonce={browserNonce} />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  // Marks the document once React has hydrated it, so a browser test can wait
  // for event handlers to be attached instead of guessing from network idle (a
  // select changed before hydration changes nothing but its own value).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} />;
}
