// Highlights a file preview's <code> elements with highlight.js, served from wwwroot/lib (copied from npm by
// wwwroot-assets/build.mjs). Languages load on first use; the colours are in app.css and follow the portal's theme.
import hljs from "../../lib/highlight/core.min.js";

const bundled = new Set(["bash", "dockerfile", "ini", "javascript", "json", "markdown", "python", "r", "sql", "xml", "yaml"]);
const loading = new Map();

hljs.configure({ ignoreUnescapedHTML: true });

// Training logs: timestamps, levels, numbers and quoted strings.
hljs.registerLanguage("log", () => ({
  name: "Log",
  contains: [
    { scope: "meta", match: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/ },
    { scope: "deletion", match: /\b(?:ERROR|FATAL|CRITICAL|Traceback|Exception|error|failed)\b/ },
    { scope: "built_in", match: /\b(?:WARN|WARNING|warning)\b/ },
    { scope: "keyword", match: /\b(?:INFO|DEBUG|TRACE)\b/ },
    { scope: "number", match: /\b\d+(?:\.\d+)?(?:e[-+]?\d+)?%?/ },
    hljs.QUOTE_STRING_MODE,
  ],
}));

function ensureLanguage(language) {
  if (hljs.getLanguage(language) || !bundled.has(language)) {
    return Promise.resolve();
  }
  if (!loading.has(language)) {
    loading.set(language, import(`../../lib/highlight/languages/${language}.min.js`)
      .then((module) => hljs.registerLanguage(language, module.default)));
  }
  return loading.get(language);
}

export async function highlight(elements, language) {
  await ensureLanguage(language);
  for (const element of elements) {
    if (element && hljs.getLanguage(language)) {
      hljs.highlightElement(element);
    } else if (element) {
      element.classList.add("hljs");
    }
  }
}
