/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM packages stay outside the bundle and load from node_modules.
  // @wharf/lib is the compiled backend (scripts/build.mjs links it): required at
  // run time, not bundled, so the portal shares server.ts's one instance of lib/.
  serverExternalPackages: ["@wharf/lib", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/client", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

module.exports = nextConfig;
