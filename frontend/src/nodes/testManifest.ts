/** Tests only: install the backend's manifest that vitest.manifest.mjs dumped and provided. */
import { inject } from "vitest";
import { setManifest, type Manifest } from "./manifest";

declare module "vitest" {
  export interface ProvidedContext {
    manifest: Manifest;
    nodesCss: string;
  }
}

export function useBackendManifest(): Manifest {
  const manifest = inject("manifest");
  setManifest(manifest);
  return manifest;
}
