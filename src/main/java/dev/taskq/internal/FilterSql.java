package dev.taskq.internal;

import dev.taskq.TaskFilter;
import dev.taskq.TaskGroup;
import jakarta.persistence.Query;
import java.time.Instant;

/** A {@link TaskFilter} as SQL: the predicate of a group and a filter, and the binding of its parameters. */
final class FilterSql {

    private FilterSql() {
    }

    static String where(TaskGroup group, TaskFilter filter) {
        return "(" + AdminStore.condition(group) + ")"
                + (filter.queue() == null ? "" : " and queue = :queue")
                + (filter.name() == null ? "" : " and name = :name")
                + (filter.errorContains() == null ? "" : " and strpos(lower(last_error), lower(:error)) > 0")
                + (filter.argsContains() == null ? "" : " and strpos(lower(args::text), lower(:args)) > 0")
                + (filter.from() == null ? "" : " and " + time(group) + " >= cast(:from as timestamptz)")
                + (filter.to() == null ? "" : " and " + time(group) + " < cast(:to as timestamptz)");
    }

    /** The time each group is listed by, and filtered by: the one the admin page shows. */
    private static String time(TaskGroup group) {
        return switch (group) {
            case FUTURE, PENDING -> "eta";
            case ACTIVE -> "started_at";
            case DIRTY -> "alive_at";
            case FAILED, SUCCEEDED, CANCELLED -> "finished_at";
        };
    }

    /** Binds the parameters {@code sql} names: which of the times it needs depends on the group. */
    static Query bind(Query query, String sql, TaskFilter filter, Instant now, Instant staleBefore) {
        if (sql.contains(":now")) {
            query.setParameter("now", TaskStore.utc(now));
        }
        if (sql.contains(":staleBefore")) {
            query.setParameter("staleBefore", TaskStore.utc(staleBefore));
        }
        if (filter.queue() != null) {
            query.setParameter("queue", filter.queue());
        }
        if (filter.name() != null) {
            query.setParameter("name", filter.name());
        }
        if (filter.errorContains() != null) {
            query.setParameter("error", filter.errorContains());
        }
        if (filter.argsContains() != null) {
            query.setParameter("args", filter.argsContains());
        }
        if (filter.from() != null) {
            query.setParameter("from", TaskStore.utc(filter.from()));
        }
        if (filter.to() != null) {
            query.setParameter("to", TaskStore.utc(filter.to()));
        }
        return query;
    }
}
