// The order `npm test` (tests/run.js) hands its test files to mocha's two workers: mocha gives each worker
// the next file as it becomes free, so the longest files go first and the short ones fill in at the end,
// and the workers finish together instead of one running a long file alone at the end. A file's weight is
// its slowest recent time, not its last: a file whose cost depends on what the caches hold (the type-check
// after an edit, a stack build that misses) must go first in the run where it is slow, which is not the run
// after a fast one; a weight decays by a quarter each run the file is faster. These root hooks (mocha
// `--require`; in parallel mode root hooks run once per file) time each file in its worker and append it to a
// file per worker, which `recordTimes` folds into node_modules/.cache/eks-platform/test-times/last-run.json
// after the run. Plain Node.
"use strict";
const fs = require("fs");
const path = require("path");

const projectRoot = path.resolve(__dirname, "..");
const TIMES_DIR = path.join(projectRoot, "node_modules", ".cache", "eks-platform", "test-times");
const LAST_RUN = "last-run.json";

/** Each file's weight in milliseconds (relative to the project; see recordTimes), empty when no run was timed. */
function readTimes(dir = TIMES_DIR) {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, LAST_RUN), "utf8"));
    } catch {
        return {};
    }
}

/** `files` longest first by `times`; a file not timed yet (a new one) before all of them; ties by name. */
function orderFiles(files, times = readTimes()) {
    const weight = (file) => times[file] ?? Infinity;
    return [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
}

/** How much of a file's weight is left after a run in which it was faster. */
const DECAY = 0.75;

/** Folds the workers' records into `last-run.json` (a file's weight: its new time, or its decayed weight when larger) and removes them. */
function recordTimes(dir = TIMES_DIR) {
    if (!fs.existsSync(dir)) return;
    const times = readTimes(dir);
    for (const name of fs.readdirSync(dir).filter((f) => f.startsWith("worker-"))) {
        const file = path.join(dir, name);
        for (const line of fs.readFileSync(file, "utf8").split("\n").filter(Boolean)) {
            const { file: test, ms } = JSON.parse(line);
            times[test] = Math.round(Math.max(ms, (times[test] ?? 0) * DECAY));
        }
        fs.rmSync(file, { force: true });
    }
    const kept = Object.fromEntries(Object.entries(times).filter(([test]) => fs.existsSync(path.join(projectRoot, test))));
    fs.writeFileSync(path.join(dir, LAST_RUN), JSON.stringify(kept, null, 1));
}

let started;
const mochaHooks = {
    beforeAll() {
        started = process.hrtime.bigint();
    },
    afterAll() {
        // The root suite of this file's run: its top-level suites and tests carry the file name.
        const suite = this.test.parent;
        const file = [...suite.suites, ...suite.tests].map((s) => s.file).find(Boolean);
        if (!file || started === undefined) return;
        const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
        fs.mkdirSync(TIMES_DIR, { recursive: true });
        fs.appendFileSync(path.join(TIMES_DIR, `worker-${process.pid}.jsonl`), `${JSON.stringify({ file: path.relative(projectRoot, file), ms })}\n`);
    },
};

module.exports = { mochaHooks, orderFiles, recordTimes, readTimes, TIMES_DIR };
