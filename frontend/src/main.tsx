import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/pages.css";
import "./styles/editor.css";
import "./styles/nodes.css";
import { App } from "./App";
import { loadManifest } from "./nodes/manifest";

function render() {
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// Step outputs, groups and defaults come from the backend's manifest: load it before the first render.
loadManifest()
  .catch((err) => console.error("could not load the step manifest", err))
  .finally(render);
