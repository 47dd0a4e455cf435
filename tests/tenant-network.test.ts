import { expect } from "chai";
import * as ipaddr from "ipaddr.js";
import { otherStackCidrs } from "../stacks/config/load";
import { beforeBuilding } from "./support/build-hook";
import { errorFor } from "./support/config-errors";
import { StackGraph, buildStack, stackGraph } from "../tooling/offline/harness";
import { nat64 } from "../components/shared/ipv6";
import { mockSubnetCidrs } from "../tooling/offline/mocks";
import { Connection, Endpoint, Pod, decide } from "./support/network-policy-eval";
import { projectRoot } from "../tooling/offline/paths";
import { K8sObject, programObjects } from "../tooling/offline/render";
import { PROJECT, fixturesDir } from "../tooling/offline/stack-files";
import { stackFile } from "./support/stack-invariants";
import { stackNames } from "./support/stacks";
import { devWithOptionalFeatures } from "./support/variants";

const policiesOf = (g: StackGraph): K8sObject[] => programObjects(g).filter((o) => o.kind === "NetworkPolicy");
/** The `n`th address of a CIDR. */
const host = (cidr: string, n: number): string => {
    const [base] = ipaddr.IPv4.parseCIDR(cidr);
    const value = base.toByteArray().reduce((acc, b) => acc * 256 + b, 0) + n;
    return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join(".");
};

/** The `n`th address of an IPv6 network. */
const hostV6 = (cidr: string, n: number): string => {
    const [base] = ipaddr.IPv6.parseCIDR(cidr);
    const value = base.parts.reduce((acc, part) => (acc << 16n) | BigInt(part), 0n) + BigInt(n);
    return new ipaddr.IPv6(Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn))).toString();
};
/** An IPv4 address as an IPv6 pod reaches it through DNS64/NAT64 (64:ff9b::/96). */
const viaNat64 = (ipv4: string): string => hostV6("64:ff9b::/96", ipaddr.IPv4.parse(ipv4).toByteArray().reduce((acc, b) => acc * 256 + b, 0));

/** The subnets' ranges of the family pods use: IPv4 (awsx's layout), or the dual-stack VPC's IPv6 /64s. */
function podSubnets(g: StackGraph): { private: string[]; public: string[]; host: (cidr: string, n: number) => string } {
    if (g.outputs.ipFamily !== "ipv6") return { ...mockSubnetCidrs(g.outputs.vpcCidr, g.one("awsx:ec2:Vpc").inputs.numberOfAvailabilityZones), host };
    const side = (name: string) => g.ofType("aws:ec2/subnet:Subnet").filter((s) => s.name.includes(`-${name}-`)).map((s) => String(s.inputs.ipv6CidrBlock));
    return { private: side("private"), public: side("public"), host: hostV6 };
}

/**
 * The endpoints of one stack: pods where the VPC CNI puts them (the private subnets), ENIs, outside addresses.
 * In an IPv6 cluster every pod, ENI and node has an IPv6 address (the family the policies must then cover),
 * the node's services answer on fd00:ec2::/32, and IPv4-only destinations are reached as their NAT64 form.
 */
