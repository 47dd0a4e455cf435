import * as pulumi from "@pulumi/pulumi";
import { CiAccess, CiAccessArgs } from "../../components/ci-access";
import { GITHUB_OIDC } from "../../components/ci-access/types";
import { AwsContext } from "../../components/shared/aws-context";
import { serialized } from "../../tooling/offline/harness";
import { ACCOUNT_ID, DEPLOYER_SESSION_ARN, PlatformMocks, RecordedResource } from "../../tooling/offline/mocks";
import { PROJECT } from "../../tooling/offline/stack-files";

export const TEST_AWS: AwsContext = { accountId: ACCOUNT_ID, partition: "aws", region: "us-west-2", callerArn: DEPLOYER_SESSION_ARN };
export const GITHUB_PROVIDER_ARN = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${GITHUB_OIDC.host}`;

/** PlatformMocks, plus the ARN IAM really gives an OIDC provider (global, named after the issuer host). */
class CiAccessMocks extends PlatformMocks {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        const created = super.newResource(args);
        if (args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
            created.state.arn = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${new URL(args.inputs.url).host}`;
        }
        return created;
    }
}

export interface CiAccessBuild {
    /** Every registration except the stack, with `opts.parent` as `type::name`. */
    resources: RecordedResource[];
    /** The component's outputs, resolved. */
    outputs: {
        oidcProviderArn: string;
        deployRoleArn: string;
        previewRoleArn: string;
        boundaryArn: string;
        imagePushRoleArns: Record<string, string>;
        imagePullRoleArns: Record<string, string>;
    };
    ofType(type: string): RecordedResource[];
    /** The one resource of `type` whose logical name ends with `suffix`. */
    one(type: string, suffix?: string): RecordedResource;
}

/** Constructs a CiAccess named `ci` under the mock engine, in the queue the stack builds use. */
export function buildCiAccess(args: Omit<CiAccessArgs, "aws">, stack = "dev"): Promise<CiAccessBuild> {
    return serialized(() => buildNow(args, stack));
}

async function buildNow(args: Omit<CiAccessArgs, "aws">, stack: string): Promise<CiAccessBuild> {
    const mocks = new CiAccessMocks("us-west-2");
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
    pulumi.runtime.setAllConfig({});
    const parents = new Map<string, string | undefined>();
    const names = new Map<pulumi.Resource, string>();
    let failure: unknown;
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((t) => {
            names.set(t.resource, `${t.type}::${t.name}`);
            parents.set(`${t.type}::${t.name}`, t.opts.parent ? names.get(t.opts.parent) : undefined);
            return undefined;
        });
        try {
            const ci = new CiAccess("ci", { ...args, aws: TEST_AWS });
            return {
                oidcProviderArn: ci.oidcProviderArn,
                deployRoleArn: ci.deployRoleArn,
                previewRoleArn: ci.previewRoleArn,
                boundaryArn: ci.boundaryArn,
                imagePushRoleArns: ci.imagePushRoleArns,
                imagePullRoleArns: ci.imagePullRoleArns,
            };
        } catch (err) {
            failure = err;
            return {};
        }
    });
    await quiet(mocks);
    if (failure) throw failure;
    const resources = mocks.registrations
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({ ...r, opts: { parent: parents.get(`${r.type}::${r.name}`), dependsOn: [] }, engine: mocks.engineRequest(r.type, r.name) }));
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        resources,
        outputs: outputs as CiAccessBuild["outputs"],
        ofType,
        one: (type, suffix = "") => {
            const found = ofType(type).filter((r) => r.name.endsWith(suffix));
            if (found.length !== 1) throw new Error(`expected one ${type} ending ${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
            return found[0];
        },
    };
}

/** Waits until the mock engine has seen no new registration for a few turns of the event loop. */
async function quiet(mocks: PlatformMocks): Promise<void> {
    for (let last = -1, still = 0; still < 3; ) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        still = mocks.registrations.length === last ? still + 1 : 0;
        last = mocks.registrations.length;
    }
}
