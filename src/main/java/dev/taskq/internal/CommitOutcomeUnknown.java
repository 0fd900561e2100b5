package dev.taskq.internal;

/**
 * A commit that the database may or may not have made: the connection broke while it was asked to commit (a JTA
 * transaction manager reports a heuristic outcome). Treated as a {@link ConnectionLoss}: whoever committed must
 * find out from the database, once it answers, what happened, and must neither count it as done nor as failed.
 */
public final class CommitOutcomeUnknown extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause what the transaction manager reported
     */
    public CommitOutcomeUnknown(Throwable cause) {
        super("The database did not confirm the commit, which may or may not have happened: " + cause, cause);
    }
}
