import { APP_KEYS } from "./keys-apps";
import { INFRA_KEYS } from "./keys-infra";
import { OPS_KEYS } from "./keys-ops";
import * as checks from "./checks";
import { KeySpec, check, describe } from "./rules";

export { ACM_ARN } from "./keys-apps";
export { ConfigType, ConfigValue, KeySpec } from "./rules";

/**
 * Every project config key (`eks-platform:<key>`), declared once in keys-infra.ts, keys-apps.ts and keys-ops.ts:
 * type, default, description and constraint, as data. The validator checks values against `rule`;
 * error messages, `Pulumi.yaml`'s config block and the README table all derive their text from the
 * same declaration (`npm run config:docs` regenerates the last two).
 */
export const CONFIG_KEYS = { ...INFRA_KEYS, ...APP_KEYS, ...OPS_KEYS } as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys of other namespaces the program reads; documented with the project's keys, declared by their providers. */
export const PROVIDER_KEYS = {
    "aws:region": {
        type: "string",
        description: "AWS region of the stack (set it with `pulumi config set aws:region <region>`).",
        rule: check("an AWS region code of the commercial, GovCloud or China partition", checks.region),
    },
} as const satisfies Record<string, KeySpec>;

/** What `key` accepts, in words: its own rule, then the rules it shares with other keys. */
export function allowedText(key: ConfigKey | keyof typeof PROVIDER_KEYS): string {
    const spec: KeySpec = key in CONFIG_KEYS ? CONFIG_KEYS[key as ConfigKey] : PROVIDER_KEYS[key as keyof typeof PROVIDER_KEYS];
    return spec.crossKey ? `${describe(spec.rule)}; ${spec.crossKey}` : describe(spec.rule);
}
