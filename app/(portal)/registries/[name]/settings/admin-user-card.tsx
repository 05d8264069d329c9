"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Switch } from "@/components/ui/switch";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { regenerateAdminPasswordAction } from "@/portal/actions/regenerate-admin-password-action";
import { setAdminUserAction } from "@/portal/actions/set-admin-user-action";
import { SettingRow } from "./setting-row";
import type { SettingsProps } from "./settings-props";

const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function AdminUserCard({ name, adminUserEnabled, adminPasswords, cannotChange }: SettingsProps) {
  const [shown, setShown] = useState<{ name: string; value: string }[]>([]);
  const toggle = useAction(setAdminUserAction, {
    success: (d) => (d.adminUserEnabled ? "Admin user enabled." : "Admin user disabled."),
    onSuccess: (d) => setShown(d.passwords),
  });
  const regen = useAction(regenerateAdminPasswordAction, { success: (_d, i) => `Password ${i.which} regenerated.`, onSuccess: (d) => setShown(d.passwords) });
  const checked = toggle.pending ? !!toggle.variables?.enabled : adminUserEnabled;
  return (
    <Card>
      <CardHeader title="Admin user" />
      <CardBody className="space-y-4">
        <SettingRow
          id="admin-user"
          title="Enable admin user"
          description={
            <>
              A single account with push and pull on every repository: username <code className="font-mono text-fg">{name}</code> and either of two
              passwords. Prefer tokens or role assignments for anything shared.
            </>
          }
          control={
            <DisabledReason reason={cannotChange}>
              <Switch
                checked={checked}
                disabled={!!cannotChange}
                pending={toggle.pending}
                onChange={(enabled) => toggle.run({ registry: name, enabled })}
                aria-labelledby="admin-user-label"
                aria-describedby="admin-user-desc"
              />
            </DisabledReason>
          }
        />
        {shown.length ? (
          <Alert title="Copy the new password now" className="[&_p]:text-fg">
            <p className="mb-2">Passwords are stored only as hashes, so Wharf cannot show this value again.</p>
            <div className="space-y-1.5">
              {shown.map((p) => (
                <div key={p.name} className="flex items-center gap-2 rounded-md border border-line bg-surface py-1 pr-1 pl-3">
                  <span className="w-20 shrink-0 text-[13px] text-muted">{p.name}</span>
                  <code className="min-w-0 flex-1 truncate font-mono text-[13px] text-fg" data-testid={`shown-${p.name}`}>
                    {p.value}
                  </code>
                  <CopyButton text={p.value} label={`Copy ${p.name}`} />
                </div>
              ))}
            </div>
          </Alert>
        ) : null}
        {adminUserEnabled ? (
          <div className="divide-y divide-line rounded-md border border-line">
            <div className="flex items-center justify-between px-4 py-2.5 text-sm">
              <span className="text-muted">Username</span>
              <span className="flex items-center gap-1">
                <code className="font-mono text-fg">{name}</code>
                <CopyButton text={name} label="Copy username" className="size-6" />
              </span>
            </div>
            {adminPasswords.map((p) => (
              <div key={p.which} className="flex items-center justify-between gap-3 px-4 py-2.5 text-sm">
                <div>
                  <span className="text-fg">Password {p.which}</span>
                  <span className="ml-2 text-[13px] text-muted">{p.created ? `generated ${dateFormat.format(new Date(p.created))}` : "not set"}</span>
                </div>
                <DisabledReason reason={cannotChange}>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={!!cannotChange || regen.pending}
                    pending={regen.pending && regen.variables?.which === p.which}
                    onClick={() => regen.run({ registry: name, which: p.which })}
                    aria-label={`Regenerate password ${p.which}`}
                  >
                    Regenerate
                  </Button>
                </DisabledReason>
              </div>
            ))}
          </div>
        ) : null}
        <p className="text-[12.5px] text-subtle">Values are shown once, when generated: Wharf keeps only a SHA-256 hash of each password.</p>
      </CardBody>
    </Card>
  );
}
