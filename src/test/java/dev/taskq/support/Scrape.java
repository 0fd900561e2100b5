package dev.taskq.support;

import dev.taskq.internal.metrics.TaskQMeter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A scrape in the Prometheus text format, parsed as far as comparing TaskQ's outputs needs: each sample with its
 * labels, its value and the type of the family it belongs to, as a {@code # TYPE} line declared it.
 */
public final class Scrape {

    /** One line of a scrape. */
    public record Sample(String name, String type, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)");

    private final String text;
    private final List<Sample> samples = new ArrayList<>();

    private Scrape(String text) {
        this.text = text;
    }

    /** @return the scrape parsed; a line that is neither a comment nor a sample fails, with the line */
    public static Scrape parse(String text) {
        Scrape scrape = new Scrape(text);
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.find()) {
                types.put(type.group(1), type.group(2));
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                throw new AssertionError("Not a sample line: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n")
                        .replace("\\\\", "\\"));
            }
            scrape.samples.add(new Sample(sample.group(1), typeOf(sample.group(1), types), labels,
                    Double.parseDouble(sample.group(3))));
        }
        return scrape;
    }

    /** A sample's family: its own name, or the name without {@code _count}/{@code _sum}/{@code _total}. */
    private static String typeOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return types.get(sample);
        }
        for (String suffix : List.of("_count", "_sum", "_bucket", "_total")) {
            String family = sample.endsWith(suffix) ? sample.substring(0, sample.length() - suffix.length()) : null;
            if (family != null && types.containsKey(family)) {
                return types.get(family);
            }
        }
        return "untyped";
    }

    /** @return the text, for failure messages */
    public String text() {
        return text;
    }

    /** @return TaskQ's samples: those named {@code taskq_...} */
    public List<Sample> taskq() {
        return samples.stream().filter(sample -> sample.name().startsWith("taskq_")).toList();
    }

    /**
     * @param serverLabels labels the server adds to every sample, left out
     * @param extra        samples beyond the shared vocabulary that this output may add, left out
     * @return TaskQ's sample names, each with its type and label names: {@code summary{queue,task}}
     */
    public Map<String, Set<String>> shapes(Set<String> serverLabels, Predicate<Sample> extra) {
        return taskq().stream().filter(extra.negate()).collect(Collectors.groupingBy(Sample::name, TreeMap::new,
                Collectors.mapping(sample -> shape(sample.type(), sample.labels().keySet().stream()
                        .filter(label -> !serverLabels.contains(label)).toList()), Collectors.toCollection(
                                TreeSet::new))));
    }

    /** @return every sample name of the shared vocabulary, with its type and label names */
    public static Map<String, Set<String>> vocabulary() {
        Map<String, Set<String>> shapes = new TreeMap<>();
        for (TaskQMeter meter : TaskQMeter.values()) {
            for (TaskQMeter.Family family : meter.families()) {
                family.samples().forEach(sample -> shapes.put(sample, Set.of(shape(family.type(), meter.labels()))));
            }
        }
        return shapes;
    }

    private static String shape(String type, List<String> labels) {
        return type + new TreeSet<>(labels).stream().collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * @param name  a sample name
     * @param where labels the series must have (others may be there too)
     * @return each matching series's labels, left out {@code serverLabels}, with its value
     */
    public Map<Map<String, String>, Double> series(String name, Map<String, String> where, Set<String> serverLabels) {
        Map<Map<String, String>, Double> series = new HashMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().entrySet().containsAll(where.entrySet())) {
                Map<String, String> labels = new TreeMap<>(sample.labels());
                labels.keySet().removeAll(serverLabels);
                series.put(labels, sample.value());
            }
        }
        return series;
    }

    /** @return the value of the first sample named {@code name} whose labels include {@code labels}, if any */
    public OptionalDouble value(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name)
                && sample.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).findFirst();
    }
}
