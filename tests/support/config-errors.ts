import { expect } from "chai";
import { ConfigError } from "../../stacks/config/reader";
import { otherStackCidrs } from "../../stacks/config/load";
import { otherStackNames } from "../../stacks/config/stack-names";
import { PlatformConfig } from "../../stacks/config/keys";
import { validateConfig } from "../../stacks/config/validate";
import { PROJECT, configWith, fixturesDir, secretKeysOf } from "../../tooling/offline/stack-files";

/** Validates a fixture stack's config with some keys replaced; returns the ConfigError message. */
export function errorFor(stack: string, overrides: Record<string, unknown>): string {
    return thrown(stack, overrides).message;
}

/** The ConfigError a fixture stack's config with some keys replaced throws; fails when it is accepted. */
export function thrown(stack: string, overrides: Record<string, unknown>): ConfigError {
    try {
        validatedConfig(stack, overrides);
    } catch (err) {
        expect(err).to.be.instanceOf(ConfigError);
        return err as ConfigError;
    }
    throw new Error(`config with ${JSON.stringify(overrides)} was accepted`);
}

/**
 * A fixture stack's config with some keys replaced, validated as the program does. With `secretKeys`, those
 * keys and the stack file's secure ones are secrets, as under `pulumi up`; without, no key is.
 */
export function validatedConfig(stack: string, overrides: Record<string, unknown> = {}, secretKeys?: string[]): PlatformConfig {
    return validateConfig({
        project: PROJECT,
        stack,
        values: configWith(stack, overrides),
        otherStackCidrs: otherStackCidrs(fixturesDir, PROJECT, stack),
        otherStackNames: otherStackNames(fixturesDir, PROJECT, stack),
        secretKeys: secretKeys && [...secretKeys.map((k) => (k.includes(":") ? k : `${PROJECT}:${k}`)), ...secretKeysOf(stack)],
    });
}
