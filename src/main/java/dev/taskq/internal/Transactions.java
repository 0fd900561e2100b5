package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The seam between the engine and whoever owns transactions: JTA and the application's persistence context in
 * a server, resource-local transactions in plain Java SE. Work that throws rolls its transaction back and the
 * exception propagates unchanged.
 */
public interface Transactions {

    /**
     * Runs {@code work} in the caller's transaction when one is active (so it commits or rolls back with it),
     * else in a new transaction that commits when {@code work} returns.
     *
     * @param work what to do with the transaction's entity manager
     * @param <T>  its result type
     * @return what {@code work} returned
     */
    <T> T required(Function<EntityManager, T> work);

    /**
     * Runs {@code work} in a new transaction of its own, committed when it returns; any active transaction is
     * suspended meanwhile.
     *
     * @param work what to do with the transaction's entity manager
     * @param <T>  its result type
     * @return what {@code work} returned
     */
    <T> T requiresNew(Function<EntityManager, T> work);

    /**
     * Like {@link #requiresNew(Function)}, with a transaction timeout. Implementations that cannot enforce a
     * timeout (resource-local transactions in Java SE) run the work without one.
     *
     * @param timeout the transaction's timeout, whole seconds
     * @param work    what to do with the transaction's entity manager
     * @param <T>     its result type
     * @return what {@code work} returned
     */
    default <T> T requiresNew(Duration timeout, Function<EntityManager, T> work) {
        return requiresNew(work);
    }

    /**
     * Runs {@code action} once the transaction running on this thread has committed, never if it rolls back; at once
     * if no transaction runs. The same action registered twice in one transaction runs once. Implementations that
     * cannot see the commit do nothing: the action is an optimisation (waking this node's worker), never needed for
     * correctness.
     *
     * @param action what to do after the commit, quickly and without failing
     */
    default void afterCommit(Runnable action) {
    }

    /**
     * Runs {@code work} outside any transaction.
     *
     * @param work what to do
     * @param <T>  its result type
     * @return what {@code work} returned
     */
    <T> T notSupported(Supplier<T> work);
}
