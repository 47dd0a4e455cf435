import { PolicyResource } from "@pulumi/policy";
import { KUBERNETES_VERSIONS } from "../../components/versions";
import { RecordedResource } from "../../tooling/offline/mocks";
import { policyResources } from "./policy-harness";
import { PROJECT } from "../../tooling/offline/stack-files";

export type Environment = "dev" | "prod";

/** The tags the program's provider carries for an environment. */
export const stackTags = (environment: string): Record<string, string> => ({ environment, project: PROJECT, "managed-by": "pulumi" });

/** A recorded registration, as the mocks record one. */
export function record(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return { type, name, inputs, custom: true, opts: { dependsOn: [] }, engine: { dependencies: [], propertyDependencies: {}, remote: false }, ...extra };
}

/** The explicit `aws` provider with default tags, encoded the way provider inputs reach the engine. */
export function awsProvider(tags: Record<string, string>): RecordedResource {
    return record("pulumi:providers:aws", "aws", { region: "us-west-2", defaultTags: JSON.stringify({ tags }) });
}

/** A resource that uses the fixture's `aws` provider. */
export function aws(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    return record(type, name, inputs, { provider: `urn:pulumi:fixture::${PROJECT}::pulumi:providers:aws::aws::aws-provider-id` });
}

/** The stack's waivers component, as `policyWaivers` config produces it. */
export function waivers(entries: Record<string, string>): RecordedResource {
    return record("eks-platform:policy:Waivers", "policy-waivers", { waivers: entries }, { custom: false });
}

/**
 * A small stack: the tagged `aws` provider of `environment` plus `resources`, as PolicyResources of
 * a stack named after the environment.
 */
export function fixture(environment: Environment, resources: RecordedResource[], providerTags = stackTags(environment)): PolicyResource[] {
    return policyResources(environment, [awsProvider(providerTags), ...resources]);
}

/** An EKS cluster that passes every cluster check; tests break one field at a time. */
export function eksCluster(name: string, overrides: Record<string, unknown> = {}): RecordedResource {
    return aws("aws:eks/cluster:Cluster", name, {
        name,
        version: KUBERNETES_VERSIONS.default,
        vpcConfig: { subnetIds: ["subnet-private-1", "subnet-private-2"], endpointPrivateAccess: true, endpointPublicAccess: false },
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-west-2:111122223333:key/secrets" }, resources: ["secrets"] },
        enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
        ...overrides,
    });
}

/** A policy document as Terraform-bridged resources hold it: JSON text. */
export const doc = (...Statement: Record<string, unknown>[]): string => JSON.stringify({ Version: "2012-10-17", Statement });
