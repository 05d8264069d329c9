"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TypedNameField } from "@/components/ui/typed-name-field";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { deleteRegistryAction } from "@/portal/actions/delete-registry-action";
import type { SettingsProps } from "./settings-props";

export function DeleteRegistryCard({ name, cannotDelete }: SettingsProps) {
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const m = useAction(deleteRegistryAction, {
    success: (d) => `Deleted registry ${d.name} and its ${d.repositories} ${d.repositories === 1 ? "repository" : "repositories"}.`,
    fields: ["confirmName"],
    onSuccess: () => router.push("/registries"),
  });
  return (
    <Card className="border-danger/40">
      <CardHeader title="Delete registry" description="Its repositories, images, tokens, scope maps and role assignments are deleted with it. This cannot be undone." />
      <CardBody className="space-y-3">
        <TypedNameField
          id="confirm-delete"
          name={name}
          value={typed}
          disabled={!!cannotDelete}
          error={m.fieldError("confirmName")}
          onChange={(v) => (setTyped(v), m.reset())}
          className="max-w-sm"
        />
        <DisabledReason reason={cannotDelete}>
          {/* Stays busy after success while the registry list loads. */}
          <Button
            variant="danger"
            disabled={!!cannotDelete || typed.trim().toLowerCase() !== name}
            pending={m.pending || m.succeeded}
            onClick={() => m.run({ registry: name, confirmName: typed })}
          >
            Delete registry
          </Button>
        </DisabledReason>
      </CardBody>
    </Card>
  );
}
