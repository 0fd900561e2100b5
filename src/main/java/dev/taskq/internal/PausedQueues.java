package dev.taskq.internal;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's view of the paused queues, so that a claim need not read {@code taskq_queue_pause} every time: read
 * again at most {@link #MAX_AGE} after the last reading, and at once after this node paused or resumed a queue or a
 * claim met a queue paused since.
 *
 * <p>The view only narrows what a claim asks for. The claim's own update leaves the tasks of every queue paused at
 * that moment untouched, so a pause holds for the next claim on every node whatever this view says; a resume made
 * on another node is seen here within {@link #MAX_AGE}.
 */
final class PausedQueues {

    static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final AtomicLong changes = new AtomicLong();
    private volatile Set<String> paused = Set.of();
    private volatile long readAtNanos;
    private volatile long readAfterChange = -1;

    /** @return the paused queues, read in the transaction of {@code em} if the view is not current */
    Set<String> get(EntityManager em) {
        long change = changes.get(); // taken first: a change during the reading makes the next call read again
        long now = System.nanoTime();
        if (readAfterChange != change || now - readAtNanos > MAX_AGE.toNanos()) {
            paused = AdminStore.pausedQueues(em);
            readAtNanos = now;
            readAfterChange = change;
        }
        return paused;
    }

    /** A queue was paused or resumed, or a claim met a paused queue: the next claim reads the table again. */
    void changed() {
        changes.incrementAndGet();
    }
}
