import { CONTAINER_DEFAULTS, DEFAULT_TENANT_QUOTA, QUOTA_RESOURCES, QuotaResource, TenantQuota, quotaAmount, quotaForm } from "../../components/platform/tenants/quota";
import { Verdict } from "./rules";
import type { ConfigReader, Reads } from "./reader";

type QuotaKeys = Reads<{ tenantQuota: "array"; gitopsEnvironments: "array"; karpenterCpuLimit: "integer" }>;

/** `<resource>=<quantity>` for every application namespace, or `<namespace>/<resource>=<quantity>` for one. */
const ENTRY = /^(?:([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/)?([a-z.]+)=(\S+)$/;

interface QuotaEntry {
    namespace?: string;
    resource: QuotaResource;
    value: string;
}

function parseEntry(text: string): QuotaEntry | string {
    const m = ENTRY.exec(text);
    if (!m) return "not <resource>=<quantity> or <namespace>/<resource>=<quantity>";
    const [, namespace, , resource, value] = m;
    if (!(QUOTA_RESOURCES as string[]).includes(resource)) return `${resource} is not one of ${QUOTA_RESOURCES.join(", ")}`;
    const r = resource as QuotaResource;
    if (quotaAmount(r, value) === undefined) return `${resource} takes ${quotaForm(r)}`;
    return { namespace, resource: r, value };
}

const { defaultRequest, default: defaultLimit } = CONTAINER_DEFAULTS;

/** What a `tenantQuota` entry looks like, in words. */
export const TENANT_QUOTA_FORM = `<resource>=<quantity> or <namespace>/<resource>=<quantity>, the resource one of ${QUOTA_RESOURCES.map((q) => `${q} (${quotaForm(q)})`).join(", ")}`;

/** The rules between `tenantQuota` and other keys, in words. */
export const TENANT_QUOTA_CROSS_KEY =
    `namespaces from gitopsEnvironments; requests within limits, and at least one container's LimitRange default (requests ${defaultRequest.cpu}/${defaultRequest.memory}, ` +
    `limits ${defaultLimit.cpu}/${defaultLimit.memory}); the namespaces' requests.cpu together at most karpenterCpuLimit`;

/** The rule of one `tenantQuota` entry, on its own. */
export function tenantQuotaEntry(text: string): Verdict {
    const parsed = parseEntry(text);
    return typeof parsed === "string" ? parsed : true;
}

/**
 * Each application namespace's quota: the defaults, then the entries for every namespace, then those for the
 * one. Checked against the NodePool (tenants together may not request more vCPUs than it may hold) and the
 * LimitRange (a pod that sets nothing must still fit).
 */
export function readTenantQuotas(r: ConfigReader<QuotaKeys>, gitopsOn: boolean): Record<string, TenantQuota> {
    const namespaces = r.get("gitopsEnvironments");
    if (!r.ok("tenantQuota", "gitopsEnvironments")) return Object.fromEntries(namespaces.map((ns) => [ns, { ...DEFAULT_TENANT_QUOTA }]));
    const entries = r.get("tenantQuota").map((text) => ({ text, entry: parseEntry(text) as QuotaEntry }));
    for (const { text, entry } of entries) {
        if (entry.namespace !== undefined && !namespaces.includes(entry.namespace)) {
            r.reject("tenantQuota", text, `${entry.namespace} is not a gitopsEnvironments entry (${namespaces.join(", ") || "none listed"})`);
        }
    }
    const quotas = Object.fromEntries(
        namespaces.map((ns): [string, TenantQuota] => {
            const quota = { ...DEFAULT_TENANT_QUOTA };
            for (const { entry } of entries.filter((e) => e.entry.namespace === undefined)) quota[entry.resource] = entry.value;
            for (const { entry } of entries.filter((e) => e.entry.namespace === ns)) quota[entry.resource] = entry.value;
            return [ns, quota];
        }),
    );
    for (const [ns, quota] of Object.entries(quotas)) checkQuota(r, ns, quota);
    const cpuLimit = r.get("karpenterCpuLimit");
    const requested = Object.values(quotas).reduce((sum, q) => sum + quotaAmount("requests.cpu", q["requests.cpu"])!, 0);
    if (gitopsOn && r.ok("karpenterCpuLimit") && requested > cpuLimit * 1000) {
        const each = Object.entries(quotas).map(([ns, q]) => `${ns} ${q["requests.cpu"]}`).join(", ");
        r.reject("tenantQuota", r.get("tenantQuota"), `the application namespaces' requests.cpu add up to ${requested / 1000} vCPUs (${each}), more than karpenterCpuLimit ${cpuLimit}, the vCPUs the NodePool may hold; lower requests.cpu here or raise karpenterCpuLimit`);
    }
    return quotas;
}

/** Requests within limits, and room for at least one container that sets nothing (the LimitRange's defaults). */
function checkQuota(r: ConfigReader<QuotaKeys>, ns: string, quota: TenantQuota): void {
    const amount = (resource: QuotaResource) => quotaAmount(resource, quota[resource])!;
    for (const kind of ["cpu", "memory"] as const) {
        const [requests, limits] = [`requests.${kind}`, `limits.${kind}`] as const;
        if (amount(requests) > amount(limits)) r.reject("tenantQuota", `${ns}/${requests}=${quota[requests]}`, `more than ${ns}'s ${limits} ${quota[limits]}`);
        const floor = { [requests]: CONTAINER_DEFAULTS.defaultRequest[kind], [limits]: CONTAINER_DEFAULTS.default[kind] };
        for (const [resource, least] of Object.entries(floor) as [QuotaResource, string][]) {
            if (amount(resource) < quotaAmount(resource, least)!) {
                r.reject("tenantQuota", `${ns}/${resource}=${quota[resource]}`, `less than one container's default ${least} (the LimitRange's), so no pod without its own resources would fit`);
            }
        }
    }
    if (amount("pods") < 1) r.reject("tenantQuota", `${ns}/pods=${quota.pods}`, "no pod could run");
}
