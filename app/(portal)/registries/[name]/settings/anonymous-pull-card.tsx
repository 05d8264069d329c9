"use client";

import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { setAnonymousPullAction } from "@/portal/actions/set-anonymous-pull-action";
import { SettingRow } from "./setting-row";
import type { SettingsProps } from "./settings-props";

export function AnonymousPullCard({ name, sku, skus, anonymousPullEnabled, cannotChange, loginServer }: SettingsProps) {
  const confirm = useConfirm();
  const skuAllows = skus.find((s) => s.name === sku)?.anonymousPull ?? false;
  const reason = cannotChange ?? (!skuAllows && !anonymousPullEnabled ? `Anonymous pull needs the Standard or Premium SKU; ${name} is ${sku}. Change the SKU below first.` : null);
  const m = useAction(setAnonymousPullAction, { success: (d) => (d.anonymousPullEnabled ? "Anonymous pull enabled." : "Anonymous pull disabled.") });
  const checked = m.pending ? !!m.variables?.enabled : anonymousPullEnabled;
  return (
    <Card>
      <CardHeader title="Anonymous pull" />
      <CardBody className="space-y-4">
        <SettingRow
          id="anonymous-pull"
          title="Allow anonymous pull"
          description="Anyone may pull from every repository without credentials. Pushing still needs credentials."
          control={
            <DisabledReason reason={reason}>
              <Switch
                checked={checked}
                disabled={!!reason}
                pending={m.pending}
                onChange={(enabled) => {
                  // Turning it off only narrows access; turning it on opens every repository, so it asks first.
                  if (!enabled) return m.run({ registry: name, enabled });
                  confirm.ask({
                    title: "Allow anonymous pull?",
                    body: <>Anyone who can reach <code className="font-mono">{loginServer}</code> can pull every repository of {name} without credentials.</>,
                    confirmLabel: "Allow anonymous pull",
                    onConfirm: () => m.run({ registry: name, enabled }),
                  });
                }}
                aria-labelledby="anonymous-pull-label"
                aria-describedby="anonymous-pull-desc anonymous-pull-warning"
              />
            </DisabledReason>
          }
        />
        <div id="anonymous-pull-warning">
          <Alert tone={anonymousPullEnabled ? "danger" : "info"} title="This opens every repository">
            Anyone who can reach this server can pull every image in {name}. Repository-scoped tokens then add nothing for pull; consider deleting
            tokens that exist only to pull. The change applies to the next token a client asks for.
          </Alert>
        </div>
      </CardBody>
      {confirm.dialog}
    </Card>
  );
}
