package dev.taskq.internal;

/**
 * A due task as the claim's select locked it: its id, and its handler's name for the handlers' limits. The rest of
 * what a run needs comes back from the claim's update ({@link ClaimStore#markClaimed}), so that the select builds
 * no entity and Hibernate assembles two columns per row, not a row's worth.
 *
 * @param id   the task's id
 * @param name its handler's name
 */
record LockedTask(long id, String name) {

    /** The select list of a JPQL query on {@code Task t} that returns this record. */
    static final String SELECT = "select new dev.taskq.internal.LockedTask(t.id, t.name)";
}
