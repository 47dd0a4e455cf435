/** What the render tests add to tooling/offline/render.ts: one render per graph, masking, value edits. */
import type { StackGraph } from "../../tooling/offline/harness";
import { RenderedStack, renderStack } from "../../tooling/offline/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { fixturesDir } from "../../tooling/offline/stack-files";
import { stackNames } from "./stacks";

/** Fields charts fill with certificates generated at render time (`genCA`): different on every render. */
const GENERATED = /^(\s*(?:caBundle|tls\.crt|tls\.key|ca\.crt|ca\.key):\s*)\S+$/gm;

/** `helm template` output with render-time certificates masked, for comparing two renders. */
export function maskGenerated(yaml: string): string {
    return yaml.replace(GENERATED, "$1<generated>");
}

/** A copy of `values` with `value` at `keys`. */
export function withPath(values: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> {
    const [head, ...rest] = keys;
    const inner = values[head];
    return { ...values, [head]: rest.length === 0 ? value : withPath(inner && typeof inner === "object" ? (inner as Record<string, unknown>) : {}, rest, value) };
}

const rendered = new WeakMap<StackGraph, Promise<RenderedStack>>();

/** `renderStack` once per graph and test run (a fixture and a real stack file may share a stack name). */
export function renderedStack(graph: StackGraph): Promise<RenderedStack> {
    if (!rendered.has(graph)) rendered.set(graph, renderStack(graph, schemaValidator()));
    return rendered.get(graph)!;
}

/** The stacks the render tests cover: every fixture (tests/fixtures/Pulumi.<stack>.yaml), so each mode renders. */
export const RENDER_STACKS: readonly string[] = stackNames(fixturesDir);
