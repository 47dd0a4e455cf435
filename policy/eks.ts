import { KUBERNETES_VERSIONS } from "../components/versions";
import { SecurityCheck, ofTypes } from "./check";
import { isFalse, isWorldCidr, list, nonEmptyString } from "./values";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** What the checks read of an `aws.eks.Cluster`. */
export interface EksClusterProps {
    name?: string;
    version?: string;
    vpcConfig?: { subnetIds?: string[]; endpointPrivateAccess?: boolean; endpointPublicAccess?: boolean; publicAccessCidrs?: string[] };
    accessConfig?: { authenticationMode?: string; bootstrapClusterCreatorAdminPermissions?: boolean };
    encryptionConfig?: EncryptionConfig | EncryptionConfig[];
    enabledClusterLogTypes?: string[];
}

interface EncryptionConfig {
    provider?: { keyArn?: string };
    resources?: string[];
}

const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const cluster = (props: Record<string, unknown>) => props as EksClusterProps;

export const eksSecretsEncryption: SecurityCheck = {
    name: "eks-secrets-encryption",
    checks: ["CKV_AWS_58"],
    description: "EKS clusters envelope-encrypt Kubernetes secrets: encryptionConfig.resources is [\"secrets\"] with a customer-managed KMS key.",
    appliesTo: ofTypes(EKS_CLUSTER),
    inspect: (r) => {
        const config = list(cluster(r.props).encryptionConfig)[0];
        const keyArn = config?.provider?.keyArn;
        const customerKey = nonEmptyString(keyArn) && !keyArn.includes(":alias/aws/");
        return list(config?.resources).includes("secrets") && customerKey
            ? []
            : [{ check: "CKV_AWS_58", message: `EKS cluster ${r.name} does not encrypt Kubernetes secrets with a customer-managed KMS key (set encryptionConfig { resources: ["secrets"], provider.keyArn })` }];
    },
};

export const eksControlPlaneLogging: SecurityCheck = {
    name: "eks-control-plane-logging",
    checks: ["CKV_AWS_37"],
    description: `EKS clusters send all five control-plane log types (${CONTROL_PLANE_LOG_TYPES.join(", ")}) to CloudWatch.`,
    appliesTo: ofTypes(EKS_CLUSTER),
    inspect: (r) => {
        const enabled = list(cluster(r.props).enabledClusterLogTypes);
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
        return missing.length === 0 ? [] : [{ check: "CKV_AWS_37", message: `EKS cluster ${r.name} does not enable control-plane log types ${missing.join(", ")}` }];
    },
};

export const eksApiAuthenticationMode: SecurityCheck = {
    name: "eks-api-authentication-mode",
    checks: ["CIS 4.1.7"],
    description: "EKS clusters authenticate through access entries only: accessConfig.authenticationMode is \"API\" (no aws-auth ConfigMap).",
    appliesTo: ofTypes(EKS_CLUSTER),
    inspect: (r) => {
        const mode = cluster(r.props).accessConfig?.authenticationMode ?? "CONFIG_MAP (the default)";
        return mode === "API" ? [] : [{ check: "CIS 4.1.7", message: `EKS cluster ${r.name} uses authenticationMode ${mode}; it must be "API"` }];
    },
};

export const eksPublicEndpointRestricted: SecurityCheck = {
    name: "eks-public-endpoint-restricted",
    checks: ["CKV_AWS_38"],
    description:
        "A public EKS API endpoint (endpointPublicAccess defaults to true) lists publicAccessCidrs, none of them 0.0.0.0/0 or ::/0. A waiver applies outside prod only.",
    appliesTo: ofTypes(EKS_CLUSTER),
    unwaivableInProd: ["CKV_AWS_38"],
    inspect: (r) => {
        const vpc = cluster(r.props).vpcConfig;
        if (isFalse(vpc?.endpointPublicAccess)) return [];
        const cidrs = list(vpc?.publicAccessCidrs);
        if (cidrs.length === 0) {
            return [{ check: "CKV_AWS_38", message: `EKS cluster ${r.name} has a public endpoint without publicAccessCidrs, so EKS opens it to 0.0.0.0/0` }];
        }
        const world = cidrs.filter(isWorldCidr);
        return world.length === 0 ? [] : [{ check: "CKV_AWS_38", message: `EKS cluster ${r.name} opens its public endpoint to ${world.join(", ")}` }];
    },
};

