package dev.taskq.internal.metrics;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.RunListener;
import dev.taskq.internal.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's counters and timers kept in memory since the node started, for the admin resource's Prometheus text:
 * the same figures the metrics libraries keep from the same run events, so that text needs no library. Thread-safe.
 */
public final class NodeMeters implements RunListener {

    /** A timer's max covers the current window and the one before: the last one to two minutes, as Micrometer's. */
    static final Duration MAX_WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final ConcurrentMap<List<String>, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<TaskQMeter, ConcurrentMap<List<String>, Timing>> timers = new EnumMap<>(TaskQMeter.class);

    /** @param clock the time the timers' max window moves with */
    public NodeMeters(Clock clock) {
        this.clock = clock;
        for (TaskQMeter meter : TaskQMeter.values()) {
            if (meter.type() == TaskQMeter.Type.TIMER) {
                timers.put(meter, new ConcurrentHashMap<>());
            }
        }
    }

    @Override
    public void started(ClaimedTask task, Duration sinceDue, Duration sinceClaim) {
        record(TaskQMeter.START_DELAY, List.of(task.queue()), sinceDue);
        record(TaskQMeter.CLAIM_WAIT, List.of(task.queue()), sinceClaim);
    }

    @Override
    public void finished(ClaimedTask task, TaskRunner.Outcome outcome, Duration took) {
        attempts.computeIfAbsent(List.of(task.queue(), task.name(), TaskQMeter.Labels.of(outcome)),
                labels -> new LongAdder()).increment();
        record(TaskQMeter.ATTEMPT_DURATION, List.of(task.queue(), task.name()), took);
    }

    /** @return attempts so far, by label values in the order of {@link TaskQMeter#ATTEMPTS}'s labels */
    public Map<List<String>, Long> attempts() {
        Map<List<String>, Long> counts = new TreeMap<>(NodeMeters::compare);
        attempts.forEach((labels, count) -> counts.put(labels, count.sum()));
        return counts;
    }

    /** @return the readings of a timer, by label values in the order of its labels */
    public Map<List<String>, Reading> timer(TaskQMeter meter) {
        ConcurrentMap<List<String>, Timing> timings = timers.get(meter);
        if (timings == null) {
            throw new IllegalArgumentException(meter + " is a " + meter.type() + ", not a timer");
        }
        long now = clock.millis();
        Map<List<String>, Reading> readings = new TreeMap<>(NodeMeters::compare);
        timings.forEach((labels, timing) -> readings.put(labels, timing.read(now)));
        return readings;
    }

    /**
     * A timer's figures.
     *
     * @param count      how many times it recorded
     * @param totalNanos the sum of what it recorded
     * @param maxNanos   the longest in the last one to two minutes
     */
    public record Reading(long count, long totalNanos, long maxNanos) {
    }

    private void record(TaskQMeter meter, List<String> labels, Duration duration) {
        timers.get(meter).computeIfAbsent(labels, any -> new Timing()).record(duration.toNanos(), clock.millis());
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = a.get(i).compareTo(b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Count and sum since start; the max of the current and the previous window. */
    private static final class Timing {
        private long count;
        private long totalNanos;
        private long window;
        private long maxNow;
        private long maxBefore;

        synchronized void record(long nanos, long nowMillis) {
            rotate(nowMillis);
            count++;
            totalNanos += nanos;
            maxNow = Math.max(maxNow, nanos);
        }

        synchronized Reading read(long nowMillis) {
            rotate(nowMillis);
            return new Reading(count, totalNanos, Math.max(maxNow, maxBefore));
        }

        private void rotate(long nowMillis) {
            long current = Math.floorDiv(nowMillis, MAX_WINDOW.toMillis());
            if (current > window) {
                maxBefore = current == window + 1 ? maxNow : 0;
                maxNow = 0;
                window = current;
            }
        }
    }
}
