package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.temporal.ChronoUnit;

/**
 * The timeout of a {@link TaskHandler}'s transaction, in place of the server's default transaction timeout. An
 * attempt whose transaction outlives it is rolled back by the transaction manager and fails like any other
 * attempt, to be retried as {@link Retry} says. Only for handlers that run in the worker's transaction (the
 * default mode); whole seconds, as JTA counts them. Enforced by the server's transaction manager (Payara looks
 * for timed-out XA transactions every 10 s), not in plain Java SE.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskTimeout {

    /** The timeout, in {@link #unit()}; at least one second. */
    long value();

    /** The unit of {@link #value()}. */
    ChronoUnit unit() default ChronoUnit.SECONDS;
}
