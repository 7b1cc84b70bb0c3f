/** Every unit test runs with the backend's real step manifest (dumped by vitest.manifest.mjs) installed. */
import { useBackendManifest } from "../nodes/testManifest";

useBackendManifest();
