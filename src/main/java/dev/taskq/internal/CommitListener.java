package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears {@link CommitNotifier}'s notifications on one connection per node ({@code LISTEN taskq}) and wakes this
 * node's worker when one names a queue it runs, so a task enqueued on another node starts within milliseconds
 * rather than at the next poll.
 *
 * <p>It runs on a thread of its own, blocked in the driver's {@code getNotifications} for at most
 * {@link #WAIT_MILLIS} at a time, and checks the connection with a {@code select 1} every {@link #CHECK_MILLIS}, since
 * a connection a network failure left half open never reports itself. A lost connection is opened again with the
 * outage back-off, and the worker is woken once it is back, for what was committed meanwhile. Where no
 * {@link PGConnection} can be had, the worker keeps its poll, which is always the fallback.
 */
final class CommitListener {

    private static final System.Logger LOG = System.getLogger(CommitListener.class.getName());
    static final int WAIT_MILLIS = 500;
    static final long CHECK_MILLIS = 10_000;

    private final Transactions transactions;
    private final Set<String> queues;
    private final Runnable wake;
    private final Runnable cancellationHeard;
    private volatile boolean stopped;
    private volatile boolean listening;
    private Thread thread;

    /**
     * @param wake              wakes the worker, when another node committed due tasks of its queues
     * @param cancellationHeard told when another node cancelled a running task, maybe one this node runs
     */
    CommitListener(Transactions transactions, Set<String> queues, Runnable wake, Runnable cancellationHeard) {
        this.transactions = transactions;
        this.cancellationHeard = cancellationHeard;
        this.queues = Set.copyOf(queues);
        this.wake = wake;
    }

    /** Starts listening on a thread from {@code threads}. */
    synchronized void start(ThreadFactory threads) {
        thread = threads.newThread(this::runWithDriver);
        thread.setName("taskq-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return whether the connection is listening now */
    boolean isListening() {
        return listening;
    }

    /** Stops listening and gives the connection back; waits for that a little longer than {@link #WAIT_MILLIS}. */
    void stop() {
        Thread listening;
        synchronized (this) {
            stopped = true;
            listening = thread;
        }
        if (listening != null) {
            listening.interrupt();
            try {
                listening.join(2L * WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runWithDriver() {
        try {
            run();
        } catch (LinkageError e) { // the PostgreSQL driver is not visible to TaskQ's class loader
            LOG.log(Level.WARNING, "TaskQ cannot listen for other nodes' enqueues: " + e + ". Put the PostgreSQL "
                    + "driver in the application (WEB-INF/lib); meanwhile the worker polls");
        }
    }

    private void run() {
        EntityManagerFactory factory;
        try {
            factory = transactions.requiresNew(EntityManager::getEntityManagerFactory);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "TaskQ cannot listen for other nodes' enqueues; the worker polls", e);
            return;
        }
        boolean warned = false;
        for (int failures = 0; !stopped; ) {
            try (DedicatedConnection dedicated = DedicatedConnection.open(factory)) {
                listen(dedicated.connection());
                failures = 0;
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (stopped) {
                    break;
                }
                if (unsupported(e)) {
                    LOG.log(Level.WARNING, "TaskQ cannot listen for other nodes' enqueues (the data source gives no "
                            + "PostgreSQL connection: " + e + "); the worker polls");
                    return;
                }
                if (!warned) {
                    LOG.log(Level.WARNING, "TaskQ lost its listening connection (" + e + "); it opens it again as soon "
                            + "as the database answers, and polls meanwhile");
                    warned = true;
                }
                if (!DatabaseLink.pause(DatabaseLink.retryDelay(failures++))) {
                    break;
                }
                continue;
            }
            warned = false;
        }
        listening = false;
    }

    /** Listens until the connection fails or the listener stops; returns normally only on stop. */
    private void listen(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CommitNotifier.CHANNEL);
            try {
                listening = true;
                wake.run(); // for what was committed while this connection was not listening
                long checkAt = System.nanoTime() + CHECK_MILLIS * 1_000_000;
                while (!stopped) {
                    PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
                    if (heard != null) {
                        hear(heard);
                    }
                    if (System.nanoTime() - checkAt > 0) {
                        statement.execute("select 1");
                        checkAt = System.nanoTime() + CHECK_MILLIS * 1_000_000;
                    }
                }
            } finally {
                listening = false;
                if (!connection.isClosed()) {
                    statement.execute("UNLISTEN *"); // the pooled connection must not collect notifications for others
                }
            }
        }
    }

    private void hear(PGNotification[] heard) {
        boolean due = false;
        boolean cancelled = false;
        for (PGNotification notification : heard) {
            due |= queues.contains(notification.getParameter());
            cancelled |= CommitNotifier.CANCELLED.equals(notification.getParameter());
        }
        if (due) {
            wake.run();
        }
        if (cancelled) {
            cancellationHeard.run();
        }
    }

    private static boolean unsupported(Exception e) {
        return e instanceof SQLException && !ConnectionLoss.is(e) && e.getMessage() != null
                && e.getMessage().contains("PGConnection");
    }
}
