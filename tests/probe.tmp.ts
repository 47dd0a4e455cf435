import { stackGraph } from "./support/harness";
import { releaseSpecs, kubeVersion, withPath } from "./support/render";
import { helmTemplate, resolveChart } from "./support/helm";
import { leafPaths } from "./support/render-checks";
import * as fs from "fs"; import { parse } from "yaml";
(async () => {
  for (const s of ["dev", "prod"] as const) {
    const g = await stackGraph(s);
    for (const spec of releaseSpecs(g)) {
      const chart = resolveChart(spec);
      const defaults = parse(fs.readFileSync(chart.dir + "/values.yaml", "utf8"));
      const values = chart.disableConditions.reduce((v, c) => withPath(v, c.split("."), false), spec.values);
      const a = await helmTemplate({ ...spec, values, chartDir: chart.dir, kubeVersion: kubeVersion(g) });
      const get = (o: any, p: string[]) => p.reduce((x, k) => (x && typeof x === "object" ? x[k] : undefined), o);
      const leaves = leafPaths(spec.values);
      const same = leaves.filter(p => JSON.stringify(get(defaults, p)) === JSON.stringify(get(spec.values, p)));
      const uncovered = leaves.filter((p) => !same.includes(p)).filter(p => { const v = get(spec.values, p); const t = typeof v === "string" || typeof v === "number" ? String(v) : undefined; return !(t && t.length >= 3 && a.includes(t)); });
      console.log(s, spec.releaseName, "leaves", leaves.length, "default:", same.map(p => p.join(".")).join(" "), "| to render", uncovered.length, uncovered.map(p=>p.join(".")).join(" "));
    }
  }
  process.exit(0);
})();
