import { loginBlock, type LoginRefusal } from "./login-guard";

/**
 * What the portal's sign-in form says when login-guard.ts refuses an attempt. The
 * refusal happens inside next-auth's authorize(), which can only pass a code on,
 * so the form asks here again why (the budgets are only read, nothing is taken).
 */
export async function portalLoginRefusal(address: string, username: string): Promise<LoginRefusal> {
  // Neither budget spent: the attempt was refused because too many checks were waiting.
  return (await loginBlock("portal", address, username)) ?? { refused: "busy", retryAfterSeconds: 5 };
}

/** The message for a refused sign-in. */
export function loginRefusalMessage(refusal: LoginRefusal): string {
  switch (refusal.refused) {
    case "address":
      return loginThrottleMessage(refusal.retryAfterSeconds);
    case "username":
      return `Too many failed sign-in attempts for this account. Try again in ${minutes(refusal.retryAfterSeconds)}.`;
    case "busy":
      return "Too many sign-in attempts are being checked right now. Try again in a few seconds.";
  }
}

/** The message shown to a blocked address (whole minutes, rounded up). */
export function loginThrottleMessage(retryAfterSeconds: number): string {
  return `Too many failed sign-in attempts from your address. Try again in ${minutes(retryAfterSeconds)}.`;
}

function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return `${m} ${m === 1 ? "minute" : "minutes"}`;
}
