import { nameInvalid } from "./errors";
import { REGISTRY_NAME_PATTERN } from "./registry-rules";

/** OCI name grammar: lower-case components joined by '/'. */
const COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const MAX_NAME = 255;

/** Throws NameInvalid unless `name` follows the OCI repository name grammar. */
export function assertRepositoryName(name: string): void {
  const hint = "Repository names are lower-case letters and digits, separated by '.', '_', '__' or '-', with '/' between path components, e.g. team/hello-world.";
  if (!name) throw nameInvalid(`The repository name is empty. ${hint}`, { name });
  if (name.length > MAX_NAME) throw nameInvalid(`The repository name is longer than ${MAX_NAME} characters.`, { name });
  for (const part of name.split("/")) {
    if (!part) throw nameInvalid(`'${name}' has an empty path component. ${hint}`, { name });
    if (!COMPONENT_RE.test(part)) throw nameInvalid(`'${name}' is not a valid repository name (component '${part}'). ${hint}`, { name });
  }
}

export function isValidRepositoryName(name: string): boolean {
  try {
    assertRepositoryName(name);
    return true;
  } catch {
    return false;
  }
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export type RepositoryRef = {
  /** The name the client uses (and the token's access name): `<registry>/<repo>` path-style, `<repo>` host-style. */
  fullName: string;
  registry: string;
  repository: string;
};

/**
 * Splits a client-visible name. Path-style (no host registry): the first
 * component is the registry. Host-style: the registry comes from the Host header.
 */
export function splitName(fullName: string, hostRegistry: string | null): RepositoryRef {
  assertRepositoryName(fullName);
  if (hostRegistry) return { fullName, registry: hostRegistry, repository: fullName };
  const slash = fullName.indexOf("/");
  if (slash < 0) {
    throw nameInvalid(
      `'${fullName}' has no repository part. Name images <registry>/<repository>, e.g. ${fullName}/hello-world.`,
      { name: fullName },
    );
  }
  const registry = fullName.slice(0, slash);
  if (!REGISTRY_NAME_PATTERN.test(registry)) {
    throw nameInvalid(`'${registry}' is not a registry name: registry names are 5–50 lower-case letters and digits.`, { name: fullName });
  }
  return { fullName, registry, repository: fullName.slice(slash + 1) };
}
