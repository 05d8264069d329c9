"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { formatDate } from "@/components/ui/format";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { DisabledReason } from "@/components/ui/tooltip";
import { useAction } from "@/components/use-action";
import { createTagRuleAction, deleteTagRuleAction, listTagRulesAction } from "@/portal/actions/tag-rule-actions";
import type { SettingsProps } from "./settings-props";

/** Write-once tag rules: a tag matching a rule may be pushed once, never moved or deleted. */
export function WriteOnceCard({ name, cannotChange }: SettingsProps) {
  const key = ["tag-rules", name];
  const q = useQuery({
    queryKey: key,
    queryFn: async () => {
      const r = await listTagRulesAction({ registry: name });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  const [tagPattern, setTagPattern] = useState("");
  const [repositoryPattern, setRepositoryPattern] = useState("**");
  const add = useAction(createTagRuleAction, {
    fields: ["tagPattern", "repositoryPattern"],
    invalidate: [key],
    success: (d) => `Tags matching ${d.tagPattern} are now write-once.`,
    onSuccess: () => setTagPattern(""),
  });
  const remove = useAction(deleteTagRuleAction, { invalidate: [key], success: (d) => `Rule for ${d.rule.tagPattern} removed.` });
  return (
    <Card>
      <CardHeader title="Write-once tags" description="A tag that matches a rule can be pushed once, then never moved to another image or deleted (nor can its image)." />
      <CardBody className="space-y-4">
        {q.isPending ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading write-once rules">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : q.isError ? (
          <Alert tone="danger" title="Could not load the write-once rules">
            {q.error.message}{" "}
            <button type="button" className="font-medium underline" onClick={() => q.refetch()}>
              Try again
            </button>
          </Alert>
        ) : q.data.length === 0 ? (
          <p className="text-sm text-muted" data-testid="write-once-empty">No rules: every tag can be moved and deleted (unless locked).</p>
        ) : (
          <ul className="divide-y divide-line rounded-md border border-line" aria-label="Write-once rules">
            {q.data.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 px-3 py-2">
                <span className="text-sm text-fg">
                  Tags <code className="font-mono text-[13px]">{r.tagPattern}</code> in repositories <code className="font-mono text-[13px]">{r.repositoryPattern}</code>
                </span>
                <span className="text-[13px] text-muted">
                  {r.createdBy ? `by ${r.createdBy}, ` : ""}
                  {formatDate(r.createdAt)}
                </span>
                <span className="ml-auto">
                  <DisabledReason reason={cannotChange}>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-danger!"
                      disabled={!!cannotChange}
                      pending={remove.pending && remove.variables?.id === r.id}
                      aria-label={`Remove the rule for tags ${r.tagPattern} in ${r.repositoryPattern}`}
                      onClick={() => remove.run({ registry: name, id: r.id })}
                    >
                      Remove
                    </Button>
                  </DisabledReason>
                </span>
              </li>
            ))}
          </ul>
        )}
        <form
          className="flex flex-wrap items-start gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            add.run({ registry: name, tagPattern, repositoryPattern });
          }}
        >
          <div className="w-48">
            <Field id="write-once-tag" label="Tag pattern" hint="e.g. v* or release-?.*" error={add.fieldError("tagPattern")}>
              <Input id="write-once-tag" value={tagPattern} disabled={!!cannotChange} spellCheck={false} onChange={(e) => (setTagPattern(e.target.value), add.reset())} aria-invalid={!!add.fieldError("tagPattern") || undefined} />
            </Field>
          </div>
          <div className="w-56">
            <Field id="write-once-repository" label="Repository pattern" hint="** every repository; team/* one level" error={add.fieldError("repositoryPattern")}>
              <Input
                id="write-once-repository"
                value={repositoryPattern}
                disabled={!!cannotChange}
                spellCheck={false}
                onChange={(e) => (setRepositoryPattern(e.target.value), add.reset())}
                aria-invalid={!!add.fieldError("repositoryPattern") || undefined}
              />
            </Field>
          </div>
          <div className="pt-6">
            <DisabledReason reason={cannotChange}>
              <Button type="submit" variant="secondary" disabled={!!cannotChange || !tagPattern.trim()} pending={add.pending}>
                Add rule
              </Button>
            </DisabledReason>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
