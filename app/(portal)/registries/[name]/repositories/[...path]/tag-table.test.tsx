import assert from "node:assert/strict";
import { test } from "node:test";
import { renderToStaticMarkup } from "react-dom/server";
import { AppRouterContext, type AppRouterInstance } from "next/dist/shared/lib/app-router-context.shared-runtime";
import { Providers } from "@/components/providers";
import { TagTable, type TagTableRow } from "./tag-table";

const unlocked = { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true };
const when = { iso: "2026-01-01T00:00:00.000Z", text: "1 day ago", title: "2026-01-01 00:00 UTC" };
const row = (name: string, deleteBlocked: string | null): TagTableRow => ({
  name,
  digest: `sha256:${"a".repeat(64)}`,
  shortDigest: "sha256:aaaaaaaaaaaa",
  size: "1 KiB",
  platforms: ["linux/amd64"],
  artifactType: null,
  created: when as never,
  updated: when as never,
  locks: deleteBlocked ? { ...unlocked, deleteEnabled: false } : unlocked,
  deleteBlocked,
});

test("a delete-locked tag shows Delete disabled with the reason; others keep a working Delete", () => {
  const reason = "Tag 'pinned' is delete-locked (deleteEnabled=false): unlock it under Locks to delete it.";
  // Rendered outside a Next server, in the portal's own providers: the Delete buttons ask for the app router, never used while rendering.
  const router = {} as AppRouterInstance;
  const html = renderToStaticMarkup(
    <AppRouterContext.Provider value={router}>
      <Providers>
        <TagTable rows={[row("pinned", reason), row("free", null)]} headers={[]} base="/registries/contoso/repositories/app" image="127.0.0.1:3000/contoso/app" registry="contoso" repository="app" canDelete canLock={false} />
      </Providers>
    </AppRouterContext.Provider>,
  );
  const pinned = html.slice(html.indexOf('data-tag="pinned"'), html.indexOf('data-tag="free"'));
  const free = html.slice(html.indexOf('data-tag="free"'));
  assert.match(pinned, /<button[^>]*disabled=""[^>]*aria-label="Delete tag pinned: unavailable\. Tag &#x27;pinned&#x27; is delete-locked/);
  assert.match(pinned, /title="Tag &#x27;pinned&#x27; is delete-locked \(deleteEnabled=false\): unlock it under Locks to delete it\."/);
  assert.match(free, /<button(?![^>]*disabled="")[^>]*aria-label="Delete tag free"/);
});
