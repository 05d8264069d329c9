import type { PublicAccess, ResourceTag } from "@wharf/lib/core/registry-rules";

/** What the settings page hands its cards (never the password hashes). */
export type SettingsProps = {
  name: string;
  sku: string;
  skus: { name: string; anonymousPull: boolean; networkRules: boolean }[];
  anonymousPullEnabled: boolean;
  adminUserEnabled: boolean;
  adminPasswords: { which: 1 | 2; created: string | null }[];
  publicAccess: PublicAccess;
  networkRules: string[];
  tags: ResourceTag[];
  /** Why the user may not change settings / delete (null when allowed). */
  cannotChange: string | null;
  cannotDelete: string | null;
};
