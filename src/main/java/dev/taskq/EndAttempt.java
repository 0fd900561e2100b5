package dev.taskq;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a handler to end its attempt otherwise than by success or an ordinary failure:
 *
 * <pre>{@code
 * if (!partner.isOpen()) {
 *     throw EndAttempt.snooze(Duration.ofMinutes(10));   // not yet: again in 10 minutes, no attempt counted
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link #snooze}: the task runs again after the delay, and this attempt is not counted, so snoozing never
 * uses up the attempts.</li>
 * <li>{@link #retryAfter}: a failed attempt, counted, retried after the delay the handler chose instead of its
 * back-off; FAILED if it was the last attempt.</li>
 * <li>{@link #failNow}: FAILED at once with the reason, whatever attempts are left.</li>
 * </ul>
 *
 * In a handler that runs in the worker's transaction (the default), that transaction rolls back first, as with any
 * exception: the attempt's writes are undone, and the outcome is recorded after.
 */
public final class EndAttempt extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** The longest delay a snooze or a retry may ask for. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);

    /** How the attempt ends. */
    public enum Kind {
        /** Runs again after the delay; the attempt is not counted. */
        SNOOZE,
        /** Fails, counted, and is retried after the delay (or fails for good after its last attempt). */
        RETRY,
        /** Fails for good at once. */
        FAIL
    }

    private final Kind kind;
    private final transient Duration delay;

    private EndAttempt(Kind kind, Duration delay, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.delay = delay;
    }

    /**
     * @param delay how long until it runs again: more than zero, at most {@link #MAX_DELAY}
     * @return the exception to throw
     * @throws IllegalArgumentException if the delay is out of range
     */
    public static EndAttempt snooze(Duration delay) {
        return new EndAttempt(Kind.SNOOZE, checked("snooze", delay), "snoozed for " + delay);
    }

    /**
     * @param delay how long until the retry: more than zero, at most {@link #MAX_DELAY}
     * @return the exception to throw
     * @throws IllegalArgumentException if the delay is out of range
     */
    public static EndAttempt retryAfter(Duration delay) {
        return new EndAttempt(Kind.RETRY, checked("retryAfter", delay), "retry after " + delay);
    }

    /**
     * @param reason why, kept as the task's error
     * @return the exception to throw
     */
    public static EndAttempt failNow(String reason) {
        return new EndAttempt(Kind.FAIL, null, Objects.requireNonNullElse(reason, "failed by its handler"));
    }

    /** @return how the attempt ends */
    public Kind kind() {
        return kind;
    }

    /** @return the delay of a snooze or a retry; empty for {@link Kind#FAIL} */
    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }

    private static Duration checked(String what, Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("EndAttempt." + what + " needs a delay above zero and at most "
                    + MAX_DELAY.toDays() + " days, but was " + delay + ".");
        }
        return delay;
    }
}
