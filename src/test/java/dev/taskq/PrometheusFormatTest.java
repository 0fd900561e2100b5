package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.admin.PrometheusFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The stats as a Prometheus scrape sees them. */
class PrometheusFormatTest {

    @Test
    void everyFigureIsASampleWithItsLabels() {
        Instant now = Instant.parse("2026-11-22T10:15:30Z");
        Map<TaskGroup, Long> groups = new java.util.EnumMap<>(TaskGroup.class);
        for (TaskGroup group : TaskGroup.values()) {
            groups.put(group, (long) group.ordinal());
        }
        QueueStats stats = new QueueStats(now,
                List.of(new QueueStats.Queue("mail", true, groups, Duration.ofMillis(2_500))),
                new TreeMap<>(Map.of("node \"a\"", 3L)),
                List.of(new QueueStats.Minute(now.minusSeconds(90), 40, 2, 42,
                                new QueueStats.Wait(Duration.ofMillis(120), Duration.ofSeconds(1)),
                                new QueueStats.Wait(Duration.ofMillis(7), Duration.ofMillis(30)), 12L),
                        new QueueStats.Minute(now.minusSeconds(30), 5, 0, 5, QueueStats.Wait.NONE,
                                QueueStats.Wait.NONE, null)));

        assertEquals("""
                # HELP taskq_tasks Tasks per queue and group.
                # TYPE taskq_tasks gauge
                taskq_tasks{queue="mail",group="future"} 0
                taskq_tasks{queue="mail",group="pending"} 1
                taskq_tasks{queue="mail",group="active"} 2
                taskq_tasks{queue="mail",group="dirty"} 3
                taskq_tasks{queue="mail",group="failed"} 4
                taskq_tasks{queue="mail",group="succeeded"} 5
                # HELP taskq_oldest_pending_seconds How long the oldest due task of a queue has waited.
                # TYPE taskq_oldest_pending_seconds gauge
                taskq_oldest_pending_seconds{queue="mail"} 2.5
                # HELP taskq_queue_paused 1 if the queue is paused.
                # TYPE taskq_queue_paused gauge
                taskq_queue_paused{queue="mail"} 1
                # HELP taskq_running RUNNING tasks per worker node.
                # TYPE taskq_running gauge
                taskq_running{node="node \\"a\\""} 3
                # HELP taskq_node_succeeded_per_minute Attempts this node completed in the last minute.
                # TYPE taskq_node_succeeded_per_minute gauge
                taskq_node_succeeded_per_minute 40
                # HELP taskq_node_failed_per_minute Attempts that failed on this node in the last minute.
                # TYPE taskq_node_failed_per_minute gauge
                taskq_node_failed_per_minute 2
                # HELP taskq_node_start_latency_seconds Mean time tasks started on this node in the last minute had been due.
                # TYPE taskq_node_start_latency_seconds gauge
                taskq_node_start_latency_seconds 0.12
                # HELP taskq_node_claim_to_start_seconds Mean time tasks started on this node in the last minute had waited in a claimed batch.
                # TYPE taskq_node_claim_to_start_seconds gauge
                taskq_node_claim_to_start_seconds 0.007
                """, PrometheusFormat.format(stats));
    }
}
