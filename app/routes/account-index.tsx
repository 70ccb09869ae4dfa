import { redirect } from "react-router";
import type { Route } from "./+types/account-index";

export function loader({ params }: Route.LoaderArgs) {
  throw redirect(`/accounts/${encodeURIComponent(params.account)}/queue`);
}
