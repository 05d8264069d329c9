import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { findReadableRegistry } from "@wharf/lib/services/registries";
import { skuLimits } from "@wharf/lib/core/skus";
import { usageLastDays, type DailyUsage } from "@wharf/lib/registry/usage-stats";
import { registryStorage } from "@wharf/lib/services/storage-usage";
import { loginServerResolver, servesHttps } from "@/portal/login-server";
import { requirePrincipal } from "@/portal/principal";
import { config } from "@wharf/lib/core/context";
import { GcPanel } from "@/components/registries/gc-panel";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }): Promise<Metadata> {
  return { title: (await params).name };
}

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });
const ACCESS: Record<string, string> = { all: "All networks", selected: "Selected networks", disabled: "Disabled" };

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export default async function RegistryOverviewPage({ params }: { params: Promise<{ name: string }> }) {
  const principal = await requirePrincipal();
  const reg = await findReadableRegistry(principal, decodeURIComponent((await params).name));
  if (!reg) notFound();
  const [usage, stored, resolve] = await Promise.all([usageLastDays(reg.id, 7), registryStorage(principal, { registry: reg.name }), loginServerResolver()]);
  const used = Number(stored.bytes);
  const storageRows: [string, bigint, string][] = [
    ["Stored", stored.bytes, "Layers, configs and manifests of this registry's repositories, each stored once."],
    ["Shared", stored.sharedBytes, "Held by more than one repository (of this registry or another): stored once for all of them."],
    ["Only in this registry", stored.exclusiveBytes, "Held by no repository of another registry: what deleting the registry would free."],
  ];
  const server = resolve(reg.name);
  const prefix = config().WHARF_REGISTRY_DOMAIN ? "" : `${reg.name}/`;
  const image = `${server}/${prefix}hello-world:v1`;
  // Over plain HTTP podman refuses the registry unless told not to verify TLS, and Docker needs it listed as insecure.
  const https = servesHttps();
  const insecure = https ? "" : " --tls-verify=false";
  const limits = skuLimits(reg.sku);
  const included = limits.includedStorageGiB * 1024 ** 3;
  const pct = Math.min(100, (used / included) * 100);
  const access = reg.publicNetworkAccess === "Disabled" ? "disabled" : reg.networkDefaultAction === "Deny" ? "selected" : "all";

  const essentials: [string, React.ReactNode][] = [
    ["Login server", <code key="ls" className="font-mono text-[13px]" data-testid="overview-login-server">{server}</code>],
    ["SKU", reg.sku],
    ["Location", reg.location],
    ["Resource group", reg.resourceGroupName ?? "—"],
    ["Created", <time key="c" dateTime={reg.createdAt.toISOString()}>{dateFormat.format(reg.createdAt)}</time>],
    ["Public access", ACCESS[access]],
    ["Anonymous pull", reg.anonymousPullEnabled ? "Enabled" : "Disabled"],
    ["Admin user", reg.adminUserEnabled ? "Enabled" : "Disabled"],
  ];

  return (
    <div className="space-y-6">
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-6">
        <Card>
          <CardHeader title="Essentials" />
          <CardBody>
            <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2">
              {essentials.map(([k, v]) => (
                <div key={k} className="min-w-0">
                  <dt className="text-[13px] text-muted">{k}</dt>
                  <dd className="mt-0.5 truncate text-fg">{v}</dd>
                </div>
              ))}
              <div className="sm:col-span-2">
                <dt className="text-[13px] text-muted">Tags</dt>
                <dd className="mt-1 flex flex-wrap gap-1.5" data-testid="overview-tags">
                  {reg.tagList.length ? (
                    reg.tagList.map((t) => (
                      <Badge key={t.name} tone="neutral" className="font-normal">
                        <span className="font-medium text-fg">{t.name}</span>
                        {t.value ? <span>&nbsp;: {t.value}</span> : null}
                      </Badge>
                    ))
                  ) : (
                    <span className="text-sm text-subtle">None</span>
                  )}
                </dd>
              </div>
            </dl>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Pushes and pulls" description="Per day (UTC), last 7 days." />
          <CardBody>
            <UsageChart days={usage} />
          </CardBody>
        </Card>

      </div>

      <div className="space-y-6">
        <Card>
          <CardHeader title="Storage" />
          <CardBody>
            <p className="text-2xl font-semibold tracking-tight text-fg" data-testid="storage-used">
              {bytes(used)}
            </p>
            <p className="text-[13px] text-muted">of {limits.includedStorageGiB} GiB included in {reg.sku}</p>
            <div
              className="mt-3 h-2.5 overflow-hidden rounded-full bg-sunken"
              role="meter"
              aria-label="Storage used"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(pct * 10) / 10}
              aria-valuetext={`${bytes(used)} of ${limits.includedStorageGiB} GiB`}
            >
              <div className={pct > 90 ? "h-full rounded-full bg-danger" : "h-full rounded-full bg-accent"} style={{ width: `${Math.max(pct, used > 0 ? 0.8 : 0)}%` }} />
            </div>
            <p className="mt-2 text-[12px] text-subtle">{pct < 0.1 ? "< 0.1" : pct.toFixed(1)}% used</p>
            <dl className="mt-4 space-y-1.5 text-sm" data-testid="storage-breakdown">
              {storageRows.map(([k, v, hint]) => (
                <div key={k} className="flex justify-between gap-3" title={hint}>
                  <dt className="text-muted">{k}</dt>
                  <dd className="text-fg tabular-nums">{bytes(Number(v))}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-[12px] text-subtle" data-testid="storage-explained">
              {stored.bytes === BigInt(0)
                ? "Nothing stored yet."
                : stored.repositoryBytes > stored.bytes
                  ? `The repositories' sizes add up to ${bytes(Number(stored.repositoryBytes))}; what they share is stored once. Each repository's share is on the Repositories tab.`
                  : "No two repositories here hold the same layer: their sizes add up to what is stored."}
            </p>
          </CardBody>
        </Card>
        <GcPanel principal={principal} registry={reg.name} resourceGroup={reg.resourceGroupName} />
        <Card>
          <CardHeader title={`${reg.sku} limits`} />
          <CardBody>
            <dl className="space-y-1.5 text-sm">
              {[
                ["Reads per minute", limits.readOpsPerMinute.toLocaleString("en")],
                ["Writes per minute", limits.writeOpsPerMinute.toLocaleString("en")],
                ["Webhooks", limits.webhooks.toLocaleString("en")],
                ["Anonymous pull", limits.anonymousPull ? "Available" : "Standard and Premium"],
                ["Network rules", limits.networkRules ? "Available" : "Premium"],
              ].map(([k, v]) => (
                <div key={k} className="flex justify-between gap-3">
                  <dt className="text-muted">{k}</dt>
                  <dd className="text-fg">{v}</dd>
                </div>
              ))}
            </dl>
          </CardBody>
        </Card>
      </div>
    </div>
        <Card>
          <CardHeader title="Push and pull images" description={prefix ? `Repositories of this registry are named ${server}/${prefix}<repository>.` : undefined} />
          <CardBody className="grid gap-6 2xl:grid-cols-2">
            <CommandGroup
              title="Docker"
              note={
                https ? undefined : (
                  <span data-testid="overview-insecure-note">
                    Plain HTTP: unless {server} is on this machine, add it to <code className="font-mono">&quot;insecure-registries&quot;</code> in /etc/docker/daemon.json and restart Docker, or serve HTTPS (README, &quot;HTTPS&quot;).
                  </span>
                )
              }
              commands={[
                ["Sign in", `docker login ${server}`],
                ["Tag a local image", `docker tag hello-world ${image}`],
                ["Push it", `docker push ${image}`],
                ["Pull it", `docker pull ${image}`],
              ]}
            />
            <CommandGroup
              title="Podman"
              commands={[
                ["Sign in", `podman login${insecure} ${server}`],
                ["Tag a local image", `podman tag hello-world ${image}`],
                ["Push it", `podman push${insecure} ${image}`],
                ["Pull it", `podman pull${insecure} ${image}`],
              ]}
            />
          </CardBody>
        </Card>
    </div>
  );
}

function CommandGroup({ title, commands, note }: { title: string; commands: [string, string][]; note?: React.ReactNode }) {
  return (
    <section>
      <h3 className="mb-2 text-sm font-semibold text-fg">{title}</h3>
      {note && <p className="mb-2 text-[13px] text-muted">{note}</p>}
      <div className="space-y-2">
        {commands.map(([label, cmd]) => (
          <div key={label} className="grid items-center gap-1 sm:grid-cols-[9rem_minmax(0,1fr)] sm:gap-3">
            <span className="text-[13px] text-muted">{label}</span>
            <CommandLine command={cmd} label={`Copy: ${cmd}`} />
          </div>
        ))}
      </div>
    </section>
  );
}

/** Hand-made bar chart: pushes and pulls side by side for each day, scaled to the busiest day. */
function UsageChart({ days }: { days: DailyUsage[] }) {
  const max = Math.max(1, ...days.flatMap((d) => [d.pushes, d.pulls]));
  const total = days.reduce((a, d) => ({ pushes: a.pushes + d.pushes, pulls: a.pulls + d.pulls }), { pushes: 0, pulls: 0 });
  const label = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { weekday: "short", timeZone: "UTC" });
  return (
    <figure>
      <div className="mb-3 flex items-center gap-4 text-[13px] text-muted">
        <span className="flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-accent" /> Pushes <span className="font-medium text-fg">{total.pushes}</span>
        </span>
        <span className="flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-success-soft-fg/70" /> Pulls <span className="font-medium text-fg">{total.pulls}</span>
        </span>
      </div>
      <div className="relative h-40 border-b border-line" role="img" aria-label={`Pushes and pulls per day: ${days.map((d) => `${d.day} ${d.pushes} pushes, ${d.pulls} pulls`).join("; ")}`}>
        <div aria-hidden="true" className="absolute inset-x-0 top-0 border-t border-dashed border-line" />
        <span aria-hidden="true" className="absolute -top-2.5 right-0 bg-surface pl-1 text-[11px] text-subtle">{max}</span>
        <div className="absolute inset-0 grid grid-cols-7 gap-2 px-1">
          {days.map((d) => (
            <div key={d.day} className="flex items-end justify-center gap-1" title={`${d.day}: ${d.pushes} pushes, ${d.pulls} pulls`} data-testid="usage-day">
              <div className="w-3 rounded-t-sm bg-accent sm:w-4" style={{ height: `${(d.pushes / max) * 100}%` }} />
              <div className="w-3 rounded-t-sm bg-success-soft-fg/70 sm:w-4" style={{ height: `${(d.pulls / max) * 100}%` }} />
            </div>
          ))}
        </div>
      </div>
      <div aria-hidden="true" className="mt-1.5 grid grid-cols-7 gap-2 px-1 text-center text-[11px] text-subtle">
        {days.map((d) => (
          <span key={d.day}>{label(d.day)}</span>
        ))}
      </div>
    </figure>
  );
}
