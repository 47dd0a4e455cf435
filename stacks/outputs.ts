import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./config/keys";

/** The shape of an output's value: a string, a list of strings, or a map of names to strings. */
export type OutputShape = "string" | "list" | "map";

/** Which stacks have an output: those whose validated config passes `has`, described for the README. */
export interface OutputCondition {
    /** The condition in README words, e.g. "with an Ingress". */
    text: string;
    /** Whether a stack with this config has the output. */
    has: (cfg: PlatformConfig) => boolean;
}

/** One stack output. */
export interface OutputSpec {
    /** What the value is, as the README table says it. */
    description: string;
    shape: OutputShape;
    /** Exported as a Pulumi secret (`pulumi stack output <name> --show-secrets` shows it). */
    secret: boolean;
    /** Absent: every stack has it. Otherwise the stacks without it export null (a map output: an empty map). */
    when?: OutputCondition;
}

const withIngress: OutputCondition = { text: "with an Ingress (`ingressCertificateArn`)", has: (cfg) => cfg.platform.ingress !== undefined };
const withCi: OutputCondition = { text: "with CI access (`ciRepository`)", has: (cfg) => cfg.ci !== undefined };
const withCiApplications: OutputCondition = { text: "with `ciApplications`", has: (cfg) => (cfg.ci?.applications ?? []).length > 0 };

/**
 * Every stack output, in the order `pulumi stack output` lists them. The program exports exactly these
 * (stacks/program.ts), the README's outputs table is generated from them (`npm run config:docs`), and the
 * tests check each against the built fixture stacks.
 */
export const STACK_OUTPUTS = {
    vpcId: { description: "ID of the stack's VPC.", shape: "string", secret: false },
    vpcCidr: { description: "The VPC's CIDR block (`vpcCidr`).", shape: "string", secret: false },
    ipFamily: { description: "The IP family the VPC and the cluster were created with (`ipFamily`); fixed for the stack's life.", shape: "string", secret: false },
    vpcIpv6Cidr: {
        description: "The VPC's Amazon-provided IPv6 block (a /56; each subnet has a /64 of it).",
        shape: "string",
        secret: false,
        when: { text: "with `ipFamily: ipv6`", has: (cfg) => cfg.network.ipFamily === "ipv6" },
    },
    publicSubnetIds: { description: "Public subnet IDs, one per zone.", shape: "list", secret: false },
    privateSubnetIds: { description: "Private subnet IDs, one per zone (nodes, the control plane's ENIs).", shape: "list", secret: false },
    repositoryUrls: { description: "ECR repository name → URL, one per `ecrRepositories` entry.", shape: "map", secret: false },
    clusterName: { description: "The EKS cluster's name.", shape: "string", secret: false },
    computeMode: { description: "`karpenter` or `auto` (`computeMode`), as the cluster was created; the preflight refuses a change.", shape: "string", secret: false },
    clusterEndpoint: { description: "The Kubernetes API server's URL.", shape: "string", secret: false },
    clusterCertificateAuthority: { description: "The cluster's certificate authority data (base64).", shape: "string", secret: false },
    nodeSecurityGroupId: { description: "The cluster security group the nodes share.", shape: "string", secret: false },
    kubeconfig: { description: "A kubeconfig for the cluster (authenticates with `aws eks get-token`).", shape: "string", secret: true },
    appSecretsKeyArn: { description: "KMS key for the applications' Secrets Manager secrets (External Secrets reads them).", shape: "string", secret: false },
    argocdUrl: { description: "Argo CD's URL (`argocdHostname`).", shape: "string", secret: false, when: withIngress },
    grafanaUrl: { description: "Grafana's URL (`grafanaHostname`).", shape: "string", secret: false, when: withIngress },
    argocdAdminPassword: { description: "Argo CD's admin password (`argocdAdminPassword`, or the generated one).", shape: "string", secret: true },
    grafanaAdminPassword: { description: "Grafana's admin password (`grafanaAdminPassword`, or the generated one).", shape: "string", secret: true },
    ciDeployRoleArn: { description: "The CI deploy role (cluster-admin; runs `pulumi up`).", shape: "string", secret: false, when: withCi },
    ciPreviewRoleArn: { description: "The CI preview role (read-only; runs `pulumi preview`).", shape: "string", secret: false, when: withCi },
    wafAclArn: {
        description: "The shared ALB's WAF web ACL; app Ingresses joining the group carry it in `alb.ingress.kubernetes.io/wafv2-acl-arn`.",
        shape: "string",
        secret: false,
        when: {
            text: "with a WAF in front of an internet-facing ALB (`ingressScheme`, `wafEnabled`)",
            has: (cfg) => cfg.platform.ingress?.scheme === "internet-facing" && cfg.platform.waf.enabled,
        },
    },
    ciImagePushRoleArns: {
        description: "Application repository → image-push role ARN: `AWS_ECR_PUSH_ROLE_ARN_<ENV>` of the service template.",
        shape: "map",
        secret: false,
        when: withCiApplications,
    },
    ciImagePullRoleArns: {
        description: "Application repository → image-pull (promotion) role ARN: `AWS_ECR_PULL_ROLE_ARN_<ENV>` of the service template.",
        shape: "map",
        secret: false,
        when: {
            text: "with `ciApplications` and `ciApplicationPullEnvironment`",
            has: (cfg) => withCiApplications.has(cfg) && cfg.ci?.applicationPullEnvironment !== undefined,
        },
    },
} as const satisfies Record<string, OutputSpec>;

export type OutputName = keyof typeof STACK_OUTPUTS;

/** The output names, in declaration order. */
export const OUTPUT_NAMES = Object.keys(STACK_OUTPUTS) as OutputName[];

type ShapeValue<S extends OutputShape> = S extends "string" ? string : S extends "list" ? string[] : Record<string, string>;
type ValueOf<K extends OutputName> = pulumi.Input<ShapeValue<(typeof STACK_OUTPUTS)[K]["shape"]>>;
type Conditional = { [K in OutputName]: (typeof STACK_OUTPUTS)[K] extends { when: OutputCondition } ? K : never }[OutputName];

/** What the composition returns: every output, a conditional one undefined in the stacks without it. */
export type PlatformOutputs = { [K in Exclude<OutputName, Conditional>]: ValueOf<K> } & { [K in Conditional]?: ValueOf<K> };

/** What a stack without a conditional output exports for it. */
export const absentValue = (spec: OutputSpec): null | Record<string, never> => (spec.shape === "map" ? {} : null);

/**
 * The stack outputs: every declared output always, one the stack does not have as null (or an empty map),
 * so `pulumi stack output` lists them all and no run warns of an undefined output.
 */
export function stackOutputs(o: PlatformOutputs): Record<OutputName, unknown> {
    const spec = (name: OutputName): OutputSpec => STACK_OUTPUTS[name];
    return Object.fromEntries(OUTPUT_NAMES.map((name) => [name, o[name] ?? absentValue(spec(name))])) as Record<OutputName, unknown>;
}
