package dev.taskq.admin;

import dev.taskq.TaskFilter;
import dev.taskq.TaskQueueException;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The query parameters of {@link TaskAdminResource}'s listings and bulk actions that make a {@link TaskFilter}:
 * {@code queue}, {@code name}, {@code error} (text in the last error), {@code args} (text in the arguments), and
 * {@code from} and {@code to}, ISO-8601 instants such as {@code 2026-12-07T15:00:00Z}. A blank one matches all.
 */
public class TaskFilterParams {

    @QueryParam("queue")
    String queue;

    @QueryParam("name")
    String name;

    @QueryParam("error")
    String error;

    @QueryParam("args")
    String args;

    @QueryParam("from")
    String from;

    @QueryParam("to")
    String to;

    /**
     * @return the filter these parameters give
     * @throws TaskQueueException if {@code from} or {@code to} is not an ISO-8601 instant, or they are reversed
     */
    public TaskFilter filter() {
        return new TaskFilter(blankToNull(queue), blankToNull(name), blankToNull(error), blankToNull(args),
                instant("from", from), instant("to", to));
    }

    private static Instant instant(String parameter, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new TaskQueueException("The parameter " + parameter + " needs an ISO-8601 instant such as "
                    + "2026-12-07T15:00:00Z, but was '" + value + "'.");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
