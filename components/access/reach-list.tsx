import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { OPERATION_LABELS, type Operation } from "@wharf/lib/auth/roles";
import type { Grant, RegistryReach } from "@wharf/lib/services/my-access";

/** How an image of `repository` is named for clients: path-style `<host>/<registry>/<repo>` unless a registry domain is set. */
export type ImageNamer = (registry: string, repository: string) => string;

function Operations({ operations }: { operations: Operation[] }) {
  if (!operations.length) return <span className="text-sm text-subtle">Nothing at this level</span>;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="What you may do">
      {operations.map((op) => (
        <li key={op}>
          <Badge tone={op === "pull" || op === "read" ? "neutral" : "accent"} className="font-normal">{OPERATION_LABELS[op]}</Badge>
        </li>
      ))}
    </ul>
  );
}

function Grants({ grants }: { grants: Grant[] }) {
  return (
    <p className="text-[13px] text-muted">
      Because of{" "}
      {grants.map((g, i) => (
        <span key={`${g.role}${g.scope}`}>
          {i > 0 ? ", " : ""}
          <span className="font-medium text-fg">{g.role}</span> on {g.from}
          {g.group ? <> through group <span className="font-medium text-fg">{g.group}</span></> : null}
        </span>
      ))}
      .
    </p>
  );
}

/** The commands that work for what may be done: login always, then pull and push as granted. */
function Commands({ image, operations, login, insecure }: { image: string; operations: Operation[]; login: string; insecure: string }) {
  const lines = [`docker login ${login}`];
  if (operations.includes("pull")) lines.push(`docker pull ${image}`);
  if (operations.includes("push")) lines.push(`docker tag my-image ${image}`, `docker push ${image}`);
  if (insecure && operations.some((o) => o === "pull" || o === "push")) lines.push(`podman pull${insecure} ${image}`);
  return (
    <div className="space-y-1.5">
      {lines.map((c) => (
        <CommandLine key={c} command={c} />
      ))}
    </div>
  );
}

/**
 * Every registry and repository the signed-in person reaches, with what they may do there, why, and the commands
 * that work, each linking to the pages they may open (a registry's overview needs read; repository pages do not).
 */
export function ReachList({ registries, readable, loginServer, imageName, insecure }: { registries: RegistryReach[]; readable: Set<string>; loginServer: (registry: string) => string; imageName: ImageNamer; insecure: string }) {
  return (
    <div className="space-y-4" data-testid="reach-list">
      {registries.map((r) => (
        <Card key={r.registry} data-testid="reach-registry" data-registry={r.registry}>
          <CardHeader
            title={<Link className="text-accent hover:underline" href={readable.has(r.registry) ? `/registries/${r.registry}` : `/registries/${r.registry}/repositories`}>{r.registry}</Link>}
            description={`${loginServer(r.registry)}${r.resourceGroup ? ` · resource group ${r.resourceGroup}` : ""}`}
          />
          <CardBody className="space-y-4">
            {r.grants.length > 0 && (
              <section aria-label={`Every repository of ${r.registry}`} className="space-y-2">
                <h3 className="text-sm font-semibold text-fg">Every repository</h3>
                <Operations operations={r.operations} />
                <Grants grants={r.grants} />
                <Commands image={imageName(r.registry, "<repository>:<tag>")} operations={r.operations} login={loginServer(r.registry)} insecure={insecure} />
              </section>
            )}
            {r.repositories.map((repo) => (
              <section key={repo.repository} aria-label={`Repository ${repo.repository}`} className="space-y-2 border-t border-line pt-4 first:border-t-0 first:pt-0" data-testid="reach-repository">
                <h3 className="font-mono text-sm font-semibold">
                  <Link className="text-accent hover:underline" href={`/registries/${r.registry}/repositories/${repo.repository}`}>{repo.repository}</Link>
                </h3>
                <Operations operations={repo.operations} />
                <Grants grants={repo.grants} />
                <Commands image={imageName(r.registry, `${repo.repository}:<tag>`)} operations={repo.operations} login={loginServer(r.registry)} insecure={insecure} />
              </section>
            ))}
          </CardBody>
        </Card>
      ))}
    </div>
  );
}
