package dev.taskq.internal.cdi;

import dev.taskq.TaskQ;
import dev.taskq.internal.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Transactions} in a Jakarta EE server: JTA demarcated by the standard {@link Transactional}
 * interceptors, on the application's own persistence context, so that an enqueue joins the caller's
 * transaction. Called through its CDI proxy, which is what makes the interceptors apply.
 */
@ApplicationScoped
public class JtaTransactions implements Transactions {

    @Inject
    @TaskQ
    EntityManager entityManager;

    @Override
    @Transactional(TxType.REQUIRED)
    public <T> T required(Function<EntityManager, T> work) {
        return work.apply(entityManager);
    }

    @Override
    @Transactional(TxType.REQUIRES_NEW)
    public <T> T requiresNew(Function<EntityManager, T> work) {
        return work.apply(entityManager);
    }

    @Override
    @Transactional(TxType.NOT_SUPPORTED)
    public <T> T notSupported(Supplier<T> work) {
        return work.get();
    }
}
