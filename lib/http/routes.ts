/**
 * Every /v2 route, in matching order, with the methods it answers and the
 * repository actions each method needs. `name` captures may contain '/', so the
 * fixed suffixes decide the route; upload routes come before blob routes.
 */
export type RouteName = "base" | "catalog" | "tags" | "manifest" | "blob" | "uploadStart" | "upload" | "referrers";

export type Route = {
  name: RouteName;
  pattern: RegExp;
  /** A literal every matching path contains: a cheap test before the regular expression. */
  marker?: string;
  /** method → actions needed on the repository (or on registry:catalog). */
  methods: Record<string, string[]>;
};

const NAME = "(?<name>.+?)";

export const ROUTES: Route[] = [
  { name: "base", pattern: /^\/v2\/?$/, methods: { GET: [], HEAD: [] } },
  { name: "catalog", pattern: /^\/v2\/_catalog$/, methods: { GET: ["*"] } },
  // Listing tags reads metadata: scope-map tokens need metadata/read, not only content/read.
  { name: "tags", marker: "/tags/list", pattern: new RegExp(`^/v2/${NAME}/tags/list$`), methods: { GET: ["metadata_read"] } },
  {
    name: "manifest",
    marker: "/manifests/",
    pattern: new RegExp(`^/v2/${NAME}/manifests/(?<reference>[^/]+)$`),
    methods: { GET: ["pull"], HEAD: ["pull"], PUT: ["pull", "push"], DELETE: ["delete"] },
  },
  { name: "uploadStart", marker: "/blobs/uploads", pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/?$`), methods: { POST: ["pull", "push"] } },
  {
    name: "upload",
    marker: "/blobs/uploads/",
    pattern: new RegExp(`^/v2/${NAME}/blobs/uploads/(?<uuid>[^/]+)$`),
    methods: { GET: ["pull", "push"], PATCH: ["pull", "push"], PUT: ["pull", "push"], DELETE: ["pull", "push"] },
  },
  {
    name: "blob",
    marker: "/blobs/",
    pattern: new RegExp(`^/v2/${NAME}/blobs/(?<digest>[^/]+)$`),
    methods: { GET: ["pull"], HEAD: ["pull"], DELETE: ["delete"] },
  },
  { name: "referrers", marker: "/referrers/", pattern: new RegExp(`^/v2/${NAME}/referrers/(?<digest>[^/]+)$`), methods: { GET: ["pull"] } },
];

export type RouteMatch = { route: Route; params: Record<string, string> };

export function matchRoute(pathname: string): RouteMatch | null {
  for (const route of ROUTES) {
    if (route.marker && !pathname.includes(route.marker)) continue;
    const m = route.pattern.exec(pathname);
    if (m) return { route, params: { ...(m.groups ?? {}) } };
  }
  return null;
}
