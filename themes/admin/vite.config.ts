/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";

/**
 * Keycloak's admin index.ftl (inherited from keycloak.v2) reads resources/.vite/manifest.json and writes a
 * <link rel="modulepreload" href="${resourceUrl}/${import}"> for each of the entry's `imports`, taking each
 * manifest key as a file path. Vite's keys of shared chunks are not paths ("_index-abc.js" for
 * assets/index-abc.js), so every preload was a 404: the entry's imports are rewritten to the chunks' files.
 */
function keycloakManifest(): Plugin {
  return {
    name: "keycloak-manifest-entry-imports",
    apply: "build",
    writeBundle(options) {
      const path = join(options.dir!, ".vite", "manifest.json");
      const manifest = JSON.parse(readFileSync(path, "utf8"));
      for (const chunk of Object.values<any>(manifest)) {
        if (chunk.isEntry && chunk.imports) chunk.imports = chunk.imports.map((key: string) => manifest[key]?.file ?? key);
      }
      writeFileSync(path, JSON.stringify(manifest, null, 2));
    },
  };
}

// The server looks for the entry whose source is src/main.tsx, so the entry keeps that name. Everything, React
// included, is bundled: nothing is fetched from a CDN at build or run time.
export default defineConfig({
  base: "",
  logLevel: "warn",
  plugins: [react(), keycloakManifest()],
  build: {
    outDir: process.env.THEME_OUT_DIR ?? "dist",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: "src/main.tsx",
    },
  },
  // Unit tests (npm test, run by mvn test) cover the code that needs no browser: node is enough, no jsdom.
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
