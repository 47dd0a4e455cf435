import { StackGraph, stackGraph } from "../../tooling/offline/harness";
import { fixturesDir } from "../../tooling/offline/stack-files";
import { stackNames } from "./stacks";
import { beforeBuilding } from "./build-hook";

/** The fixture stacks (`tests/fixtures/Pulumi.<stack>.yaml`), built once and shared by every test file. */
export interface FixtureStacks {
    /** The dev fixture: cheap, public endpoint, nothing protected. */
    readonly dev: StackGraph;
    /** The prod fixture: private endpoint, protected, HA. */
    readonly prod: StackGraph;
    /** Every fixture stack, in file-name order. */
    readonly all: StackGraph[];
    /**
     * The fixture stacks of one `computeMode` (by their `computeMode` output): a test of what only one mode
     * builds runs over these, and asserts the other mode's equivalent over the others.
     */
    inMode(mode: "karpenter" | "auto"): StackGraph[];
    /**
     * The fixture stacks with CI access (a `ciDeployRoleArn` output): what the CI role and boundary tests ask.
     * Both modes have one (dev, prod and ipv6 in `karpenter`, auto in `auto`); the others (auto-ipv6) are held to
     * having no CI at all by tests/ci-access-boundary.test.ts.
     */
    readonly withCi: StackGraph[];
}

/**
 * Call inside a `describe`: registers the one `before` hook that builds the fixture stacks (cached, so
 * the whole suite builds each once) and returns getters, readable from tests and later hooks.
 */
export function useStacks(): FixtureStacks {
    let graphs: Map<string, StackGraph> | undefined;
    beforeBuilding(async () => {
        const names = stackNames(fixturesDir);
        const built = await Promise.all(names.map((name) => stackGraph(name)));
        graphs = new Map(names.map((name, i) => [name, built[i]]));
    });
    const get = (name: string): StackGraph => {
        if (!graphs) throw new Error("useStacks(): the stacks exist once its before hook has run; read them inside a test or hook");
        const graph = graphs.get(name);
        if (!graph) throw new Error(`useStacks(): no fixture tests/fixtures/Pulumi.${name}.yaml`);
        return graph;
    };
    return {
        get dev() {
            return get("dev");
        },
        get prod() {
            return get("prod");
        },
        get all() {
            return [...(graphs ?? new Map()).keys()].map(get);
        },
        get withCi() {
            return this.all.filter((g) => g.outputs.ciDeployRoleArn !== null);
        },
        inMode(mode) {
            const matching = this.all.filter((g) => g.outputs.computeMode === mode);
            if (matching.length === 0) throw new Error(`useStacks(): no fixture stack has computeMode ${mode}`);
            return matching;
        },
    };
}
