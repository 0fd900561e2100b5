package dev.taskq.internal.cdi;

import dev.taskq.TaskQ;
import dev.taskq.internal.Transactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.naming.InitialContext;
import javax.naming.NamingException;

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

    /** The server's registry; none in Java SE without resource injection, where the worker polls instead. */
    @Resource
    TransactionSynchronizationRegistry synchronizations;

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

    /**
     * A transaction of its own with a timeout, demarcated through {@code UserTransaction}, since the standard
     * interceptor has no timeout. Worker threads have no transaction to suspend; anywhere else this falls back
     * to {@link #requiresNew(Function)} without the timeout rather than nest.
     */
    @Override
    public <T> T requiresNew(Duration timeout, Function<EntityManager, T> work) {
        UserTransaction transaction = userTransaction();
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                return requiresNew(work);
            }
            transaction.setTransactionTimeout((int) timeout.toSeconds());
            transaction.begin();
        } catch (SystemException | NotSupportedException e) {
            resetTimeout(transaction);
            throw new IllegalStateException("Could not begin a transaction with a timeout of " + timeout, e);
        }
        long started = System.nanoTime();
        try {
            T result;
            try {
                result = work.apply(entityManager);
            } catch (RuntimeException e) {
                rollback(transaction);
                // Past the timeout the transaction manager has rolled back, and the work fails on that: say why.
                throw System.nanoTime() - started >= timeout.toNanos() ? timedOut(timeout, e) : e;
            } catch (Error e) {
                rollback(transaction);
                throw e;
            }
            try {
                transaction.commit();
                return result;
            } catch (RollbackException e) {
                throw System.nanoTime() - started >= timeout.toNanos() ? timedOut(timeout, e)
                        : new IllegalStateException("The transaction was marked rollback-only and rolled back", e);
            } catch (HeuristicMixedException | HeuristicRollbackException | SystemException e) {
                throw new IllegalStateException("Committing the transaction failed: " + e, e);
            }
        } finally {
            resetTimeout(transaction);
        }
    }

    /**
     * After the caller's JTA transaction commits, through an interposed synchronization; once per transaction and
     * action (the registry's resources remember it). Without a registry, nothing: polling remains.
     */
    @Override
    public void afterCommit(Runnable action) {
        TransactionSynchronizationRegistry registry = synchronizations;
        if (registry == null) {
            return;
        }
        int status = registry.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            action.run();
        } else if (status == Status.STATUS_ACTIVE && registry.getResource(action) == null) {
            registry.putResource(action, Boolean.TRUE);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int outcome) {
                    if (outcome == Status.STATUS_COMMITTED) {
                        action.run();
                    }
                }
            });
        }
    }

    private static IllegalStateException timedOut(Duration timeout, Exception cause) {
        return new IllegalStateException("The transaction ran longer than its timeout of " + timeout.toSeconds()
                + " s (@TaskTimeout) and was rolled back", cause);
    }

    private static UserTransaction userTransaction() {
        try {
            return (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
        } catch (NamingException e) {
            throw new IllegalStateException("No UserTransaction at java:comp/UserTransaction", e);
        }
    }

    private static void resetTimeout(UserTransaction transaction) {
        try {
            transaction.setTransactionTimeout(0); // back to the default for whatever runs next on this thread
        } catch (SystemException e) {
            // the next transaction on this thread may keep this timeout; nothing is lost
        }
    }

    private static void rollback(UserTransaction transaction) {
        try {
            transaction.rollback();
        } catch (IllegalStateException | SecurityException | SystemException e) {
            // already rolled back by the timeout; the work's own exception says more
        }
    }

    @Override
    @Transactional(TxType.NOT_SUPPORTED)
    public <T> T notSupported(Supplier<T> work) {
        return work.get();
    }
}
