// Vitest global setup: the backend's real step manifest, dumped by `wayfinder steps-manifest`, handed to the
// tests with `provide` (read with `inject("manifest")`), so the contract test checks the two registries as
// they are, never a copy that could drift.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup({ provide }) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const venvPython = resolve(root, ".venv/bin/python");
  const python = process.env.WAYFINDER_PYTHON || (existsSync(venvPython) ? venvPython : "python3");
  const out = execFileSync(python, ["-m", "wayfinder.cli", "steps-manifest"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, PYTHONPATH: resolve(root, "backend") },
  });
  provide("manifest", JSON.parse(out));
  // The node styles, so the contract test can check every tone the backend uses has a colour.
  provide("nodesCss", readFileSync(resolve(root, "frontend/src/styles/nodes.css"), "utf8"));
}
