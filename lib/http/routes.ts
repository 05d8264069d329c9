/**
 * Every /v2 route, in matching order, with the methods it answers and the
 * repository actions each method needs. `name` captures may contain '/', so the
 * fixed suffixes decide the route; upload routes come before blob routes.
 */
export type RouteName = "base" | "catalog" | "tags" | "manifest" | "blob" | "uploadStart" | "upload" | "referrers";

export type Route = {
  name: RouteName;
  pattern: RegExp;
  /** method → actions needed on the repository (or on registry:catalog). */
  methods: Record<string, string[]>;
};

const NAME = "(?<name>.+?)";

export const ROUTES: Route[] = [
  { name: "base", pattern: /^\/v2\/?$/, methods: { GET: [], HEAD: [] } },
  { name: "catalog", pattern: /^\/v2\/_catalog$/, methods: { GET: ["*"] } },
  // Listing tags reads metadata: scope-map tokens need metadata/read, not only content/read.
  { name: "tags", pattern: new RegExp(`^/v2/${NAME}/tags/list$`), methods: { GET: ["metadata_read"] } },
  {
    name: "manifest",
    pattern: new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`),
    methods: { GET: ["pull"], HEAD: ["pull"], PUT: ["pull", "push"], DELETE: ["delete"] },
  },
  { name: "uploadStart", pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/?$`), methods: { POST: ["pull", "push"] } },
  {
    name: "upload",
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`),
    methods: { GET: ["pull", "push"], PATCH: ["pull", "push"], PUT: ["pull", "push"], DELETE: ["pull", "push"] },
  },
  {
    name: "blob",
    pattern: new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`),
    methods: { GET: ["pull"], HEAD: ["pull"], DELETE: ["delete"] },
  },
  { name: "referrers", pattern: new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`), methods: { GET: ["pull"] } },
];

export type RouteMatch = { route: Route; params: Record<string, string> };

export function matchRoute(pathname: string): RouteMatch | null {
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (m) return { route, params: { ...(m.groups ?? {}) } };
  }
  return null;
}
