import * as policySdk from "@pulumi/policy";

/**
 * During `pulumi preview` a property that depends on a resource not yet created is unknown, and
 * reading it throws `UnknownValueError`. The class is exported at runtime but typed as internal.
 */
const UnknownValueError = (policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }).UnknownValueError;

export function isUnknownValueError(err: unknown): boolean {
    return err instanceof UnknownValueError;
}

/** `read()`, or `fallback` when it touches a value unknown during preview. */
export function orWhenUnknown<T>(read: () => T, fallback: T): T {
    try {
        return read();
    } catch (err) {
        if (isUnknownValueError(err)) return fallback;
        throw err;
    }
}
