import { PolicyResource } from "@pulumi/policy";
import { Issue, SecurityCheck, ofTypes } from "./check";
import { hasCondition, isAllow, parseDocument, principalsOf, statementLabel } from "./documents";
import { orWhenUnknown } from "./unknowns";
import { isRecord, isTrue, list, nonEmptyString, parseJson } from "./values";

const REPOSITORY = "aws:ecr/repository:Repository";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const REGISTRY_POLICY = "aws:ecr/registryPolicy:RegistryPolicy";
const LIFECYCLE_POLICY = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

interface RepositoryProps {
    imageTagMutability?: string;
    imageScanningConfiguration?: { scanOnPush?: boolean | string };
    encryptionConfigurations?: { encryptionType?: string; kmsKey?: string }[];
}

const repo = (props: Record<string, unknown>) => props as RepositoryProps;

export const ecrScanOnPush: SecurityCheck = {
    name: "ecr-scan-on-push",
    checks: ["CKV_AWS_163"],
    description: "ECR repositories scan images on push (imageScanningConfiguration.scanOnPush true).",
    appliesTo: ofTypes(REPOSITORY),
    inspect: (r) =>
        isTrue(repo(r.props).imageScanningConfiguration?.scanOnPush)
            ? []
            : [{ check: "CKV_AWS_163", message: `ECR repository ${r.name} does not scan images on push` }],
};

export const ecrImmutableTags: SecurityCheck = {
    name: "ecr-immutable-tags",
    checks: ["CKV_AWS_51"],
    description: "ECR image tags are immutable: IMMUTABLE in prod; IMMUTABLE or IMMUTABLE_WITH_EXCLUSION (named mutable tags) elsewhere.",
    appliesTo: ofTypes(REPOSITORY),
    inspect: (r, ctx) => {
        const mutability = repo(r.props).imageTagMutability ?? "MUTABLE (the default)";
        const allowed = ctx.facts.isProd ? ["IMMUTABLE"] : ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"];
        return allowed.includes(mutability)
            ? []
            : [{ check: "CKV_AWS_51", message: `ECR repository ${r.name} has imageTagMutability ${mutability}; ${ctx.facts.isProd ? "prod" : "this stack"} allows ${allowed.join(" or ")}` }];
    },
};

export const ecrKmsEncryption: SecurityCheck = {
    name: "ecr-kms-encryption",
    checks: ["CKV_AWS_136"],
    description: "ECR repositories are encrypted with KMS (encryptionConfigurations[0].encryptionType \"KMS\").",
    appliesTo: ofTypes(REPOSITORY),
    inspect: (r) => {
        const type = list(repo(r.props).encryptionConfigurations)[0]?.encryptionType ?? "AES256 (the default)";
        return type === "KMS" ? [] : [{ check: "CKV_AWS_136", message: `ECR repository ${r.name} has encryptionType ${type}; it must be KMS` }];
    },
};

/**
 * The repository's name as policies refer to it: the `name` the engine reports, else the logical
 * name (what the mock engine reports for a repository created without a name).
 */
function repositoryName(r: PolicyResource): string {
    return orWhenUnknown(() => (nonEmptyString(r.props.name) ? r.props.name : r.name), r.name);
}

/**
 * Whether `other` (a repository or lifecycle policy) is attached to `repository`: its `repository`
 * input was computed from the repository (the engine's property dependencies), or equals its name.
 */
function attachedTo(other: PolicyResource, repository: PolicyResource): boolean {
    if ((other.propertyDependencies?.repository ?? []).some((d) => d.urn === repository.urn)) return true;
    return orWhenUnknown(() => other.props.repository === repositoryName(repository), false);
}

/** Statements of a repository or registry policy that open it to anyone: Allow to `*` (or NotPrincipal) without a condition. */
function publicStatements(policy: PolicyResource, label: string): Issue[] {
    const document = parseDocument(policy.props.policy);
    if (!document) return [];
    if (!document.ok) return [{ check: "CKV_AWS_32", message: `${label} is ${document.reason}, so who may pull or push cannot be verified` }];
    return document.statements.flatMap((s, i): Issue[] =>
        isAllow(s) && (principalsOf(s.Principal).anyone || s.NotPrincipal !== undefined) && !hasCondition(s)
            ? [{ check: "CKV_AWS_32", message: `${label} ${statementLabel(s, i)} allows principal "*" without a condition (public pull/push)` }]
            : [],
    );
}

/**
 * CKV_AWS_32, reported where the exposure is: on a repository of the stack for the repository
 * policies attached to it; on a repository policy for a repository outside the stack; on a registry
 * policy for itself (it covers every repository of the registry).
 */
export const ecrNotPublic: SecurityCheck = {
    name: "ecr-not-public",
    checks: ["CKV_AWS_32"],
    description: "No ECR repository or registry policy allows principal \"*\" (or a NotPrincipal) without a condition: repositories are never publicly pullable or pushable.",
    appliesTo: ofTypes(REPOSITORY, REPOSITORY_POLICY, REGISTRY_POLICY),
    inspect: (r, ctx) => {
        if (r.type === REPOSITORY) {
            return ctx.resources
                .filter((p) => p.type === REPOSITORY_POLICY && attachedTo(p, r))
                .flatMap((p) => publicStatements(p, `ECR repository ${r.name} policy (RepositoryPolicy ${p.name})`));
        }
        if (r.type === REPOSITORY_POLICY) {
            if (ctx.resources.some((repository) => repository.type === REPOSITORY && attachedTo(r, repository))) return [];
            return publicStatements(r, `ECR repository policy ${r.name} (repository ${String(r.props.repository ?? "unset")})`);
        }
        return publicStatements(r, `ECR registry policy ${r.name}`);
    },
};

/** Rules of an ECR lifecycle policy document, or undefined when it has none or is not JSON. */
function lifecyclePolicyRules(policy: unknown): unknown[] | undefined {
    const parsed = parseJson(policy);
    const rules = parsed.ok && isRecord(parsed.value) ? list(parsed.value.rules as unknown[] | undefined) : [];
    return rules.length > 0 ? rules : undefined;
}

export const ecrLifecyclePolicy: SecurityCheck = {
    name: "ecr-lifecycle-policy",
    checks: ["BP image"],
    description: "Every ECR repository has a LifecyclePolicy (repository = the repository's name) with at least one rule, so old and untagged images expire.",
    appliesTo: ofTypes(REPOSITORY),
    inspect: (r, ctx) => {
        const policies = ctx.resources.filter((p) => p.type === LIFECYCLE_POLICY && attachedTo(p, r));
        if (policies.length === 0) {
            return [{ check: "BP image", message: `ECR repository ${r.name} has no lifecycle policy (no LifecyclePolicy with repository ${repositoryName(r)})` }];
        }
        return policies.some((p) => lifecyclePolicyRules(p.props.policy) !== undefined)
            ? []
            : [{ check: "BP image", message: `ECR repository ${r.name} has a lifecycle policy without rules (LifecyclePolicy ${policies.map((p) => p.name).join(", ")})` }];
    },
};

export const ecrChecks: SecurityCheck[] = [ecrScanOnPush, ecrImmutableTags, ecrKmsEncryption, ecrNotPublic, ecrLifecyclePolicy];
