/** What tests/upgrade-check.test.ts adds: fixture charts as extra releases, and EKS answering from recorded responses. */
import * as fs from "fs";
import * as path from "path";
import { DescribeAddonVersionsCommand, DescribeInsightCommand, ListInsightsCommand } from "@aws-sdk/client-eks";
import type { EksClientLike } from "../../scripts/upgrade-check/account";
import type { StackGraph } from "../../tooling/offline/harness";
import { fixturesDir } from "../../tooling/offline/stack-files";

/** The fixture charts (tests/fixtures/charts/<chart>-<version>). */
export const FIXTURE_CHARTS = path.join(fixturesDir, "charts");

/** `graph` with one more Helm release, as the program would register it. */
export function withRelease(graph: StackGraph, release: { name: string; namespace: string; chart: string; version: string; values?: Record<string, unknown> }): StackGraph {
    const resources = [
        ...graph.resources,
        { type: "kubernetes:helm.sh/v3:Release", name: release.name, custom: true, opts: { dependsOn: [] }, engine: { dependencies: [], propertyDependencies: {}, remote: false }, inputs: { ...release, values: release.values ?? {} } },
    ];
    return {
        ...graph,
        resources,
        ofType: (type) => resources.filter((r) => r.type === type),
        one: (type, name) => {
            const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
    };
}

const recorded = (file: string) => JSON.parse(fs.readFileSync(path.join(fixturesDir, "eks", file), "utf8"));

/** An EKS client answering from tests/fixtures/eks (`edit` changes a copy of the recordings first); `calls` lists what it was asked. */
export function recordedEks(expectCluster: string, edit: (r: { addons: any; insights: any }) => void = () => undefined): EksClientLike & { calls: string[] } {
    const r = { addons: recorded("describe-addon-versions-1.36.json"), insights: recorded("insights-1.36.json") };
    edit(r);
    const calls: string[] = [];
    const notFound = (message: string) => Object.assign(new Error(message), { name: "ResourceNotFoundException" });
    const send = async (command: unknown) => {
        if (command instanceof DescribeAddonVersionsCommand) {
            calls.push(`DescribeAddonVersions ${command.input.addonName} ${command.input.kubernetesVersion}`);
            return r.addons[command.input.addonName!] ?? { addons: [] };
        }
        if (command instanceof ListInsightsCommand) {
            calls.push(`ListInsights ${command.input.clusterName} ${JSON.stringify(command.input.filter)}`);
            if (command.input.clusterName !== expectCluster) throw notFound(`No cluster found for name: ${command.input.clusterName}.`);
            return r.insights.listInsights;
        }
        if (command instanceof DescribeInsightCommand) {
            calls.push(`DescribeInsight ${command.input.id}`);
            return r.insights.describeInsight[command.input.id!] ?? Promise.reject(notFound(`Insight ${command.input.id} not found`));
        }
        throw new Error(`unexpected command ${(command as object).constructor.name}`);
    };
    return { send: send as unknown as EksClientLike["send"], calls };
}
