/**
 * EC2 instance families on offer (current generations and the older ones still sold): the node group's
 * instance types and Karpenter's families are checked against them, so a typo fails before deployment.
 */
export const EC2_INSTANCE_FAMILIES: readonly string[] = [
    "a1",
    "c4", "c5", "c5a", "c5ad", "c5d", "c5n", "c6a", "c6g", "c6gd", "c6gn", "c6i", "c6id", "c6in", "c7a", "c7g", "c7gd", "c7gn",
    "c7i", "c7i-flex", "c8a", "c8g", "c8gd", "c8gn", "c8i", "c8i-flex",
    "d2", "d3", "d3en", "dl1", "f1", "f2",
    "g4ad", "g4dn", "g5", "g5g", "g6", "g6e", "g6f", "gr6", "gr6f",
    "h1", "hpc6a", "hpc6id", "hpc7a", "hpc7g",
    "i2", "i3", "i3en", "i4g", "i4i", "i7i", "i7ie", "i8g", "im4gn", "inf1", "inf2", "is4gen",
    "m4", "m5", "m5a", "m5ad", "m5d", "m5dn", "m5n", "m5zn", "m6a", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in", "m7a", "m7g",
    "m7gd", "m7i", "m7i-flex", "m8a", "m8g", "m8gd", "m8i", "m8i-flex",
    "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en",
    "r4", "r5", "r5a", "r5ad", "r5b", "r5d", "r5dn", "r5n", "r6a", "r6g", "r6gd", "r6i", "r6id", "r6idn", "r6in", "r7a", "r7g",
    "r7gd", "r7i", "r7iz", "r8a", "r8g", "r8gd", "r8i", "r8i-flex",
    "t2", "t3", "t3a", "t4g", "trn1", "trn1n", "trn2", "vt1",
    "x1", "x1e", "x2gd", "x2idn", "x2iedn", "x2iezn", "x8g", "z1d",
];

/** Graviton families (`a1`, or a `g` after the generation digit: m7g, c6gn, t4g) are arm64. */
export function familyArchitecture(family: string): "amd64" | "arm64" {
    return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "amd64";
}

/** EC2 spelling of a CPU architecture, as node group AMI types name it. */
export type NodeArchitecture = "x86_64" | "arm64";

/** EC2 spelling of an instance type's CPU architecture (`m7g.large` → arm64). */
export function instanceArchitecture(instanceType: string): NodeArchitecture {
    return familyArchitecture(instanceType.split(".")[0]) === "arm64" ? "arm64" : "x86_64";
}
