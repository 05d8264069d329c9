import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CommandLine } from "@/components/ui/code";
import { CopyButton } from "@/components/ui/copy-button";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatBytes, formatDateTime, shortDigest } from "@/components/ui/format";
import { LockIndicator } from "@/components/lock-indicator";
import { DeleteButton, DeleteUnavailable } from "@/components/repositories/delete-button";
import { LocksButton } from "@/components/repositories/locks-button";
import type { ManifestDetail } from "@wharf/lib/services/manifests";

const KIND_LABEL = { image: "Image", index: "Multi-platform index", artifact: "Artifact" } as const;

/** Friendly names for the referrer types people meet most. */
function artifactLabel(t: string | undefined): string {
  if (!t) return "Artifact";
  if (t.includes("spdx")) return "SBOM (SPDX)";
  if (t.includes("cyclonedx")) return "SBOM (CycloneDX)";
  if (t.includes("notary") || t.includes("signature") || t.includes("cosign")) return "Signature";
  if (t.includes("in-toto") || t.includes("attestation")) return "Attestation";
  return t;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 py-2 text-sm">
      <dt className="text-muted">{label}</dt>
      <dd className="min-w-0 break-words text-fg">{children}</dd>
    </div>
  );
}

export function ManifestView({ m, image, canDelete, canLock }: { m: ManifestDetail; image: string; canDelete: boolean; canLock: boolean }) {
  const repoBase = `/registries/${m.registry}/repositories/${m.repository}`;
  const link = (ref: string) => `${repoBase}/-/manifests/${encodeURIComponent(ref)}`;
  const c = m.config?.summary;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[13px] text-muted">
            <Link href={`/registries/${m.registry}/repositories`} className="hover:text-fg">Repositories</Link> /{" "}
            <Link href={repoBase} className="hover:text-fg">{m.repository}</Link> /
          </p>
          <h2 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight text-fg">
            <span className="font-mono text-lg">{shortDigest(m.digest)}</span>
            <CopyButton text={m.digest} label="Copy digest" />
            <Badge tone="accent">{KIND_LABEL[m.kind]}</Badge>
            <LockIndicator locks={m.locks} />
          </h2>
          {m.tags.length ? (
            <div className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-muted">
              Tags:
              {m.tags.map((t) => (
                <Badge key={t.name} className="font-mono">{t.name}</Badge>
              ))}
            </div>
          ) : (
            <p className="mt-1 text-sm text-muted">Untagged</p>
          )}
        </div>
        <div className="flex items-center gap-2">
          {canLock ? <LocksButton registry={m.registry} repository={m.repository} digest={m.digest} locks={m.locks} /> : null}
          {!canDelete ? null : m.deleteBlocked ? (
            <DeleteUnavailable what="manifest" reason={m.deleteBlocked} />
          ) : (
            <DeleteButton kind="manifest" registry={m.registry} repository={m.repository} digest={m.digest} tags={m.tags.map((t) => t.name)} redirectTo={repoBase} />
          )}
        </div>
      </div>

      <Card>
        <CardBody className="grid gap-3 md:grid-cols-2">
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Pull by tag</p>
            {m.tags[0] ? <CommandLine command={`docker pull ${image}:${m.tags[0].name}`} label="Copy pull-by-tag command" /> : <p className="text-sm text-muted">No tag points here.</p>}
          </div>
          <div className="min-w-0">
            <p className="mb-1.5 text-xs font-medium tracking-wide text-muted uppercase">Pull by digest</p>
            <CommandLine command={`docker pull ${image}@${m.digest}`} label="Copy pull-by-digest command" />
          </div>
        </CardBody>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Manifest" />
          <CardBody className="py-2">
            <dl className="divide-y divide-line">
              <Row label="Media type"><code className="font-mono text-[13px]">{m.mediaType}</code></Row>
              {m.artifactType && m.kind === "artifact" ? <Row label="Artifact type"><code className="font-mono text-[13px]">{m.artifactType}</code></Row> : null}
              <Row label="Digest"><code className="font-mono text-[13px] break-all">{m.digest}</code></Row>
              <Row label="Manifest size">{formatBytes(m.size)}</Row>
              <Row label="Total size">{formatBytes(m.totalSize)}</Row>
              <Row label="Pushed"><time dateTime={m.createdTime.toISOString()}>{formatDateTime(m.createdTime)}</time></Row>
              {m.subject ? (
                <Row label="Subject">
                  <Link href={link(m.subject.digest)} className="font-mono text-[13px] text-accent hover:underline">{shortDigest(m.subject.digest)}</Link>
                </Row>
              ) : null}
            </dl>
          </CardBody>
        </Card>

        {c ? (
          <Card>
            <CardHeader title="Configuration" />
            <CardBody className="py-2">
              <dl className="divide-y divide-line">
                <Row label="Platform">{[c.os, c.architecture, c.variant].filter(Boolean).join("/") || "—"}</Row>
                <Row label="Created">{c.created ? formatDateTime(c.created) : "—"}</Row>
                {c.author ? <Row label="Author">{c.author}</Row> : null}
                <Row label="Entrypoint"><code className="font-mono text-[13px]">{c.entrypoint ? JSON.stringify(c.entrypoint) : "—"}</code></Row>
                <Row label="Cmd"><code className="font-mono text-[13px]">{c.cmd ? JSON.stringify(c.cmd) : "—"}</code></Row>
                {c.workingDir ? <Row label="Working dir"><code className="font-mono text-[13px]">{c.workingDir}</code></Row> : null}
                {c.user ? <Row label="User"><code className="font-mono text-[13px]">{c.user}</code></Row> : null}
                {c.exposedPorts.length ? <Row label="Ports">{c.exposedPorts.join(", ")}</Row> : null}
                <Row label="Environment">
                  {c.env.length ? (
                    <ul className="space-y-0.5 font-mono text-[13px]">{c.env.map((e) => <li key={e} className="break-all">{e}</li>)}</ul>
                  ) : "—"}
                </Row>
                <Row label="Labels">
                  {Object.keys(c.labels).length ? (
                    <ul className="space-y-0.5 font-mono text-[13px]">{Object.entries(c.labels).map(([k, v]) => <li key={k} className="break-all"><span className="text-muted">{k}=</span>{v}</li>)}</ul>
                  ) : "—"}
                </Row>
              </dl>
            </CardBody>
          </Card>
        ) : m.kind === "index" ? (
          <Card>
            <CardHeader title="Platforms" description={`${m.manifests.length} ${m.manifests.length === 1 ? "image" : "images"} in this index`} />
            <Table>
              <THead><tr><Th>Platform</Th><Th>Digest</Th><Th className="text-right">Size</Th></tr></THead>
              <TBody>
                {m.manifests.map((d) => (
                  <Tr key={d.digest}>
                    <Td>{d.platformText ? <Badge>{d.platformText}</Badge> : <span className="text-subtle">unknown</span>}</Td>
                    <Td>
                      {d.present ? (
                        <Link href={link(d.digest)} className="font-mono text-[13px] text-accent hover:underline">{shortDigest(d.digest)}</Link>
                      ) : (
                        <span className="font-mono text-[13px] text-muted">{shortDigest(d.digest)}</span>
                      )}
                    </Td>
                    <Td className="text-right text-muted tabular-nums">{formatBytes(d.size)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </Card>
        ) : m.config ? (
          <Card>
            <CardHeader title="Config" />
            <CardBody className="py-2">
              <dl className="divide-y divide-line">
                <Row label="Media type"><code className="font-mono text-[13px]">{m.config.mediaType}</code></Row>
                <Row label="Digest"><code className="font-mono text-[13px] break-all">{m.config.digest}</code></Row>
                <Row label="Size">{formatBytes(m.config.size)}</Row>
              </dl>
            </CardBody>
          </Card>
        ) : null}
      </div>

      {m.kind !== "index" ? (
        <Card className="overflow-hidden">
          <CardHeader title="Layers" description={`${m.layers.length} ${m.layers.length === 1 ? "layer" : "layers"}, ${formatBytes(m.layers.reduce((s, l) => s + l.size, 0))}`} />
          {m.layers.length ? (
            <Table>
              <THead><tr><Th className="w-12">#</Th><Th>Digest</Th><Th>Media type</Th><Th className="text-right">Size</Th></tr></THead>
              <TBody>
                {m.layers.map((l, i) => (
                  <Tr key={`${l.digest}-${i}`}>
                    <Td className="text-muted tabular-nums">{i + 1}</Td>
                    <Td>
                      <div className="flex items-center gap-0.5">
                        <code className="font-mono text-[13px]" title={l.digest}>{shortDigest(l.digest)}</code>
                        <CopyButton text={l.digest} label={`Copy digest of layer ${i + 1}`} className="size-6" />
                      </div>
                    </Td>
                    <Td className="font-mono text-[12px] text-muted">{l.mediaType}</Td>
                    <Td className="text-right tabular-nums">{formatBytes(l.size)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : (
            <CardBody><p className="text-sm text-muted">No layers.</p></CardBody>
          )}
        </Card>
      ) : null}

      <Card className="overflow-hidden">
        <CardHeader title="Referrers" description="Signatures, SBOMs and other artifacts whose subject is this manifest." />
        {m.referrers.length ? (
          <Table>
            <THead><tr><Th>Type</Th><Th>Digest</Th><Th className="text-right">Size</Th></tr></THead>
            <TBody>
              {m.referrers.map((r) => (
                <Tr key={r.digest}>
                  <Td>
                    <div className="flex flex-col gap-0.5">
                      <span className="font-medium text-fg">{artifactLabel(r.artifactType)}</span>
                      {r.artifactType ? <code className="font-mono text-[12px] text-muted">{r.artifactType}</code> : null}
                    </div>
                  </Td>
                  <Td><Link href={link(r.digest)} className="font-mono text-[13px] text-accent hover:underline">{shortDigest(r.digest)}</Link></Td>
                  <Td className="text-right text-muted tabular-nums">{formatBytes(r.size)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <CardBody><p className="text-sm text-muted">Nothing refers to this manifest.</p></CardBody>
        )}
      </Card>

      {Object.keys(m.annotations).length ? (
        <Card>
          <CardHeader title="Annotations" />
          <CardBody className="py-2">
            <dl className="divide-y divide-line">
              {Object.entries(m.annotations).map(([k, v]) => (
                <div key={k} className="grid gap-1 py-2 text-sm sm:grid-cols-[minmax(0,18rem)_minmax(0,1fr)] sm:gap-3">
                  <dt className="font-mono text-[13px] break-all text-muted">{k}</dt>
                  <dd className="break-all text-fg">{String(v)}</dd>
                </div>
              ))}
            </dl>
          </CardBody>
        </Card>
      ) : null}

      <Card className="overflow-hidden">
        <CardHeader title="Raw manifest" actions={<CopyButton text={m.raw} label="Copy raw manifest" />} />
        <pre className="max-h-[32rem] overflow-auto bg-sunken/60 px-5 py-4 font-mono text-[12.5px] leading-relaxed text-fg">{m.raw}</pre>
      </Card>
    </div>
  );
}
