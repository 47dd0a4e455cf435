import * as path from "path";
import { stackGraph } from "../../tooling/offline/harness";
import { helmTemplate } from "../../tooling/offline/helm";
import { K8sObject, kubeVersion, parseManifests } from "../../tooling/offline/render";
import { schemaValidator } from "../../tooling/offline/schemas";
import { stackFileConfig } from "../../tooling/offline/stack-files";
import { renderedStack } from "./render";
import { GITOPS_DIR } from "./templates";

/** The fixture stack whose cluster hosts `env`. */
export const hostStack = (env: string): "dev" | "prod" =>
    (stackFileConfig("dev")["eks-platform:gitopsEnvironments"] as string[]).includes(env) ? "dev" : "prod";

const renders = new Map<string, Promise<K8sObject[]>>();

/**
 * `helm template` of one GitOps environment folder, as Argo CD renders it: release `<app>-<env>` in namespace
 * `<env>`; once per folder and values in a process (callers must not mutate the objects).
 */
export function renderFolder(env: string, app: string, values: Record<string, unknown> = {}): Promise<K8sObject[]> {
    const key = JSON.stringify([env, app, values]);
    if (!renders.has(key)) renders.set(key, renderNow(env, app, values));
    return renders.get(key)!;
}

async function renderNow(env: string, app: string, values: Record<string, unknown>): Promise<K8sObject[]> {
    const validator = schemaValidator();
    const host = await stackGraph(hostStack(env));
    // The host's platform first: the CRDs its charts install (the Prometheus Operator's, with
    // kube-prometheus-stack) join the validator, as they are on the cluster the folder deploys to.
    await renderedStack(host);
    const yaml = await helmTemplate({
        releaseName: `${app}-${env}`,
        namespace: env,
        chartDir: path.join(GITOPS_DIR, "envs", env, app),
        values,
        kubeVersion: kubeVersion(host),
        includeCrds: false,
    });
    return parseManifests(yaml, env, (o) => validator.clusterScoped(o));
}
