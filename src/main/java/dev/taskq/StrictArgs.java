package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reads a {@link TaskHandler}'s arguments strictly: a stored task whose arguments have a field the argument type
 * lacks, or lack one of its record components (or {@code @JsonCreator} parameters), ends {@link TaskState#FAILED}
 * at once with an error that names the field, instead of running with the field ignored or defaulted. Enqueueing
 * such arguments throws a {@link TaskQueueException}.
 *
 * <p>Without it a handler reads the rows written before a deploy changed its argument type leniently: a field
 * removed from the type is ignored, a field added to it gets its default ({@code null}, 0, {@code false}, or what
 * the record's compact constructor makes of that), and a renamed field is found under its old name through
 * Jackson's {@code @JsonAlias}. Use {@code @StrictArgs} when running with a guessed value would be worse than
 * not running, and drain the queue before a deploy that changes the type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StrictArgs {
}
