package dev.taskq.internal;

import dev.taskq.Periodic;
import dev.taskq.TaskOptions;
import dev.taskq.TaskQueueException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The application's periodic schedules: the handlers' {@link Periodic} annotations, each overridden by its settings
 * ({@code taskq.periodic.<name>.cron}, {@code .zone}, {@code .args}, {@code .queue}, {@code .missed},
 * {@code .enabled}), and the schedules declared by settings alone: {@code taskq.periodic.schedules} lists their
 * names, and each names its handler with {@code taskq.periodic.<name>.task}. Building checks them all and reports
 * every problem together, so that a deployment fails with the complete list.
 */
public final class Schedules {

    /** Lists the schedules declared by settings alone, comma-separated. */
    public static final String DECLARED = "taskq.periodic.schedules";
    private static final String PREFIX = "taskq.periodic.";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:$-]{1,200}");

    private final List<Schedule> all;

    private Schedules(List<Schedule> all) {
        this.all = List.copyOf(all);
    }

    /** @return no schedules */
    public static Schedules none() {
        return new Schedules(List.of());
    }

    /** @return every enabled schedule, by name */
    List<Schedule> all() {
        return all;
    }

    /**
     * @throws TaskQueueException listing every problem found, one per line
     */
    public static Schedules of(HandlerRegistry handlers, ArgsCodec codec, ConfigReader config) {
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (HandlerBinding handler : handlers.all()) {
            Periodic[] periodic = handler.handlerClass().getAnnotationsByType(Periodic.class);
            for (Periodic annotation : periodic) {
                String name = annotation.name().isEmpty() ? handler.name() : annotation.name();
                if (annotation.name().isEmpty() && periodic.length > 1) {
                    problems.add(handler.handlerClass().getName() + " has " + periodic.length + " @Periodic "
                            + "schedules: give each a name()");
                    continue;
                }
                Declared declared = new Declared(name, handler.name(), annotation.cron(), annotation.zone(),
                        annotation.args(), annotation.queue(), annotation.missed().name());
                add(declared.overriddenBy(config), handlers, codec, config, schedules, seen, problems);
            }
        }
        for (String name : config.get(DECLARED).map(list -> list.split(",")).orElse(new String[0])) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Optional<String> task = config.get(PREFIX + trimmed + ".task");
            if (task.isEmpty()) {
                problems.add(DECLARED + " lists '" + trimmed + "', but " + PREFIX + trimmed + ".task does not name "
                        + "its handler: set it to a task name");
                continue;
            }
            Declared declared = new Declared(trimmed, task.get(), "", "UTC", "", TaskOptions.DEFAULT_QUEUE,
                    Periodic.Missed.SKIP.name());
            add(declared.overriddenBy(config), handlers, codec, config, schedules, seen, problems);
        }
        if (!problems.isEmpty()) {
            throw new TaskQueueException("TaskQ found invalid periodic schedules:\n  - "
                    + String.join("\n  - ", problems));
        }
        return new Schedules(schedules.values().stream().sorted(java.util.Comparator.comparing(Schedule::name))
                .toList());
    }

    /** A schedule as written, before it is checked. */
    private record Declared(String name, String task, String cron, String zone, String args, String queue,
            String missed) {

        Declared overriddenBy(ConfigReader config) {
            String key = PREFIX + name + ".";
            return new Declared(name, task, config.get(key + "cron").orElse(cron), config.get(key + "zone").orElse(zone),
                    config.get(key + "args").orElse(args), config.get(key + "queue").orElse(queue),
                    config.get(key + "missed").orElse(missed));
        }
    }

    private static void add(Declared declared, HandlerRegistry handlers, ArgsCodec codec, ConfigReader config,
            Map<String, Schedule> schedules, Set<String> seen, List<String> problems) {
        String name = declared.name();
        String where = "schedule '" + name + "'";
        if (!NAME.matcher(name).matches()) {
            problems.add(where + ": a schedule name must be 1 to 200 letters, digits or . _ - : $");
            return;
        }
        if (!seen.add(name)) { // a disabled schedule holds its name too
            problems.add(where + " is declared twice: give each schedule its own name");
            return;
        }
        String enabled = config.get(PREFIX + name + ".enabled").orElse("true").trim();
        if (!enabled.equals("true") && !enabled.equals("false")) {
            problems.add(where + ": " + PREFIX + name + ".enabled must be true or false, but was '" + enabled + "'");
            return;
        }
        Optional<HandlerBinding> handler = handlers.find(declared.task());
        if (handler.isEmpty()) {
            problems.add(where + ": no task handler named '" + declared.task() + "'. Known: " + handlers.knownNames());
            return;
        }
        if (declared.cron().isBlank()) {
            problems.add(where + ": no cron expression; set " + PREFIX + name + ".cron");
            return;
        }
        try {
            ZoneId zone = ZoneId.of(declared.zone().trim());
            CronSlots slots = new CronSlots(declared.cron().trim(), zone);
            Object args = args(declared, handler.get(), codec);
            if (!TaskOptions.isQueueName(declared.queue())) {
                throw new IllegalArgumentException("the queue must be " + TaskOptions.QUEUE_NAME_RULE + ", but was '"
                        + declared.queue() + "'");
            }
            Periodic.Missed missed = missed(declared.missed());
            if (enabled.equals("true")) {
                schedules.put(name, new Schedule(name, declared.task(), declared.cron().trim(), zone, slots, args,
                        declared.queue(), missed));
            }
        } catch (DateTimeException e) {
            problems.add(where + ": '" + declared.zone() + "' is not a time zone (" + e.getMessage() + "); use a "
                    + "region such as Europe/Berlin, or UTC");
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    private static Object args(Declared declared, HandlerBinding handler, ArgsCodec codec) {
        String json = declared.args().trim();
        if (handler.takesNoArgs()) {
            if (!json.isEmpty()) {
                throw new IllegalArgumentException("handler '" + handler.name() + "' takes no arguments "
                        + "(TaskHandler<Void>), but the schedule gives " + json + ": remove args");
            }
            return null;
        }
        if (json.isEmpty()) {
            throw new IllegalArgumentException("handler '" + handler.name() + "' needs arguments of type "
                    + handler.argsType().toCanonical() + ": give them as JSON in args");
        }
        try {
            return codec.read(json, handler.argsType(), handler.enqueueReading());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its args do not fit handler '" + handler.name() + "' ("
                    + handler.argsType().toCanonical() + "): " + e.getMessage(), e);
        }
    }

    private static Periodic.Missed missed(String value) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(Periodic.Missed.values()).filter(missed -> missed.name().equals(normalized)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("missed must be skip or run-once, but was '" + value
                        + "'"));
    }
}
