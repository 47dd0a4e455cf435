/** ARNs name their partition; one from another partition than the stack's region can never match anything there. */
import { ConfigReader, KeyTable } from "./reader";

const ARN = /\barn:(aws[a-z-]*):/g;

/** The partition a region belongs to: China's cn-*, GovCloud's us-gov-*, else the commercial `aws`. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}

/**
 * Rejects every ARN-valued config entry (any key; `aws:assumeRoles` too) whose partition is not the region's,
 * e.g. an `arn:aws-cn:` role in a commercial region (`keys`: the project's keys). Keys that failed their own rule, and secrets, are left alone.
 */
export function checkPartitions(r: ConfigReader<KeyTable>, keys: KeyTable, region: string, assumeRoleArns: string[]): void {
    const expected = partitionOf(region);
    const foreign = (value: string) => [...value.matchAll(ARN)].map((m) => m[1]).find((p) => p !== expected);
    const why = (partition: string) => `an ${partition} ARN, but ${region} is in the ${expected} partition; ARNs there start arn:${expected}:`;
    for (const [key, spec] of Object.entries(keys)) {
        if (spec.rule.kind === "secret" || (spec.type !== "string" && spec.type !== "array") || !r.has(key) || !r.ok(key)) continue;
        const value = r.get(key) as string | string[];
        for (const item of Array.isArray(value) ? value : [value]) {
            const partition = foreign(item);
            if (partition) r.reject(key, item, why(partition));
        }
    }
    for (const roleArn of assumeRoleArns) {
        const partition = foreign(roleArn);
        if (partition) r.note(`aws:assumeRoles: got ${JSON.stringify(roleArn)} (${why(partition)}); allowed: role ARNs of the stack's partition`);
    }
}
