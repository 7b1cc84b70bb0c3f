/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const backend = "http://127.0.0.1:5000";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "../backend/wayfinder/static/app",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      "/api": backend,
      "/healthz": backend,
      "/socket.io": { target: backend, ws: true },
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
    globalSetup: ["./vitest.manifest.mjs"],
    setupFiles: ["src/test/setup.ts"],
  },
});
