package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a person does with the queue, and that it is safe while workers run. */
class AdminTest {

    private final QueueHarness h = new QueueHarness();
    private Engine engine;
    private TaskAdmin admin;

    /** Fails while its ref starts with "fail", writes nothing. */
    @TaskName("job")
    @Retry(maxAttempts = 1)
    static final class Job implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("bad " + args.ref());
            }
        }
    }

    @BeforeEach
    void start() {
        engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "0"), new Job());
        admin = engine.admin();
    }

    @AfterEach
    void close() throws Exception {
        admin.resume(h.queue);
        h.close();
    }

    private long enqueue(String ref, TaskOptions options) {
        return h.tasks().enqueue(Job.class, new Ref(ref), options);
    }

    private Outcome runOne() {
        return engine.runner().run(engine.claimer().runOnce().get(0));
    }

    private TaskFilter mine() {
        return TaskFilter.all().withQueue(h.queue);
    }

    private Map<TaskGroup, Long> counts() {
        Map<TaskGroup, Long> counts = new java.util.EnumMap<>(TaskGroup.class);
        for (TaskGroup group : TaskGroup.values()) {
            counts.put(group, admin.count(group, mine()));
        }
        return counts;
    }

    @Test
    void everyTaskIsInTheGroupItsStateEtaAndHeartbeatSay() {
        long failed = enqueue("fail-1", h.options().withPriority(9));
        assertEquals(Outcome.FAILED, runOne());
        long dirty = enqueue("dirty", h.options().withPriority(8));
        engine.claimer().runOnce();
        h.clock.advance(Duration.ofSeconds(31));
        long active = enqueue("active", h.options().withPriority(7));
        engine.claimer().runOnce();
        long pending = enqueue("pending", h.options());
        long future = enqueue("future", h.options().withDelay(Duration.ofHours(1)));

        assertEquals(Map.of(TaskGroup.FUTURE, 1L, TaskGroup.PENDING, 1L, TaskGroup.ACTIVE, 1L, TaskGroup.DIRTY, 1L,
                TaskGroup.FAILED, 1L, TaskGroup.SUCCEEDED, 0L, TaskGroup.CANCELLED, 0L), counts());
        assertEquals(List.of(future), ids(admin.list(TaskGroup.FUTURE, mine(), 0, 10)));
        assertEquals(List.of(pending), ids(admin.list(TaskGroup.PENDING, mine(), 0, 10)));
        assertEquals(List.of(active), ids(admin.list(TaskGroup.ACTIVE, mine(), 0, 10)));
        assertEquals(List.of(dirty), ids(admin.list(TaskGroup.DIRTY, mine(), 0, 10)));
        assertEquals(List.of(failed), ids(admin.list(TaskGroup.FAILED, mine(), 0, 10)));
        assertTrue(admin.find(failed).orElseThrow().getLastError().startsWith("java.lang.IllegalStateException: bad"));
    }

    @Test
    void statsCountEveryQueuesGroupsWaitingTimeNodesAndThisNodesThroughput() {
        enqueue("fail-1", h.options());
        assertEquals(Outcome.FAILED, runOne());
        enqueue("ok", h.options());
        assertEquals(Outcome.SUCCEEDED, runOne());
        enqueue("running", h.options());
        engine.claimer().runOnce();
        enqueue("waiting", h.options());
        h.clock.advance(Duration.ofSeconds(40)); // the running one is dirty now; "waiting" has waited 40 s
        enqueue("future", h.options().withDelay(Duration.ofHours(1)));
        admin.pause(h.queue + "-idle");

        QueueStats stats = admin.stats();

        assertEquals(h.clock.instant(), stats.at());
        QueueStats.Queue mine = stats.queues().stream().filter(q -> q.name().equals(h.queue)).findFirst()
                .orElseThrow();
        assertEquals(Map.of(TaskGroup.FUTURE, 1L, TaskGroup.PENDING, 1L, TaskGroup.ACTIVE, 0L, TaskGroup.DIRTY, 1L,
                TaskGroup.FAILED, 1L, TaskGroup.SUCCEEDED, 0L, TaskGroup.CANCELLED, 0L), mine.groups());
        assertEquals(Duration.ofSeconds(40), mine.oldestPending());
        assertFalse(mine.paused());
        assertTrue(stats.queues().contains(new QueueStats.Queue(h.queue + "-idle", true, Map.of(TaskGroup.FUTURE, 0L,
                TaskGroup.PENDING, 0L, TaskGroup.ACTIVE, 0L, TaskGroup.DIRTY, 0L, TaskGroup.FAILED, 0L,
                TaskGroup.SUCCEEDED, 0L, TaskGroup.CANCELLED, 0L), Duration.ZERO)), "a paused queue is listed even when empty");
        assertEquals(1L, stats.runningByNode().get("node-" + h.queue));
        QueueStats.Minute first = stats.recentMinutes().stream().filter(m -> m.started() > 0).findFirst()
                .orElseThrow();
        assertEquals(2, first.started());
        assertEquals(1, first.succeeded());
        assertEquals(1, first.failed());
        assertEquals(15, stats.recentMinutes().size());
        admin.resume(h.queue + "-idle");
    }

    /** A handler limited across the cluster, for the limits the admin reports. */
    @TaskName("capped-job")
    @MaxRunning(4)
    static final class Capped implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
        }
    }

    @Test
    void limitsAreWhatTheNodeIsConfiguredWith() {
        String limited = h.queue + "-limited";
        TaskAdmin configured = h.startWith(settings -> settings
                .with(WorkerSettings.QUEUES, h.queue + "," + limited + ":2")
                .with(WorkerSettings.maxRunningKey(limited), "3"), new Job(), new Capped()).admin();

        assertEquals(new RunningLimits(Map.of(limited, 3), Map.of("capped-job", 4), Map.of(limited, 2)),
                configured.limits());
        assertEquals(new RunningLimits(Map.of(), Map.of(), Map.of()), admin.limits(), "no limits, none reported");
    }

    @Test
    void statsTellHowLongTasksWaitedAfterTheyWereDueAndAfterTheirClaim() {
        enqueue("late", h.options());
        h.clock.advance(Duration.ofSeconds(5)); // due, and no loop free for 5 s
        ClaimedTask claimed = engine.claimer().runOnce().get(0);
        h.clock.advance(Duration.ofSeconds(2)); // claimed, waiting in the batch for 2 s
        assertEquals(Outcome.SUCCEEDED, engine.runner().run(claimed));

        QueueStats.Minute minute = admin.stats().recentMinutes().stream().filter(m -> m.started() > 0).findFirst()
                .orElseThrow();
        assertEquals(new QueueStats.Wait(Duration.ofSeconds(7), Duration.ofSeconds(7)), minute.sinceDue());
        assertEquals(new QueueStats.Wait(Duration.ofSeconds(2), Duration.ofSeconds(2)), minute.sinceClaim());
    }

    @Test
    void theDepthSamplesOfAMinuteKeepTheMostDueTasksSeen() {
        QueueStats.Minute before = currentMinute();
        assertNull(before.mostDue(), "no sample taken in this minute yet");

        enqueue("due-1", h.options());
        enqueue("due-2", h.options());
        enqueue("future", h.options().withDelay(Duration.ofHours(1)));
        engine.stats().take(); // as the maintenance lease's holder does every 10 s
        long first = engine.depthSampler().runOnce();
        assertEquals(Outcome.SUCCEEDED, runOne());
        engine.stats().take();
        long second = engine.depthSampler().runOnce();

        assertEquals(first - 1, second, "the sample counts due tasks of every queue; one of ours ran");
        QueueStats.Minute now = currentMinute();
        assertEquals(first, now.mostDue());
        assertTrue(first >= 2, "our two due tasks are counted, the future one is not: " + first);
    }

    private QueueStats.Minute currentMinute() {
        List<QueueStats.Minute> minutes = admin.stats().recentMinutes();
        return minutes.get(minutes.size() - 1);
    }

    @Test
    void listingsPageAndFilter() {
        List<Long> ids = IntStream.range(0, 5).mapToObj(i -> enqueue("p" + i, h.options())).toList();
        enqueue("elsewhere", h.options().withQueue(h.queue + "-b"));

        assertEquals(ids.subList(0, 2), ids(admin.list(TaskGroup.PENDING, mine(), 0, 2)));
        assertEquals(ids.subList(2, 4), ids(admin.list(TaskGroup.PENDING, mine(), 2, 2)));
        assertEquals(5, admin.count(TaskGroup.PENDING, mine()));
        assertEquals(0, admin.count(TaskGroup.PENDING, mine().withName("other")));
        assertEquals(1, admin.count(TaskGroup.PENDING, TaskFilter.all().withQueue(h.queue + "-b")));
        assertThrows(TaskQueueException.class, () -> admin.list(TaskGroup.PENDING, mine(), 0, 5_000));
        admin.deleteAll(TaskGroup.PENDING, TaskFilter.all().withQueue(h.queue + "-b"));
    }

    @Test
    void retryPutsAFailedTaskBackWithItsHistoryAndOneMoreAttempt() {
        long id = enqueue("fail-1", h.options());
        runOne();
        String error = admin.find(id).orElseThrow().getLastError();

        assertTrue(admin.retry(id));
        Task retried = admin.find(id).orElseThrow();
        assertEquals(TaskState.PENDING, retried.getState());
        assertEquals(1, retried.getAttempt(), "history kept");
        assertEquals(2, retried.getMaxAttempts(), "one more attempt");
        assertEquals(error, retried.getLastError(), "history kept");
        assertEquals(h.clock.instant(), retried.getEta());
        assertFalse(admin.retry(id), "a PENDING task is not retried");
        assertEquals(Outcome.FAILED, runOne(), "it ran again, and failed again");
        assertEquals(2, admin.find(id).orElseThrow().getAttempt());
    }

    @Test
    void retryRescuesADirtyTaskButNotAnActiveOne() {
        long id = enqueue("slow", h.options());
        engine.claimer().runOnce();
        assertFalse(admin.retry(id), "its worker is alive");

        h.clock.advance(Duration.ofSeconds(31));
        assertTrue(admin.retry(id));
        assertEquals(TaskState.PENDING, admin.find(id).orElseThrow().getState());
    }

    @Test
    void cancelEndsATaskThatHasNotStartedAtOnceAndAsksARunningOneToStop() {
        long waiting = enqueue("waiting", h.options().withDelay(Duration.ofMinutes(5)));
        long running = enqueue("running", h.options());
        engine.claimer().runOnce();

        assertTrue(admin.cancel(waiting, "ops@example.com"));
        Task cancelled = admin.find(waiting).orElseThrow();
        assertEquals(TaskState.CANCELLED, cancelled.getState());
        assertEquals("ops@example.com", cancelled.getCancelledBy());
        assertEquals(h.clock.instant(), cancelled.getCancelledAt());
        assertEquals(h.clock.instant(), cancelled.getFinishedAt());
        assertEquals(0, cancelled.getAttempt(), "it never ran");
        assertEquals(List.of(waiting), ids(admin.list(TaskGroup.CANCELLED, mine(), 0, 10)));
        assertFalse(admin.cancel(waiting), "a cancelled task has finished");

        assertTrue(admin.cancel(running));
        Task asked = admin.find(running).orElseThrow();
        assertEquals(TaskState.RUNNING, asked.getState(), "its worker ends it when its handler stops");
        assertEquals(TaskAdmin.CANCELLED_BY_API, asked.getCancelledBy());
        assertTrue(admin.delete(running), "delete takes anything");
        assertFalse(admin.cancel(running), "gone");
    }

    @Test
    void aCancelledTaskCanBeRetriedAndItsUniqueKeyIsFreeAgain() {
        long first = enqueue("keyed", h.options().withUniqueKey("k-" + h.queue));
        assertTrue(admin.cancel(first, "ops"));
        long second = enqueue("keyed", h.options().withUniqueKey("k-" + h.queue));
        assertTrue(second != first, "the cancelled task no longer holds the key");
        assertTrue(admin.delete(second));

        assertTrue(admin.retry(first));
        Task retried = admin.find(first).orElseThrow();
        assertEquals(TaskState.PENDING, retried.getState());
        assertNull(retried.getCancelledBy());
        assertNull(retried.getCancelledAt());
        assertEquals(Outcome.SUCCEEDED, runOne());
    }

    @Test
    void aCancellationNamesWhoCancels() {
        long id = enqueue("waiting", h.options());

        TaskQueueException blank = assertThrows(TaskQueueException.class, () -> admin.cancel(id, " "));
        assertTrue(blank.getMessage().startsWith("cancel needs who cancels as 1 to 100 characters"),
                blank.getMessage());
        assertThrows(TaskQueueException.class, () -> admin.cancel(id, "x".repeat(101)));
        assertEquals(TaskState.PENDING, admin.find(id).orElseThrow().getState(), "untouched");
    }

    @Test
    void bulkRetryAndDeleteReportWhatTheyTouched() {
        IntStream.range(0, 3).forEach(i -> enqueue("fail-a" + i, h.options()));
        IntStream.range(0, 2).forEach(i -> enqueue("fail-b" + i, h.options()));
        IntStream.range(0, 5).forEach(i -> runOne());
        // Make the two kinds of failure tell apart by their error text.
        assertEquals(3, admin.count(TaskGroup.FAILED, mine().withErrorContaining("BAD FAIL-A")));

        assertEquals(3, admin.retryAll(TaskGroup.FAILED, mine().withErrorContaining("bad fail-a")));
        assertEquals(Map.of(TaskGroup.FUTURE, 0L, TaskGroup.PENDING, 3L, TaskGroup.ACTIVE, 0L, TaskGroup.DIRTY, 0L,
                TaskGroup.FAILED, 2L, TaskGroup.SUCCEEDED, 0L, TaskGroup.CANCELLED, 0L), counts());
        assertThrows(TaskQueueException.class, () -> admin.retryAll(TaskGroup.PENDING, mine()));
        assertEquals(2, admin.deleteAll(TaskGroup.FAILED, mine()));
        assertEquals(3, admin.deleteAll(TaskGroup.PENDING, mine()));
        assertEquals(List.of(), h.rows());
    }

    @Test
    void aListingFiltersByTextInTheArgumentsAndByTheGroupsTime() {
        long early = enqueue("order-1017 early", h.options().withDelay(Duration.ofMinutes(5)));
        long late = enqueue("order-2048 late", h.options().withDelay(Duration.ofMinutes(50)));
        java.time.Instant now = h.clock.instant();

        assertEquals(List.of(late), ids(admin.list(TaskGroup.FUTURE, mine().withArgsContaining("ORDER-2048"), 0, 10)));
        assertEquals(List.of(early), ids(admin.list(TaskGroup.FUTURE,
                mine().withTimeBetween(now, now.plus(Duration.ofMinutes(10))), 0, 10)), "by ETA, what FUTURE shows");
        assertEquals(List.of(late), ids(admin.list(TaskGroup.FUTURE,
                mine().withTimeBetween(now.plus(Duration.ofMinutes(10)), null), 0, 10)));
        assertEquals(0, admin.count(TaskGroup.FUTURE, mine().withTimeBetween(null, now.plus(Duration.ofMinutes(5)))),
                "the range's end is not in it");
        TaskQueueException reversed = assertThrows(TaskQueueException.class,
                () -> mine().withTimeBetween(now, now.minusSeconds(1)));
        assertTrue(reversed.getMessage().contains("swap them"), reversed.getMessage());
        assertEquals(1, admin.deleteAll(TaskGroup.FUTURE, mine().withArgsContaining("early")), "bulk actions too");
    }

    @Test
    void theCountsByNameSumUpEachGroupPerTaskName() {
        enqueue("waiting", h.options().withDelay(Duration.ofMinutes(5)));
        enqueue("fail-now", h.options());
        runOne();

        Map<TaskGroup, Long> job = admin.countsByName().get("job");
        assertTrue(job.get(TaskGroup.FUTURE) >= 1 && job.get(TaskGroup.FAILED) >= 1, job.toString());
        assertEquals(java.util.EnumSet.allOf(TaskGroup.class), java.util.EnumSet.copyOf(job.keySet()));
    }

    @Test
    void aPausedQueueIsNotClaimedUntilResumed() {
        long id = enqueue("held", h.options());

        admin.pause(h.queue);
        assertTrue(admin.pausedQueues().contains(h.queue));
        assertEquals(List.of(), engine.claimer().runOnce());

        admin.resume(h.queue);
        assertEquals(List.of(id), engine.claimer().runOnce().stream().map(ClaimedTask::id).toList());
    }

    /**
     * Another node's pause (here a row written without this engine, so this node's view of the pauses is not told)
     * holds for this node's very next claim, charging no attempt; another node's resume is seen within a second.
     */
    @Test
    void aPauseMadeElsewhereHoldsForTheNextClaimAndAResumeElsewhereIsSeenSoon() {
        assertEquals(List.of(), engine.claimer().runOnce()); // this node now holds a view: nothing paused
        writeOutsideTheEngine("insert into taskq_queue_pause (queue, paused_at) values (:queue, now())");
        long id = enqueue("held", h.options());

        assertEquals(List.of(), engine.claimer().runOnce());
        assertEquals(List.of(), engine.claimer().runOnce());
        Task held = h.rows().get(0);
        assertEquals(TaskState.PENDING, held.getState());
        assertEquals(0, held.getAttempt());

        writeOutsideTheEngine("delete from taskq_queue_pause where queue = :queue");
        List<ClaimedTask> claimed = new ArrayList<>();
        Await.until(Duration.ofSeconds(10), "the resumed queue is claimed", () -> {
            claimed.addAll(engine.claimer().runOnce());
            return !claimed.isEmpty();
        });
        assertEquals(List.of(id), claimed.stream().map(ClaimedTask::id).toList());
        assertEquals(1, claimed.get(0).attempt());
    }

    private void writeOutsideTheEngine(String sql) {
        h.tx.requiresNew(em -> em.createNativeQuery(sql).setParameter("queue", h.queue).executeUpdate());
    }

    /** Each task is either cancelled before it starts or claimed and then asked to stop, never both. */
    @Test
    void cancelRacingWorkersEitherCancelsATaskOrLetsItRunNeverBoth() throws Exception {
        List<Long> ids = h.tasks().enqueueAll(Job.class,
                IntStream.range(0, 300).mapToObj(i -> new Ref("r" + i)).toList(), h.options());
        Set<Long> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            for (List<ClaimedTask> batch = engine.claimer().runOnce(); !batch.isEmpty();
                    batch = engine.claimer().runOnce()) {
                batch.forEach(task -> claimed.add(task.id()));
            }
        });
        for (long id : ids) {
            assertTrue(admin.cancel(id), "every task is cancelled, one way or the other");
        }
        worker.get(60, TimeUnit.SECONDS);

        Set<Long> endedUnstarted = new HashSet<>();
        for (Task row : h.rows()) {
            assertEquals(TaskAdmin.CANCELLED_BY_API, row.getCancelledBy());
            if (row.getState() == TaskState.CANCELLED) {
                assertEquals(0, row.getAttempt(), "cancelled before it started");
                endedUnstarted.add(row.getId());
            } else {
                assertEquals(TaskState.RUNNING, row.getState());
            }
        }
        Set<Long> both = new HashSet<>(endedUnstarted);
        both.retainAll(claimed);
        assertEquals(Set.of(), both, "no task was both cancelled before it started and claimed");
        assertEquals(ids.size(), endedUnstarted.size() + claimed.size(), "every task was one or the other");
    }

    private static List<Long> ids(List<Task> tasks) {
        return tasks.stream().map(Task::getId).toList();
    }
}