function world(g: StackGraph, environments: string[]) {
    const subnets = podSubnets(g);
    const ipv6 = g.outputs.ipFamily === "ipv6";
    const at = subnets.host;
    let next = 10;
    const pod = (namespace: string, labels: Record<string, string>, ports: Record<string, number> = {}): Pod => ({ namespace, labels, ports, ip: at(subnets.private[0], next++) });
    /** An address outside the VPC as the stack's pods reach it. */
    const outside = (ipv4: string): Endpoint => ({ ip: ipv6 ? viaNat64(ipv4) : ipv4 });
    return {
        subnets,
        /** An address of another stack's VPC (IPv4 `cidr`) as this stack's pods would reach it. */
        otherStack: (cidr: string) => outside(host(cidr, 20)),
        outside,
        app: Object.fromEntries(environments.map((env) => [env, pod(env, { "app.kubernetes.io/name": "myapp" }, { http: 8080, metrics: 9090 })])) as Record<string, Pod>,
        coreDns: pod("kube-system", { "k8s-app": "kube-dns" }, { dns: 53 }),
        prometheus: pod("monitoring", { "app.kubernetes.io/name": "prometheus" }),
        webhook: pod("external-secrets", { "app.kubernetes.io/name": "external-secrets-webhook" }, { webhook: 10250 }),
        argocdController: pod("argocd", { "app.kubernetes.io/name": "argocd-application-controller" }),
        argocdServer: pod("argocd", { "app.kubernetes.io/name": "argocd-server" }, { server: 8080 }),
        kubeSystemPod: pod("kube-system", { app: "something" }),
        /** An ENI in the private subnets: the EKS control plane's (the API server) or an internal ALB's. */
        privateEni: { ip: at(subnets.private[1], 5) } as Endpoint,
        /** An internet-facing ALB's ENI. */
        publicEni: { ip: at(subnets.public[0], 5) } as Endpoint,
        awsApi: outside("52.94.133.131"),
        instanceMetadata: { ip: ipv6 ? "fd00:ec2::254" : "169.254.169.254" } as Endpoint,
        podIdentityAgent: { ip: ipv6 ? "fd00:ec2::23" : "169.254.170.23" } as Endpoint,
    };
}

const allowed = (policies: K8sObject[], c: Connection) => decide(policies, c).allowed;

describe("NetworkPolicy evaluator: both directions, selection, ipBlock except, named ports", () => {
    const a: Pod = { namespace: "a", labels: { app: "x" }, ip: "10.0.0.5", ports: { http: 8080 } };
    const b: Pod = { namespace: "b", labels: { app: "y" }, ip: "10.0.0.6", ports: { http: 8080 } };
    const policy = (namespace: string, spec: any): K8sObject => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace }, spec });

    it("allows what no policy selects, and needs the source's egress and the destination's ingress both", () => {
        expect(decide([], { from: a, to: b, port: 8080 })).to.deep.equal({ egress: true, ingress: true, allowed: true });
        const denyEgress = policy("a", { podSelector: {}, policyTypes: ["Egress"] });
        expect(decide([denyEgress], { from: a, to: b, port: 8080 })).to.deep.equal({ egress: false, ingress: true, allowed: false });
        const openIngress = policy("b", { podSelector: { matchLabels: { app: "y" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "a" } } }], ports: [{ port: "http" }] }] });
        expect(allowed([openIngress], { from: a, to: b, port: 8080 })).to.equal(true);
        expect(allowed([openIngress], { from: a, to: b, port: 9090 }), "other port").to.equal(false);
        expect(allowed([openIngress], { from: a, to: b, port: 8080, protocol: "UDP" }), "other protocol").to.equal(false);
        expect(allowed([openIngress], { from: { ...a, namespace: "c" }, to: b, port: 8080 }), "other namespace").to.equal(false);
    });

    it("cuts an ipBlock's except ranges out, and matches a bare podSelector only in the policy's namespace", () => {
        const egress = policy("a", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }, { podSelector: {} }] }] });
        expect(allowed([egress], { from: a, to: { ip: "52.1.2.3" }, port: 443 })).to.equal(true);
        expect(allowed([egress], { from: a, to: b, port: 443 }), "b's address is excepted, b is in another namespace").to.equal(false);
        expect(allowed([egress], { from: a, to: { ...a, ip: "10.0.0.9" }, port: 443 }), "same namespace").to.equal(true);
    });
});

