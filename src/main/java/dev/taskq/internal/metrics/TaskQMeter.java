package dev.taskq.internal.metrics;

import dev.taskq.TaskGroup;
import dev.taskq.internal.TaskRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * TaskQ's one vocabulary of metrics: every meter's name, type, labels and help, shared by the three outputs (the
 * Micrometer and MicroProfile Metrics bindings, and the admin resource's Prometheus text), so that a dashboard or
 * an alert written against one works against the others.
 *
 * <p>Names follow Prometheus conventions: counters end in {@code _total} and count since the node started, times are
 * in seconds. A timer is a summary {@code <name>_seconds} (samples {@code _count} and {@code _sum}) plus a gauge
 * {@code <name>_seconds_max}, the longest in the last minute or two: that is how Micrometer's Prometheus registry
 * prints a timer, and MicroProfile Metrics prints the same samples (Payara adds quantiles and a {@code _mean} gauge).
 * Per-node meters carry no node label: Prometheus's {@code instance} label tells the nodes apart.
 */
public enum TaskQMeter {

    /** Gauge over the latest snapshot of the task table; the whole table, the same on every node. */
    TASKS("taskq.tasks", Type.GAUGE, "Tasks per queue and group, from the latest snapshot of the task table",
            Labels.QUEUE, Labels.GROUP),
    /** Gauge: how long the oldest due task of a queue has waited to be claimed; the same on every node. */
    OLDEST_PENDING("taskq.oldest.pending.seconds", Type.GAUGE,
            "How long the oldest due task of the queue has waited to be claimed", Labels.QUEUE),
    /** Gauge: 1 while a queue is paused. */
    QUEUE_PAUSED("taskq.queue.paused", Type.GAUGE, "1 while the queue is paused", Labels.QUEUE),
    /** Gauge, worker nodes only: tasks this node's worker holds, running or claimed and waiting in its prefetch. */
    RUNNING_TASKS("taskq.running.tasks", Type.GAUGE,
            "Tasks this node's worker has claimed and not finished, running or waiting in its prefetch"),
    /** Gauge, worker nodes only: when this node's worker last beat, seconds since the epoch. */
    HEARTBEAT("taskq.heartbeat.timestamp.seconds", Type.GAUGE,
            "When this node's worker last beat, in seconds since the epoch"),
    /** Counter: attempts this node ran since it started, by how they ended. */
    ATTEMPTS("taskq.attempts", Type.COUNTER, "Attempts this node ran since it started, by outcome",
            Labels.QUEUE, Labels.TASK, Labels.OUTCOME),
    /** Timer: how long attempts ran, their completion or failure record included. */
    ATTEMPT_DURATION("taskq.attempt.duration", Type.TIMER,
            "How long attempts ran on this node, completion included", Labels.QUEUE, Labels.TASK),
    /** Timer: how long tasks had been due when they started. */
    START_DELAY("taskq.start.delay", Type.TIMER, "How long tasks had been due when they started on this node",
            Labels.QUEUE),
    /** Timer: how long claimed tasks waited in this node's prefetch for a free loop. */
    CLAIM_WAIT("taskq.claim.wait", Type.TIMER,
            "How long claimed tasks waited in this node's prefetch before they started", Labels.QUEUE);

    /** Every meter's name starts so, in the libraries' dotted form. */
    public static final String PREFIX = "taskq.";

    /** How a meter is kept. */
    public enum Type {
        GAUGE, COUNTER, TIMER
    }

    /** The label names, and how label values are spelled. */
    public static final class Labels {
        public static final String QUEUE = "queue";
        public static final String GROUP = "group";
        public static final String TASK = "task";
        public static final String OUTCOME = "outcome";

        private Labels() {
        }

        /** @return a group as a label value, as the REST resource spells it: {@code failed} */
        public static String of(TaskGroup group) {
            return group.name().toLowerCase(Locale.ROOT);
        }

        /** @return an outcome as a label value: {@code succeeded} */
        public static String of(TaskRunner.Outcome outcome) {
            return outcome.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One family of the Prometheus text, as its {@code # TYPE} line names it.
     *
     * @param name    the family's name
     * @param type    {@code gauge}, {@code counter} or {@code summary}
     * @param samples the names of its samples
     */
    public record Family(String name, String type, List<String> samples) {
    }

    private final String meterName;
    private final Type type;
    private final String help;
    private final List<String> labels;

    TaskQMeter(String meterName, Type type, String help, String... labels) {
        this.meterName = meterName;
        this.type = type;
        this.help = help;
        this.labels = List.of(labels);
    }

    /** @return the name the metrics libraries are given, dotted: {@code taskq.attempts} */
    public String meterName() {
        return meterName;
    }

    /** @return how it is kept */
    public Type type() {
        return type;
    }

    /** @return what it measures, for the {@code # HELP} line */
    public String help() {
        return help;
    }

    /** @return its label names, in this order wherever TaskQ lists label values */
    public List<String> labels() {
        return labels;
    }

    /** @return the families it appears as in Prometheus text */
    public List<Family> families() {
        String base = meterName.replace('.', '_');
        return switch (type) {
            case GAUGE -> List.of(new Family(base, "gauge", List.of(base)));
            case COUNTER -> List.of(new Family(base + "_total", "counter", List.of(base + "_total")));
            case TIMER -> List.of(
                    new Family(base + "_seconds", "summary", List.of(base + "_seconds_count", base + "_seconds_sum")),
                    new Family(base + "_seconds_max", "gauge", List.of(base + "_seconds_max")));
        };
    }

    /** @return the name of every sample TaskQ emits, in all three outputs: what a query may use */
    public static Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        Arrays.stream(values()).flatMap(meter -> meter.families().stream()).forEach(family -> names.addAll(
                family.samples()));
        return names;
    }
}
