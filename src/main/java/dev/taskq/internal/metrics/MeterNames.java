package dev.taskq.internal.metrics;

import dev.taskq.TaskGroup;
import dev.taskq.internal.TaskRunner;
import java.util.Locale;

/**
 * The names, tags and descriptions of TaskQ's meters, shared by every {@link MeterBinding}. Timers are in seconds
 * (Micrometer's Prometheus registry always is; MicroProfile Metrics is told so). In Prometheus form, both
 * libraries print them alike: {@code taskq_tasks{queue,group}}, {@code taskq_oldest_pending_seconds{queue}},
 * {@code taskq_queue_paused{queue}}, {@code taskq_attempts_total{queue,task,outcome}},
 * {@code taskq_attempt_duration_seconds{queue,task}}, {@code taskq_start_delay_seconds{queue}} and
 * {@code taskq_claim_wait_seconds{queue}}.
 */
public final class MeterNames {

    /** Every meter's name starts so. */
    public static final String PREFIX = "taskq.";
    /** Gauge: tasks per queue and group. */
    public static final String TASKS = "taskq.tasks";
    public static final String TASKS_HELP = "Tasks per queue and group (from the latest snapshot of the task table)";
    /** Gauge, seconds: how long the oldest due task of a queue has waited to be claimed. */
    public static final String OLDEST_PENDING = "taskq.oldest.pending.seconds";
    public static final String OLDEST_PENDING_HELP = "How long the oldest due task of the queue has waited";
    /** Gauge: 1 while a queue is paused. */
    public static final String PAUSED = "taskq.queue.paused";
    public static final String PAUSED_HELP = "1 while the queue is paused";
    /** Counter: attempts this node ran, by how they ended. */
    public static final String ATTEMPTS = "taskq.attempts";
    public static final String ATTEMPTS_HELP = "Attempts this node ran, by outcome";
    /** Timer: how long attempts ran, completion included. */
    public static final String ATTEMPT_DURATION = "taskq.attempt.duration";
    public static final String ATTEMPT_DURATION_HELP = "How long attempts ran on this node, completion included";
    /** Timer: how long tasks had been due when they started. */
    public static final String START_DELAY = "taskq.start.delay";
    public static final String START_DELAY_HELP = "How long tasks had been due when they started on this node";
    /** Timer: how long claimed tasks waited in this node's batch for a free loop. */
    public static final String CLAIM_WAIT = "taskq.claim.wait";
    public static final String CLAIM_WAIT_HELP = "How long claimed tasks waited in this node's batch before they started";

    public static final String QUEUE = "queue";
    public static final String GROUP = "group";
    public static final String TASK = "task";
    public static final String OUTCOME = "outcome";

    private MeterNames() {
    }

    /** @return the tag value of a group, as the REST resource spells it */
    public static String tag(TaskGroup group) {
        return group.name().toLowerCase(Locale.ROOT);
    }

    /** @return the tag value of an outcome */
    public static String tag(TaskRunner.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