/** Call inside a `describe`: one fixture's graph, its NetworkPolicies, its endpoints and the other stacks' VPC ranges, built before the tests. */
function useFlows(stack: string) {
    const f = {} as { g: StackGraph; policies: K8sObject[]; w: ReturnType<typeof world>; others: string[] };
    beforeBuilding(async () => {
        f.g = await stackGraph(stack);
        f.policies = policiesOf(f.g);
        f.w = world(f.g, stackFile(stack, fixturesDir).get("gitopsEnvironments") as string[]);
        f.others = Object.values(otherStackCidrs(fixturesDir, PROJECT, stack));
    });
    return f;
}

describe("Application namespaces: the flows their NetworkPolicies allow and deny (fixture dev, GitOps on)", () => {
    const f = useFlows("dev");
    let policies: K8sObject[];
    let w: ReturnType<typeof world>;
    let others: string[];
    beforeEach(() => {
        ({ policies, w, others } = f);
    });

    it("allows DNS, the namespace's own pods, the ALB to http, Prometheus to metrics, Pod Identity and HTTPS to AWS APIs", () => {
        const dev = w.app.dev;
        const peer = { ...dev, ip: host(w.subnets.private[2], 7) };
        expect(allowed(policies, { from: dev, to: w.coreDns, port: 53, protocol: "UDP" }), "DNS/UDP").to.equal(true);
        expect(allowed(policies, { from: dev, to: w.coreDns, port: 53 }), "DNS/TCP").to.equal(true);
        expect(allowed(policies, { from: dev, to: peer, port: 5432 }), "within the namespace").to.equal(true);
        expect(allowed(policies, { from: w.privateEni, to: dev, port: 8080 }), "internal ALB → http").to.equal(true);
        expect(allowed(policies, { from: w.prometheus, to: dev, port: 9090 }), "Prometheus → metrics").to.equal(true);
        expect(allowed(policies, { from: dev, to: w.awsApi, port: 443 }), "app → AWS API").to.equal(true);
        expect(allowed(policies, { from: dev, to: w.podIdentityAgent, port: 80 }), "app → Pod Identity agent").to.equal(true);
    });

    it("Argo CD reaches the applications only through the API server: it may call the API server, not the pods", () => {
        expect(allowed(policies, { from: w.argocdController, to: w.privateEni, port: 443 }), "Argo CD → API server").to.equal(true);
        expect(allowed(policies, { from: w.argocdController, to: w.app.dev, port: 8080 }), "Argo CD → app pod").to.equal(false);
    });

    it("denies another environment's namespace, webhooks, instance metadata, other stacks' VPCs, and the ALB or Prometheus on other ports", () => {
        const { dev, staging } = w.app;
        expect(decide(policies, { from: dev, to: staging, port: 8080 }), "dev → staging http").to.deep.include({ egress: false, allowed: false });
        expect(allowed(policies, { from: dev, to: w.webhook, port: 10250 }), "app → webhook").to.equal(false);
        expect(allowed(policies, { from: dev, to: w.argocdServer, port: 8080 }), "app → Argo CD").to.equal(false);
        for (const port of [80, 443]) expect(allowed(policies, { from: dev, to: w.instanceMetadata, port }), `IMDS:${port}`).to.equal(false);
        expect(others, "the fixtures have another stack").to.not.be.empty;
        for (const cidr of others) expect(allowed(policies, { from: dev, to: w.otherStack(cidr), port: 443 }), cidr).to.equal(false);
        expect(allowed(policies, { from: dev, to: w.privateEni, port: 443 }), "app → own VPC on 443").to.equal(false);
        expect(allowed(policies, { from: dev, to: w.awsApi, port: 80 }), "app → internet on 80").to.equal(false);
        expect(allowed(policies, { from: w.privateEni, to: dev, port: 9090 }), "ALB → metrics").to.equal(false);
        expect(allowed(policies, { from: w.argocdServer, to: dev, port: 9090 }), "other platform pod → metrics").to.equal(false);
    });

    it("admit webhooks' callers from the control plane's subnets, and deny them to pods of every namespace with policies", () => {
        expect(allowed(policies, { from: w.privateEni, to: w.webhook, port: 10250 }), "control plane → webhook").to.equal(true);
        expect(allowed(policies, { from: w.publicEni, to: w.webhook, port: 10250 }), "public subnets → webhook").to.equal(false);
        expect(allowed(policies, { from: w.argocdController, to: w.webhook, port: 10250 }), "platform pod → webhook").to.equal(false);
        expect(allowed(policies, { from: w.app.staging, to: w.webhook, port: 10250 }), "app pod → webhook").to.equal(false);
        expect(allowed(policies, { from: w.argocdController, to: w.instanceMetadata, port: 80 }), "platform pod → IMDS").to.equal(false);
        expect(allowed(policies, { from: w.argocdController, to: w.awsApi, port: 443 }), "platform pod → AWS API").to.equal(true);
    });

    it("platform namespaces: default-deny egress everywhere, 443 out, Git over SSH from Argo CD, Prometheus into the VPC; never instance metadata or another stack", () => {
        const platform = ["argocd", "monitoring", "external-secrets"];
        for (const ns of platform) expect(policies.find((p) => p.metadata.namespace === ns && p.metadata.name === "default-deny-egress")?.spec, ns).to.deep.equal({ podSelector: {}, policyTypes: ["Egress"] });
        const github = { ip: "140.82.112.3" };
        expect(allowed(policies, { from: w.argocdController, to: github, port: 22 }), "Argo CD → Git over SSH").to.equal(true);
        expect(allowed(policies, { from: w.webhook, to: github, port: 22 }), "External Secrets → SSH").to.equal(false);
        expect(allowed(policies, { from: w.argocdController, to: w.kubeSystemPod, port: 22 }), "Argo CD → SSH inside the VPC").to.equal(false);
        expect(allowed(policies, { from: w.prometheus, to: { ip: host(w.subnets.private[0], 200) }, port: 10250 }), "Prometheus → kubelet").to.equal(true);
        expect(allowed(policies, { from: w.prometheus, to: w.awsApi, port: 80 }), "Prometheus → internet on 80").to.equal(false);
        for (const from of [w.argocdController, w.prometheus, w.webhook]) {
            expect(allowed(policies, { from, to: w.instanceMetadata, port: 80 }), `${from.namespace} → IMDS`).to.equal(false);
            for (const cidr of others) expect(allowed(policies, { from, to: w.otherStack(cidr), port: 443 }), `${from.namespace} → ${cidr}`).to.equal(false);
            expect(allowed(policies, { from, to: w.podIdentityAgent, port: 80 }), `${from.namespace} → Pod Identity agent`).to.equal(true);
        }
    });

    it("with an internet-facing ALB, the platform's ALB backends admit the public subnets only, where no pod runs", async () => {
        const variant = await devWithOptionalFeatures();
        const vp = policiesOf(variant);
        const v = world(variant, ["dev"]);
        expect(allowed(vp, { from: v.publicEni, to: v.argocdServer, port: 8080 }), "ALB → Argo CD").to.equal(true);
        expect(allowed(vp, { from: v.kubeSystemPod, to: v.argocdServer, port: 8080 }), "pod → Argo CD").to.equal(false);
        expect(allowed(vp, { from: v.privateEni, to: v.argocdServer, port: 8080 }), "private subnets → Argo CD").to.equal(false);
    });
});

