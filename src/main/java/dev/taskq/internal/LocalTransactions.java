package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Transactions} for plain Java SE: resource-local transactions of an {@link EntityManagerFactory}, one
 * entity manager per transaction, bound to the thread so that code called inside (a handler, the caller of
 * {@code enqueue}) shares it through {@link #currentEntityManager()}.
 */
public final class LocalTransactions implements Transactions {

    private final EntityManagerFactory entityManagerFactory;
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();

    /** A transaction on this thread: its entity manager, and what to run once it has committed. */
    private record Transaction(EntityManager entityManager, Set<Runnable> afterCommit) {
    }

    /** @param entityManagerFactory a resource-local persistence unit that holds {@link dev.taskq.Task} */
    public LocalTransactions(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    /**
     * @return the entity manager of the transaction running on this thread
     * @throws IllegalStateException if none runs
     */
    public EntityManager currentEntityManager() {
        Transaction transaction = current.get();
        if (transaction == null) {
            throw new IllegalStateException("No TaskQ transaction runs on this thread: call this from work "
                    + "given to required() or requiresNew(), or from a handler.");
        }
        return transaction.entityManager();
    }

    @Override
    public <T> T required(Function<EntityManager, T> work) {
        Transaction joined = current.get();
        return joined != null ? work.apply(joined.entityManager()) : requiresNew(work);
    }

    @Override
    public <T> T requiresNew(Function<EntityManager, T> work) {
        Transaction suspended = current.get();
        EntityManager entityManager = entityManagerFactory.createEntityManager();
        Transaction mine = new Transaction(entityManager, new LinkedHashSet<>());
        current.set(mine);
        T result;
        try {
            EntityTransaction transaction = entityManager.getTransaction();
            transaction.begin();
            try {
                result = work.apply(entityManager);
                transaction.commit();
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
        mine.afterCommit().forEach(Runnable::run);
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        Transaction transaction = current.get();
        if (transaction == null) {
            action.run();
        } else {
            transaction.afterCommit().add(action);
        }
    }

    @Override
    public <T> T notSupported(Supplier<T> work) {
        Transaction suspended = current.get();
        current.remove();
        try {
            return work.get();
        } finally {
            restore(suspended);
        }
    }

    private void restore(Transaction suspended) {
        if (suspended == null) {
            current.remove();
        } else {
            current.set(suspended);
        }
    }
}
