package dev.taskq.internal;

import dev.taskq.TaskQueueException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import static dev.taskq.internal.SettingValues.parseDuration;
import static dev.taskq.internal.SettingValues.parseInt;
import static dev.taskq.internal.SettingValues.requireBetween;
import java.util.regex.Pattern;

/**
 * The worker's settings, each with a default, validated as a whole when read: a bad value fails with a message
 * naming the setting, the value and the rule.
 *
 * @param enabled           {@value #ENABLED}: whether this node runs a worker at all (false on web-only nodes)
 * @param queues            {@value #QUEUES}: the queues this node claims from
 * @param threads           {@value #THREADS}: claim-and-run loops, shared by the queues without loops of their own
 * @param prefetch          {@value #PREFETCH}: the most tasks claimed ahead of the loops, waiting for the next free
 *                          one; the line is shorter where tasks take longer than a claim (see {@link Dispatcher})
 * @param pollInterval      {@value #POLL_INTERVAL}: how long an idle loop waits before it looks again
 * @param heartbeatInterval {@value #HEARTBEAT_INTERVAL}: how often running tasks' {@code alive_at} is refreshed
 * @param dirtyThreshold    {@value #DIRTY_THRESHOLD}: how old a heartbeat may be before its task is dirty
 * @param dirtyPolicy       {@value #DIRTY_POLICY}: what to do with dirty tasks
 * @param shutdownGrace     {@value #SHUTDOWN_GRACE}: how long a stop waits for running tasks before interrupting
 * @param cancelGrace       {@value #CANCEL_GRACE}: how long a cancelled task's handler may go on before its
 *                          heartbeat stops and it is left to the dirty policy
 * @param succeededRetention {@value #SUCCEEDED_RETENTION}: how long succeeded tasks are kept as SUCCEEDED;
 *                           zero deletes them as they succeed
 * @param failedRetention   {@value #FAILED_RETENTION}: how long FAILED tasks are kept; {@code null} keeps them
 *                          until a person removes them
 * @param nodeId            {@value #NODE_ID}: this node's name on the rows it runs
 * @param completionBatchSize   {@value #COMPLETION_BATCH_SIZE}: the most successes of handlers that run outside a
 *                              transaction recorded by one statement; 1 records each on its own
 * @param completionBatchWindow {@value #COMPLETION_BATCH_WINDOW}: how long such a success waits for its batch to
 *                              fill before it is recorded anyway
 * @param queueLoops        the queues that {@value #QUEUES} lists as {@code name:N}, each with its N loops of its
 *                          own, which no other queue takes and which take no other queue's tasks
 * @param maxRunning        {@code taskq.queue.<name>.max-running} of the listed queues: the most tasks of the queue
 *                          RUNNING at once on all nodes together
 */
