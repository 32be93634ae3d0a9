package org.autosync.cli;

/** The process exit codes; the README has the same table. */
public final class ExitCode {

    /** The pass completed and the target's in-scope, in-filter keys equal the source (dry run: plan computed). */
    public static final int OK = 0;
    /** Some transfer failed after retries, or a pass could not complete. */
    public static final int TRANSFER_FAILED = 1;
    /** Usage or configuration error; the message names the problem. */
    public static final int CONFIG_ERROR = 2;
    /** Reserved: a safety rail stopped deletes. */
    public static final int SAFETY_RAIL = 3;

    private ExitCode() {
    }
}
