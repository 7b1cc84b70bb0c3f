import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/pages.css";
import "./styles/editor.css";
import "./styles/nodes.css";
import "./styles/timezones.css";
import "./styles/auth.css";
import "./styles/settings.css";
import { App } from "./App";
import { preloadManifest } from "./editor/useStepManifest";

// The shell (header, navigation, translations) renders at once, never waiting on the API: when the API hangs
// a marketer sees the app and, within the request timeout, each page's error with a retry. The step manifest
// loads alongside; the editor waits for it (and offers a retry when it failed).
preloadManifest();
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
