import { CORE_SCHEMA, loadAll } from "js-yaml";
import { parseAllDocuments } from "yaml";

/**
 * Every document of a YAML stream as plain data. js-yaml parses Helm's multi-megabyte output (CRDs)
 * about four times faster than `yaml`; its core schema reads what `yaml` does (no timestamps, no merge
 * keys). A file js-yaml refuses (a chart's CRD template with `{{ }}` in it) falls back to `yaml`, which
 * keeps the documents it can read.
 */
export function loadYamlStream(text: string): unknown[] {
    try {
        return loadAll(text, undefined, { schema: CORE_SCHEMA });
    } catch {
        return parseAllDocuments(text).map((d) => d.toJS());
    }
}
