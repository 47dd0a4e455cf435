#!/usr/bin/env node
// The Node.js check that runs before anything else in `npm test` (tests/run.js) and the npm scripts: the
// dependencies need Node 22 (package.json "engines"), and an older Node fails later with an error that
// names neither Node nor the fix (`fs.globSync is not a function`). Plain CommonJS with nothing newer than
// Node 12 offers, so an old Node runs it and prints the message.
"use strict";
var fs = require("fs");
var path = require("path");

function requiredMajor() {
    var engines = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).engines || {};
    var match = /(\d+)/.exec(String(engines.node || ""));
    return match ? Number(match[1]) : 0;
}

/** Exits with the message when this Node is older than package.json's engines.node. */
function requireNode() {
    var wanted = requiredMajor();
    var found = process.versions.node;
    if (Number(found.split(".")[0]) < wanted) {
        process.stderr.write("Node " + wanted + " or newer is needed (found " + found + "); `nvm use` reads .nvmrc\n");
        process.exit(1);
    }
}

module.exports = { requireNode: requireNode };

if (require.main === module) requireNode();
