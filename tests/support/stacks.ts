import * as path from "path";
import { projectRoot } from "../../tooling/offline/paths";

/** One preview job of the matrix preview.yml runs: the stack, its variable key, its GitHub environment and runner. */
export interface PreviewLeg {
    stack: string;
    key: string;
    environment: string;
    runner: string;
}

/** The module CI and Jenkins read the stack list from; the tests read the same one. */
interface StacksModule {
    stackNames(dir?: string): string[];
    stackKey(stack: string): string;
    previewLegs(vars: Record<string, string>, dir?: string): { legs: PreviewLeg[]; skipped: { stack: string; reason: string }[] };
    STACK_NAME: RegExp;
}

// Loaded from the source tree (not transpiled into .build): the file CI runs is the file under test.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stacksModule: StacksModule = require(path.join(projectRoot, ".github", "scripts", "stacks.js"));

export const STACKS_SCRIPT = path.join(projectRoot, ".github", "scripts", "stacks.js");

/** Every stack of the project in `dir` (the real project unless told): one per `Pulumi.<stack>.yaml`. */
export const stackNames = (dir: string = projectRoot): string[] => stacksModule.stackNames(dir);

/** A stack's name as it appears in CI variable names (`AWS_DEPLOY_ROLE_ARN_<KEY>`). */
export const stackKey = (stack: string): string => stacksModule.stackKey(stack);

export const STACK_NAME: RegExp = stacksModule.STACK_NAME;

/** The preview legs of the stacks in `dir` given the repository variables, and the skipped stacks with why. */
export const previewLegs = (vars: Record<string, string>, dir: string = projectRoot) => stacksModule.previewLegs(vars, dir);
