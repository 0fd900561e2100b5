package dev.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How a task is enqueued: when (a delay or an ETA), in which queue, with which priority, how many attempts,
 * and an optional unique key. Immutable; every {@code with} method returns a copy and rejects a bad value at
 * once with a message that says the rule:
 *
 * <pre>{@code
 * tasks.enqueue(SendReceipt.class, receipt,
 *         TaskOptions.defaults().withQueue("mail").withDelay(Duration.ofMinutes(5)).withUniqueKey("receipt-" + id));
 * }</pre>
 */
public final class TaskOptions {

    /** The queue a task goes to unless told otherwise. */
    public static final String DEFAULT_QUEUE = "default";
    /** What a queue name may be. */
    public static final String QUEUE_NAME_RULE = "1 to 64 letters, digits or . _ - :";

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /** The lowest priority accepted. */
    public static final int MIN_PRIORITY = -1000;
    /** The highest priority accepted. */
    public static final int MAX_PRIORITY = 1000;
    /** The most attempts a task may be given. */
    public static final int MAX_ATTEMPTS = 1000;
    /** The longest unique key accepted. */
    public static final int MAX_UNIQUE_KEY_LENGTH = 200;

    private static final TaskOptions DEFAULTS = new TaskOptions(DEFAULT_QUEUE, null, null, 0, null, null);

    private final String queue;
    private final Duration delay;
    private final Instant eta;
    private final int priority;
    private final Integer maxAttempts;
    private final String uniqueKey;

    private TaskOptions(String queue, Duration delay, Instant eta, int priority, Integer maxAttempts,
            String uniqueKey) {
        this.queue = queue;
        this.delay = delay;
        this.eta = eta;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.uniqueKey = uniqueKey;
    }

    /** @return the defaults: queue {@value #DEFAULT_QUEUE}, due now, priority 0, the handler's attempts */
    public static TaskOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param name a candidate queue name
     * @return whether it is one: {@value #QUEUE_NAME_RULE}, as {@link #withQueue} and the worker's queue settings
     *         require
     */
    public static boolean isQueueName(String name) {
        return name != null && QUEUE_NAME.matcher(name).matches();
    }

    /**
     * @param queue {@value #QUEUE_NAME_RULE}
     * @return a copy that enqueues into {@code queue}
     */
    public TaskOptions withQueue(String queue) {
        if (!isQueueName(queue)) {
            throw new TaskQueueException("TaskOptions.withQueue needs a queue name of " + QUEUE_NAME_RULE
                    + ", but was " + (queue == null ? "null" : "'" + queue + "'") + ".");
        }
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, uniqueKey);
    }

    /**
     * @param delay zero or positive; replaces any ETA
     * @return a copy whose task is due {@code delay} after it is enqueued
     */
    public TaskOptions withDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new TaskQueueException("TaskOptions.withDelay needs a delay of zero or more, but was " + delay
                    + ". Use Duration.ZERO to run as soon as possible.");
        }
        return new TaskOptions(queue, delay, null, priority, maxAttempts, uniqueKey);
    }

    /**
     * @param eta the instant the task becomes due (one in the past means now); replaces any delay
     * @return a copy whose task is due at {@code eta}
     */
    public TaskOptions withEta(Instant eta) {
        if (eta == null) {
            throw new TaskQueueException("TaskOptions.withEta needs an instant, but was null. "
                    + "Leave the ETA out to run as soon as possible.");
        }
        return new TaskOptions(queue, null, eta, priority, maxAttempts, uniqueKey);
    }

    /**
     * @param priority from {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}; higher is claimed first
     * @return a copy with this priority
     */
    public TaskOptions withPriority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new TaskQueueException("TaskOptions.withPriority must be between " + MIN_PRIORITY + " and "
                    + MAX_PRIORITY + ", but was " + priority + ".");
        }
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, uniqueKey);
    }

    /**
     * @param maxAttempts from 1 to {@value #MAX_ATTEMPTS}; overrides the handler's {@link Retry#maxAttempts()}
     * @return a copy with this number of attempts
     */
    public TaskOptions withMaxAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new TaskQueueException("TaskOptions.withMaxAttempts must be between 1 and " + MAX_ATTEMPTS
                    + ", but was " + maxAttempts + ". 1 means the task never retries.");
        }
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, uniqueKey);
    }

    /**
     * While a task holding this key is pending or running, enqueueing another with the same key does nothing
     * and returns the id of the one that exists.
     *
     * @param uniqueKey 1 to {@value #MAX_UNIQUE_KEY_LENGTH} characters
     * @return a copy with this unique key
     */
    public TaskOptions withUniqueKey(String uniqueKey) {
        if (uniqueKey == null || uniqueKey.isBlank() || uniqueKey.length() > MAX_UNIQUE_KEY_LENGTH) {
            throw new TaskQueueException("TaskOptions.withUniqueKey needs 1 to " + MAX_UNIQUE_KEY_LENGTH
                    + " non-blank characters, but was " + describe(uniqueKey) + ".");
        }
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, uniqueKey);
    }

    /** @return the queue */
    public String queue() {
        return queue;
    }

    /** @return the delay, if one was set */
    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }

    /** @return the ETA, if one was set */
    public Optional<Instant> eta() {
        return Optional.ofNullable(eta);
    }

    /** @return the priority */
    public int priority() {
        return priority;
    }

    /** @return the attempts, if set here rather than left to the handler */
    public OptionalInt maxAttempts() {
        return maxAttempts == null ? OptionalInt.empty() : OptionalInt.of(maxAttempts);
    }

    /** @return the unique key, if one was set */
    public Optional<String> uniqueKey() {
        return Optional.ofNullable(uniqueKey);
    }

    private static String describe(String value) {
        return value == null ? "null" : "'" + value + "'";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskOptions that && priority == that.priority && queue.equals(that.queue)
                && Objects.equals(delay, that.delay) && Objects.equals(eta, that.eta)
                && Objects.equals(maxAttempts, that.maxAttempts) && Objects.equals(uniqueKey, that.uniqueKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queue, delay, eta, priority, maxAttempts, uniqueKey);
    }

    @Override
    public String toString() {
        return "TaskOptions[queue=" + queue + ", delay=" + delay + ", eta=" + eta + ", priority=" + priority
                + ", maxAttempts=" + maxAttempts + ", uniqueKey=" + uniqueKey + "]";
    }
}
