package org.autosync.cli;

/** The process exit codes; the README has the same table. */
public final class ExitCode {

    /** The pass completed and the target's in-scope, in-filter keys equal the source (dry run: plan computed). */
    public static final int OK = 0;
    /** Some transfer failed after retries, or a pass could not complete. */
    public static final int TRANSFER_FAILED = 1;
    /** Usage or configuration error; the message names the problem. */
    public static final int CONFIG_ERROR = 2;
    /**
     * A safety rail held deletes back: more than --max_delete allows, or an empty source against a
     * target with objects in scope. Nothing was deleted.
     */
    public static final int SAFETY_RAIL = 3;

    private ExitCode() {
    }
}
