import { StackGraph } from "../../tooling/offline/harness";
import { deployPolicyDocuments } from "./deploy-documents";

/**
 * The README's table of what each CI role may do, written from the policies the fixture stacks build:
 * every statement of every CI role (deploy, preview, the boundary, the image roles, and each role's trust),
 * with the stack's own values shown as placeholders and, where dev and prod differ, the environment named.
 */
export const CI_ROLE_DOCS_MARKERS = { begin: "<!-- ci-roles:begin (npm run ci:docs) -->", end: "<!-- ci-roles:end -->" };

const list = (x: unknown): any[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

interface Role {
    name: string;
    what: string;
    documents: (g: StackGraph) => any[];
}

const policyOf = (g: StackGraph, type: string, name: string) => JSON.parse(g.one(type, name).inputs.policy);
const trustOf = (g: StackGraph, name: string) => JSON.parse(g.one("aws:iam/role:Role", name).inputs.assumeRolePolicy);
const appRoles = (g: StackGraph, kind: "push" | "pull") => g.ofType("aws:iam/role:Role").filter((r) => r.name.startsWith(`ci-access-${kind}-`));

const ROLES: Role[] = [
    { name: "eks-platform-deploy-&lt;env&gt;", what: "who may assume it", documents: (g) => [trustOf(g, "ci-access-deploy")] },
    {
        name: "eks-platform-deploy-&lt;env&gt;",
        what: "what it may do",
        documents: (g) => [...deployPolicyDocuments(g), policyOf(g, "aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg")],
    },
    { name: "eks-platform-deploy-&lt;env&gt;-boundary", what: "the ceiling of every role the deploy role creates", documents: (g) => [policyOf(g, "aws:iam/policy:Policy", "ci-access-boundary")] },
    { name: "eks-platform-preview-&lt;env&gt;", what: "who may assume it", documents: (g) => [trustOf(g, "ci-access-preview")] },
    { name: "eks-platform-preview-&lt;env&gt;", what: "what it may do", documents: (g) => [policyOf(g, "aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read")] },
    ...(["push", "pull"] as const).flatMap((kind) => [
        { name: `eks-platform-ecr-${kind}-&lt;env&gt;-&lt;repository&gt;`, what: "who may assume it", documents: (g: StackGraph) => appRoles(g, kind).slice(0, 1).map((r) => JSON.parse(r.inputs.assumeRolePolicy)) },
        {
            name: `eks-platform-ecr-${kind}-&lt;env&gt;-&lt;repository&gt;`,
            what: "what it may do",
            documents: (g: StackGraph) => appRoles(g, kind).slice(0, 1).map((r) => policyOf(g, "aws:iam/rolePolicy:RolePolicy", r.name)),
        },
    ]),
];

/** The stack's own values, replaced by what they stand for (longest first, so a cluster name goes before its environment). */
function placeholders(g: StackGraph): [RegExp, string][] {
    const cluster = String(g.one("aws:eks/cluster:Cluster").inputs.name);
    const provider = g.one("pulumi:providers:aws").inputs;
    const trust = trustOf(g, "ci-access-deploy");
    const conditions = list(trust.Statement).flatMap((s: any) => Object.values(s.Condition ?? {})) as Record<string, unknown>[];
    const claim = (key: string) => conditions.map((c) => c[`token.actions.githubusercontent.com:${key}`]).find((v) => v !== undefined);
    const repository = String(list(claim("sub"))[0]).split(":")[1];
    const state = list(policyOf(g, "aws:iam/rolePolicy:RolePolicy", "ci-access-preview-read").Statement)
        .find((s: any) => s.Sid === "ListStateObjects")
        .Resource.split(":::")[1];
    const tags = typeof provider.defaultTags === "string" ? JSON.parse(provider.defaultTags) : provider.defaultTags;
    const environment = String(tags.tags.environment);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pairs: [string, string][] = [
        [cluster, "<cluster>"],
        [repository, "<owner>/<repo>"],
        [String(claim("repository_id")), "<repository id>"],
        [String(claim("repository_owner_id")), "<owner id>"],
        [state, "<state bucket>"],
        [String(provider.region), "<region>"],
        [String(policyOf(g, "aws:iam/rolePolicy:RolePolicy", "ci-access-deploy-default-sg").Statement[0].Condition.ArnEquals["ec2:Vpc"]).split("vpc/")[1], "<vpc id>"],
        // The account of every ARN the stack builds (the node boundary names the cluster by its ARN in either mode).
        [String(g.one("aws:iam/policy:Policy", "ci-access-node-boundary").inputs.policy.match(/arn:aws:eks:[a-z0-9-]+:(\d{12}):cluster\//)?.[1]), "<account>"],
    ];
    return [
        ...pairs.filter(([v]) => v && v !== "undefined").sort((a, b) => b[0].length - a[0].length).map(([v, p]): [RegExp, string] => [new RegExp(escape(v), "g"), p]),
        // Not a word of a name after a placeholder: the auto fixture's environment `auto` in `<cluster>-auto-nodes-*`.
        [new RegExp(`(?<![\\w]|>-)${escape(environment)}(?![\\w])`, "g"), "<env>"],
    ];
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const values = (x: unknown) => list(x).map(String).join(", ");

function conditionText(condition: Record<string, Record<string, unknown>> | undefined): string {
    return Object.entries(condition ?? {})
        .flatMap(([op, block]) => Object.entries(block).map(([key, v]) => `${key} ${op} ${values(v)}`))
        .join("; ");
}

function rowsOf(document: any): string[] {
    return list(document.Statement).map((s: any) => {
        const principal = s.Principal
            ? Object.entries(s.Principal).map(([k, v]) => (k === "Federated" ? "the account's GitHub OIDC provider" : `${k}: ${values(v)}`)).join("; ")
            : "";
        const on = s.Resource !== undefined ? values(s.Resource) : s.NotResource !== undefined ? `everything but ${values(s.NotResource)}` : principal;
        const actions = s.Action !== undefined ? values(s.Action) : `everything but ${values(s.NotAction)}`;
        return [s.Sid ?? "", s.Effect, actions, on, conditionText(s.Condition)].map(cell).join(" | ");
    });
}

/** The generated README section for the given fixture stacks (every one: each mode's statements show as its environment's). */
export function ciRoleDocs(stacks: StackGraph[]): string {
    const out: string[] = [
        CI_ROLE_DOCS_MARKERS.begin,
        "",
        "Generated from the policies the program builds (test fixtures `tests/fixtures/Pulumi.*.yaml`; `npm run ci:docs` rewrites it, `tests/ci-role-docs.test.ts` fails when it is stale). Each stack's own values are placeholders; the column *in* names the environments a statement belongs to when they differ.",
        "",
    ];
    for (const role of ROLES) {
        const rows = new Map<string, string[]>();
        for (const g of stacks) {
            const subs = placeholders(g);
            for (const document of role.documents(g)) {
                for (const row of rowsOf(JSON.parse(subs.reduce((text, [re, p]) => text.replace(re, p), JSON.stringify(document))))) {
                    rows.set(row, [...(rows.get(row) ?? []), g.stack]);
                }
            }
        }
        if (rows.size === 0) continue;
        out.push(`**\`${role.name}\`: ${role.what}**`, "", "| statement | effect | actions | on | when | in |", "|---|---|---|---|---|---|");
        for (const [row, envs] of rows) out.push(`| ${row} | ${envs.length === stacks.length ? "all" : envs.join(", ")} |`);
        out.push("");
    }
    out.push(CI_ROLE_DOCS_MARKERS.end);
    return out.join("\n");
}

/** The README with its generated section replaced by `section`. */
export function withCiRoleDocs(readme: string, section: string): string {
    const start = readme.indexOf(CI_ROLE_DOCS_MARKERS.begin);
    const end = readme.indexOf(CI_ROLE_DOCS_MARKERS.end);
    if (start < 0 || end < start) throw new Error(`README.md has no ${CI_ROLE_DOCS_MARKERS.begin} … ${CI_ROLE_DOCS_MARKERS.end} section`);
    return readme.slice(0, start) + section + readme.slice(end + CI_ROLE_DOCS_MARKERS.end.length);
}
