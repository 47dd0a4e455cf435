// Drift of one stack as one GitHub issue. drift.yml runs `pulumi preview --refresh --expect-no-changes` per
// stack, then calls this script twice:
//
//   node .github/scripts/drift-issue.js summary <exit code> <preview log>   the job summary (stdout); fails on a
//                                                                          preview that is neither clean nor drift
//   syncDriftIssue({ github, owner, repo, stack, exitCode, log, runUrl })  from actions/github-script: opens or
//                                                                          updates the stack's issue, or closes it
//
// The issue of stack <stack> is the open issue titled `Drift: <stack>` with label `drift`; no other issue is
// ever read, edited or closed. A drifting stack with no such issue gets one; one with an issue gets its body
// replaced by the latest diff (nothing is written when the body is unchanged); a clean stack's issue is closed
// with a comment. A preview that failed (credentials, program error, policy violation) is not drift: the
// summary step fails the job and no issue is touched.
"use strict";
const fs = require("fs");

/** `pulumi preview --expect-no-changes` exits with this code when it found changes (CLI 3.x, pulumi/pulumi#22176). */
const EXPECT_NO_CHANGES_EXIT = 7;
const LABEL = "drift";
/** GitHub refuses an issue body or comment over 65,536 characters. */
const BODY_LIMIT = 65536;
/** A job summary step may write 1 MiB; the diff gets far less, so a few stacks fit one run's page. */
const SUMMARY_LIMIT = 200000;

const title = (stack) => `Drift: ${stack}`;

/** What a preview's exit code means: `clean`, `drift`, or an Error for anything else. */
function outcomeOf(exitCode) {
    // An empty or missing code (the preview step never wrote one) is a failure, never "0".
    const code = /^\d+$/.test(String(exitCode).trim()) ? Number(exitCode) : NaN;
    if (code === 0) return "clean";
    if (code === EXPECT_NO_CHANGES_EXIT) return "drift";
    throw new Error(
        `pulumi preview exited with ${JSON.stringify(String(exitCode))}, neither 0 (no drift) nor ${EXPECT_NO_CHANGES_EXIT} (drift): ` +
            "the preview itself failed (credentials, state, program or policy); see its log above. No drift issue was changed.",
    );
}

/** `text` cut to at most `limit` characters (its start: the resources that changed come first), saying so. */
function truncate(text, limit) {
    if (text.length <= limit) return text;
    const note = `\n… (${text.length - limit} more characters cut; the whole preview is in the run's log)`;
    return text.slice(0, limit - note.length) + note;
}

/** The diff as Markdown: a fenced block that no line of the log can close early. */
function fenced(log, limit) {
    const longest = Math.max(2, ...[...log.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = "`".repeat(longest + 1);
    const room = limit - 2 * fence.length - 16;
    return `${fence}diff\n${truncate(log.replace(/\x1b\[[0-9;]*m/g, "").trimEnd(), room)}\n${fence}`;
}

/** The issue body for a drifting stack: what drifted, when it was seen, and what to do. */
function issueBody(stack, log, runUrl) {
    const head = [
        `\`pulumi preview --refresh --expect-no-changes\` of stack \`${stack}\` found changes: the live resources (or the`,
        "program on main) differ from the stack's state. This issue is updated by every drift run while the",
        "stack drifts and closed by the first clean run.",
        "",
        `Latest run: ${runUrl}`,
        "",
        "To resolve: a change made by hand is either put into the program (a pull request, then the deploy) or",
        "undone by the next deploy of main; see README \"Drift detection\".",
        "",
    ].join("\n");
    return head + fenced(log, BODY_LIMIT - head.length);
}

/** The job summary of one stack's drift run (Markdown). */
function summary(stack, exitCode, log) {
    const outcome = outcomeOf(exitCode);
    if (outcome === "clean") return `### ${stack}: no drift\n\nThe live resources match the stack's state and the program on main.\n`;
    return `### ${stack}: drift\n\n${fenced(log, SUMMARY_LIMIT)}\n`;
}

/**
 * Brings the stack's drift issue in line with the preview's outcome. `github` is the client
 * actions/github-script passes (Octokit: `paginate`, `rest.issues.*`). Returns what it did:
 * `created #n`, `updated #n`, `unchanged #n`, `closed #n` or `none`.
 */
async function syncDriftIssue({ github, owner, repo, stack, exitCode, log, runUrl }) {
    const outcome = outcomeOf(exitCode);
    const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: "open", labels: LABEL, per_page: 100 });
    // Pull requests come back from the issues API too; only a real issue with the exact title is the stack's.
    const mine = open.filter((i) => !i.pull_request && i.title === title(stack) && (i.labels ?? []).some((l) => (typeof l === "string" ? l : l.name) === LABEL));
    const issue = mine.sort((a, b) => a.number - b.number)[0];
    if (outcome === "drift") {
        const body = issueBody(stack, log, runUrl);
        if (!issue) {
            const { data } = await github.rest.issues.create({ owner, repo, title: title(stack), body, labels: [LABEL] });
            return `created #${data.number}`;
        }
        if (sameDiff(issue.body ?? "", body)) return `unchanged #${issue.number}`;
        await github.rest.issues.update({ owner, repo, issue_number: issue.number, body });
        return `updated #${issue.number}`;
    }
    if (!issue) return "none";
    await github.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: `No drift in stack \`${stack}\` any more (${runUrl}): closing.` });
    await github.rest.issues.update({ owner, repo, issue_number: issue.number, state: "closed", state_reason: "completed" });
    return `closed #${issue.number}`;
}

/** Whether two bodies show the same diff (the run link differs every night). */
const sameDiff = (a, b) => a.replace(/^Latest run: .*$/m, "") === b.replace(/^Latest run: .*$/m, "");

module.exports = { EXPECT_NO_CHANGES_EXIT, BODY_LIMIT, LABEL, title, outcomeOf, issueBody, summary, syncDriftIssue };

if (require.main === module) {
    const [mode, exitCode, logFile] = process.argv.slice(2);
    try {
        if (mode !== "summary" || exitCode === undefined || !logFile) throw new Error(`usage: drift-issue.js summary <exit code> <preview log>; got ${JSON.stringify(process.argv.slice(2))}`);
        const stack = process.env.STACK;
        if (!stack) throw new Error("STACK is unset");
        process.stdout.write(summary(stack, exitCode, fs.readFileSync(logFile, "utf8")));
    } catch (err) {
        console.error(`::error title=drift check of ${process.env.STACK || "?"} failed::${err.message}`);
        process.exit(1);
    }
}
