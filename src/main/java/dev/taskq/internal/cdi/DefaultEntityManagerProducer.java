package dev.taskq.internal.cdi;

import dev.taskq.TaskQ;
import dev.taskq.TaskQueueException;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceContextType;
import jakarta.persistence.PersistenceProperty;
import jakarta.persistence.SynchronizationType;

/**
 * The {@code @TaskQ EntityManager} of an application with a single persistence unit: its container-managed,
 * transaction-scoped persistence context. {@link TaskQExtension} makes this class a bean, and gives its field
 * {@code @PersistenceContext}, only when the application declares no such producer itself. The annotation is
 * not in the class file on purpose: servers read every {@code @PersistenceContext} in a deployment, and one
 * without a unit name fails the deployment of an application with several persistence units.
 */
public class DefaultEntityManagerProducer {

    /** Filled by the container through the {@code @PersistenceContext} the extension adds. */
    EntityManager entityManager;

    @Produces
    @TaskQ
    EntityManager entityManager() {
        if (entityManager == null) { // Payara injects only the @PersistenceContext it read from class files
            throw new TaskQueueException("This server did not inject the application's persistence context into "
                    + "TaskQ. Name it in any bean of the application (one line, needed on Payara): "
                    + "@Produces @TaskQ @PersistenceContext EntityManager taskEntityManager;");
        }
        return entityManager;
    }

    /** {@code @PersistenceContext} with its defaults: the application's only persistence unit. */
    static final class DefaultPersistenceContext extends AnnotationLiteral<PersistenceContext>
            implements PersistenceContext {

        private static final long serialVersionUID = 1L;

        @Override
        public String name() {
            return "";
        }

        @Override
        public String unitName() {
            return "";
        }

        @Override
        public PersistenceContextType type() {
            return PersistenceContextType.TRANSACTION;
        }

        @Override
        public SynchronizationType synchronization() {
            return SynchronizationType.SYNCHRONIZED;
        }

        @Override
        public PersistenceProperty[] properties() {
            return new PersistenceProperty[0];
        }
    }
}
