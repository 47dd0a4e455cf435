import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Constructing the pack starts the analyzer's gRPC server, so nothing but this line lives here.
new PolicyPack("eks-platform", { policies, enforcementLevel: "mandatory" });
