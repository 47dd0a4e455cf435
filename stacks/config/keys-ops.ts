/** Declarations of the operations keys: metrics, DNS, WAF, container logs, cluster lifecycle (see keys.ts). */
import { BOOLEAN, KeySpec, integer, list, oneOf, pattern } from "./rules";
import { CLOUDWATCH_RETENTION_DAYS } from "./keys-infra";

const RETENTION = oneOf(CLOUDWATCH_RETENTION_DAYS, "a CloudWatch retention period");
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const OPS_KEYS = {
    prometheusReplicas: {
        type: "integer",
        description: "Prometheus replicas; 0 takes the environment's default (2 in production, 1 elsewhere). More than one spreads them over zones on on-demand nodes Karpenter does not consolidate, with a PDB.",
        default: 0,
        rule: integer(0, 3),
        crossKey: "more than one needs on-demand in karpenterCapacityTypes",
    },
    alertmanagerReplicas: {
        type: "integer",
        description: "Alertmanager replicas, clustered; 0 takes the environment's default (3 in production, 1 elsewhere). More than one spreads them like Prometheus.",
        default: 0,
        rule: integer(0, 5),
        crossKey: "more than one needs on-demand in karpenterCapacityTypes",
    },
    dockerHubCredentialsSecret: {
        type: "string",
        description: "Secrets Manager secret (its name starts with ecr-pullthroughcache/) holding Docker Hub `username` and `accessToken`: the stack's ECR pull-through cache pulls Docker Hub images (Grafana, busybox, Velero) with it.",
        default: "ecr-pullthroughcache/docker-hub",
        rule: pattern(/^ecr-pullthroughcache\/[A-Za-z0-9/_+=.@-]{1,480}$/, "a secret name starting with ecr-pullthroughcache/"),
    },
    metricsServerReplicas: {
        type: "integer",
        description: "metrics-server replicas (HorizontalPodAutoscalers and `kubectl top` read it); 2 or more adds a PDB allowing one disruption.",
        default: 2,
        rule: integer(1, 5),
        crossKey: "at most systemNodeMinSize (replicas spread over separate system nodes)",
    },
    externalDnsZoneIds: {
        type: "array",
        description: "Route 53 hosted zone ids external-dns may write records in (for Ingress and Service host names); empty installs no external-dns.",
        default: [],
        rule: list(pattern(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"), { unique: true, maxItems: 10 }),
    },
    externalDnsDomains: {
        type: "array",
        description: "Domains external-dns manages (`--domain-filter`), e.g. the zones' names; empty means every name in the listed zones.",
        default: [],
        rule: list(pattern(DOMAIN, "a DNS domain such as example.com"), { unique: true }),
        crossKey: "empty when externalDnsZoneIds is",
    },
    wafEnabled: {
        type: "boolean",
        description: "Put an AWS WAF web ACL (AWS managed rule groups and a per-IP rate limit) in front of an internet-facing shared ALB.",
        default: true,
        rule: BOOLEAN,
        crossKey: "true in prod when ingressScheme is internet-facing",
    },
    wafRateLimit: {
        type: "integer",
        description: "Requests one client IP may send to the shared ALB in any 5-minute window before WAF blocks it.",
        default: 2000,
        rule: integer(100, 2000000000),
    },
    wafLogRetentionDays: {
        type: "integer",
        description: "Retention of the WAF log group (`aws-waf-logs-<cluster>`), in days.",
        default: 365,
        rule: RETENTION,
    },
    containerLogs: {
        type: "boolean",
        description: "Ship every container's logs to CloudWatch Logs (Fluent Bit on every node) under `/aws/containerinsights/<cluster>/application`.",
        default: true,
        rule: BOOLEAN,
    },
    containerLogRetentionDays: {
        type: "integer",
        description: "Retention of the container log groups, in days (keep it short in dev: logs are billed per GB stored; prod policy needs 365 or more).",
        default: 365,
        rule: RETENTION,
    },
    clusterSupportType: {
        type: "string",
        description: "EKS support policy: `STANDARD` (the cluster is upgraded automatically when standard support ends) or `EXTENDED` (stays on its version, at 6x the control-plane price).",
        default: "STANDARD",
        rule: oneOf(["STANDARD", "EXTENDED"]),
    },
    zonalShift: {
        type: "boolean",
        description: "Let ARC zonal shift move the cluster's traffic away from an impaired availability zone (no cost until a shift starts).",
        default: true,
        rule: BOOLEAN,
    },
} as const satisfies Record<string, KeySpec>;
