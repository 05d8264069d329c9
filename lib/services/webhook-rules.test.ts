import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkWebhookActions, checkWebhookHeaders, checkWebhookName, checkWebhookScope, checkWebhookUri, nextRetryAt } from "./webhook-rules";

describe("webhook input", () => {
  it("names: 5–50 letters and digits", () => {
    assert.equal(checkWebhookName(" cihook1 "), "cihook1");
    assert.throws(() => checkWebhookName("ci-hook"), /5 to 50 letters and digits/);
    assert.throws(() => checkWebhookName("abcd"), /5 to 50/);
  });
  it("URIs: absolute http(s); the shown form drops credentials and query", () => {
    assert.deepEqual(checkWebhookUri("https://u:p@ci.example.com/h?token=x"), { uri: "https://u:p@ci.example.com/h?token=x", display: "https://ci.example.com/h" });
    assert.throws(() => checkWebhookUri("/relative"), /absolute/);
    assert.throws(() => checkWebhookUri("ftp://x/y"), /http or https/);
  });
  it("actions: push and delete; quarantine and chart actions refused with what to use", () => {
    assert.deepEqual(checkWebhookActions(["delete", "push", "push"]), ["push", "delete"]);
    assert.deepEqual(checkWebhookActions("push,delete"), ["push", "delete"]);
    assert.throws(() => checkWebhookActions(["quarantine"]), /no quarantine/);
    assert.throws(() => checkWebhookActions(["chart_delete"]), /Use delete instead/);
    assert.throws(() => checkWebhookActions([]), /at least one/);
  });
  it("scopes as ACR writes them", () => {
    for (const s of ["", "app", "app:v1", "app:*", "team/app:*", "team/*:*"]) assert.equal(checkWebhookScope(s), s);
    assert.throws(() => checkWebhookScope("App:v1"), /not a scope/);
    assert.throws(() => checkWebhookScope("app:"), /not a scope/);
  });
  it("headers: Name=value, none Wharf sets, no line breaks", () => {
    assert.deepEqual(checkWebhookHeaders(["Authorization=Bearer a=b", "X-Env=prod"]), { Authorization: "Bearer a=b", "X-Env": "prod" });
    assert.throws(() => checkWebhookHeaders(["novalue"]), /Name=value/);
    assert.throws(() => checkWebhookHeaders(["X-Wharf-Signature=x"]), /set by Wharf/);
    assert.throws(() => checkWebhookHeaders({ "X-A": "a\r\nX-B: b" }), /one line/);
  });
});

describe("retry schedule", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  it("doubles from 10 s, capped at an hour", () => {
    assert.deepEqual(nextRetryAt(t0, 1, t0, 86400), at(10));
    assert.deepEqual(nextRetryAt(t0, 2, at(10), 86400), at(30));
    assert.deepEqual(nextRetryAt(t0, 20, at(100), 86400), at(3700));
  });
  it("never past the window; dead once the window is over", () => {
    assert.deepEqual(nextRetryAt(t0, 1, t0, 5), at(5));
    assert.equal(nextRetryAt(t0, 2, at(5), 5), null);
  });
});
