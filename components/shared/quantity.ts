/** Kubernetes binary quantities (Mi, Gi, Ti) as the config keys spell them. */

const MEBIBYTES = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;

/** A quantity such as `512Mi` or `50Gi` in MiB; throws on another form (config rules admit only these). */
export function mebibytes(quantity: string): number {
    const m = /^([0-9]+)(Mi|Gi|Ti)$/.exec(quantity);
    if (!m) throw new Error(`not a Mi/Gi/Ti quantity: ${quantity}`);
    return Number(m[1]) * MEBIBYTES[m[2] as keyof typeof MEBIBYTES];
}

/** MiB as the largest whole unit (`2048` → `2Gi`, `1536` → `1536Mi`). */
export function quantity(mib: number): string {
    const whole = Math.floor(mib);
    return whole % 1024 === 0 ? `${whole / 1024}Gi` : `${whole}Mi`;
}
