import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { BCRYPT_HASH, FixtureCase, release } from "../../support/policy-builders";

/** Hand-built stacks the Helm policies must (or must not) report on. */
export const helmCases: FixtureCase[] = [
    // Helm
    {
        policy: "argocd-values",
        title: "argo-cd with a plaintext admin password, a LoadBalancer server and exec enabled",
        resources: [
            release("argocd", "argo-cd", {
                configs: { secret: { argocdServerAdminPassword: "hunter2hunter2" }, cm: { "exec.enabled": "true" } },
                server: { service: { type: "LoadBalancer" } },
            }),
        ],
        expected: [
            ["argocd", "argo-cd chart: release argocd sets configs.secret.argocdServerAdminPassword to something other than a bcrypt hash ($2a$/$2b$/$2y$)"],
            ["argocd", "argo-cd chart: release argocd exposes argocd-server as a LoadBalancer Service; it must stay ClusterIP"],
            ["argocd", 'argo-cd chart: release argocd enables exec into pods (configs.cm."exec.enabled")'],
        ],
    },
    {
        policy: "argocd-values",
        title: "a plaintext password even when it is a Pulumi secret (policies see secrets unwrapped)",
        resources: [release("argocd", "argo/argo-cd", { configs: { secret: { argocdServerAdminPassword: { [specialSigKey]: specialSecretSig, value: "hunter2hunter2" } } } })],
        expected: [["argocd", "argo-cd chart: release argocd sets configs.secret.argocdServerAdminPassword to something other than a bcrypt hash ($2a$/$2b$/$2y$)"]],
    },
    {
        policy: "argocd-values",
        title: "argo-cd from OCI with a bcrypt hash, ClusterIP and exec off",
        resources: [
            release("argocd", "oci://ghcr.io/argoproj/argo-helm/argo-cd", {
                configs: { secret: { argocdServerAdminPassword: BCRYPT_HASH }, cm: { "exec.enabled": false } },
                server: { service: { type: "ClusterIP" } },
            }),
        ],
        expected: [],
    },
    {
        policy: "grafana-admin-from-secret",
        title: "kube-prometheus-stack with Grafana's admin password in values",
        resources: [release("monitoring", "kube-prometheus-stack", { grafana: { adminPassword: "prom-operator" } })],
        expected: [
            ["monitoring", "kube-prometheus-stack: release monitoring puts an admin password in Helm values (grafana.adminPassword)"],
            ["monitoring", "kube-prometheus-stack: release monitoring does not take Grafana's admin from grafana.admin.existingSecret"],
        ],
    },
    {
        policy: "grafana-admin-from-secret",
        title: "the grafana chart with admin.existingSecret, and kube-prometheus-stack without Grafana",
        resources: [
            release("grafana", "grafana", { admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } }),
            release("metrics", "prometheus-community/kube-prometheus-stack", { grafana: { enabled: false } }),
        ],
        expected: [],
    },
    {
        policy: "helm-no-plaintext-admin-password",
        title: "another chart with a plaintext admin password, beside one with an empty key",
        resources: [
            release("keycloak", "bitnami/keycloak", { auth: { adminPassword: "changeme" } }),
            release("harbor", "harbor", { harborAdminPassword: "", existingSecretAdminPassword: "harbor-admin" }),
        ],
        expected: [["keycloak", "BP helm secrets: release keycloak (chart keycloak) puts a plaintext admin password in values (auth.adminPassword)"]],
    },
];
