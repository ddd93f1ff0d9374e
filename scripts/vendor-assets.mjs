// Copies the few built files OpsMon serves from node_modules into opsmon/static/vendor (git-ignored).
// Source-map comments are dropped: the maps are not shipped, and collectstatic's manifest would fail on them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const files = {
  "@tabler/core/dist/css/tabler.min.css": "tabler/tabler.min.css",
  "@tabler/core/dist/js/tabler.min.js": "tabler/tabler.min.js",
  "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
  "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
  "tom-select/dist/js/tom-select.complete.min.js": "tom-select/tom-select.complete.min.js",
  "tom-select/dist/css/tom-select.bootstrap5.min.css": "tom-select/tom-select.bootstrap5.min.css",
};
for (const [from, to] of Object.entries(files)) {
  const target = join("opsmon/static/vendor", to);
  mkdirSync(dirname(target), { recursive: true });
  const text = readFileSync(join("node_modules", from), "utf8")
    .replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*/g, "");
  writeFileSync(target, text);
}
console.log(`vendor assets: ${Object.keys(files).length} files copied`);