describe("NetworkPolicies of an IPv6 cluster (fixture ipv6): IPv6 pods, ENIs and nodes, IPv4 destinations through NAT64", () => {
    const f = useFlows("ipv6");
    let g: StackGraph;
    let policies: K8sObject[];
    let w: ReturnType<typeof world>;
    let others: string[];
    beforeEach(() => {
        ({ g, policies, w, others } = f);
    });

    it("gives pods, ENIs and nodes IPv6 addresses in the VPC's block (the world these checks run in)", () => {
        expect(g.outputs.ipFamily).to.equal("ipv6");
        for (const e of [w.app.sandbox, w.privateEni, w.publicEni]) expect(ipaddr.parse(e.ip).kind(), e.ip).to.equal("ipv6");
        expect(others, "the fixtures have other stacks").to.not.be.empty;
    });

    it("allows DNS, the namespace's own pods, the ALB to http, Prometheus to metrics, the Pod Identity agent on fd00:ec2::23, and HTTPS to the internet in both families", () => {
        const app = w.app.sandbox;
        expect(allowed(policies, { from: app, to: w.coreDns, port: 53, protocol: "UDP" }), "DNS").to.equal(true);
        expect(allowed(policies, { from: app, to: { ...app, ip: hostV6(w.subnets.private[2], 7) }, port: 5432 }), "within the namespace").to.equal(true);
        expect(allowed(policies, { from: w.privateEni, to: app, port: 8080 }), "internal ALB (IPv6) → http").to.equal(true);
        expect(allowed(policies, { from: w.prometheus, to: app, port: 9090 }), "Prometheus → metrics").to.equal(true);
        expect(allowed(policies, { from: app, to: w.podIdentityAgent, port: 80 }), "app → [fd00:ec2::23]").to.equal(true);
        expect(allowed(policies, { from: app, to: { ip: "2600:1f14:fff:f800::1" }, port: 443 }), "app → a dual-stack AWS endpoint").to.equal(true);
        expect(allowed(policies, { from: app, to: w.awsApi, port: 443 }), "app → an IPv4-only endpoint through NAT64").to.equal(true);
        expect(allowed(policies, { from: app, to: { ip: "52.94.133.131" }, port: 443 }), "app → IPv4 (the node's egress address)").to.equal(true);
    });

    it("denies instance metadata and the node's other services over IPv6, the VPC's own IPv6 block, other stacks through NAT64, and webhooks", () => {
        const app = w.app.sandbox;
        for (const ip of ["fd00:ec2::254", "fd00:ec2::253", "fe80::1"]) for (const port of [80, 443]) expect(allowed(policies, { from: app, to: { ip }, port }), `${ip}:${port}`).to.equal(false);
        expect(allowed(policies, { from: app, to: { ip: viaNat64("169.254.169.254") }, port: 80 }), "IMDS as NAT64").to.equal(false);
        expect(allowed(policies, { from: app, to: w.privateEni, port: 443 }), "app → own VPC (IPv6) on 443").to.equal(false);
        expect(allowed(policies, { from: app, to: { ip: viaNat64(host(g.outputs.vpcCidr, 20)) }, port: 443 }), "app → own VPC (NAT64 form)").to.equal(false);
        for (const cidr of others) expect(allowed(policies, { from: app, to: w.otherStack(cidr), port: 443 }), `NAT64 ${cidr}`).to.equal(false);
        expect(allowed(policies, { from: app, to: w.webhook, port: 10250 }), "app → webhook").to.equal(false);
    });

    it("admits webhooks' callers and the internet-facing ALB from their subnets' IPv6 ranges only, and keeps the platform namespaces' egress in both families", () => {
        expect(allowed(policies, { from: w.privateEni, to: w.webhook, port: 10250 }), "control plane (IPv6) → webhook").to.equal(true);
        expect(allowed(policies, { from: w.publicEni, to: w.webhook, port: 10250 }), "public subnets → webhook").to.equal(false);
        expect(allowed(policies, { from: w.publicEni, to: w.argocdServer, port: 8080 }), "internet-facing ALB (IPv6) → Argo CD").to.equal(true);
        expect(allowed(policies, { from: w.privateEni, to: w.argocdServer, port: 8080 }), "private subnets → Argo CD").to.equal(false);
        expect(allowed(policies, { from: w.argocdController, to: w.outside("140.82.112.3"), port: 22 }), "Argo CD → GitHub over SSH (NAT64)").to.equal(true);
        expect(allowed(policies, { from: w.argocdController, to: w.kubeSystemPod, port: 22 }), "Argo CD → SSH inside the VPC").to.equal(false);
        expect(allowed(policies, { from: w.prometheus, to: { ip: hostV6(w.subnets.private[1], 200) }, port: 10250 }), "Prometheus → kubelet on a node's IPv6 address").to.equal(true);
        for (const from of [w.argocdController, w.prometheus, w.webhook]) {
            expect(allowed(policies, { from, to: w.instanceMetadata, port: 80 }), `${from.namespace} → IMDS (IPv6)`).to.equal(false);
            expect(allowed(policies, { from, to: w.podIdentityAgent, port: 80 }), `${from.namespace} → Pod Identity agent (IPv6)`).to.equal(true);
            expect(allowed(policies, { from, to: w.awsApi, port: 443 }), `${from.namespace} → AWS API (NAT64)`).to.equal(true);
            for (const cidr of others) expect(allowed(policies, { from, to: w.otherStack(cidr), port: 443 }), `${from.namespace} → NAT64 ${cidr}`).to.equal(false);
        }
    });

    it("narrows tenantEgress in IPv6 as well: a listed IPv4 network is allowed as itself and as its NAT64 form, nothing else", async () => {
        const narrowed = await buildStack("ipv6", { tenantEgress: ["sandbox=198.51.100.0/24"] }, [], fixturesDir);
        const np = policiesOf(narrowed);
        const app = world(narrowed, ["sandbox"]).app.sandbox;
        expect(allowed(np, { from: app, to: { ip: "198.51.100.7" }, port: 443 })).to.equal(true);
        expect(allowed(np, { from: app, to: { ip: viaNat64("198.51.100.7") }, port: 443 }), "its NAT64 form").to.equal(true);
        for (const ip of ["9.9.9.9", viaNat64("9.9.9.9"), "2606:4700::1111"]) expect(allowed(np, { from: app, to: { ip }, port: 443 }), ip).to.equal(false);
    });
});

