"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { suggestRepositoriesAction } from "@/portal/actions/repository-actions";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { PlusIcon } from "../ui/icons";
import { useDebounced } from "../use-debounced";

export const GRID_ACTIONS = ["content/read", "content/write", "content/delete", "metadata/read", "metadata/write"] as const;
export type GridRule = { repository: string; actions: string[] };

const PATTERN = /^(?:\*|[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?:\/\*)?)$/;

/**
 * Client-side check, so mistakes show next to the row before anything is sent (the
 * server checks again). A row with no repository is a spare row and ignored, unless
 * no row names one.
 */
export function gridProblems(rules: GridRule[]): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Set<string>();
  const anyFilled = rules.some((r) => r.repository.trim());
  rules.forEach((r, i) => {
    const repo = r.repository.trim();
    if (!repo) {
      if (!anyFilled && i === 0) out.set(i, "Name a repository, a prefix like team/*, or * for all.");
      return;
    }
    if (!PATTERN.test(repo)) out.set(i, "Use a lower-case repository name, prefix/*, or *.");
    else if (seen.has(repo)) out.set(i, "This repository is already in the list.");
    else if (!r.actions.length) out.set(i, "Tick at least one action.");
    seen.add(repo);
  });
  return out;
}

/** Scope-map rules from ACR action strings (`repositories/<repo>/<action>`). */
export function rulesFromActions(actions: string[]): GridRule[] {
  const by = new Map<string, string[]>();
  for (const a of actions) {
    const m = /^repositories\/(.+)\/(content\/\w+|metadata\/\w+)$/.exec(a);
    if (!m) continue;
    by.set(m[1], [...(by.get(m[1]) ?? []), m[2]]);
  }
  return [...by.entries()].map(([repository, acts]) => ({ repository, actions: acts }));
}

/** Repositories (exact, prefix/* or *) × the five actions, with autocomplete from the registry's repositories. */
export function ScopeGrid({ registry, rules, onChange, readOnly, showErrors }: { registry: string; rules: GridRule[]; onChange?: (r: GridRule[]) => void; readOnly?: boolean; showErrors?: boolean }) {
  const listId = useId();
  const [prefix, setPrefix] = useState<string | null>(null);
  const problems = showErrors ? gridProblems(rules) : new Map<number, string>();
  const debouncedPrefix = useDebounced(prefix, 150);
  // Suggestions start once a repository cell has focus; read-only grids never ask.
  const suggested = useQuery({
    queryKey: ["repository-suggestions", registry, debouncedPrefix],
    enabled: debouncedPrefix !== null && !readOnly,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const r = await suggestRepositoriesAction({ registry, prefix: debouncedPrefix ?? "" });
      if (!r.ok) throw new Error(r.message);
      return r.data;
    },
  });
  const suggestions = suggested.data ?? [];
  const set = (i: number, r: GridRule) => onChange?.(rules.map((x, j) => (j === i ? r : x)));
  return (
    <div className="relative overflow-x-auto rounded-md border border-line">
      <datalist id={listId}>
        {suggestions.map((s) => <option key={s} value={s} />)}
        {suggestions.map((s) => (s.includes("/") ? <option key={`${s}-p`} value={`${s.slice(0, s.lastIndexOf("/"))}/*`} /> : null))}
      </datalist>
      <table className="w-full text-sm">
        <thead className="bg-sunken/60 text-xs font-medium text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">Repository</th>
            {GRID_ACTIONS.map((a) => (
              <th key={a} scope="col" className="px-2 py-2 text-center font-medium whitespace-nowrap">
                {a.split("/")[0]}
                <br />
                <span className="text-fg">{a.split("/")[1]}</span>
              </th>
            ))}
            {readOnly ? null : <th scope="col"><span className="sr-only">Remove</span></th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rules.map((r, i) => (
            <tr key={i} className="align-top">
              <td className="px-3 py-2">
                {readOnly ? (
                  <code className="font-mono text-[13px]">{r.repository}</code>
                ) : (
                  <>
                    <Input
                      aria-label={`Repository of row ${i + 1}`}
                      list={listId}
                      value={r.repository}
                      placeholder="team/app or team/*"
                      autoComplete="off"
                      className="h-8 min-w-48 font-mono text-[13px]"
                      aria-invalid={problems.has(i) || undefined}
                      onFocus={() => setPrefix(r.repository)}
                      onChange={(e) => {
                        set(i, { ...r, repository: e.target.value });
                        setPrefix(e.target.value);
                      }}
                    />
                    {problems.get(i) ? <p className="mt-1 text-[12px] text-danger">{problems.get(i)}</p> : null}
                  </>
                )}
              </td>
              {GRID_ACTIONS.map((a) => (
                <td key={a} className="px-2 py-2 text-center">
                  <input
                    type="checkbox"
                    className="mt-2 size-4 accent-[var(--wh-accent)]"
                    aria-label={`${a} on ${r.repository || `row ${i + 1}`}`}
                    checked={r.actions.includes(a)}
                    disabled={readOnly}
                    onChange={(e) => set(i, { ...r, actions: e.target.checked ? [...r.actions, a] : r.actions.filter((x) => x !== a) })}
                  />
                </td>
              ))}
              {readOnly ? null : (
                <td className="px-2 py-2 text-right">
                  <Button variant="ghost" size="sm" aria-label={`Remove row ${i + 1}`} onClick={() => onChange?.(rules.filter((_, j) => j !== i))}>
                    Remove
                  </Button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {readOnly ? null : (
        <div className="border-t border-line px-3 py-2">
          <Button variant="ghost" size="sm" onClick={() => onChange?.([...rules, { repository: "", actions: ["content/read"] }])}>
            <PlusIcon className="size-4" /> Add repository
          </Button>
        </div>
      )}
    </div>
  );
}
