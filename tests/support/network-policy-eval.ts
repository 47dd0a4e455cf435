import * as ipaddr from "ipaddr.js";
import type { K8sObject } from "../../tooling/offline/render";

// NetworkPolicy semantics (networking.k8s.io/v1) for single connections: a connection is allowed when the
// source's egress and the destination's ingress both allow it. A direction is open for a pod no policy of its
// namespace selects with that policy type; otherwise some rule of one of those policies must admit the peer and
// port. ipBlock peers match by address whatever the endpoint is (the VPC CNI's agent matches pod addresses too).

/** A pod: its namespace, labels, address (IPv4, or IPv6 in an IPv6 cluster) and named container ports. */
export interface Pod {
    namespace: string;
    labels: Record<string, string>;
    ip: string;
    ports?: Record<string, number>;
}
/** An address no policy selects: a node, an ENI, the internet. */
export interface Host {
    ip: string;
}
export type Endpoint = Pod | Host;

export interface Connection {
    from: Endpoint;
    to: Endpoint;
    port: number;
    protocol?: "TCP" | "UDP";
}

export interface Decision {
    egress: boolean;
    ingress: boolean;
    allowed: boolean;
}

const isPod = (e: Endpoint): e is Pod => "namespace" in e;

/** A LabelSelector: every matchLabels pair and every expression must hold; `{}` selects everything. */
export function labelsMatch(selector: any, labels: Record<string, string>): boolean {
    if (!Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v)) return false;
    return (selector?.matchExpressions ?? []).every((e: any) => {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        if (e.operator === "In") return has && e.values.includes(labels[e.key]);
        if (e.operator === "NotIn") return !has || !e.values.includes(labels[e.key]);
        if (e.operator === "Exists") return has;
        if (e.operator === "DoesNotExist") return !has;
        throw new Error(`unknown selector operator ${e.operator}`);
    });
}

/** Whether `ip` is in `cidr`; an IPv4 address is in no IPv6 block and the other way round (each family has its own rules). */
const inCidr = (ip: string, cidr: string) => {
    const address = ipaddr.parse(ip);
    const [network, prefix] = ipaddr.parseCIDR(cidr);
    return address.kind() === network.kind() && address.match(network, prefix);
};

/** The namespace's labels as the API server sets them (its name), plus any given. */
const namespaceLabels = (name: string, extra: Record<string, Record<string, string>>) => ({ ...(extra[name] ?? {}), "kubernetes.io/metadata.name": name });

function peerMatches(peer: any, policyNamespace: string, e: Endpoint, namespaces: Record<string, Record<string, string>>): boolean {
    if (peer.ipBlock) return inCidr(e.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(e.ip, x));
    if (!isPod(e)) return false;
    if (peer.namespaceSelector) {
        if (!labelsMatch(peer.namespaceSelector, namespaceLabels(e.namespace, namespaces))) return false;
    } else if (e.namespace !== policyNamespace) return false;
    return peer.podSelector === undefined || labelsMatch(peer.podSelector, e.labels);
}

/** A policy port entry against a destination port; a named port is the destination pod's container port of that name. */
function portMatches(p: any, c: Connection): boolean {
    if ((p.protocol ?? "TCP") !== (c.protocol ?? "TCP")) return false;
    if (p.port === undefined) return true;
    const number = typeof p.port === "number" ? p.port : isPod(c.to) ? c.to.ports?.[p.port] : undefined;
    if (number === undefined) return false;
    return p.endPort === undefined ? number === c.port : c.port >= number && c.port <= p.endPort;
}

const typesOf = (p: K8sObject): string[] => p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);

/** Whether `pod`'s policies of one direction admit the connection (true when none selects it). */
function direction(policies: K8sObject[], pod: Pod, type: "Ingress" | "Egress", peer: Endpoint, c: Connection, namespaces: Record<string, Record<string, string>>): boolean {
    const selecting = policies.filter((p) => p.metadata.namespace === pod.namespace && typesOf(p).includes(type) && labelsMatch(p.spec.podSelector, pod.labels));
    if (selecting.length === 0) return true;
    return selecting.some((p) =>
        (p.spec[type === "Ingress" ? "ingress" : "egress"] ?? []).some((rule: any) => {
            const peers: any[] | undefined = type === "Ingress" ? rule.from : rule.to;
            const peerOk = peers === undefined || peers.length === 0 || peers.some((x) => peerMatches(x, pod.namespace, peer, namespaces));
            const portOk = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((x: any) => portMatches(x, c));
            return peerOk && portOk;
        }),
    );
}

/** Decides one connection through `policies`; `namespaces` gives namespaces' labels beyond their name. */
export function decide(policies: K8sObject[], c: Connection, namespaces: Record<string, Record<string, string>> = {}): Decision {
    const egress = isPod(c.from) ? direction(policies, c.from, "Egress", c.to, c, namespaces) : true;
    const ingress = isPod(c.to) ? direction(policies, c.to, "Ingress", c.from, c, namespaces) : true;
    return { egress, ingress, allowed: egress && ingress };
}
