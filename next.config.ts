import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and WASM packages stay outside the bundle and load from node_modules.
  // @wharf/lib is the compiled backend (scripts/build.mjs links it): required at
  // run time, not bundled, so the portal shares server.ts's one instance of lib/.
  serverExternalPackages: ["@wharf/lib", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
