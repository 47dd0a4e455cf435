import * as Mocha from "mocha";

/**
 * mocha's spec output plus one closing line, `N passed, N failed[, N skipped]`, which CI reads.
 * Skipped tests print the reason they were given (`this.skip()` after a notice).
 */
class PlatformReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        let passed = 0;
        let failed = 0;
        let skipped = 0;
        runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
        runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
        runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => skipped++);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            // Registered after Spec's epilogue, so this is the last line printed.
            console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
        });
    }
}

export = PlatformReporter;
