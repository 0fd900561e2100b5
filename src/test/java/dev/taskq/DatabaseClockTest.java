package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.Engine;
import dev.taskq.internal.TaskClock;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.LedgerHandler;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * TaskQ's clock in an application is the database's: a node whose own clock is an hour wrong still writes ETAs,
 * claims and heartbeats that the other nodes agree with.
 */
class DatabaseClockTest {

    private static final Duration SKEW = Duration.ofHours(1);

    private final QueueHarness h = new QueueHarness();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void close() throws Exception {
        scheduler.shutdownNow();
        h.close();
    }

    @Test
    void onceSyncedTheClockReadsTheDatabasesTimeWhateverTheNodesClockSays() throws Exception {
        TaskClock clock = TaskClock.withWallClock(Clock.offset(Clock.systemUTC(), SKEW.negated()));
        assertFalse(clock.isSynced());
        assertTrue(Duration.between(clock.instant(), databaseNow()).compareTo(SKEW.minusMinutes(1)) > 0,
                "before its first sync it is the node's clock, an hour behind");

        Engine engine = Engine.create(h.tx, settings("skewed"), clock, new LedgerHandler(h));
        engine.useScheduler(scheduler);

        assertTrue(clock.isSynced());
        Duration apart = Duration.between(clock.instant(), databaseNow()).abs();
        assertTrue(apart.compareTo(Duration.ofSeconds(2)) < 0, "within a round trip of the database, but " + apart);
    }

    @Test
    void aTaskEnqueuedByANodeWhoseClockIsAnHourAheadIsDueAtOnceForTheOthers() {
        Engine others = Engine.create(h.tx, settings("right"), Clock.systemUTC(), new LedgerHandler(h));

        Engine unsynced = Engine.create(h.tx, settings("ahead-unsynced"),
                TaskClock.withWallClock(Clock.offset(Clock.systemUTC(), SKEW)), new LedgerHandler(h));
        unsynced.queue().enqueue(LedgerHandler.class, new Ref("by-its-own-clock"), h.options());
        assertEquals(List.of(), others.claimer().runOnce(), "by its own clock, its task is due only in an hour");

        Engine synced = Engine.create(h.tx, settings("ahead-synced"),
                TaskClock.withWallClock(Clock.offset(Clock.systemUTC(), SKEW)), new LedgerHandler(h));
        synced.useScheduler(scheduler);
        long id = synced.queue().enqueue(LedgerHandler.class, new Ref("by-the-database"), h.options());
        List<ClaimedTask> claimed = others.claimer().runOnce();
        assertEquals(List.of(id), claimed.stream().map(ClaimedTask::id).toList(),
                "by the database's clock it is due now, for every node");
    }

    private WorkerSettings settings(String node) {
        return WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue)
                .with(WorkerSettings.NODE_ID, node + "-" + h.queue);
    }

    private static Instant databaseNow() throws Exception {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select clock_timestamp()")) {
            row.next();
            return row.getObject(1, java.time.OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
        }
    }
}
