/**
 * `npm run upgrade-check -- <stack> [--to 1.NN]`: is the stack ready for the next Kubernetes version? Offline
 * (no Pulumi CLI, no AWS): builds the stack under the Pulumi mocks, renders every release at the target with
 * Helm and validates it against the target's schema, lists removed and deprecated APIs, checks each chart's
 * kubeVersion and upstream-documented range. With AWS credentials it also asks EKS for the target's add-on
 * builds and the cluster's upgrade insights. Prints the report and the in-place upgrade plan (stdout), progress
 * on stderr; exit 0 when nothing blocks, 1 when something does, 2 when the check cannot run.
 */
import { runCli } from "./upgrade-check/cli";

runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(2);
    },
);
