package dev.taskq;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How a task is enqueued: when (a delay or an ETA), in which queue, with which priority, how many attempts,
 * an optional unique key (for a period, replacing or debouncing a pending holder, per queue) and a deadline. Immutable; every {@code with} method returns a copy and rejects a bad value at
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

    /** The longest unique-key period, debounce delay and expiry accepted. */
    public static final Duration MAX_PERIOD = Duration.ofDays(365);

    private static final TaskOptions DEFAULTS = new TaskOptions(DEFAULT_QUEUE, null, null, 0, null, null, null);

    private final String queue;
    private final Duration delay;
    private final Instant eta;
    private final int priority;
    private final Integer maxAttempts;
    private final UniqueKeySpec unique;
    private final Duration expiry;

    private TaskOptions(String queue, Duration delay, Instant eta, int priority, Integer maxAttempts,
            UniqueKeySpec unique, Duration expiry) {
        this.queue = queue;
        this.delay = delay;
        this.eta = eta;
        this.priority = priority;
        this.maxAttempts = maxAttempts;
        this.unique = unique;
        this.expiry = expiry;
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
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, unique, expiry);
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
        return new TaskOptions(queue, delay, null, priority, maxAttempts, unique, expiry);
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
        return new TaskOptions(queue, null, eta, priority, maxAttempts, unique, expiry);
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
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, unique, expiry);
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
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, unique, expiry);
    }

    /**
     * While a task holding this key is pending or running, enqueueing another with the same key does nothing
     * and returns the id of the one that exists. Keys are unique across queues unless {@link #uniquePerQueue()}.
     *
     * @param uniqueKey 1 to {@value #MAX_UNIQUE_KEY_LENGTH} characters
     * @return a copy with this unique key (and none of the key options of an earlier one)
     */
    public TaskOptions withUniqueKey(String uniqueKey) {
        if (uniqueKey == null || uniqueKey.isBlank() || uniqueKey.length() > MAX_UNIQUE_KEY_LENGTH) {
            throw new TaskQueueException("TaskOptions.withUniqueKey needs 1 to " + MAX_UNIQUE_KEY_LENGTH
                    + " non-blank characters, but was " + describe(uniqueKey) + ".");
        }
        return withUnique(new UniqueKeySpec(uniqueKey, null, false, false, false));
    }

    /**
     * As {@link #withUniqueKey(String)}, and the key also holds for {@code period} after this enqueue once its task
     * has succeeded: the succeeded task is kept until then (whatever {@code taskq.retention.succeeded} says), and an
     * enqueue of the key meanwhile adds nothing. "At most once an hour": {@code withUniqueKey("digest-" + user,
     * Duration.ofHours(1))}.
     *
     * @param period above zero and at most {@link #MAX_PERIOD}
     * @return a copy with this unique key and period
     */
    public TaskOptions withUniqueKey(String uniqueKey, Duration period) {
        requirePeriod("withUniqueKey", "period", period);
        return withUniqueKey(uniqueKey).withUnique(new UniqueKeySpec(uniqueKey, period, false, false, false));
    }

    /**
     * An enqueue whose key a PENDING task holds gives that task this enqueue's arguments, in the caller's
     * transaction, and returns its id. A task that is already running is left as it is.
     *
     * @return a copy that replaces the pending holder's arguments
     * @throws TaskQueueException if no unique key was set before
     */
    public TaskOptions replacing() {
        UniqueKeySpec key = requireKey("replacing");
        return withUnique(new UniqueKeySpec(key.key(), key.period(), true, key.debounce(), key.perQueue()));
    }

    /**
     * The task is due {@code delay} after the last enqueue of its key: this enqueue's task is due after
     * {@code delay} (replacing any delay or ETA), and a PENDING task that holds the key is pushed back to the same
     * time, so a burst of enqueues runs once, after it has been quiet for {@code delay}. With {@link #replacing()},
     * the last enqueue's arguments win. A task that is already running is left as it is.
     *
     * @param delay above zero and at most {@link #MAX_PERIOD}
     * @return a copy that debounces its key's pending task
     * @throws TaskQueueException if no unique key was set before
     */
    public TaskOptions debouncing(Duration delay) {
        UniqueKeySpec key = requireKey("debouncing");
        requirePeriod("debouncing", "delay", delay);
        return new TaskOptions(queue, delay, null, priority, maxAttempts,
                new UniqueKeySpec(key.key(), key.period(), key.replace(), true, key.perQueue()), expiry);
    }

    /**
     * @return a copy whose unique key is unique among the keys of its queue only: the same key may be held in
     *         another queue at the same time
     * @throws TaskQueueException if no unique key was set before
     */
    public TaskOptions uniquePerQueue() {
        UniqueKeySpec key = requireKey("uniquePerQueue");
        return withUnique(new UniqueKeySpec(key.key(), key.period(), key.replace(), key.debounce(), true));
    }

    /**
     * A deadline: no attempt of the task starts later than {@code expiry} after this enqueue. A task a worker takes
     * after that is not run; it ends CANCELLED, as cancelled by {@value #EXPIRED_BY}, its error saying when it
     * expired, and the attempt is not counted.
     *
     * @param expiry above zero, at most {@link #MAX_PERIOD}, and after any delay or ETA
     * @return a copy with this deadline
     */
    public TaskOptions withExpiry(Duration expiry) {
        requirePeriod("withExpiry", "expiry", expiry);
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, unique, expiry);
    }

    /** Who an expired task is recorded as cancelled by ({@link Task#getCancelledBy()}). */
    public static final String EXPIRED_BY = "taskq: expired";

    private TaskOptions withUnique(UniqueKeySpec key) {
        return new TaskOptions(queue, delay, eta, priority, maxAttempts, key, expiry);
    }

    private UniqueKeySpec requireKey(String method) {
        if (unique == null) {
            throw new TaskQueueException("TaskOptions." + method + " applies to a unique key: call withUniqueKey "
                    + "first, e.g. withUniqueKey(\"reindex-\" + id)." + method + "(...).");
        }
        return unique;
    }

    private static void requirePeriod(String method, String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.compareTo(MAX_PERIOD) > 0) {
            throw new TaskQueueException("TaskOptions." + method + " needs a " + what + " above zero and at most "
                    + MAX_PERIOD.toDays() + " days, but was " + value + ".");
        }
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
        return Optional.ofNullable(unique).map(UniqueKeySpec::key);
    }

    /** @return how long the key holds after its task succeeded, if {@link #withUniqueKey(String, Duration)} said */
    public Optional<Duration> uniquePeriod() {
        return Optional.ofNullable(unique).map(UniqueKeySpec::period);
    }

    /** @return whether an enqueue replaces a pending holder's arguments ({@link #replacing()}) */
    public boolean replacesPending() {
        return unique != null && unique.replace();
    }

    /** @return whether an enqueue pushes a pending holder back to its own ETA ({@link #debouncing(Duration)}) */
    public boolean debouncesPending() {
        return unique != null && unique.debounce();
    }

    /** @return whether the key is unique among its queue's keys only ({@link #uniquePerQueue()}) */
    public boolean isUniquePerQueue() {
        return unique != null && unique.perQueue();
    }

    /** @return how long after the enqueue an attempt may start at the latest, if a deadline was set */
    public Optional<Duration> expiry() {
        return Optional.ofNullable(expiry);
    }

    private static String describe(String value) {
        return value == null ? "null" : "'" + value + "'";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TaskOptions that && priority == that.priority && queue.equals(that.queue)
                && Objects.equals(delay, that.delay) && Objects.equals(eta, that.eta)
                && Objects.equals(maxAttempts, that.maxAttempts) && Objects.equals(unique, that.unique)
                && Objects.equals(expiry, that.expiry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(queue, delay, eta, priority, maxAttempts, unique, expiry);
    }

    @Override
    public String toString() {
        return "TaskOptions[queue=" + queue + ", delay=" + delay + ", eta=" + eta + ", priority=" + priority
                + ", maxAttempts=" + maxAttempts + ", unique=" + unique + ", expiry=" + expiry + "]";
    }
}
