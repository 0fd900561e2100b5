package dev.taskq;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable name of a {@link TaskHandler}, stored in every task row it runs. Give handlers a name so that
 * renaming or moving the class does not orphan the tasks already queued. Without it the name is the class's
 * fully qualified name. Two handlers with one name fail the deployment.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TaskName {

    /** The name: letters, digits and {@code . _ - :}, at most 200 characters. */
    String value();
}
