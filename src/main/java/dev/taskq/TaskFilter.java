package dev.taskq;

/**
 * Narrows an admin listing or bulk action: by queue, by task name, by text in the last error. A {@code null}
 * part matches everything.
 *
 * @param queue         only tasks of this queue
 * @param name          only tasks of this handler name
 * @param errorContains only tasks whose last error contains this text (case-insensitive)
 */
public record TaskFilter(String queue, String name, String errorContains) {

    private static final TaskFilter ALL = new TaskFilter(null, null, null);

    /** @return the filter that matches every task */
    public static TaskFilter all() {
        return ALL;
    }

    /** @return a copy that matches only {@code queue} */
    public TaskFilter withQueue(String queue) {
        return new TaskFilter(queue, name, errorContains);
    }

    /** @return a copy that matches only tasks named {@code name} */
    public TaskFilter withName(String name) {
        return new TaskFilter(queue, name, errorContains);
    }

    /** @return a copy that matches only tasks whose last error contains {@code text} */
    public TaskFilter withErrorContaining(String text) {
        return new TaskFilter(queue, name, text);
    }
}