export const eksPrivateEndpoint: SecurityCheck = {
    name: "eks-private-endpoint",
    checks: ["CKV_AWS_39"],
    description:
        "EKS clusters keep the private API endpoint on (vpcConfig.endpointPrivateAccess: true), so nodes never reach the API over the internet; in prod the public endpoint is off unless a waiver gives the reason (a first run from outside the VPC).",
    appliesTo: ofTypes(EKS_CLUSTER),
    inspect: (r, ctx) => {
        const vpc = cluster(r.props).vpcConfig;
        if (vpc?.endpointPrivateAccess !== true) {
            return [{ check: "CKV_AWS_39", message: `EKS cluster ${r.name} has no private endpoint (vpcConfig.endpointPrivateAccess must be true)` }];
        }
        return ctx.facts.isProd && !isFalse(vpc?.endpointPublicAccess)
            ? [{ check: "CKV_AWS_39", message: `prod EKS cluster ${r.name} has a public endpoint; reach the private one through privateAccessCidrs` }]
            : [];
    },
};

export const eksNoCreatorAdminInProd: SecurityCheck = {
    name: "eks-no-creator-admin-in-prod",
    checks: ["BP iam"],
    description:
        "In prod, no identity is cluster-admin by accident: accessConfig.bootstrapClusterCreatorAdminPermissions is false (EKS defaults it to true; it is fixed at creation). Not waivable in prod.",
    appliesTo: ofTypes(EKS_CLUSTER),
    unwaivableInProd: ["BP iam"],
    inspect: (r, ctx) => {
        if (!ctx.facts.isProd) return [];
        return isFalse(cluster(r.props).accessConfig?.bootstrapClusterCreatorAdminPermissions)
            ? []
            : [{ check: "BP iam", message: `prod EKS cluster ${r.name} makes its creator cluster-admin (accessConfig.bootstrapClusterCreatorAdminPermissions must be false)` }];
    },
};

/** The minor of a `1.NN` Kubernetes version, or undefined for anything else. */
function kubernetesMinor(version: unknown): number | undefined {
    const m = typeof version === "string" ? /^1\.(\d+)$/.exec(version.trim()) : null;
    return m ? Number(m[1]) : undefined;
}

const OLDEST = KUBERNETES_VERSIONS.oldestSupported;
const NEWEST = KUBERNETES_VERSIONS.newestSupported;

export const eksSupportedVersion: SecurityCheck = {
    name: "eks-supported-version",
    checks: ["CKV_AWS_339"],
    description: `EKS clusters pin a Kubernetes version EKS supports: version is 1.NN from ${OLDEST} to ${NEWEST} (components/versions.ts).`,
    appliesTo: ofTypes(EKS_CLUSTER),
    inspect: (r) => {
        const version = cluster(r.props).version;
        if (version === undefined || version === null || version === "") {
            return [{ check: "CKV_AWS_339", message: `EKS cluster ${r.name} sets no version, so EKS picks one at creation and nothing keeps it within ${OLDEST}-${NEWEST}` }];
        }
        const minor = kubernetesMinor(version);
        const [oldest, newest] = [kubernetesMinor(OLDEST)!, kubernetesMinor(NEWEST)!];
        if (minor !== undefined && minor >= oldest && minor <= newest) return [];
        const what = minor === undefined ? `version ${JSON.stringify(version)}, which is not of the form 1.NN` : `Kubernetes ${version}`;
        return [{ check: "CKV_AWS_339", message: `EKS cluster ${r.name} runs ${what}; supported versions are ${OLDEST} to ${NEWEST}` }];
    },
};

export const eksClusterChecks: SecurityCheck[] = [
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksApiAuthenticationMode,
    eksPublicEndpointRestricted,
    eksPrivateEndpoint,
    eksSupportedVersion,
    eksNoCreatorAdminInProd,
];
