import { PolicyResource } from "@pulumi/policy";
import { Issue, SecurityCheck, ofTypes } from "./check";
import { orWhenUnknown } from "./unknowns";
import { isWorldCidr, list, nonEmptyString } from "./values";

const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const RULE_HOLDERS = [SECURITY_GROUP, DEFAULT_SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE];

/** A security-group rule in one shape, whichever resource declares it. */
interface Rule {
    direction: "ingress" | "egress";
    /** `tcp`, `udp`, `icmp`…, or `all` for `-1`. */
    protocol: string;
    from: number;
    to: number;
    cidrs: string[];
    description?: string;
    /** How messages name the rule. */
    label: string;
}

interface InlineRule {
    protocol?: string;
    fromPort?: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    description?: string;
}

function protocolName(protocol: unknown): string {
    const p = String(protocol ?? "").toLowerCase();
    return p === "-1" || p === "all" ? "all" : p === "6" ? "tcp" : p === "17" ? "udp" : p;
}

function rule(direction: Rule["direction"], protocol: unknown, from: unknown, to: unknown, cidrs: unknown[], description: unknown, label: string): Rule {
    return {
        direction,
        protocol: protocolName(protocol),
        from: Number(from ?? 0),
        to: Number(to ?? 0),
        cidrs: cidrs.filter((c): c is string => typeof c === "string"),
        description: nonEmptyString(description) ? description : undefined,
        label,
    };
}

/** Every rule a resource declares: inline ingress/egress blocks or a standalone rule. */
function rulesOf(r: PolicyResource): Rule[] {
    const p = r.props;
    switch (r.type) {
        case SECURITY_GROUP:
        case DEFAULT_SECURITY_GROUP:
            return (["ingress", "egress"] as const).flatMap((direction) =>
                list(p[direction] as InlineRule[] | undefined).map((x, i) =>
                    rule(direction, x.protocol, x.fromPort, x.toPort, [...list(x.cidrBlocks), ...list(x.ipv6CidrBlocks)], x.description, `${direction}[${i}]`),
                ),
            );
        case SECURITY_GROUP_RULE:
            return [rule(p.type === "egress" ? "egress" : "ingress", p.protocol, p.fromPort, p.toPort, [...list(p.cidrBlocks), ...list(p.ipv6CidrBlocks)], p.description, "rule")];
        case INGRESS_RULE:
        case EGRESS_RULE:
            return [rule(r.type === INGRESS_RULE ? "ingress" : "egress", p.ipProtocol, p.fromPort, p.toPort, [p.cidrIpv4, p.cidrIpv6], p.description, "rule")];
        default:
            return [];
    }
}

const portText = (x: Rule) => (x.protocol === "all" ? "all traffic" : `${x.protocol} ${x.from === x.to ? x.from : `${x.from}-${x.to}`}`);

/** The checklist id a world-open ingress rule violates, or none for the ALB ports. */
function worldIngressIssue(x: Rule): string | undefined {
    if (x.protocol === "tcp" && x.from === x.to && (x.from === 80 || x.from === 443)) return undefined;
    const allPorts = x.protocol === "all" || (x.from <= 0 && x.to >= 65535);
    const covers = (port: number) => x.protocol === "tcp" && x.from <= port && port <= x.to;
    if (allPorts) return "CKV_AWS_277";
    if (covers(22)) return "CKV_AWS_24";
    if (covers(3389)) return "CKV_AWS_25";
    return "CKV_AWS_260";
}

export const securityGroupWorldIngress: SecurityCheck = {
    name: "security-group-world-ingress",
    checks: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"],
    description:
        "No security-group ingress from 0.0.0.0/0 or ::/0 except exactly tcp/80 and tcp/443 (load balancers). All ports or protocol -1 is CKV_AWS_277, a range with 22 CKV_AWS_24, with 3389 CKV_AWS_25, any other port CKV_AWS_260.",
    appliesTo: ofTypes(...RULE_HOLDERS),
    inspect: (r) =>
        rulesOf(r).flatMap((x): Issue[] => {
            const world = x.cidrs.filter(isWorldCidr);
            const check = x.direction === "ingress" && world.length > 0 ? worldIngressIssue(x) : undefined;
            return check ? [{ check, message: `${r.type.split(":").pop()} ${r.name} ${x.label} allows ${portText(x)} from ${world.join(", ")}` }] : [];
        }),
};

export const securityGroupRuleDescriptions: SecurityCheck = {
    name: "security-group-rule-descriptions",
    checks: ["CKV_AWS_23"],
    description: "Every security-group rule, ingress and egress, inline or standalone, has a description.",
    appliesTo: ofTypes(...RULE_HOLDERS),
    inspect: (r) =>
        rulesOf(r)
            .filter((x) => x.description === undefined)
            .map((x) => ({ check: "CKV_AWS_23", message: `${r.type.split(":").pop()} ${r.name} ${x.label} (${x.direction} ${portText(x)}) has no description` })),
};

/**
 * Whether a standalone rule is attached to `group`: its securityGroupId was computed from the group
 * (the engine's property dependencies) or equals the group's id where the graph shows it.
 */
function ruleOf(rule: PolicyResource, group: PolicyResource): boolean {
    if ((rule.propertyDependencies?.securityGroupId ?? []).some((d) => d.urn === group.urn)) return true;
    const id = orWhenUnknown(() => (nonEmptyString(group.props.id) ? group.props.id : undefined), undefined);
    return id !== undefined && orWhenUnknown(() => rule.props.securityGroupId === id, false);
}

export const defaultSecurityGroupNoRules: SecurityCheck = {
    name: "default-security-group-no-rules",
    checks: ["CKV2_AWS_12"],
    description: "A VPC's default security group (aws.ec2.DefaultSecurityGroup) has no ingress or egress rules, inline or standalone, so nothing can use it by accident.",
    appliesTo: ofTypes(DEFAULT_SECURITY_GROUP),
    inspect: (r, ctx) => {
        const rules = [
            ...rulesOf(r),
            ...ctx.resources.filter((x) => [SECURITY_GROUP_RULE, INGRESS_RULE, EGRESS_RULE].includes(x.type) && ruleOf(x, r)).flatMap((x) => rulesOf(x).map((rule) => ({ ...rule, label: `${x.type.split(":").pop()} ${x.name}` }))),
        ];
        return rules.map((x) => ({ check: "CKV2_AWS_12", message: `default security group ${r.name} has a rule: ${x.label} (${x.direction} ${portText(x)}); it must have none` }));
    },
};

export const securityGroupChecks: SecurityCheck[] = [defaultSecurityGroupNoRules, securityGroupWorldIngress, securityGroupRuleDescriptions];
