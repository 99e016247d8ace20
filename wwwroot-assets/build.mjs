// Copies the browser files the portal serves (from npm packages and src/) into the web app's wwwroot/lib.
// Runs from the web project's build (see ArtifactPortal.Web.csproj); nothing is ever loaded from a CDN.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "ArtifactPortal.Web", "wwwroot", "lib");

const files = [
  // The Identity account pages keep the template's Bootstrap markup.
  ["node_modules/bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
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
