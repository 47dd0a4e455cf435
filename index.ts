import { runProgram, stackOutputs } from "./stacks/program";

// Config validation and the account preflight stop the program, listing every problem, before anything
// is created; Pulumi waits for this promise and exports what it resolves to as the stack outputs.
export = runProgram().then(stackOutputs);
