import { StackGraph, buildStack } from "../../tooling/offline/harness";
import { ACCOUNT_ID } from "../../tooling/offline/mocks";

/**
 * Stacks with the optional features the real stack files leave off, each built once and shared
 * by the tests that need it (a build costs about half a second).
 */
export const CERTIFICATE_ARN = `arn:aws:acm:us-west-2:${ACCOUNT_ID}:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
export const CONFIGURED_SECRETS = {
    argocdAdminPassword: "argocd-S3cret-from-config",
    grafanaAdminPassword: "grafana-S3cret-from-config",
    alertSlackWebhookUrl: "https://hooks.slack.com/services/T0/B0/slackS3cretFromConfig",
    alertPagerDutyRoutingKey: "pagerdutyS3cretFromConfig0123456",
    alertHeartbeatUrl: "https://hc-ping.com/heartbeatS3cretFromConfig",
};
/** The one resource allowed to hold each configured secret (as a secret), if any. */
export const SECRET_HOLDERS: Record<keyof typeof CONFIGURED_SECRETS, string[]> = {
    argocdAdminPassword: [],
    grafanaAdminPassword: ["kubernetes:core/v1:Secret monitoring-grafana-admin"],
    alertSlackWebhookUrl: ["kubernetes:core/v1:Secret monitoring-alertmanager-config"],
    alertPagerDutyRoutingKey: ["kubernetes:core/v1:Secret monitoring-alertmanager-config"],
    alertHeartbeatUrl: ["kubernetes:core/v1:Secret monitoring-alertmanager-config"],
};

/** A fixture stack with some keys replaced (`undefined` removes one), `secretKeys` of them set as secrets. */
export interface Variant {
    stack: string;
    overrides: Record<string, unknown>;
    secretKeys: string[];
}

/** Dev with namespace-scoped access entries and Argo CD/Grafana Ingresses on an internet-facing ALB. */
export const DEV_WITH_OPTIONAL_FEATURES: Variant = {
    stack: "dev",
    overrides: {
        namespaceAccess: ["role/developers edit dev,staging", `arn:aws:iam::${ACCOUNT_ID}:user/auditor view production`],
        ingressCertificateArn: CERTIFICATE_ARN,
        argocdHostname: "argocd.dev.example.com",
        grafanaHostname: "grafana.dev.example.com",
        ingressScheme: "internet-facing",
    },
    secretKeys: [],
};

/** Prod without CiAccess (so `pulumi up`'s identity is no admin) and with admin passwords set as secrets. */
export const PROD_WITHOUT_CI_WITH_SECRETS: Variant = {
    stack: "prod",
    overrides: { ciRepository: undefined, ciDeployEnvironments: undefined, ...CONFIGURED_SECRETS },
    secretKeys: Object.keys(CONFIGURED_SECRETS),
};

let devWithExtras: Promise<StackGraph> | undefined;
let prodWithoutCi: Promise<StackGraph> | undefined;

/** The graph of DEV_WITH_OPTIONAL_FEATURES, built once. */
export function devWithOptionalFeatures(): Promise<StackGraph> {
    devWithExtras ??= buildVariant(DEV_WITH_OPTIONAL_FEATURES);
    return devWithExtras;
}

/** The graph of PROD_WITHOUT_CI_WITH_SECRETS, built once. */
export function prodWithoutCiWithSecrets(): Promise<StackGraph> {
    prodWithoutCi ??= buildVariant(PROD_WITHOUT_CI_WITH_SECRETS);
    return prodWithoutCi;
}

const buildVariant = (v: Variant) => buildStack(v.stack, v.overrides, v.secretKeys);