const EXAMPLE_REPO = "https://github.com/acme-corp/gitops.git";

describe("Application namespaces' NetworkPolicies in every stack file and fixture, GitOps on", () => {
    const files = [...stackNames(fixturesDir).map((stack) => ({ stack, dir: fixturesDir })), ...stackNames(projectRoot).map((stack) => ({ stack, dir: projectRoot }))];
    for (const { stack, dir } of files) {
        const where = dir === fixturesDir ? "fixture" : "stack file";
        it(`${where} ${stack}: both directions closed in each environment, 443 open outside instance metadata, the VPC and the other stacks`, async function () {
            this.timeout(120_000);
            const file = stackFile(stack, dir);
            const envs = (file.get("gitopsEnvironments") as string[] | undefined)?.length ? (file.get("gitopsEnvironments") as string[]) : ["dev"];
            const g = file.get("gitopsRepoUrl") ? await stackGraph(stack, dir) : await buildStack(stack, { gitopsRepoUrl: EXAMPLE_REPO, gitopsEnvironments: envs }, [], dir);
            const policies = policiesOf(g);
            const w = world(g, envs);
            const others = Object.values(otherStackCidrs(dir, PROJECT, stack));
            const names = (ns: string) => policies.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name).sort();
            for (const env of envs) {
                expect(names(env), env).to.deep.equal(["allow-alb", "allow-dns", "allow-https", "allow-prometheus", "allow-same-namespace", "default-deny-egress", "default-deny-ingress"]);
                const https = policies.find((p) => p.metadata.namespace === env && p.metadata.name === "allow-https")!;
                const excluded = ["169.254.0.0/16", String(file.get("vpcCidr")), ...others];
                // IPv6 pods: the whole IPv6 internet too, minus link-local, the node's services, the IPv4 exclusions in their
                // NAT64 form and the VPC's own IPv6 block.
                const ipv6 = g.outputs.ipFamily === "ipv6"
                    ? [{ ipBlock: { cidr: "::/0", except: ["fe80::/10", "fd00:ec2::/32", ...excluded.map(nat64), g.outputs.vpcIpv6Cidr] } }]
                    : [];
                expect(https.spec.egress).to.deep.equal([{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: excluded } }, ...ipv6], ports: [{ protocol: "TCP", port: 443 }] }]);
                const app = w.app[env];
                expect(allowed(policies, { from: app, to: w.awsApi, port: 443 }), `${env} → AWS API`).to.equal(true);
                expect(allowed(policies, { from: app, to: w.instanceMetadata, port: 80 }), `${env} → IMDS`).to.equal(false);
                expect(allowed(policies, { from: w.privateEni, to: app, port: 8080 }), `internal ALB → ${env}`).to.equal(true);
                for (const other of envs.filter((e) => e !== env)) expect(allowed(policies, { from: app, to: w.app[other], port: 8080 }), `${env} → ${other}`).to.equal(false);
            }
        });
    }
});

