import type { Metadata } from "next";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { authorize } from "@wharf/lib/auth/authorize";
import { getScopeMap } from "@wharf/lib/services/scope-maps";
import { ScopeMapEditor } from "./scope-map-editor";

export const metadata: Metadata = { title: "Scope map" };

export default async function ScopeMapPage({ params }: { params: Promise<{ name: string; map: string }> }) {
  const { name, map } = await params;
  const mapName = decodeURIComponent(map);
  const principal = await requirePrincipal();
  const canEdit = (await authorize(principal, "changePolicies", { type: "registry", registry: name })).allowed;
  if (mapName === "new") {
    return <ScopeMapEditor registry={name} isNew canEdit={canEdit} initial={{ name: "", description: "", actions: [], builtIn: false, tokens: [] }} />;
  }
  const res = await loadOrPanel(() => getScopeMap(principal, name, mapName));
  if (res.panel) return res.panel;
  const m = res.data;
  return <ScopeMapEditor registry={name} canEdit={canEdit && !m.builtIn} initial={{ name: m.name, description: m.description, actions: m.actions, builtIn: m.builtIn, tokens: m.tokens }} />;
}