public record WorkerSettings(boolean enabled, List<String> queues, int threads, int prefetch, Duration pollInterval,
        Duration heartbeatInterval, Duration dirtyThreshold, DirtyPolicy dirtyPolicy, Duration shutdownGrace,
        Duration cancelGrace, Duration succeededRetention, Duration failedRetention, String nodeId, int completionBatchSize,
        Duration completionBatchWindow, Map<String, Integer> queueLoops, Map<String, Integer> maxRunning) {

    public static final String ENABLED = "taskq.worker.enabled";
    public static final String QUEUES = "taskq.worker.queues";
    public static final String THREADS = "taskq.worker.threads";
    public static final String PREFETCH = "taskq.worker.prefetch";
    public static final String POLL_INTERVAL = "taskq.worker.poll-interval";
    public static final String HEARTBEAT_INTERVAL = "taskq.worker.heartbeat-interval";
    public static final String DIRTY_THRESHOLD = "taskq.worker.dirty-threshold";
    public static final String DIRTY_POLICY = "taskq.worker.dirty-policy";
    public static final String SHUTDOWN_GRACE = "taskq.worker.shutdown-grace";
    public static final String CANCEL_GRACE = "taskq.worker.cancel-grace";
    public static final String SUCCEEDED_RETENTION = "taskq.retention.succeeded";
    public static final String FAILED_RETENTION = "taskq.retention.failed";
    /** The value of {@value #FAILED_RETENTION} that keeps failed tasks until a person removes them. */
    public static final String FOREVER = "forever";
    public static final String NODE_ID = "taskq.worker.node-id";
    public static final String COMPLETION_BATCH_SIZE = "taskq.worker.completion-batch-size";
    public static final String COMPLETION_BATCH_WINDOW = "taskq.worker.completion-batch-window";

    /** An entry of {@value #QUEUES} that gives its queue loops of its own: {@code mail:2}. */
    private static final Pattern OWN_LOOPS = Pattern.compile("(.+?)\\s*:\\s*(\\d+)");

    /** Checks every value and the rules between them. */
    public WorkerSettings {
        if (queues == null || queues.isEmpty()) {
            throw new TaskQueueException(QUEUES + " needs at least one queue name, but was empty.");
        }
        queues.forEach(queue -> QueueNames.require(QUEUES, queue));
        queues = List.copyOf(queues);
        queueLoops = queueLoops == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(queueLoops));
        for (Map.Entry<String, Integer> own : queueLoops.entrySet()) {
            if (!queues.contains(own.getKey())) {
                throw new TaskQueueException(QUEUES + " gives queue " + own.getKey() + " loops of its own, but does not "
                        + "list it.");
            }
            requireBetween(QUEUES + " (the loops of queue " + own.getKey() + ")", own.getValue(), 1, 256);
        }
        maxRunning = maxRunning == null ? Map.of() : Map.copyOf(maxRunning);
        maxRunning.forEach((queue, max) -> requireBetween(maxRunningKey(queue), max, 1, 100_000));
        requireBetween(THREADS, threads, 1, 256);
        requireBetween(PREFETCH, prefetch, 0, 1000);
        requireBetween(POLL_INTERVAL, pollInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
        requireBetween(HEARTBEAT_INTERVAL, heartbeatInterval, Duration.ofMillis(100), Duration.ofMinutes(1));
        requireBetween(DIRTY_THRESHOLD, dirtyThreshold, heartbeatInterval.multipliedBy(3), Duration.ofDays(1));
        requireBetween(SHUTDOWN_GRACE, shutdownGrace, Duration.ZERO, Duration.ofMinutes(10));
        requireBetween(CANCEL_GRACE, cancelGrace, Duration.ZERO, Duration.ofHours(1));
        requireBetween(SUCCEEDED_RETENTION, succeededRetention, Duration.ZERO, Duration.ofDays(3650));
        requireBetween(COMPLETION_BATCH_SIZE, completionBatchSize, 1, 1000);
        requireBetween(COMPLETION_BATCH_WINDOW, completionBatchWindow, Duration.ofMillis(1), Duration.ofSeconds(1));
        if (failedRetention != null) {
            requireBetween(FAILED_RETENTION, failedRetention, Duration.ofMinutes(1), Duration.ofDays(3650));
        }
        if (dirtyPolicy == null) {
            throw new TaskQueueException(DIRTY_POLICY + " must be keep or requeue, but was null.");
        }
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 100) {
            throw new TaskQueueException(NODE_ID + " must be 1 to 100 characters, but was '" + nodeId + "'.");
        }
    }

    /** @return the defaults, the ones the README's configuration table lists */
    public static WorkerSettings defaults() {
        return from(ConfigReader.of(Map.of()));
    }

    /**
     * @param config where the values come from; a setting it lacks takes its default
     * @return the validated settings
     * @throws TaskQueueException for the first value that is malformed or breaks its rule
     */
    public static WorkerSettings from(ConfigReader config) {
        Function<String, Optional<String>> value = key -> config.get(key).map(String::trim);
        return new WorkerSettings(
                value.apply(ENABLED).map(v -> SettingValues.parseBoolean(ENABLED, v)).orElse(true),
                value.apply(QUEUES).map(WorkerSettings::queueNames).orElse(List.of("default")),
                value.apply(THREADS).map(v -> parseInt(THREADS, v)).orElse(4),
                value.apply(PREFETCH).map(v -> parseInt(PREFETCH, v)).orElse(64),
                value.apply(POLL_INTERVAL).map(v -> parseDuration(POLL_INTERVAL, v)).orElse(Duration.ofSeconds(1)),
                value.apply(HEARTBEAT_INTERVAL).map(v -> parseDuration(HEARTBEAT_INTERVAL, v))
                        .orElse(Duration.ofSeconds(1)),
                value.apply(DIRTY_THRESHOLD).map(v -> parseDuration(DIRTY_THRESHOLD, v))
                        .orElse(Duration.ofSeconds(30)),
                value.apply(DIRTY_POLICY).map(SettingValues::parseDirtyPolicy).orElse(DirtyPolicy.KEEP),
                value.apply(SHUTDOWN_GRACE).map(v -> parseDuration(SHUTDOWN_GRACE, v)).orElse(Duration.ofSeconds(10)),
                value.apply(CANCEL_GRACE).map(v -> parseDuration(CANCEL_GRACE, v)).orElse(Duration.ofSeconds(30)),
                value.apply(SUCCEEDED_RETENTION).map(v -> parseDuration(SUCCEEDED_RETENTION, v)).orElse(Duration.ZERO),
                value.apply(FAILED_RETENTION).filter(v -> !v.equalsIgnoreCase(FOREVER))
                        .map(v -> parseDuration(FAILED_RETENTION, v)).orElse(null),
                value.apply(NODE_ID).orElseGet(WorkerSettings::defaultNodeId),
                value.apply(COMPLETION_BATCH_SIZE).map(v -> parseInt(COMPLETION_BATCH_SIZE, v)).orElse(100),
                value.apply(COMPLETION_BATCH_WINDOW).map(v -> parseDuration(COMPLETION_BATCH_WINDOW, v))
                        .orElse(Duration.ofMillis(20)),
                value.apply(QUEUES).map(WorkerSettings::queueLoops).orElse(Map.of()),
                maxRunning(value, value.apply(QUEUES).map(WorkerSettings::queueNames).orElse(List.of("default"))));
    }

    /** @return the setting that limits how many of {@code queue}'s tasks run at once in the cluster */
    public static String maxRunningKey(String queue) {
        return "taskq.queue." + queue + ".max-running";
    }

    private static Map<String, Integer> maxRunning(Function<String, Optional<String>> value, List<String> queues) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String queue : queues) {
            value.apply(maxRunningKey(queue)).ifPresent(max -> limits.put(queue, parseInt(maxRunningKey(queue), max)));
        }
        return limits;
    }

    private static List<String> queueNames(String list) {
        return Arrays.stream(list.split(",", -1)).map(String::trim).map(entry -> {
            Matcher own = OWN_LOOPS.matcher(entry);
            return own.matches() ? own.group(1).trim() : entry;
        }).toList();
    }

    private static Map<String, Integer> queueLoops(String list) {
        Map<String, Integer> loops = new LinkedHashMap<>();
        for (String entry : list.split(",", -1)) {
            Matcher own = OWN_LOOPS.matcher(entry.trim());
            if (own.matches()) {
                loops.put(own.group(1).trim(), parseInt(QUEUES, own.group(2)));
            }
        }
        return loops;
    }

    /** @return the queues that share the {@link #threads()} loops: those without loops of their own */
    public List<String> sharedQueues() {
        return queues.stream().filter(queue -> !queueLoops.containsKey(queue)).toList();
    }

    /** @return every loop this node runs: the shared ones (if any queue shares them) and the queues' own */
    public int allLoops() {
        return (sharedQueues().isEmpty() ? 0 : threads) + queueLoops.values().stream().mapToInt(Integer::intValue)
                .sum();
    }

    /** @return these settings for one lane of loops: {@code lanesQueues} on {@code loops} loops */
    WorkerSettings forLane(List<String> laneQueues, int loops) {
        return new WorkerSettings(enabled, laneQueues, loops, prefetch, pollInterval, heartbeatInterval,
                dirtyThreshold, dirtyPolicy, shutdownGrace, cancelGrace, succeededRetention, failedRetention, nodeId,
                completionBatchSize, completionBatchWindow, Map.of(), maxRunning);
    }

    /** @return whether succeeded tasks are kept as SUCCEEDED for a while rather than deleted */
    public boolean keepSucceeded() {
        return !succeededRetention.isZero();
    }

    /** @return {@code value} as a boolean, which must be spelled true or false */
    public static boolean parseBoolean(String key, String value) {
        return SettingValues.parseBoolean(key, value);
    }

    /** @return a copy with {@code key} set to {@code value}, validated as if read from configuration */
    public WorkerSettings with(String key, String value) {
        Map<String, String> all = new java.util.HashMap<>();
        all.put(ENABLED, String.valueOf(enabled));
        all.put(QUEUES, String.join(",", queues.stream().map(queue -> queueLoops.containsKey(queue)
                ? queue + ":" + queueLoops.get(queue) : queue).toList()));
        all.put(THREADS, String.valueOf(threads));
        all.put(PREFETCH, String.valueOf(prefetch));
        all.put(POLL_INTERVAL, pollInterval.toString());
        all.put(HEARTBEAT_INTERVAL, heartbeatInterval.toString());
        all.put(DIRTY_THRESHOLD, dirtyThreshold.toString());
        all.put(DIRTY_POLICY, dirtyPolicy.name());
        all.put(SHUTDOWN_GRACE, shutdownGrace.toString());
        all.put(CANCEL_GRACE, cancelGrace.toString());
        all.put(SUCCEEDED_RETENTION, succeededRetention.toString());
        all.put(FAILED_RETENTION, failedRetention == null ? FOREVER : failedRetention.toString());
        all.put(NODE_ID, nodeId);
        all.put(COMPLETION_BATCH_SIZE, String.valueOf(completionBatchSize));
        all.put(COMPLETION_BATCH_WINDOW, completionBatchWindow.toString());
        maxRunning.forEach((queue, max) -> all.put(maxRunningKey(queue), String.valueOf(max)));
        all.put(key, value);
        return from(ConfigReader.of(all));
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String id = host + "/" + ProcessHandle.current().pid();
        return id.length() <= 100 ? id : id.substring(id.length() - 100);
    }
}
