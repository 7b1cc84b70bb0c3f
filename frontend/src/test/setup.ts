/** Unit tests run with the backend's step manifest as committed (kept equal to the backend's by a pytest). */
import manifest from "../nodes/manifest.snapshot.json";
import type { StepManifest } from "../nodes/manifest";
import { installManifest } from "../nodes/registry";

installManifest(manifest as unknown as StepManifest);