describe("tenantEgress: per environment, refused where it would allow nothing or names no environment", () => {
    it("narrows one environment, closes another with none, and leaves the rest on 0.0.0.0/0", async () => {
        const g = await buildStack("dev", { tenantEgress: ["staging=203.0.113.0/24", "staging=0.0.0.0/1", "dev=none"] });
        const policies = policiesOf(g);
        expect(policies.filter((p) => p.metadata.name === "allow-https").map((p) => p.metadata.namespace)).to.deep.equal(["staging"]);
        const w = world(g, ["dev", "staging"]);
        expect(allowed(policies, { from: w.app.staging, to: { ip: "203.0.113.9" }, port: 443 })).to.equal(true);
        expect(allowed(policies, { from: w.app.staging, to: { ip: "9.9.9.9" }, port: 443 }), "inside 0.0.0.0/1").to.equal(true);
        expect(allowed(policies, { from: w.app.staging, to: { ip: "198.51.100.7" }, port: 443 }), "outside both").to.equal(false);
        expect(allowed(policies, { from: w.app.dev, to: w.awsApi, port: 443 }), "dev=none").to.equal(false);
        expect(allowed(policies, { from: w.app.dev, to: w.coreDns, port: 53, protocol: "UDP" }), "dev still resolves names").to.equal(true);
    });

    it("names the key, the value and the reason", () => {
        expect(errorFor("dev", { tenantEgress: ["prod=0.0.0.0/0"] })).to.include('eks-platform:tenantEgress: got "prod=0.0.0.0/0" (prod is not one of gitopsEnvironments (dev, staging))');
        expect(errorFor("dev", { tenantEgress: ["dev=10.0.4.0/24"] })).to.include("(10.0.4.0/24 lies inside this stack's own vpcCidr 10.0.0.0/16");
        expect(errorFor("dev", { tenantEgress: ["dev=10.1.2.0/24"] })).to.include('(10.1.2.0/24 lies inside stack "prod"\'s vpcCidr 10.1.0.0/16');
        expect(errorFor("dev", { tenantEgress: ["dev=169.254.169.254/32"] })).to.include("(169.254.169.254/32 lies inside link-local addresses (the instance metadata service)");
        expect(errorFor("dev", { tenantEgress: ["dev=none", "dev=0.0.0.0/0"] })).to.include("(dev=none means no egress, so dev takes no CIDR besides it)");
        expect(errorFor("dev", { tenantEgress: ["dev=10.0.0.1/16"] })).to.include("(10.0.0.1/16 is not an IPv4 network address with prefix (host bits zero, e.g. 203.0.113.0/24) nor none)");
        expect(errorFor("dev", { tenantEgress: ["0.0.0.0/0"] })).to.include('eks-platform:tenantEgress: got "0.0.0.0/0"');
        expect(errorFor("dev", { tenantEgress: ["dev=none"], gitopsRepoUrl: "" })).to.include('eks-platform:tenantEgress: got ["dev=none"] (gitopsRepoUrl is empty, so there are no application namespaces to give egress to)');
    });
});
