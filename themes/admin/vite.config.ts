import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Keycloak's admin index.ftl (inherited from keycloak.v2) reads resources/.vite/manifest.json and loads the
// chunk whose source is src/main.tsx, so the entry keeps that name. Everything, React included, is bundled:
// nothing is fetched from a CDN at build or run time.
export default defineConfig({
  base: "",
  logLevel: "warn",
  plugins: [react()],
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
});
