import * as aws from "@pulumi/aws";
import { AwsAccountSettings } from "./config/aws-account";

/** The one explicit AWS provider: region, default tags, and the account settings of the stack file. */
export function awsProvider(region: string, tags: Record<string, string>, settings: AwsAccountSettings): aws.Provider {
    return new aws.Provider("aws", {
        region: region as aws.Region,
        defaultTags: { tags },
        profile: settings.profile,
        allowedAccountIds: settings.allowedAccountIds.length > 0 ? settings.allowedAccountIds : undefined,
        forbiddenAccountIds: settings.forbiddenAccountIds.length > 0 ? settings.forbiddenAccountIds : undefined,
        assumeRoles: settings.assumeRoles.length > 0 ? settings.assumeRoles : undefined,
    });
}
