package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.temporal.ChronoUnit;

/**
 * How a {@link TaskHandler}'s failed attempts are retried (django-taskq's {@code max_retries},
 * {@code countdown} and {@code autoretry_for}). Without it a handler gets the defaults below.
 *
 * <p>Attempt {@code n} that fails with a retryable exception runs again after an exponential back-off:
 * {@code min(maxBackoff, backoff * 2^(n-1))}, of which the upper half is random (jitter), so that tasks that
 * failed together do not retry together. When the attempts are used up, or the exception is not retryable,
 * the task ends {@link TaskState#FAILED} with the error kept on its row (the dead letter).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Retry {

    /** How many times the task may run in all, the first attempt included; 1 means never retry. */
    int maxAttempts() default 3;

    /** The delay before the first retry, in {@link #unit()}. */
    long backoff() default 1;

    /** The longest delay between two attempts, in {@link #unit()}. */
    long maxBackoff() default 600;

    /** The unit of {@link #backoff()} and {@link #maxBackoff()}. */
    ChronoUnit unit() default ChronoUnit.SECONDS;

    /** Exceptions that retry (with their subclasses); empty means every exception does. */
    Class<? extends Throwable>[] retryOn() default {};

    /** Exceptions that never retry, even when {@link #retryOn()} matches: the task fails at once. */
    Class<? extends Throwable>[] noRetryFor() default {};
}
