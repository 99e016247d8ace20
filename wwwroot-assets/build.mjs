// Copies the browser files the portal serves (from npm packages and src/) into the web app's wwwroot/lib.
// Runs from the web project's build (see ArtifactPortal.Web.csproj); nothing is ever loaded from a CDN.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "ArtifactPortal.Web", "wwwroot", "lib");

// Keep in step with the languages that PreviewClassifier (ArtifactPortal.Core) assigns.
const highlightLanguages = ["bash", "dockerfile", "ini", "javascript", "json", "markdown", "python", "r", "sql", "xml", "yaml"];

const files = [
  // The Identity account pages keep the template's Bootstrap markup.
  ["node_modules/bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  // File previews highlight text with highlight.js (ES module builds); the colours come from app.css, per theme.
  ["node_modules/@highlightjs/cdn-assets/es/core.min.js", "highlight/core.min.js"],
  ["node_modules/@highlightjs/cdn-assets/LICENSE", "highlight/LICENSE"],
  ...highlightLanguages.map((language) => [
    `node_modules/@highlightjs/cdn-assets/es/languages/${language}.min.js`,
    `highlight/languages/${language}.min.js`,
  ]),
  // Lineage graphs: Cytoscape.js with the dagre layout (bundled into cytoscape-dagre) and SVG export (UMD; sets window.cytoscapeSvg).
  ["node_modules/cytoscape/dist/cytoscape.esm.min.mjs", "cytoscape/cytoscape.esm.min.mjs"],
  ["node_modules/cytoscape/LICENSE", "cytoscape/LICENSE"],
  ["node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.mjs", "cytoscape/cytoscape-dagre.min.mjs"],
  ["node_modules/cytoscape-dagre/LICENSE", "cytoscape/LICENSE-dagre"],
  ["node_modules/cytoscape-svg/cytoscape-svg.js", "cytoscape/cytoscape-svg.js"],
  ["node_modules/cytoscape-svg/LICENSE", "cytoscape/LICENSE-svg"],
  // The portal's own ES modules, served as they are (no bundler needed for a handful of files).
  ["src/uploader.js", "artifactportal/uploader.js"],
];

rmSync(target, { recursive: true, force: true });
for (const [from, to] of files) {
  const destination = join(target, to);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(join(here, from), destination);
}
console.log(`Copied ${files.length} file(s) to ${target}`);
