package dev.taskq.internal.cdi;

import dev.taskq.TaskQ;
import dev.taskq.internal.CommitOutcomeUnknown;
import dev.taskq.internal.Transactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.NotSupportedException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Transactions} in a Jakarta EE server: JTA on the application's own persistence context, so that an
 * enqueue joins the caller's transaction.
 *
 * <p>Demarcated on the server's {@link TransactionManager}, not with {@code @Transactional}: Payara's interceptors
 * keep each call's saved state in a field of an interceptor instance that every thread calling this one bean
 * shares, so concurrent calls leave a thread marked as inside a transactional method, and its next use of
 * {@code UserTransaction} fails with "Operation not allowed". The semantics are the interceptors': work that throws
 * a runtime exception rolls back the transaction it began, or marks the caller's for rollback.
 */
@ApplicationScoped
public class JtaTransactions implements Transactions {

    @Inject
    @TaskQ
    EntityManager entityManager;

    @Inject
    Instance<TransactionManager> transactionManagerBeans;

    /** The server's registry; none in Java SE without resource injection, where the worker polls instead. */
    @Resource
    TransactionSynchronizationRegistry synchronizations;

    private volatile TransactionManager transactionManager;

    @Override
    public <T> T required(Function<EntityManager, T> work) {
        TransactionManager manager = manager();
        if (status(manager) == Status.STATUS_NO_TRANSACTION) {
            return inNewTransaction(manager, null, work);
        }
        try {
            return work.apply(entityManager);
        } catch (RuntimeException e) {
            markRollbackOnly(manager);
            throw e;
        }
    }

    @Override
    public <T> T requiresNew(Function<EntityManager, T> work) {
        return requiresNew(null, work);
    }

    /** Also where a transaction is active: it is suspended, as for any new transaction. */
    @Override
    public <T> T requiresNew(Duration timeout, Function<EntityManager, T> work) {
        TransactionManager manager = manager();
        Transaction suspended = suspend(manager);
        try {
            return inNewTransaction(manager, timeout, work);
        } finally {
            resume(manager, suspended);
        }
    }

    @Override
    public <T> T notSupported(Supplier<T> work) {
        TransactionManager manager = manager();
        Transaction suspended = suspend(manager);
        try {
            return work.get();
        } finally {
            resume(manager, suspended);
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

    /** Begins, runs {@code work} and commits, on a thread that has no transaction; null: the server's timeout. */
    private <T> T inNewTransaction(TransactionManager manager, Duration timeout, Function<EntityManager, T> work) {
        begin(manager, timeout);
        long started = System.nanoTime();
        T result;
        try {
            result = work.apply(entityManager);
        } catch (RuntimeException e) {
            rollback(manager);
            // Past the timeout the transaction manager has rolled back, and the work fails on that: say why.
            throw timedOut(timeout, started) ? timeoutException(timeout, e) : e;
        } catch (Error e) {
            rollback(manager);
            throw e;
        }
        try {
            manager.commit();
            return result;
        } catch (RollbackException e) {
            throw timedOut(timeout, started) ? timeoutException(timeout, e)
                    : new IllegalStateException("The transaction was marked rollback-only and rolled back", e);
        } catch (HeuristicMixedException | HeuristicRollbackException | SystemException e) {
            // Narayana reports a connection that broke during a one-phase commit as a heuristic hazard.
            throw new CommitOutcomeUnknown(e);
        } finally {
            disassociate(manager); // also for an unchecked failure of the commit itself
        }
    }

    /** A null timeout leaves the thread's setting, the server's default, alone: no extra calls per transaction. */
    private static void begin(TransactionManager manager, Duration timeout) {
        try {
            if (timeout != null) {
                manager.setTransactionTimeout((int) Math.max(1, timeout.toSeconds()));
            }
            manager.begin();
        } catch (NotSupportedException | SystemException e) {
            throw new IllegalStateException("Could not begin a transaction"
                    + (timeout == null ? "" : " with a timeout of " + timeout), e);
        } finally {
            if (timeout != null) {
                resetTimeout(manager);
            }
        }
    }

    private static void resetTimeout(TransactionManager manager) {
        try {
            manager.setTransactionTimeout(0); // the server's default for whatever begins next on this thread
        } catch (SystemException e) {
            // the next transaction on this thread may keep this timeout; nothing is lost
        }
    }

    private static boolean timedOut(Duration timeout, long startedNanos) {
        return timeout != null && System.nanoTime() - startedNanos >= timeout.toNanos();
    }

    private static IllegalStateException timeoutException(Duration timeout, Exception cause) {
        return new IllegalStateException("The transaction ran longer than its timeout of " + timeout.toSeconds()
                + " s (@TaskTimeout) and was rolled back", cause);
    }

    private static void rollback(TransactionManager manager) {
        try {
            manager.rollback();
        } catch (IllegalStateException | SecurityException | SystemException e) {
            // already rolled back by the timeout; the work's own exception says more
        } finally {
            disassociate(manager);
        }
    }

    /** A transaction that ended badly may still be tied to the thread; the loop's next begin must not nest in it. */
    private static void disassociate(TransactionManager manager) {
        try {
            if (manager.getStatus() != Status.STATUS_NO_TRANSACTION) {
                manager.suspend();
            }
        } catch (SystemException e) {
            // nothing more to do for a transaction manager that cannot tell its own state
        }
    }

    private static void markRollbackOnly(TransactionManager manager) {
        try {
            manager.setRollbackOnly();
        } catch (IllegalStateException | SystemException e) {
            // already ending; the work's own exception propagates
        }
    }

    private static int status(TransactionManager manager) {
        try {
            return manager.getStatus();
        } catch (SystemException e) {
            throw new IllegalStateException("The transaction manager could not tell whether a transaction runs", e);
        }
    }

    private static Transaction suspend(TransactionManager manager) {
        try {
            return manager.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("Could not suspend the caller's transaction", e);
        }
    }

    private static void resume(TransactionManager manager, Transaction suspended) {
        if (suspended == null) {
            return;
        }
        try {
            manager.resume(suspended);
        } catch (InvalidTransactionException | SystemException e) {
            throw new IllegalStateException("Could not resume the caller's transaction", e);
        }
    }

    private TransactionManager manager() {
        TransactionManager manager = transactionManager;
        if (manager == null) {
            manager = ServerTransactionManager.find(transactionManagerBeans);
            transactionManager = manager;
        }
        return manager;
    }
}
