/** One result of `npm run upgrade-check`: what it is about, what is wrong (or fine), and what to do. */
export interface Finding {
    /** `block`: the upgrade must not proceed (exit 1); `warn`: proceed knowingly; `ok`: checked and fine. */
    severity: "block" | "warn" | "ok";
    /** The object, release, chart or add-on, named so a reader can find it. */
    subject: string;
    message: string;
    /** What to change; every blocking finding has one. */
    fix?: string;
}

export const blocking = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "block");
export const warnings = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "warn");
