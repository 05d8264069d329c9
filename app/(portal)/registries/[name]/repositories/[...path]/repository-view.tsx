import Link from "next/link";
import type { ReactNode } from "react";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { formatBytes, relativeTime } from "@/components/ui/format";
import { LockIndicator } from "@/components/lock-indicator";
import { LocksButton } from "@/components/repositories/locks-button";
import type { RepositoryInfo } from "@wharf/lib/services/repositories";
import { DeleteRepositoryButton } from "./delete-repository-button";
import { VIEW_PANEL_ID, ViewTabs, type RepositoryViewName } from "./view-tabs";

/** A repository page: its header and actions, pull and push commands, then the Tags or Manifests view (`children`). */
export function RepositoryView(props: { repo: RepositoryInfo; image: string; latestTag: string; view: RepositoryViewName; cannotDelete: string | null; canLock: boolean; children: ReactNode }) {
  const { repo, image, latestTag, view, cannotDelete, canLock } = props;
  const base = `/registries/${repo.registry}/repositories/${repo.name}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[13px] text-muted">
            <Link href={`/registries/${repo.registry}/repositories`} className="hover:text-fg">Repositories</Link> /
          </p>
          <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-fg">
            {repo.name}
            <LockIndicator locks={repo.locks} />
          </h2>
          <p className="mt-1 text-sm text-muted">
            {repo.tagCount.toLocaleString("en")} {repo.tagCount === 1 ? "tag" : "tags"} · {repo.manifestCount.toLocaleString("en")} {repo.manifestCount === 1 ? "manifest" : "manifests"} · created {relativeTime(repo.createdTime)}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <ButtonLink href={`/registries/${repo.registry}/access?repository=${encodeURIComponent(repo.name)}`} variant="secondary" size="sm">
            Access control
          </ButtonLink>
          {canLock ? <LocksButton registry={repo.registry} repository={repo.name} locks={repo.locks} /> : null}
          <DeleteRepositoryButton
            registry={repo.registry}
            repository={repo.name}
            tagCount={repo.tagCount}
            manifestCount={repo.manifestCount}
            frees={formatBytes(repo.storage.exclusiveBytes)}
            cannotDelete={cannotDelete}
          />
        </div>
      </div>

      <Card>
        <CardBody className="grid gap-3 md:grid-cols-2">
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Pull</p>
            <CommandLine command={`docker pull ${image}:${latestTag}`} label="Copy pull command" />
          </div>
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Push</p>
            <CommandLine command={`docker push ${image}:<tag>`} label="Copy push command" />
          </div>
        </CardBody>
      </Card>

      <div className="space-y-3">
        <ViewTabs
          current={view}
          tabs={[
            { view: "tags", label: <>Tags <span className="text-subtle tabular-nums">{repo.tagCount.toLocaleString("en")}</span></>, href: base },
            { view: "manifests", label: <>Manifests <span className="text-subtle tabular-nums">{repo.manifestCount.toLocaleString("en")}</span></>, href: `${base}?view=manifests` },
          ]}
        />
        <div id={VIEW_PANEL_ID} role="tabpanel" aria-labelledby={`repository-tab-${view}`}>
          {props.children}
        </div>
      </div>
    </div>
  );
}
