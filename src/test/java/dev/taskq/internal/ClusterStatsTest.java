package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.QueueStats;
import dev.taskq.TaskGroup;
import dev.taskq.support.Await;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queues' stats: one node takes them for all, every node reads them, and a node counts alone when none are fresh. */
class ClusterStatsTest {

    private final QueueHarness h = new QueueHarness();
    private Engine holder;
    private Engine otherNode;

    @BeforeEach
    void start() {
        // Other tests' engines took stats with other clocks, and may have left the lease to lapse: start from none.
        h.tx.requiresNew(em -> em.createNativeQuery("delete from taskq_stats").executeUpdate()
                + em.createNativeQuery("delete from taskq_lease").executeUpdate());
        holder = h.start(new LedgerHandler(h));
        otherNode = Engine.create(h.tx, WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, "other-" + h.queue), h.clock, new LedgerHandler(h));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void everyNodeReadsTheStatsTheHolderTookUntilItTakesThemAgain() {
        enqueue(3, Duration.ZERO);
        enqueue(1, Duration.ofHours(1));
        holder.stats().take();

        assertEquals(Map.of(TaskGroup.PENDING, 3L, TaskGroup.FUTURE, 1L), nonZero(otherNode));

        enqueue(2, Duration.ZERO);
        assertEquals(Map.of(TaskGroup.PENDING, 3L, TaskGroup.FUTURE, 1L), nonZero(otherNode),
                "the other node reads what was taken, it does not count");

        holder.stats().take();
        assertEquals(Map.of(TaskGroup.PENDING, 5L, TaskGroup.FUTURE, 1L), nonZero(otherNode));
    }

    @Test
    void aNodeCountsForItselfWhenNoNodeTookTheStatsLately() {
        enqueue(3, Duration.ZERO);
        holder.stats().take();
        enqueue(2, Duration.ZERO);

        h.clock.advance(ClusterStats.FRESH.plusSeconds(1)); // the holder is gone: nobody took them since

        assertEquals(Map.of(TaskGroup.PENDING, 5L), nonZero(otherNode));
    }

    @Test
    void theOldestDueTaskIsTheOneThatWaitedLongest() {
        enqueue(1, Duration.ZERO);
        h.clock.advance(Duration.ofSeconds(7));
        enqueue(1, Duration.ZERO);
        holder.stats().take();
        h.clock.advance(Duration.ofSeconds(2));

        assertEquals(Duration.ofSeconds(9), mine(otherNode).oldestPending(), "as waited up to the reading");
    }

    @Test
    void onlyTheLeaseHolderTakesThem() throws Exception {
        ScheduledExecutorService otherScheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            h.startWorker();
            Worker other = otherNode.worker(Executors.newSingleThreadExecutor(), otherScheduler);
            other.start();
            enqueue(1, Duration.ofHours(1));
            Await.until(Duration.ofSeconds(30), "the holder took the stats of this queue", () ->
                    !takenBy().isEmpty());
            String leaseHolder = (String) h.tx.requiresNew(em -> em.createNativeQuery(
                    "select holder from taskq_lease where name = 'maintenance'").getSingleResult());
            assertEquals(List.of(leaseHolder), takenBy());
            other.stop();
        } finally {
            otherScheduler.shutdownNow();
        }
    }

    private void enqueue(int tasks, Duration delay) {
        holder.queue().enqueueAll(LedgerHandler.class, IntStream.range(0, tasks).mapToObj(i -> new Ref("r" + i))
                .toList(), h.options().withDelay(delay));
    }

    private QueueStats.Queue mine(Engine node) {
        return node.stats().latest().stream().filter(queue -> queue.name().equals(h.queue)).findFirst()
                .orElseThrow();
    }

    private Map<TaskGroup, Long> nonZero(Engine node) {
        Map<TaskGroup, Long> groups = new java.util.EnumMap<>(TaskGroup.class);
        mine(node).groups().forEach((group, count) -> {
            if (count > 0) {
                groups.put(group, count);
            }
        });
        return groups;
    }

    @SuppressWarnings("unchecked")
    private List<String> takenBy() {
        return h.tx.requiresNew(em -> em.createNativeQuery("select taken_by from taskq_stats where queue = :queue")
                .setParameter("queue", h.queue).getResultList());
    }
}
