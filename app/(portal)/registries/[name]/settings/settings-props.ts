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
  /** What clients type to reach this registry, for confirmations that name who gains access. */
  loginServer: string;
  /** The caller's address as the server sees it (proxies only when trusted), for "Add my client IP". */
  clientAddress: string | null;
  /** Why the user may not change settings / delete (null when allowed). */
  cannotChange: string | null;
  cannotDelete: string | null;
};
