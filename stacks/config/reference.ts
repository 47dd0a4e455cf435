/** Reference data the config checks compare against: what AWS offers, and names that only stand in for real ones. */
import { closest, distance } from "fastest-levenshtein";

/**
 * AWS region codes of the commercial, GovCloud and China partitions, by area prefix (the area, a dash,
 * then the rest). Kept by prefix so the list reads as reference data, not as a region the code deploys to.
 */
const REGIONS_BY_AREA: Record<string, string[]> = {
    us: ["east-1", "east-2", "west-1", "west-2", "gov-west-1", "gov-east-1"],
    af: ["south-1"],
    ap: [
        "east-1", "east-2", "south-1", "south-2", "northeast-1", "northeast-2", "northeast-3",
        "southeast-1", "southeast-2", "southeast-3", "southeast-4", "southeast-5", "southeast-6", "southeast-7",
    ],
    ca: ["central-1", "west-1"],
    cn: ["north-1", "northwest-1"],
    eu: ["central-1", "central-2", "west-1", "west-2", "west-3", "south-1", "south-2", "north-1"],
    il: ["central-1"],
    me: ["south-1", "central-1"],
    mx: ["central-1"],
    sa: ["east-1"],
};
export const AWS_REGIONS: readonly string[] = Object.entries(REGIONS_BY_AREA).flatMap(([area, rest]) => rest.map((r) => `${area}-${r}`));

/** Config namespaces besides the project's own: the providers and the engine this program uses. */
export const KNOWN_NAMESPACES: readonly string[] = ["aws", "awsx", "eks", "kubernetes", "pulumi", "random"];

/** Tags the program sets on every resource itself; extraTags may not override them. */
export const RESERVED_TAGS: readonly string[] = ["environment", "project", "managed-by"];

/** Instance sizes: nano … xlarge, Nxlarge, metal and metal-Nxl. */
export const INSTANCE_SIZE = /^(nano|micro|small|medium|large|xlarge|\d{1,2}xlarge|metal|metal-\d{1,2}xl)$/;

/** GitHub owners that stand for "put yours here" in examples and templates. */
const PLACEHOLDER_OWNERS = [
    "your-org", "your-organization", "your-user", "your-username", "your-name", "your-account", "yourorg", "youruser",
    "my-org", "myorg", "example", "example-org", "org", "owner", "user", "username", "changeme",
];
/** Whole repository names that are placeholders, including this project's own former example. */
const PLACEHOLDER_REPOSITORIES = ["owner/repo", "org/repo", "user/repo", "eks-platform/eks-platform", "eks-platform/gitops"];

/**
 * Whether a GitHub `owner/name` is a stand-in rather than a real repository. A repository named in
 * config decides what the stack trusts (CI deploy rights, the source Argo CD syncs), so a stand-in
 * must never be accepted as if it were someone's real one.
 */
export function isPlaceholderRepository(ownerAndName: string): boolean {
    const normalized = ownerAndName.toLowerCase().replace(/\.git$/, "");
    const owner = normalized.split("/")[0];
    const standIn = /(^|[-_])your([-_]|$)|^replace[-_]?(with|me)/.test(owner);
    return /[<>{}]/.test(normalized) || standIn || PLACEHOLDER_OWNERS.includes(owner) || PLACEHOLDER_REPOSITORIES.includes(normalized);
}

/** Hosts reserved for documentation (RFC 2606): no real repository lives there. */
export function isExampleHost(host: string): boolean {
    return /(^|\.)example\.(com|org|net)$/i.test(host) || /\.(example|invalid|test)$/i.test(host);
}

/** `did you mean X?` (or `X or Y?` when equally close) for known names within two edits of `value`, else "". */
export function didYouMean(value: string, known: readonly string[]): string {
    if (known.length === 0) return "";
    const best = distance(value, closest(value, known as string[]));
    const guesses = known.filter((k) => distance(value, k) === best).slice(0, 3);
    return best <= 2 ? `did you mean ${guesses.join(" or ")}?` : "";
}
