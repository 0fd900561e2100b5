package dev.taskq.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin resource's Prometheus text: the shared names, cumulative counters, timers as the libraries print them. */
class PrometheusTextTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final NodeMeters node = new NodeMeters(clock);

    @Test
    void everyMeterIsPrintedWithItsTypeLabelsAndValues() {
        ClaimedTask mail = task("mail", "send \"receipt\"");
        node.started(mail, Duration.ofMillis(1_500), Duration.ofMillis(20));
        node.finished(mail, Outcome.SUCCEEDED, Duration.ofMillis(250));
        node.started(mail, Duration.ofMillis(500), Duration.ofMillis(10));
        node.finished(mail, Outcome.RETRYING, Duration.ofMillis(750));
        WorkerGauges worker = new WorkerGauges() {
            @Override
            public double runningTasks() {
                return 3;
            }

            @Override
            public double heartbeatSeconds() {
                return 1_795_000_000.25;
            }
        };

        assertEquals("""
                # HELP taskq_tasks Tasks per queue and group, from the latest snapshot of the task table
                # TYPE taskq_tasks gauge
                taskq_tasks{queue="mail",group="future"} 0
                taskq_tasks{queue="mail",group="pending"} 1
                taskq_tasks{queue="mail",group="active"} 2
                taskq_tasks{queue="mail",group="dirty"} 3
                taskq_tasks{queue="mail",group="failed"} 4
                taskq_tasks{queue="mail",group="succeeded"} 5
                taskq_tasks{queue="mail",group="cancelled"} 6
                # HELP taskq_oldest_pending_seconds How long the oldest due task of the queue has waited to be claimed
                # TYPE taskq_oldest_pending_seconds gauge
                taskq_oldest_pending_seconds{queue="mail"} 2.5
                # HELP taskq_queue_paused 1 while the queue is paused
                # TYPE taskq_queue_paused gauge
                taskq_queue_paused{queue="mail"} 1
                # HELP taskq_running_tasks Tasks this node's worker has claimed and not finished, running or waiting in its prefetch
                # TYPE taskq_running_tasks gauge
                taskq_running_tasks 3
                # HELP taskq_heartbeat_timestamp_seconds When this node's worker last beat, in seconds since the epoch
                # TYPE taskq_heartbeat_timestamp_seconds gauge
                taskq_heartbeat_timestamp_seconds 1795000000.25
                # HELP taskq_attempts_total Attempts this node ran since it started, by outcome
                # TYPE taskq_attempts_total counter
                taskq_attempts_total{queue="mail",task="send \\"receipt\\"",outcome="retrying"} 1
                taskq_attempts_total{queue="mail",task="send \\"receipt\\"",outcome="succeeded"} 1
                # HELP taskq_attempt_duration_seconds How long attempts ran on this node, completion included
                # TYPE taskq_attempt_duration_seconds summary
                taskq_attempt_duration_seconds_count{queue="mail",task="send \\"receipt\\""} 2
                taskq_attempt_duration_seconds_sum{queue="mail",task="send \\"receipt\\""} 1
                # HELP taskq_attempt_duration_seconds_max How long attempts ran on this node, completion included
                # TYPE taskq_attempt_duration_seconds_max gauge
                taskq_attempt_duration_seconds_max{queue="mail",task="send \\"receipt\\""} 0.75
                # HELP taskq_start_delay_seconds How long tasks had been due when they started on this node
                # TYPE taskq_start_delay_seconds summary
                taskq_start_delay_seconds_count{queue="mail"} 2
                taskq_start_delay_seconds_sum{queue="mail"} 2
                # HELP taskq_start_delay_seconds_max How long tasks had been due when they started on this node
                # TYPE taskq_start_delay_seconds_max gauge
                taskq_start_delay_seconds_max{queue="mail"} 1.5
                # HELP taskq_claim_wait_seconds How long claimed tasks waited in this node's prefetch before they started
                # TYPE taskq_claim_wait_seconds summary
                taskq_claim_wait_seconds_count{queue="mail"} 2
                taskq_claim_wait_seconds_sum{queue="mail"} 0.03
                # HELP taskq_claim_wait_seconds_max How long claimed tasks waited in this node's prefetch before they started
                # TYPE taskq_claim_wait_seconds_max gauge
                taskq_claim_wait_seconds_max{queue="mail"} 0.02
                """, PrometheusText.format(stats("mail"), node, Optional.of(worker)));
    }

    @Test
    void countersAndSumsGrowSinceTheNodeStartedWhileTheMaxCoversTheLastMinuteOrTwo() {
        ClaimedTask mail = task("mail", "send");
        node.started(mail, Duration.ofSeconds(4), Duration.ZERO);
        clock.advance(NodeMeters.MAX_WINDOW);
        node.started(mail, Duration.ofSeconds(1), Duration.ZERO);
        assertTrue(text().contains("taskq_start_delay_seconds_max{queue=\"mail\"} 4\n"), "the previous window counts");

        clock.advance(NodeMeters.MAX_WINDOW);
        String text = text();
        assertTrue(text.contains("taskq_start_delay_seconds_max{queue=\"mail\"} 1\n"), text);
        assertTrue(text.contains("taskq_start_delay_seconds_count{queue=\"mail\"} 2\n"), text);
        assertTrue(text.contains("taskq_start_delay_seconds_sum{queue=\"mail\"} 5\n"), text);

        clock.advance(NodeMeters.MAX_WINDOW.multipliedBy(2));
        assertTrue(text().contains("taskq_start_delay_seconds_max{queue=\"mail\"} 0\n"), "nothing recent, no max");
    }

    @Test
    void aNodeWithoutAWorkerHasNoWorkerGaugesAndMetersNothingFedAreLeftOut() {
        String text = PrometheusText.format(stats("mail"), node, Optional.empty());

        assertTrue(text.contains("taskq_tasks{queue=\"mail\",group=\"failed\"} 4\n"), text);
        assertTrue(!text.contains("taskq_running_tasks") && !text.contains("taskq_heartbeat"), text);
        assertTrue(!text.contains("taskq_attempts_total") && !text.contains("_seconds_count"), text);
    }

    private String text() {
        return PrometheusText.format(new QueueStats(NOW, List.of(), Map.of(), List.of()), node, Optional.empty());
    }

    private static QueueStats stats(String queue) {
        Map<TaskGroup, Long> groups = new EnumMap<>(TaskGroup.class);
        for (TaskGroup group : TaskGroup.values()) {
            groups.put(group, (long) group.ordinal());
        }
        return new QueueStats(NOW, List.of(new QueueStats.Queue(queue, true, groups, Duration.ofMillis(2_500))),
                Map.of("node-a", 3L), List.of());
    }

    private static ClaimedTask task(String queue, String name) {
        return new ClaimedTask(1, queue, name, null, 1, 5, NOW, NOW, NOW, null);
    }
}
