package dev.taskq;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@code EntityManager} TaskQ writes tasks with. Applications with a single persistence unit need
 * nothing: TaskQ uses that unit's container-managed persistence context. An application with several units
 * declares which one holds {@link Task}:
 *
 * <pre>{@code
 * @Produces @TaskQ
 * @PersistenceContext(unitName = "orders")
 * EntityManager taskEntityManager;
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface TaskQ {
}
