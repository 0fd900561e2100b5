package dev.taskq.internal.metrics;

import static dev.taskq.internal.metrics.TaskQMeter.*;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin resource's {@code GET metrics}: TaskQ's meters in the Prometheus text exposition format (version 0.0.4),
 * with the names, types and labels of {@link TaskQMeter}, as the metrics libraries print them. The queues' gauges
 * come from {@link QueueStats} taken for the request; counters and timers from this node's {@link NodeMeters}.
 */
public final class PrometheusText {

    private final StringBuilder out = new StringBuilder();

    private PrometheusText() {
    }

    /**
     * @param stats  the queues' figures
     * @param node   this node's counters and timers
     * @param worker this node's worker, if it runs one
     * @return the text
     */
    public static String format(QueueStats stats, NodeMeters node, Optional<WorkerGauges> worker) {
        PrometheusText text = new PrometheusText();
        List<Sample> tasks = new ArrayList<>();
        List<Sample> oldest = new ArrayList<>();
        List<Sample> paused = new ArrayList<>();
        for (QueueStats.Queue queue : stats.queues()) {
            for (TaskGroup group : TaskGroup.values()) {
                tasks.add(new Sample(List.of(queue.name(), Labels.of(group)), queue.groups().getOrDefault(group, 0L)));
            }
            oldest.add(new Sample(List.of(queue.name()), queue.oldestPending().toNanos() / 1e9));
            paused.add(new Sample(List.of(queue.name()), queue.paused() ? 1 : 0));
        }
        text.family(TASKS, 0, tasks);
        text.family(OLDEST_PENDING, 0, oldest);
        text.family(QUEUE_PAUSED, 0, paused);
        worker.ifPresent(gauges -> {
            text.family(RUNNING_TASKS, 0, List.of(new Sample(List.of(), gauges.runningTasks())));
            text.family(HEARTBEAT, 0, List.of(new Sample(List.of(), gauges.heartbeatSeconds())));
        });
        text.family(ATTEMPTS, 0, node.attempts().entrySet().stream()
                .map(attempts -> new Sample(attempts.getKey(), attempts.getValue())).toList());
        for (TaskQMeter timer : List.of(ATTEMPT_DURATION, START_DELAY, CLAIM_WAIT)) {
            Map<List<String>, NodeMeters.Reading> readings = node.timer(timer);
            List<Sample> counts = new ArrayList<>();
            List<Sample> sums = new ArrayList<>();
            List<Sample> maxima = new ArrayList<>();
            readings.forEach((labels, reading) -> {
                counts.add(new Sample(labels, reading.count()));
                sums.add(new Sample(labels, reading.totalNanos() / 1e9));
                maxima.add(new Sample(labels, reading.maxNanos() / 1e9));
            });
            text.family(timer, 0, counts, sums);
            text.family(timer, 1, maxima);
        }
        return text.out.toString();
    }

    /** A sample's label values, in the order of its meter's labels, and its value. */
    private record Sample(List<String> labels, Number value) {
    }

    /** Writes the {@code index}th family of {@code meter}, its samples in the order of the family's sample names. */
    @SafeVarargs
    private void family(TaskQMeter meter, int index, List<Sample>... samplesByName) {
        Family family = meter.families().get(index);
        if (samplesByName[0].isEmpty()) {
            return; // as the libraries do: a meter nothing has fed yet is not printed
        }
        out.append("# HELP ").append(family.name()).append(' ').append(meter.help()).append('\n');
        out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
        for (int i = 0; i < samplesByName.length; i++) {
            for (Sample sample : samplesByName[i]) {
                out.append(family.samples().get(i));
                labels(meter.labels(), sample.labels());
                out.append(' ').append(number(sample.value())).append('\n');
            }
        }
    }

    private void labels(List<String> names, List<String> values) {
        if (names.isEmpty()) {
            return;
        }
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : ",").append(names.get(i)).append("=\"").append(escape(values.get(i))).append('"');
        }
        out.append('}');
    }

    /** Whole numbers without a fraction, others in plain notation (no exponent): both parse as Prometheus floats. */
    private static String number(Number value) {
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        double number = value.doubleValue();
        return Double.isFinite(number) ? BigDecimal.valueOf(number).stripTrailingZeros().toPlainString() : "NaN";
    }

    /** Label values escape backslash, double quote and line feed, as the format requires. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
