import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { imagePrefixResolver } from "@/portal/image-ref";
import { authorize } from "@wharf/lib/auth/authorize";
import { getRepository } from "@wharf/lib/services/repositories";
import { listTagPage, type TagSort } from "@wharf/lib/services/tags";
import { getManifestDetail } from "@wharf/lib/services/manifests";
import { RepositoryView } from "./repository-view";
import { ManifestView } from "./manifest-view";

/**
 * `/registries/<r>/repositories/<repo…>` is a repository and its tags;
 * `/registries/<r>/repositories/<repo…>/-/manifests/<tag|digest>` one manifest.
 * '-' cannot be a repository path component, so the split is unambiguous.
 */
function split(path: string[]): { repository: string; reference: string | null } | null {
  const parts = path.map(decodeURIComponent);
  const dash = parts.indexOf("-");
  if (dash < 0) return { repository: parts.join("/"), reference: null };
  if (parts[dash + 1] !== "manifests" || parts.length !== dash + 3) return null;
  return { repository: parts.slice(0, dash).join("/"), reference: parts[dash + 2] };
}

export async function generateMetadata({ params }: { params: Promise<{ path: string[] }> }): Promise<Metadata> {
  const s = split((await params).path);
  return { title: s ? (s.reference ? `${s.repository}@${s.reference.slice(0, 19)}` : s.repository) : "Repository" };
}

type Search = { sort?: string; dir?: string; filter?: string; after?: string };

export default async function RepositoryPage({ params, searchParams }: { params: Promise<{ name: string; path: string[] }>; searchParams: Promise<Search> }) {
  const { name, path } = await params;
  const s = split(path);
  if (!s) notFound();
  const principal = await requirePrincipal();
  const prefix = (await imagePrefixResolver())(name);
  const scope = { type: "repository", registry: name, repository: s.repository } as const;
  const [canDelete, canPush] = await Promise.all([
    authorize(principal, "deleteImage", scope).then((d) => d.allowed),
    authorize(principal, "push", scope).then((d) => d.allowed),
  ]);

  if (s.reference) {
    const res = await loadOrPanel(() => getManifestDetail(principal, { registry: name, repository: s.repository, reference: s.reference! }));
    if (res.panel) return res.panel;
    return <ManifestView m={res.data} image={`${prefix}/${s.repository}`} canDelete={canDelete} canLock={canPush} />;
  }

  const sp = await searchParams;
  const sort = (["updated", "created", "name"].includes(sp.sort ?? "") ? sp.sort : "updated") as TagSort;
  const dir = sp.dir === "asc" || sp.dir === "desc" ? sp.dir : undefined;
  const res = await loadOrPanel(async () => {
    const [repo, tags] = await Promise.all([
      getRepository(principal, { registry: name, repository: s.repository }),
      listTagPage(principal, { registry: name, repository: s.repository, sort, direction: dir, filter: sp.filter, cursor: sp.after ?? null }),
    ]);
    return { repo, tags };
  });
  if (res.panel) return res.panel;
  return (
    <RepositoryView
      repo={res.data.repo}
      tags={res.data.tags}
      image={`${prefix}/${s.repository}`}
      query={{ sort, dir: dir ?? (sort === "name" ? "asc" : "desc"), filter: sp.filter ?? "", after: sp.after ?? null }}
      canDelete={canDelete}
      canLock={canPush}
    />
  );
}
