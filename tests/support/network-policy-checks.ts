import type { StackGraph } from "../../tooling/offline/harness";
import { mockSubnetCidrs } from "../../tooling/offline/mocks";
import type { K8sObject } from "../../tooling/offline/render";
import { PodTemplate, describeObject, podTemplates, selects } from "./render-checks";

// NetworkPolicies against the rendered manifests, as "<namespace>/<workload>:<container port> <- <source>"
// entries: what the policies open to callers outside a namespace, and what those callers need.

/**
 * The subnets' ranges of every family a stack's VPC has, as the mocked AWS reports them: awsx's IPv4 layout, or
 * the dual-stack VPC's subnets (ipFamily ipv6) with their IPv4 range and their IPv6 /64 each.
 */
export function subnetRanges(g: StackGraph): { private: string[]; public: string[] } {
    if (g.outputs.ipFamily !== "ipv6") return mockSubnetCidrs(g.outputs.vpcCidr, g.one("awsx:ec2:Vpc").inputs.numberOfAvailabilityZones);
    const side = (name: string) => g.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes(`-${name}-`));
    const both = (name: string) => [...side(name).map((s) => String(s.inputs.cidrBlock)), ...side(name).map((s) => String(s.inputs.ipv6CidrBlock))];
    return { private: both("private"), public: both("public") };
}

/** Named sets of CIDRs an ipBlock peer may stand for (e.g. "private subnets"). */
export type CidrSources = Record<string, string[]>;
const entry = (t: PodTemplate, port: number | string, source: string) => `${describeObject(t.owner)}:${port} <- ${source}`;

/** A container port by number or name, as a number (the name when no container has it). */
function containerPort(t: PodTemplate, port: number | string): number | string {
    if (typeof port === "number" || /^\d+$/.test(String(port))) return Number(port);
    const found = (t.spec.containers ?? []).flatMap((c: any) => c.ports ?? []).find((p: any) => p.name === port);
    return found ? found.containerPort : `unknown port ${port}`;
}

/** The source a NetworkPolicy peer stands for; undefined for pods of the policy's own namespace. */
function sourceOf(peer: any, sources: CidrSources): string | undefined {
    if (peer.ipBlock) {
        const named = Object.entries(sources).find(([, cidrs]) => cidrs.includes(peer.ipBlock.cidr) && !peer.ipBlock.except);
        return named ? named[0] : `ipBlock ${JSON.stringify(peer.ipBlock)}`;
    }
    if (peer.namespaceSelector) {
        const prometheus = peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring" && peer.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "prometheus";
        return prometheus ? "prometheus" : `peer ${JSON.stringify(peer)}`;
    }
    return peer.podSelector && Object.keys(peer.podSelector).length === 0 ? undefined : `peer ${JSON.stringify(peer)}`;
}

/** What the NetworkPolicies let in from outside each pod's namespace. */
export function openedByPolicies(policies: K8sObject[], objects: K8sObject[], sources: CidrSources): string[] {
    const templates = podTemplates(objects);
    const out = new Set<string>();
    for (const p of policies) {
        const pods = templates.filter((t) => t.namespace === p.metadata.namespace && selects(p.spec.podSelector, t.labels));
        for (const rule of p.spec.ingress ?? []) {
            const callers = rule.from === undefined ? ["anyone"] : (rule.from as any[]).map((peer) => sourceOf(peer, sources)).filter((s): s is string => s !== undefined);
            for (const t of pods) for (const s of callers) for (const port of rule.ports === undefined ? ["every port"] : rule.ports.map((x: any) => containerPort(t, x.port))) out.add(entry(t, port, s));
        }
    }
    return [...out].sort();
}

/** Pods and container ports behind a Service port. */
function behindService(objects: K8sObject[], namespace: string, name: string, port: number | string | undefined): [PodTemplate, number | string][] {
    const service = objects.find((o) => o.kind === "Service" && o.metadata.namespace === namespace && o.metadata.name === name);
    if (!service) return [];
    const ports = (service.spec.ports ?? []).filter((p: any) => port === undefined || p.port === port || p.name === port);
    return podTemplates(objects)
        .filter((t) => t.namespace === namespace && selects(service.spec.selector, t.labels))
        .flatMap((t) => ports.map((p: any): [PodTemplate, number | string] => [t, containerPort(t, p.targetPort ?? p.port)]));
}

/**
 * What callers outside each namespace need: the API server → webhooks (from the control plane's ENIs in the
 * private subnets), Prometheus → scraped ports, the ALB → backends (from the subnets `albSource` names).
 */
export function neededFromOutside(objects: K8sObject[], namespaces: string[], ingresses: K8sObject[] = [], albSource = "private subnets"): string[] {
    const out = new Set<string>();
    const owned = (ns: string | undefined) => ns !== undefined && namespaces.includes(ns);
    for (const config of objects.filter((o) => o.kind === "ValidatingWebhookConfiguration" || o.kind === "MutatingWebhookConfiguration")) {
        for (const w of config.webhooks ?? []) {
            const svc = w.clientConfig?.service;
            if (svc && owned(svc.namespace)) for (const [t, port] of behindService(objects, svc.namespace, svc.name, svc.port ?? 443)) out.add(entry(t, port, "private subnets"));
        }
    }
    const templates = podTemplates(objects);
    for (const m of objects.filter((o) => o.kind === "PodMonitor" || o.kind === "ServiceMonitor")) {
        const scraped: string[] = (m.spec.namespaceSelector?.matchNames ?? [m.metadata.namespace]).filter((ns: string) => owned(ns) && ns !== m.metadata.namespace);
        for (const ns of scraped) {
            if (m.kind === "PodMonitor") {
                for (const t of templates.filter((x) => x.namespace === ns && selects(m.spec.selector, x.labels))) {
                    for (const e of m.spec.podMetricsEndpoints ?? []) out.add(entry(t, containerPort(t, e.port ?? e.targetPort), "prometheus"));
                }
            } else {
                for (const s of objects.filter((o) => o.kind === "Service" && o.metadata.namespace === ns && selects(m.spec.selector, o.metadata.labels ?? {}))) {
                    for (const e of m.spec.endpoints ?? []) for (const [t, port] of behindService(objects, ns, s.metadata.name, e.port)) out.add(entry(t, port, "prometheus"));
                }
            }
        }
    }
    for (const i of ingresses.filter((x) => owned(x.metadata.namespace))) {
        for (const rule of i.spec.rules ?? []) {
            for (const path of rule.http?.paths ?? []) {
                const b = path.backend.service;
                for (const [t, port] of behindService(objects, i.metadata.namespace!, b.name, b.port.number ?? b.port.name)) out.add(entry(t, port, albSource));
            }
        }
    }
    return [...out].sort();
}
