import type { NextConfig } from "next";

// A static export served by `shopbot serve` under /app/ on the API's own origin: no Node
// server in production, and the merchant API is same-origin (no CORS, cookies stay strict).
// Pages with an id take it from the query string (`/app/bots/edit/?id=...`) because a
// static export cannot know the ids at build time.
const config: NextConfig = {
  output: "export",
  basePath: "/app",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  // A fixed build id keeps the export reproducible, so CI can compare it with a fresh build.
  generateBuildId: async () => "shopbot",
};

export default config;
