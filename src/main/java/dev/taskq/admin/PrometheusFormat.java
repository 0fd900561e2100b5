package dev.taskq.admin;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link QueueStats} in the Prometheus text exposition format (version 0.0.4), for a scrape endpoint:
 * {@code taskq_tasks{queue,group}}, {@code taskq_oldest_pending_seconds{queue}}, {@code taskq_queue_paused{queue}},
 * {@code taskq_running{node}}, and this node's {@code taskq_node_*} figures for the last complete minute: attempts
 * succeeded and failed, how long started tasks had been due, and how long they had waited after their claim.
 */
public final class PrometheusFormat {

    private PrometheusFormat() {
    }

    /** @return the stats as Prometheus text */
    public static String format(QueueStats stats) {
        StringBuilder out = new StringBuilder();
        header(out, "taskq_tasks", "gauge", "Tasks per queue and group.");
        for (QueueStats.Queue queue : stats.queues()) {
            for (Map.Entry<TaskGroup, Long> group : queue.groups().entrySet()) {
                sample(out, "taskq_tasks", "queue", queue.name(), "group", group.getKey().name().toLowerCase(Locale.ROOT),
                        group.getValue());
            }
        }
        header(out, "taskq_oldest_pending_seconds", "gauge", "How long the oldest due task of a queue has waited.");
        stats.queues().forEach(queue -> sample(out, "taskq_oldest_pending_seconds", "queue", queue.name(), null, null,
                seconds(queue.oldestPending())));
        header(out, "taskq_queue_paused", "gauge", "1 if the queue is paused.");
        stats.queues().forEach(queue -> sample(out, "taskq_queue_paused", "queue", queue.name(), null, null,
                queue.paused() ? 1 : 0));
        header(out, "taskq_running", "gauge", "RUNNING tasks per worker node.");
        stats.runningByNode().forEach((node, running) -> sample(out, "taskq_running", "node", node, null, null,
                running));
        QueueStats.Minute minute = lastCompleteMinute(stats.recentMinutes());
        header(out, "taskq_node_succeeded_per_minute", "gauge", "Attempts this node completed in the last minute.");
        sample(out, "taskq_node_succeeded_per_minute", null, null, null, null, minute == null ? 0 : minute.succeeded());
        header(out, "taskq_node_failed_per_minute", "gauge", "Attempts that failed on this node in the last minute.");
        sample(out, "taskq_node_failed_per_minute", null, null, null, null, minute == null ? 0 : minute.failed());
        header(out, "taskq_node_start_latency_seconds", "gauge",
                "Mean time tasks started on this node in the last minute had been due.");
        sample(out, "taskq_node_start_latency_seconds", null, null, null, null,
                minute == null ? 0 : seconds(minute.sinceDue().mean()));
        header(out, "taskq_node_claim_to_start_seconds", "gauge",
                "Mean time tasks started on this node in the last minute had waited in a claimed batch.");
        sample(out, "taskq_node_claim_to_start_seconds", null, null, null, null,
                minute == null ? 0 : seconds(minute.sinceClaim().mean()));
        return out.toString();
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static QueueStats.Minute lastCompleteMinute(List<QueueStats.Minute> minutes) {
        return minutes.size() < 2 ? null : minutes.get(minutes.size() - 2);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String label, String value, String label2,
            String value2, Number number) {
        out.append(name);
        if (label != null) {
            out.append('{').append(label).append("=\"").append(escape(value)).append('"');
            if (label2 != null) {
                out.append(',').append(label2).append("=\"").append(escape(value2)).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number).append('\n');
    }

    /** Label values escape backslash, double quote and line feed, as the format requires. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
