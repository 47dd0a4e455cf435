import { FixtureCase, release } from "../../support/policy-builders";
import { record } from "../../support/policy-fixtures";

const namespace = (name: string, labels?: Record<string, string>) => record("kubernetes:core/v1:Namespace", name, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
const store = (name: string, spec: Record<string, unknown>) =>
    record("kubernetes:external-secrets.io/v1:ClusterSecretStore", name, {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name },
        spec: { provider: { aws: { service: "SecretsManager", region: "us-west-2" } }, ...spec },
    });
const ingressClass = (name: string, spec: Record<string, unknown>) =>
    record("kubernetes:networking.k8s.io/v1:IngressClass", name, { apiVersion: "networking.k8s.io/v1", kind: "IngressClass", metadata: { name }, spec });
const ALB = "ingress.k8s.aws/alb";

/** Hand-built stacks the in-cluster isolation policies must (or must not) report on. */
export const kubernetesCases: FixtureCase[] = [
    {
        policy: "kubernetes-namespace-pod-security",
        title: "a namespace without Pod Security labels, and one enforcing an unknown level without a version",
        resources: [namespace("plain"), namespace("typo", { "pod-security.kubernetes.io/enforce": "strict" })],
        expected: [
            ["plain", "BP pod security: Namespace plain has no Pod Security enforce label (pod-security.kubernetes.io/enforce: privileged | baseline | restricted)"],
            ["plain", "BP pod security: Namespace plain does not pin pod-security.kubernetes.io/enforce-version"],
            ["typo", "BP pod security: Namespace typo has no Pod Security enforce label (pod-security.kubernetes.io/enforce: privileged | baseline | restricted)"],
            ["typo", "BP pod security: Namespace typo does not pin pod-security.kubernetes.io/enforce-version"],
        ],
    },
    {
        policy: "kubernetes-namespace-pod-security",
        title: "a restricted namespace pinned to a version",
        resources: [namespace("apps", { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.32" })],
        expected: [],
    },
    {
        policy: "kubernetes-secret-store-scope",
        title: "a store for every namespace, one with an empty selector, one with a catch-all regex",
        resources: [
            store("open", {}),
            store("empty-selector", { conditions: [{ namespaceSelector: {} }] }),
            store("catch-all", { conditions: [{ namespaceRegexes: [".*"] }] }),
        ],
        expected: [
            ["open", "BP secret store scope: ClusterSecretStore open serves every namespace: give spec.conditions naming the namespaces it serves"],
            ["empty-selector", "BP secret store scope: ClusterSecretStore empty-selector serves every namespace: give spec.conditions naming the namespaces it serves"],
            ["catch-all", "BP secret store scope: ClusterSecretStore catch-all serves every namespace: give spec.conditions naming the namespaces it serves"],
        ],
    },
    {
        policy: "kubernetes-secret-store-scope",
        title: "stores limited by name and by label",
        resources: [
            store("named", { conditions: [{ namespaces: ["dev", "staging"] }] }),
            store("labelled", { conditions: [{ namespaceSelector: { matchLabels: { "secrets.example.com/read": "true" } } }] }),
        ],
        expected: [],
    },
    {
        policy: "kubernetes-alb-ingress-class",
        title: "an ALB class without parameters, and the controller chart creating its default class as shipped",
        resources: [
            ingressClass("bare", { controller: ALB }),
            ingressClass("nginx", { controller: "k8s.io/ingress-nginx" }),
            release("lbc", "aws-load-balancer-controller", { clusterName: "c" }),
        ],
        expected: [
            ["bare", "BP ingress class: IngressClass bare builds ALBs without IngressClassParams, so any Ingress may ask for an internet-facing one"],
            ["lbc", "BP ingress class: release lbc creates an IngressClass that does not force scheme internal (set ingressClassParams.spec.scheme internal and ingressClassConfig.default true, or createIngressClassResource false)"],
        ],
    },
    {
        policy: "kubernetes-alb-ingress-class",
        title: "a parameterised class, the chart's internal default class, and a chart creating none",
        resources: [
            ingressClass("public", { controller: ALB, parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: "public" } }),
            release("lbc", "eks/aws-load-balancer-controller", { ingressClassParams: { create: true, name: "alb-internal", spec: { scheme: "internal" } }, ingressClassConfig: { default: true } }),
            release("lbc-no-class", "aws-load-balancer-controller", { createIngressClassResource: false }),
        ],
        expected: [],
    },
];
