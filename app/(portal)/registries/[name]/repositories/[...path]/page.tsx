import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadOrPanel } from "@/components/error-panel";
import { requirePrincipal } from "@/portal/principal";
import { imagePrefixResolver } from "@/portal/image-ref";
import { authorize } from "@wharf/lib/auth/authorize";
import { getRepository } from "@wharf/lib/services/repositories";
import { listTagPage, type TagSort } from "@wharf/lib/services/tags";
import { getManifestDetail } from "@wharf/lib/services/manifests";
import { listManifestPage } from "@wharf/lib/services/manifest-list";
import { findReadableRegistry } from "@wharf/lib/services/registries";
import { MANIFEST_FILTERS, manifestItemPage, type ManifestFilterName } from "@/portal/manifest-rows";
import { RepositoryView } from "./repository-view";
import { ManifestView } from "./manifest-view";
import { ManifestsCard } from "./manifests-card";
import { TagsCard } from "./tags-card";

/**
 * `/registries/<r>/repositories/<repo…>` is a repository and its tags (`?view=manifests`: every manifest);
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

type Search = { view?: string; show?: string; sort?: string; dir?: string; filter?: string; after?: string };

export default async function RepositoryPage({ params, searchParams }: { params: Promise<{ name: string; path: string[] }>; searchParams: Promise<Search> }) {
  const { name, path } = await params;
  const s = split(path);
  if (!s) notFound();
  const principal = await requirePrincipal();
  const prefix = (await imagePrefixResolver())(name);
  const scope = { type: "repository", registry: name, repository: s.repository } as const;
  const [deleteDecision, canPush] = await Promise.all([
    authorize(principal, "deleteImage", scope),
    authorize(principal, "push", scope).then((d) => d.allowed),
  ]);
  const canDelete = deleteDecision.allowed;

  if (s.reference) {
    const res = await loadOrPanel(() => getManifestDetail(principal, { registry: name, repository: s.repository, reference: s.reference! }));
    if (res.panel) return res.panel;
    return <ManifestView m={res.data} image={`${prefix}/${s.repository}`} canDelete={canDelete} canLock={canPush} />;
  }

  const sp = await searchParams;
  const repository = s.repository;
  const image = `${prefix}/${repository}`;
  const cannotDelete = canDelete ? null : deleteDecision.reason;

  if (sp.view === "manifests") {
    const show = (MANIFEST_FILTERS as readonly string[]).includes(sp.show ?? "") ? (sp.show as ManifestFilterName) : "all";
    const res = await loadOrPanel(async () => {
      const [repo, manifests, latest, reg] = await Promise.all([
        getRepository(principal, { registry: name, repository }),
        listManifestPage(principal, { registry: name, repository, filter: show }),
        listTagPage(principal, { registry: name, repository, limit: 1 }),
        findReadableRegistry(principal, name),
      ]);
      return { repo, manifests: manifestItemPage(manifests), latest: latest.items[0]?.name ?? "latest", recycleBin: { enabled: !!reg?.softDeleteEnabled, days: reg?.softDeleteDays ?? 0 } };
    });
    if (res.panel) return res.panel;
    const { repo } = res.data;
    return (
      <RepositoryView repo={repo} image={image} latestTag={res.data.latest} view="manifests" cannotDelete={cannotDelete} canLock={canPush}>
        <ManifestsCard
          key={show}
          registry={repo.registry}
          repository={repo.name}
          initial={res.data.manifests}
          filter={show}
          canDelete={canDelete}
          recycleBin={res.data.recycleBin}
        />
      </RepositoryView>
    );
  }

  const sort = (["updated", "created", "name"].includes(sp.sort ?? "") ? sp.sort : "updated") as TagSort;
  const dir = sp.dir === "asc" || sp.dir === "desc" ? sp.dir : undefined;
  const res = await loadOrPanel(async () => {
    const [repo, tags] = await Promise.all([
      getRepository(principal, { registry: name, repository }),
      listTagPage(principal, { registry: name, repository, sort, direction: dir, filter: sp.filter, cursor: sp.after ?? null }),
    ]);
    return { repo, tags };
  });
  if (res.panel) return res.panel;
  const { repo, tags } = res.data;
  return (
    <RepositoryView repo={repo} image={image} latestTag={tags.items[0]?.name ?? "latest"} view="tags" cannotDelete={cannotDelete} canLock={canPush}>
      <TagsCard
        registry={repo.registry}
        repository={repo.name}
        base={`/registries/${repo.registry}/repositories/${repo.name}`}
        tags={tags}
        image={image}
        query={{ sort, dir: dir ?? (sort === "name" ? "asc" : "desc"), filter: sp.filter ?? "", after: sp.after ?? null }}
        canDelete={canDelete}
        canLock={canPush}
      />
    </RepositoryView>
  );
}
