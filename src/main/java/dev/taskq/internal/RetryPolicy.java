package dev.taskq.internal;

import dev.taskq.Retry;
import dev.taskq.TaskOptions;
import java.time.Duration;
import java.util.List;

/**
 * A handler's {@link Retry} rules, validated: how many attempts by default, the back-off, and which errors
 * retry at all.
 *
 * @param maxAttempts attempts a task gets unless its options say otherwise
 * @param backoff     the delay between attempts
 * @param retryOn     errors that retry; empty means all
 * @param noRetryFor  errors that never retry
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, List<Class<? extends Throwable>> retryOn,
        List<Class<? extends Throwable>> noRetryFor) {

    /** The rules of a handler without {@link Retry}: the annotation's defaults. */
    public static final RetryPolicy DEFAULT = of(DefaultRetry.class.getAnnotation(Retry.class));

    /**
     * @param retry the annotation, or {@code null} for the defaults
     * @return the validated rules
     * @throws IllegalArgumentException naming the attribute, the value and the rule
     */
    public static RetryPolicy of(Retry retry) {
        if (retry == null) {
            return DEFAULT;
        }
        if (retry.maxAttempts() < 1 || retry.maxAttempts() > TaskOptions.MAX_ATTEMPTS) {
            throw new IllegalArgumentException("@Retry(maxAttempts) must be between 1 and "
                    + TaskOptions.MAX_ATTEMPTS + ", but was " + retry.maxAttempts());
        }
        if (retry.backoff() < 0 || retry.maxBackoff() < retry.backoff()) {
            throw new IllegalArgumentException("@Retry needs 0 <= backoff <= maxBackoff, but backoff was "
                    + retry.backoff() + " and maxBackoff " + retry.maxBackoff());
        }
        Backoff backoff = new Backoff(Duration.of(retry.backoff(), retry.unit()),
                Duration.of(retry.maxBackoff(), retry.unit()));
        return new RetryPolicy(retry.maxAttempts(), backoff, List.of(retry.retryOn()), List.of(retry.noRetryFor()));
    }

    /** @return whether {@code error} may be retried at all (attempts aside) */
    public boolean retries(Throwable error) {
        return noRetryFor.stream().noneMatch(type -> type.isInstance(error))
                && (retryOn.isEmpty() || retryOn.stream().anyMatch(type -> type.isInstance(error)));
    }

    @Retry
    private static final class DefaultRetry {
    }
}
