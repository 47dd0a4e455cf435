// Prints the `aws:region` of Pulumi.<stack>.yaml, so CI assumes its role in the stack's own region
// instead of repeating it in every workflow. Usage: node .github/scripts/stack-region.js <stack>
const fs = require("fs");
const path = require("path");
const { parse } = require("yaml");
const { STACK_NAME } = require("./stacks");

const stack = process.argv[2];
if (!STACK_NAME.test(stack ?? "")) {
    console.error(`usage: stack-region.js <stack>; got ${JSON.stringify(stack)}`);
    process.exit(2);
}
const file = path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
if (!fs.existsSync(file)) {
    console.error(`no stack file ${file}`);
    process.exit(1);
}
const region = parse(fs.readFileSync(file, "utf8"))?.config?.["aws:region"];
if (typeof region !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    console.error(`${file} has no valid aws:region (got ${JSON.stringify(region)})`);
    process.exit(1);
}
console.log(region);
