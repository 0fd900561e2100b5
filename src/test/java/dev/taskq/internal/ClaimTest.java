package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.Task;
import dev.taskq.TaskState;
import dev.taskq.TaskOptions;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.RecordedSql;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The claim: due tasks of the node's queues, in priority order, each to one claimer only, never waited for. */
class ClaimTest {

    private final QueueHarness h = new QueueHarness();

    @BeforeEach
    void start() {
        h.startWith(settings -> settings.with(WorkerSettings.PREFETCH, "6"), new LedgerHandler(h));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private long enqueue(String ref, TaskOptions options) {
        return h.tasks().enqueue(LedgerHandler.class, new Ref(ref), options);
    }

    @Test
    void theClaimSqlLocksWithSkipLockedAndLimitsItsRows() {
        enqueue("a", h.options());
        RecordedSql.clear();

        h.engine().claimer().runOnce();

        String claim = RecordedSql.statements().stream()
                .filter(sql -> sql.contains("taskq_task") && sql.contains(" for "))
                .findFirst().orElseThrow(() -> new AssertionError("no locking select in " + RecordedSql.statements()));
        System.out.println("The claim SQL Hibernate emits:\n  " + claim);
        assertTrue(claim.endsWith("for no key update skip locked"), claim);
        assertTrue(claim.contains("fetch first ? rows only"), claim);
        assertTrue(claim.contains("order by t1_0.priority desc,t1_0.eta,t1_0.id"), claim);
    }

    @Test
    void theClaimSelectsTwoColumnsAndItsUpdateReturnsWhatTheRunNeeds() {
        long id = enqueue("a", h.options().withMaxAttempts(4).withExpiry(Duration.ofHours(1)));
        Task enqueued = h.row(id);
        RecordedSql.clear();

        ClaimedTask claimed = h.engine().claimer().runOnce().get(0);

        List<String> sent = RecordedSql.statements();
        String select = sent.stream().filter(sql -> sql.contains(" for ")).findFirst()
                .orElseThrow(() -> new AssertionError("no locking select in " + sent));
        assertTrue(select.startsWith("select t1_0.id,t1_0.name from taskq_task t1_0 "), select);
        assertTrue(sent.stream().anyMatch(sql -> sql.startsWith("update taskq_task set state = 'RUNNING'")),
                "the update, sent as plain JDBC, still goes through Hibernate's statement inspector: " + sent);
        assertEquals(new ClaimedTask(id, h.queue, enqueued.getName(), enqueued.getArgs(), 1, 4, enqueued.getEta(),
                h.row(id).getStartedAt(), enqueued.getCreatedAt(), enqueued.getExpiresAt()), claimed);
    }

    @Test
    void concurrentClaimersGetDisjointRowsAndNeverWaitForALockedOne() throws Exception {
        IntStream.range(0, 20).forEach(i -> enqueue("t" + i, h.options()));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskStore store = new TaskStore();

        // Claimer A takes 10 rows and keeps its transaction, and so its row locks, open.
        CompletableFuture<List<ClaimedTask>> first = CompletableFuture.supplyAsync(() -> h.tx.requiresNew(em -> {
            List<ClaimedTask> claimed = new ClaimStore().claimDue(em, List.of(h.queue), h.clock.instant(), 10, "A",
                    () -> { });
            holding.countDown();
            await(release);
            return claimed;
        }));
        assertTrue(holding.await(10, TimeUnit.SECONDS));

        // Claimer B must skip A's locked rows at once: were it to wait, it would wait for ever, as A only ends
        // after B has returned.
        List<ClaimedTask> second = CompletableFuture.supplyAsync(() -> h.engine().claimer().runOnce())
                .get(10, TimeUnit.SECONDS);
        List<ClaimedTask> third = CompletableFuture.supplyAsync(() -> h.engine().claimer().runOnce())
                .get(10, TimeUnit.SECONDS);
        release.countDown();
        List<ClaimedTask> claimedByA = first.get(10, TimeUnit.SECONDS);

        assertEquals(10, claimedByA.size());
        assertEquals(10, second.size());
        assertEquals(List.of(), third, "A's rows are locked, B's are RUNNING: nothing is left");
        Set<Long> ids = new HashSet<>();
        claimedByA.forEach(task -> ids.add(task.id()));
        second.forEach(task -> ids.add(task.id()));
        assertEquals(20, ids.size(), "no row was claimed twice");
        assertEquals(20, h.count(TaskState.RUNNING));
    }

    @Test
    void aClaimMarksItsRowsRunningForTheNextAttemptOnThisNode() {
        long id = enqueue("a", h.options());
        h.clock.advance(Duration.ofSeconds(3));

        ClaimedTask claimed = h.engine().claimer().runOnce().get(0);

        assertEquals(id, claimed.id());
        assertEquals(1, claimed.attempt());
        Task row = h.row(id);
        assertEquals(TaskState.RUNNING, row.getState());
        assertEquals(1, row.getAttempt());
        assertEquals(h.clock.instant(), row.getStartedAt());
        assertEquals(h.clock.instant(), row.getAliveAt());
        assertEquals("node-" + h.queue, row.getWorker());
        assertEquals(h.engine().running().snapshot(), java.util.Map.of(id, 1));
    }

    @Test
    void aTaskWithAFutureEtaIsNotClaimedEarly() {
        long id = enqueue("later", h.options().withDelay(Duration.ofMinutes(10)));

        assertEquals(List.of(), h.engine().claimer().runOnce());
        h.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertEquals(List.of(), h.engine().claimer().runOnce());
        h.clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(id), ids(h.engine().claimer().runOnce()));
    }

    @Test
    void higherPriorityIsClaimedFirstThenEarlierEtaThenLowerId() {
        long normal = enqueue("normal", h.options());
        long urgent = enqueue("urgent", h.options().withPriority(10));
        long overdue = enqueue("overdue", h.options().withEta(h.clock.instant().minus(Duration.ofHours(1))));
        long lowest = enqueue("lowest", h.options().withPriority(-5));
        long high = enqueue("high", h.options().withPriority(5));
        long normalToo = enqueue("normal-too", h.options());

        assertEquals(List.of(urgent, high, overdue, normal, normalToo, lowest), ids(h.engine().claimer().runOnce()));
    }

    @Test
    void onlyTheNodesQueuesAreClaimed() {
        long mine = enqueue("mine", h.options());
        long other = enqueue("other", h.options().withQueue(h.queue + "-other"));

        assertEquals(List.of(mine), ids(h.engine().claimer().runOnce()));
        try (QueueHarness elsewhere = new QueueHarness()) {
            assertEquals(TaskState.PENDING, elsewhere.row(other).getState());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Long> ids(List<ClaimedTask> claimed) {
        return new ArrayList<>(claimed.stream().map(ClaimedTask::id).toList());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released claimer A");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
