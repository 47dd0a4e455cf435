/**
 * How long a hook that builds stacks or renders charts may take. A build is a few seconds alone, but the
 * first hook of a process pays for the builds every later file shares (useStacks, the render cache), and
 * `npm test` runs two mocha processes side by side: on a loaded 2-core machine that first hook took over
 * mocha's 20 s default (issue 19, Why 9). The type-check, also a test, has the same limit. A hang still fails, later.
 */
export const BUILD_HOOK_TIMEOUT_MS = 300_000;

/** Stack and chart builders: a hook that calls one must be a `beforeBuilding` hook (tests/build-hooks.test.ts). */
export const BUILDERS = ["stackGraph", "buildStack", "renderedStack", "renderStack", "buildComponent", "buildCiAccess", "devWithOptionalFeatures", "prodWithoutCiWithSecrets", "renderFolder"];

/** A `before` hook that builds stacks or renders charts, with a time limit that holds on a loaded machine. */
export function beforeBuilding(fn: (this: Mocha.Context) => Promise<void> | void): void {
    before(async function () {
        this.timeout(BUILD_HOOK_TIMEOUT_MS);
        await fn.call(this);
    });
}
