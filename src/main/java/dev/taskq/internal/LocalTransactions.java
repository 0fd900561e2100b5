package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Transactions} for plain Java SE: resource-local transactions of an {@link EntityManagerFactory}, one
 * entity manager per transaction, bound to the thread so that code called inside (a handler, the caller of
 * {@code enqueue}) shares it through {@link #currentEntityManager()}.
 */
public final class LocalTransactions implements Transactions {

    private final EntityManagerFactory entityManagerFactory;
    private final ThreadLocal<EntityManager> current = new ThreadLocal<>();

    /** @param entityManagerFactory a resource-local persistence unit that holds {@link dev.taskq.Task} */
    public LocalTransactions(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    /**
     * @return the entity manager of the transaction running on this thread
     * @throws IllegalStateException if none runs
     */
    public EntityManager currentEntityManager() {
        EntityManager entityManager = current.get();
        if (entityManager == null) {
            throw new IllegalStateException("No TaskQ transaction runs on this thread: call this from work "
                    + "given to required() or requiresNew(), or from a handler.");
        }
        return entityManager;
    }

    @Override
    public <T> T required(Function<EntityManager, T> work) {
        EntityManager joined = current.get();
        return joined != null ? work.apply(joined) : requiresNew(work);
    }

    @Override
    public <T> T requiresNew(Function<EntityManager, T> work) {
        EntityManager suspended = current.get();
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        current.set(entityManager);
        try {
            EntityTransaction transaction = entityManager.getTransaction();
            transaction.begin();
            try {
                T result = work.apply(entityManager);
                transaction.commit();
                return result;
            } catch (RuntimeException | Error e) {
                if (transaction.isActive()) {
                    transaction.rollback();
                }
                throw e;
            }
        } finally {
            entityManager.close();
            restore(suspended);
        }
    }

    @Override
    public <T> T notSupported(Supplier<T> work) {
        EntityManager suspended = current.get();
        current.remove();
        try {
            return work.get();
        } finally {
            restore(suspended);
        }
    }

    private void restore(EntityManager suspended) {
        if (suspended == null) {
            current.remove();
        } else {
            current.set(suspended);
        }
    }
}
