import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { hashSync } from "bcryptjs";

export interface AdminPassword {
    /** The password: the configured one, or a generated one kept in state. A secret. */
    password: pulumi.Output<string>;
    /** bcrypt hash of it with a salt kept in state, so the hash (and the Helm values) stay stable. A secret. */
    bcryptHash: pulumi.Output<string>;
}

/**
 * bcrypt is deliberately slow (~0.1 s); one (password, salt) pair is hashed once per process, so
 * programs that build several stacks in one process (`npm run render`, the tests) pay it once.
 */
const hashes = new Map<string, string>();
function bcrypt(password: string, salt: string): string {
    const key = JSON.stringify([password, salt]);
    if (!hashes.has(key)) hashes.set(key, hashSync(password, salt));
    return hashes.get(key)!;
}

/** Uses `configured` when set, otherwise a generated 24-character password. */
export function adminPassword(name: string, configured: pulumi.Output<string> | undefined, parent: pulumi.Resource): AdminPassword {
    const password = configured ?? new random.RandomPassword(name, { length: 24, special: false }, { parent }).result;
    // bcrypt's salt alphabet is [./A-Za-z0-9]; 22 alphanumerics is a valid 128-bit salt.
    const salt = new random.RandomString(`${name}-salt`, { length: 22, special: false }, { parent }).result;
    const bcryptHash = pulumi.all([password, salt]).apply(([pw, s]) => bcrypt(pw, `$2a$10$${s}`));
    return { password: pulumi.secret(password), bcryptHash: pulumi.secret(bcryptHash) };
}

/**
 * When a password was first set (RFC 3339), kept in state so it does not move on later updates.
 * Pulumi has no clock resource: the creation time rides in the keepers, which later runs ignore.
 */
export function passwordSetAt(name: string, parent: pulumi.Resource): pulumi.Output<string> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const marker = new random.RandomString(`${name}-set-at`, { length: 8, special: false, keepers: { at: now } }, { parent, ignoreChanges: ["keepers"] });
    return marker.keepers.apply((k) => k?.at ?? now);
}
