#!/usr/bin/env node
/**
 * Fails (exit 1, naming them) when frontend/src has an import circle. Type-only imports count too: a circle of
 * types still ties two modules together. Imports are read with TypeScript's own `preProcessFile` (TypeScript
 * is already a dev dependency), so the guard needs no extra package. Run by `npm test` before vitest.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");
const EXTENSIONS = [".ts", ".tsx"];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveLocal(from, spec, files) {
  if (!spec.startsWith(".")) return null; // packages are not ours
  const base = resolve(dirname(from), spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** file -> the local files it imports (static imports, re-exports and dynamic imports alike). */
function importGraph(files) {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      const deps = info.importedFiles.map((f) => resolveLocal(file, f.fileName, known)).filter(Boolean);
      return [file, [...new Set(deps)]];
    }),
  );
}

/** Every circle once, as the sorted files on it (Tarjan's strongly connected components). */
function circles(graph) {
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    order.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), order.get(w)));
      }
    }
    if (low.get(v) === order.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}

// The check checks itself first: a known circle must be found, or a broken check would pass everything.
const probe = circles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]));
if (JSON.stringify(probe) !== JSON.stringify([["a", "b", "c"]])) {
  console.error("check-imports: the circle finder is broken:", JSON.stringify(probe));
  process.exit(2);
}

const files = sourceFiles(SRC);
const graph = importGraph(files);
const edges = [...graph.values()].reduce((n, deps) => n + deps.length, 0);
if (edges < files.length) {
  console.error(`check-imports: read only ${edges} imports in ${files.length} files; the import reader is broken`);
  process.exit(2);
}
const found = circles(graph);
if (found.length) {
  console.error(`check-imports: ${found.length} import circle(s) in frontend/src:`);
  for (const c of found) console.error(`  ${c.map((f) => relative(SRC, f)).join(" ↔ ")}`);
  process.exit(1);
}
console.log(`check-imports: no import circles (${files.length} files, ${edges} imports)`);
