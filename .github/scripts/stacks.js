// The project's stacks are its stack files: every Pulumi.<stack>.yaml beside Pulumi.yaml is one stack.
// CI, Jenkins and the tests read the list from here, so adding a stack file adds the stack everywhere.
//
//   node .github/scripts/stacks.js           ["dev","prod"]                                  (JSON)
//   node .github/scripts/stacks.js --lines   one stack name per line                         (Jenkins)
//   node .github/scripts/stacks.js --matrix  {"include":[{"stack":"dev","key":"DEV"},...]}   (a GitHub matrix)
//   node .github/scripts/stacks.js --key dev DEV                                              (one stack's key)
//   node .github/scripts/stacks.js --preview  {"include":[{"stack","key","environment","runner"},...]} (preview legs)
//   node .github/scripts/stacks.js --skipped  one ::notice:: line per stack whose preview leg is skipped
//   node .github/scripts/stacks.js --preview-environment prod   the stack's ciPreviewEnvironment, or "" (Jenkins)
//
// Preview legs (--preview, --skipped) read the repository's variables as JSON from VARS_JSON
// (`${{ toJSON(vars) }}`): a stack whose API endpoint is private (endpointPublicAccess: false) is
// previewed only on its own runner `<KEY>_RUNNER_LABEL`; without that variable its leg is skipped with a
// notice, never failed. A stack without CI access (no ciRepository) is skipped the same way. A leg runs
// in the stack's ciPreviewEnvironment (required reviewers), so its credentials wait for an approval.
//
// `key` is the stack name as it appears in variable names (AWS_PREVIEW_ROLE_ARN_<KEY>, <KEY>_RUNNER_LABEL):
// upper case, `-` as `_`.
"use strict";
const fs = require("fs");
const path = require("path");

/** Stack names: lower-case letters, digits and `-`, starting with a letter (so they are safe in file and variable names). */
const STACK_NAME = /^[a-z][a-z0-9-]*$/;
const STACK_FILE = /^Pulumi\.(.+)\.(yaml|yml)$/;

/** The stacks of the project in `dir` (the repository root unless told), sorted; fails on a badly named stack file. */
function stackNames(dir = path.join(__dirname, "..", "..")) {
    const names = [];
    for (const file of fs.readdirSync(dir).sort()) {
        const match = STACK_FILE.exec(file);
        if (!match) continue;
        if (match[2] === "yml") throw new Error(`${file}: name stack files Pulumi.<stack>.yaml, as CI and the tests read them`);
        if (!STACK_NAME.test(match[1])) {
            throw new Error(`${file}: a stack name must match ${STACK_NAME} (lower-case letters, digits, "-"), got ${JSON.stringify(match[1])}`);
        }
        names.push(match[1]);
    }
    if (names.length === 0) throw new Error(`no Pulumi.<stack>.yaml in ${dir}`);
    return names;
}

const CONFIG = "eks-platform:";

/** The preview legs of the stacks in `dir`, and why the others are skipped. */
function previewLegs(vars, dir = path.join(__dirname, "..", "..")) {
    const { parse } = require("yaml");
    const legs = [];
    const skipped = [];
    for (const stack of stackNames(dir)) {
        const config = parse(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"))?.config ?? {};
        const key = stackKey(stack);
        const runnerVar = `${key}_RUNNER_LABEL`;
        // `pulumi config set` writes top-level values as text: "false" is as private as false.
        const privateApi = String(config[`${CONFIG}endpointPublicAccess`]) === "false";
        if (!config[`${CONFIG}ciRepository`]) {
            skipped.push({ stack, reason: `stack ${stack} has no CI access (ciRepository is unset): not previewed` });
        } else if (privateApi && !vars[runnerVar]) {
            skipped.push({ stack, reason: `stack ${stack} has a private API endpoint and variable ${runnerVar} is unset: not previewed` });
        } else {
            legs.push({ stack, key, environment: config[`${CONFIG}ciPreviewEnvironment`] || "", runner: vars[runnerVar] || "ubuntu-latest" });
        }
    }
    return { legs, skipped };
}

/** The stack name as used in variable names: AWS_DEPLOY_ROLE_ARN_<key>. */
function stackKey(stack) {
    return stack.toUpperCase().replace(/-/g, "_");
}

module.exports = { stackNames, stackKey, previewLegs, STACK_NAME };

if (require.main === module) {
    try {
        const names = stackNames(process.env.STACKS_DIR || undefined);
        const mode = process.argv[2];
        if (mode === "--lines") console.log(names.join("\n"));
        else if (mode === "--matrix") console.log(JSON.stringify({ include: names.map((stack) => ({ stack, key: stackKey(stack) })) }));
        else if (mode === "--preview" || mode === "--skipped") {
            const vars = JSON.parse(process.env.VARS_JSON || "{}");
            const { legs, skipped } = previewLegs(vars, process.env.STACKS_DIR || undefined);
            if (mode === "--preview") console.log(JSON.stringify({ include: legs }));
            else for (const s of skipped) console.log(`::notice title=preview ${s.stack} skipped::${s.reason}`);
        } else if (mode === "--preview-environment" && names.includes(process.argv[3])) {
            const dir = process.env.STACKS_DIR || path.join(__dirname, "..", "..");
            const config = require("yaml").parse(fs.readFileSync(path.join(dir, `Pulumi.${process.argv[3]}.yaml`), "utf8"))?.config ?? {};
            console.log(config[`${CONFIG}ciPreviewEnvironment`] || "");
        } else if (mode === "--key" && names.includes(process.argv[3])) console.log(stackKey(process.argv[3]));
        else if (mode === "--key") throw new Error(`no stack file Pulumi.${process.argv[3]}.yaml; stacks: ${names.join(", ")}`);
        else if (mode === undefined) console.log(JSON.stringify(names));
        else throw new Error(`usage: stacks.js [--lines | --matrix | --preview | --skipped | --preview-environment <stack> | --key <stack>]; got ${JSON.stringify(mode)}`);
    } catch (err) {
        console.error(err.message);
        process.exit(1);
    }
}
