package dev.taskq;

import java.time.Instant;

/**
 * Narrows an admin listing or bulk action: by queue, by task name, by text in the last error or in the arguments,
 * and by the group's own time (the ETA of FUTURE and PENDING tasks, the start of ACTIVE ones, the last heartbeat
 * of DIRTY ones, the end of FAILED, SUCCEEDED and CANCELLED ones: the time the admin page shows). A {@code null}
 * part matches everything.
 *
 * @param queue         only tasks of this queue
 * @param name          only tasks of this handler name
 * @param errorContains only tasks whose last error contains this text (case-insensitive)
 * @param argsContains  only tasks whose arguments, as JSON text, contain this text (case-insensitive)
 * @param from          only tasks whose group time is at or after this instant
 * @param to            only tasks whose group time is before this instant
 */
public record TaskFilter(String queue, String name, String errorContains, String argsContains, Instant from,
        Instant to) {

    private static final TaskFilter ALL = new TaskFilter(null, null, null, null, null, null);

    /** @throws TaskQueueException if {@code from} is after {@code to} */
    public TaskFilter {
        if (from != null && to != null && from.isAfter(to)) {
            throw new TaskQueueException("A task filter's time range must not end (" + to + ") before it begins ("
                    + from + "): swap them.");
        }
    }

    /** As the filter of queue, name and error text alone. */
    public TaskFilter(String queue, String name, String errorContains) {
        this(queue, name, errorContains, null, null, null);
    }

    /** @return the filter that matches every task */
    public static TaskFilter all() {
        return ALL;
    }

    /** @return a copy that matches only {@code queue} */
    public TaskFilter withQueue(String queue) {
        return new TaskFilter(queue, name, errorContains, argsContains, from, to);
    }

    /** @return a copy that matches only tasks named {@code name} */
    public TaskFilter withName(String name) {
        return new TaskFilter(queue, name, errorContains, argsContains, from, to);
    }

    /** @return a copy that matches only tasks whose last error contains {@code text} */
    public TaskFilter withErrorContaining(String text) {
        return new TaskFilter(queue, name, text, argsContains, from, to);
    }

    /** @return a copy that matches only tasks whose arguments contain {@code text}, such as an order's id */
    public TaskFilter withArgsContaining(String text) {
        return new TaskFilter(queue, name, errorContains, text, from, to);
    }

    /**
     * @param from the first instant matched, or {@code null} for no lower bound
     * @param to   the first instant no longer matched, or {@code null} for no upper bound
     * @return a copy that matches only tasks whose group time lies in {@code [from, to)}
     */
    public TaskFilter withTimeBetween(Instant from, Instant to) {
        return new TaskFilter(queue, name, errorContains, argsContains, from, to);
    }
}
