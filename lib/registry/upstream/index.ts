export { UpstreamClient, type UpstreamCredentials, type UpstreamManifest, type UpstreamBlob, type ReferrersIndex } from "./client";
export { UpstreamError, isUpstreamError, type UpstreamFailure } from "./errors";
export { parseUpstreamReference, formatUpstreamReference, canonicalHost, DOCKER_HUB, type UpstreamReference } from "./reference";
export { isInsecureHost } from "./http";
