import * as path from "path";
import { projectRoot } from "./paths";

/** The module CI and Jenkins read the stack list from; the tests read the same one. */
interface StacksModule {
    stackNames(dir?: string): string[];
    stackKey(stack: string): string;
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
