import { PolicyResource } from "@pulumi/policy";
import { Issue, SecurityCheck, ofTypes } from "./check";
import { isRecord, isTrue, nonEmptyString } from "./values";

const RELEASE_TYPES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
/**
 * A bcrypt hash (`$2a$`, `$2b$`, `$2y$`, two-digit cost, bcrypt's base64 alphabet): what Argo CD
 * takes as its admin password. Stack policies see secrets unwrapped, so whether the value came
 * from a Pulumi secret is not visible here; a hash is acceptable either way, plaintext never.
 */
const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]+$/;
/** `adminPassword`, `argocdServerAdminPassword`, … in any letter case. */
const ADMIN_PASSWORD_KEY = /adminpassword$/i;
/** `existingSecretAdminPassword` and the like name a Secret, not a password. */
const SECRET_REFERENCE_KEY = /existingsecret/i;

const ARGO_CD = ["argo-cd"];
const GRAFANA = ["kube-prometheus-stack", "grafana"];

/** The chart's own name: `argo-cd` from `argo-cd`, `argo/argo-cd` or `oci://…/argo-cd`. */
export function chartName(r: PolicyResource): string {
    const chart = String(r.props.chart ?? "");
    return chart.slice(chart.lastIndexOf("/") + 1);
}

/** Every value under a key that names an admin password, with its dotted path. */
export function adminPasswordValues(values: unknown, path = ""): { path: string; value: unknown }[] {
    if (Array.isArray(values)) return values.flatMap((v, i) => adminPasswordValues(v, `${path}[${i}]`));
    if (!isRecord(values)) return [];
    return Object.entries(values).flatMap(([key, value]) => {
        const at = path ? `${path}.${key}` : key;
        return ADMIN_PASSWORD_KEY.test(key) && !SECRET_REFERENCE_KEY.test(key) && !isRecord(value) ? [{ path: at, value }] : adminPasswordValues(value, at);
    });
}

const setValue = (value: unknown) => value !== undefined && value !== null && value !== "";

export const argoCdValues: SecurityCheck = {
    name: "argocd-values",
    checks: ["argo-cd chart"],
    description:
        "argo-cd releases take the admin password only as a bcrypt hash (configs.secret.argocdServerAdminPassword), keep the server Service ClusterIP and exec disabled.",
    appliesTo: ofTypes(...RELEASE_TYPES),
    inspect: (r) => {
        if (!ARGO_CD.includes(chartName(r))) return [];
        const values = isRecord(r.props.values) ? r.props.values : {};
        const issues: Issue[] = adminPasswordValues(values)
            .filter(({ value }) => setValue(value) && !(typeof value === "string" && BCRYPT.test(value)))
            .map(({ path }) => ({ check: "argo-cd chart", message: `release ${r.name} sets ${path} to something other than a bcrypt hash ($2a$/$2b$/$2y$)` }));
        const server = isRecord(values.server) ? values.server : {};
        const serviceType = isRecord(server.service) ? server.service.type : undefined;
        if (setValue(serviceType) && serviceType !== "ClusterIP") {
            issues.push({ check: "argo-cd chart", message: `release ${r.name} exposes argocd-server as a ${String(serviceType)} Service; it must stay ClusterIP` });
        }
        const cm = isRecord(values.configs) && isRecord(values.configs.cm) ? values.configs.cm : {};
        if (isTrue(cm["exec.enabled"])) issues.push({ check: "argo-cd chart", message: `release ${r.name} enables exec into pods (configs.cm."exec.enabled")` });
        return issues;
    },
};

export const grafanaAdminFromSecret: SecurityCheck = {
    name: "grafana-admin-from-secret",
    checks: ["kube-prometheus-stack"],
    description:
        "kube-prometheus-stack (and grafana) releases take Grafana's admin from grafana.admin.existingSecret and put no admin password in values.",
    appliesTo: ofTypes(...RELEASE_TYPES),
    inspect: (r) => {
        const chart = chartName(r);
        if (!GRAFANA.includes(chart)) return [];
        const values = isRecord(r.props.values) ? r.props.values : {};
        // kube-prometheus-stack nests Grafana's values under `grafana`; the grafana chart has them at the top.
        const grafana = chart === "grafana" ? values : isRecord(values.grafana) ? values.grafana : {};
        const prefix = chart === "grafana" ? "" : "grafana.";
        const issues: Issue[] = adminPasswordValues(values)
            .filter(({ value }) => setValue(value))
            .map(({ path }) => ({ check: "kube-prometheus-stack", message: `release ${r.name} puts an admin password in Helm values (${path})` }));
        const existingSecret = isRecord(grafana.admin) ? grafana.admin.existingSecret : undefined;
        if (grafana.enabled !== false && !nonEmptyString(existingSecret)) {
            issues.push({ check: "kube-prometheus-stack", message: `release ${r.name} does not take Grafana's admin from ${prefix}admin.existingSecret` });
        }
        return issues;
    },
};

export const helmNoPlaintextAdminPassword: SecurityCheck = {
    name: "helm-no-plaintext-admin-password",
    checks: ["BP helm secrets"],
    description:
        "No other Helm release carries a plaintext admin password in values: a key like adminPassword holds nothing or a bcrypt hash (argo-cd and Grafana charts have their own policies).",
    appliesTo: ofTypes(...RELEASE_TYPES),
    inspect: (r) => {
        if ([...ARGO_CD, ...GRAFANA].includes(chartName(r))) return [];
        return adminPasswordValues(r.props.values)
            .filter(({ value }) => setValue(value) && !(typeof value === "string" && BCRYPT.test(value)))
            .map(({ path }) => ({ check: "BP helm secrets", message: `release ${r.name} (chart ${chartName(r)}) puts a plaintext admin password in values (${path})` }));
    },
};

export const helmChecks: SecurityCheck[] = [argoCdValues, grafanaAdminFromSecret, helmNoPlaintextAdminPassword];
