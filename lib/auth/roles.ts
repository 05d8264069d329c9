/**
 * The role table of DESIGN §4 (ACR's built-in roles), as data. Only Owner may
 * change role assignments.
 */
export const OPERATIONS = [
  "read", // portal / read configuration (ACR: Access Resource Manager)
  "createRegistry",
  "deleteRegistry",
  "push",
  "pull",
  "deleteImage",
  "changePolicies",
  "sign",
  "assignRoles",
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How the portal and the CLI name each operation. */
export const OPERATION_LABELS: Record<Operation, string> = {
  read: "See in the portal / read configuration",
  createRegistry: "Create registries",
  deleteRegistry: "Delete registries",
  push: "Push images",
  pull: "Pull images",
  deleteImage: "Delete images",
  changePolicies: "Change policies",
  sign: "Sign images",
  assignRoles: "Assign roles",
};

export const ROLES = ["Owner", "Contributor", "Reader", "AcrPush", "AcrPull", "AcrDelete", "AcrImageSigner"] as const;
export type Role = (typeof ROLES)[number];

const manage: Operation[] = ["read", "createRegistry", "deleteRegistry", "push", "pull", "deleteImage", "changePolicies"];

export const ROLE_OPERATIONS: Record<Role, ReadonlySet<Operation>> = {
  Owner: new Set<Operation>([...manage, "assignRoles"]),
  Contributor: new Set<Operation>(manage),
  Reader: new Set<Operation>(["read", "pull"]),
  AcrPush: new Set<Operation>(["push", "pull"]),
  AcrPull: new Set<Operation>(["pull"]),
  AcrDelete: new Set<Operation>(["deleteImage"]),
  AcrImageSigner: new Set<Operation>(["sign"]),
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  Owner: "Full access, including assigning roles to others",
  Contributor: "Manage registries and push, pull and delete images; cannot assign roles",
  Reader: "See registries and their settings; pull images",
  AcrPush: "Push and pull images",
  AcrPull: "Pull images",
  AcrDelete: "Delete images, tags and repositories",
  AcrImageSigner: "Sign images",
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Case-insensitive lookup, so `--role acrpull` works as it does with az. */
export function parseRole(value: string): Role | null {
  return ROLES.find((r) => r.toLowerCase() === value.trim().toLowerCase()) ?? null;
}
