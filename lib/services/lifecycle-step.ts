/** A policy step of a garbage-collection run (retention, recycle-bin expiry): it deletes manifests by rule. */
export type StepInput = { registryId?: string; dryRun: boolean; now: Date; actor: string };

/** A manifest a step deleted (or, in a dry run, would delete), for the report and the activity log. */
export type StepItem = { registryId: string; repository: string; digest: string; tags: string[]; size: number };

export type LifecycleStep = { name: string; run(input: StepInput): Promise<StepItem[]> };
