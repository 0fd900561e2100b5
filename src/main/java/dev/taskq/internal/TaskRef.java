package dev.taskq.internal;

/**
 * How TaskQ's log lines name a task: {@code 42 'send-receipt' (queue mail, attempt 2/5)}, the same in every line
 * of its life, so that one grep for the id or the name finds the whole story.
 *
 * @param id          the task's id
 * @param name        its handler's name
 * @param queue       its queue
 * @param attempt     its attempt: the one running, or the last one made
 * @param maxAttempts how many it may have in all
 */
record TaskRef(long id, String name, String queue, int attempt, int maxAttempts) {

    /** The columns {@link #of(Object[])} reads, in its order: for a native SELECT or RETURNING. */
    static final String COLUMNS = "id, name, queue, attempt, max_attempts";

    /** @return the claimed task's reference */
    static TaskRef of(ClaimedTask task) {
        return new TaskRef(task.id(), task.name(), task.queue(), task.attempt(), task.maxAttempts());
    }

    /** @return the reference of a row read as {@link #COLUMNS} by a native query */
    static TaskRef of(Object[] row) {
        return new TaskRef(((Number) row[0]).longValue(), (String) row[1], (String) row[2],
                ((Number) row[3]).intValue(), ((Number) row[4]).intValue());
    }

    @Override
    public String toString() {
        return id + " '" + name + "' (queue " + queue + ", attempt " + attempt + "/" + maxAttempts + ")";
    }
}
