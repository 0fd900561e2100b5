package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.Engine;
import dev.taskq.internal.HandlerRegistry;
import dev.taskq.internal.PeriodicEnqueuer;
import dev.taskq.internal.Schedules;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Periodic schedules on the real PostgreSQL, driven slot by slot with an injected clock: one task per slot however
 * many nodes look, the zone's daylight-saving changes, missed slots, and pauses.
 */
class PeriodicTest {

    /** The schedules' handler: what it does is not the point here, the tasks enqueued are. */
    @TaskName("periodic-report")
    static final class Report implements TaskHandler<Void> {
        @Override
        public void handle(Void args) {
        }
    }

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final QueueHarness h = new QueueHarness();
    private final String schedule = "s-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void eachSlotIsEnqueuedOnceHoweverManyNodesLookAtIt() throws Exception {
        startAt(Instant.parse("2026-06-01T10:00:30Z"));
        List<Engine> nodes = IntStream.range(0, 4).mapToObj(i -> node("0 * * * * *", "UTC", "skip")).toList();
        ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
        try {
            for (int slot = 0; slot < 10; slot++) {
                h.clock.advance(Duration.ofMinutes(1));
                CyclicBarrier together = new CyclicBarrier(nodes.size());
                List<Future<Instant>> looks = nodes.stream().map(node -> threads.submit(() -> {
                    together.await();
                    return node.periodic().runOnce();
                })).toList();
                for (Future<Instant> look : looks) {
                    look.get();
                }
            }
        } finally {
            threads.shutdownNow();
        }

        List<Instant> etas = h.rows().stream().map(Task::getEta).toList();
        assertEquals(IntStream.rangeClosed(1, 10).mapToObj(i -> Instant.parse("2026-06-01T10:00:00Z")
                .plus(Duration.ofMinutes(i))).toList(), etas, "one task per slot, due at the slot");
    }

    @Test
    void aLocalTimeTheZoneSkipsIsNoSlot() {
        startAt(Instant.parse("2026-03-28T12:00:00Z"));
        Engine node = node("0 30 2 * * *", "Europe/Berlin", "skip");

        followSlotsUntil(node, Instant.parse("2026-03-31T12:00:00Z"));

        // Clocks go from 02:00 to 03:00 on 2026-03-29 in Berlin: that day has no 02:30.
        assertEquals(List.of("2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00"), localEtas());
    }

    @Test
    void aLocalTimeTheZoneRepeatsRunsOnceAtItsFirstOccurrence() {
        startAt(Instant.parse("2026-10-24T20:00:00Z"));
        Engine hourly = node("0 30 * * * *", "Europe/Berlin", "skip");

        followSlotsUntil(hourly, Instant.parse("2026-10-25T03:00:00Z"));

        // Clocks go from 03:00 back to 02:00 on 2026-10-25 in Berlin: 02:30 comes twice, and runs once.
        assertEquals(List.of("2026-10-24T22:30+02:00", "2026-10-24T23:30+02:00", "2026-10-25T00:30+02:00",
                "2026-10-25T01:30+02:00", "2026-10-25T02:30+02:00", "2026-10-25T03:30+01:00"), localEtas());
    }

    /** So that a node notices within a minute what another did (a pause, a resume), however rare the slots. */
    @Test
    void aNodeLooksAgainAtTheNextSlotOrWithinAMinute() {
        startAt(Instant.parse("2026-06-01T10:00:10Z"));
        assertEquals(Instant.parse("2026-06-01T10:01:10Z"), node("0 30 2 * * *", "UTC", "skip").periodic().runOnce(),
                "a daily schedule: it looks again in a minute, not tomorrow");
        assertEquals(Instant.parse("2026-06-01T10:00:11Z"), node("* * * * * *", "UTC", "skip").periodic().runOnce(),
                "a schedule of every second: at its next slot");
    }

    @Test
    void slotsMissedWhileNoNodeRanAreSkippedByDefault() {
        startAt(Instant.parse("2026-06-01T10:00:10Z"));
        Engine node = node("0 * * * * *", "UTC", "skip");
        node.periodic().runOnce(); // takes 10:00, 10 s old: on time

        h.clock.advance(Duration.ofMinutes(30)); // every node was down from 10:01 to 10:30:10
        Engine restarted = node("0 * * * * *", "UTC", "skip");
        restarted.periodic().runOnce();

        assertEquals(List.of(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T10:30:00Z")), etas(),
                "10:30 is 10 s old, on time; 10:01 to 10:29 are skipped");

        h.clock.advance(Duration.ofMinutes(10).plusSeconds(40)); // down again, back 50 s after the 10:40 slot
        node("0 * * * * *", "UTC", "skip").periodic().runOnce();
        assertEquals(3, etas().size(), "10:40 is 50 s old: still on time");
        assertEquals(Instant.parse("2026-06-01T10:40:00Z"), etas().get(2));
    }

    @Test
    void slotsMissedWhileNoNodeRanRunOnceWhenThePolicySaysSo() {
        startAt(Instant.parse("2026-06-01T10:00:10Z"));
        node("0 */15 * * * *", "UTC", "run-once").periodic().runOnce(); // 10:00, on time

        h.clock.advance(Duration.ofHours(2)); // 12:00:10; 10:15 to 12:00 passed, 12:00 is on time
        node("0 */15 * * * *", "UTC", "run-once").periodic().runOnce();
        h.clock.advance(Duration.ofHours(1).plusMinutes(5)); // 13:05:10; 12:15 to 13:00 passed, none on time
        Engine late = node("0 */15 * * * *", "UTC", "run-once");
        late.periodic().runOnce();

        assertEquals(List.of(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T12:00:00Z"),
                Instant.parse("2026-06-01T13:05:10Z")), etas(), "one task for the missed slots, due at once");
        PeriodicSchedule shown = late.admin().schedules().get(0);
        assertEquals(Instant.parse("2026-06-01T13:00:00Z"), shown.lastSlot(), "the latest missed slot is taken");
        assertEquals(Instant.parse("2026-06-01T13:15:00Z"), shown.nextSlot());
    }

    @Test
    void aPausedScheduleEnqueuesNothingAndCatchesNothingUpWhenResumed() {
        startAt(Instant.parse("2026-06-01T10:00:10Z"));
        Engine node = node("0 * * * * *", "UTC", "run-once");
        node.periodic().runOnce();
        node.admin().pauseSchedule(schedule);
        assertTrue(node.admin().schedules().get(0).paused());

        for (int minute = 0; minute < 5; minute++) {
            h.clock.advance(Duration.ofMinutes(1));
            node.periodic().runOnce();
        }
        assertEquals(1, etas().size(), "no task while paused");

        node.admin().resumeSchedule(schedule);
        h.clock.advance(Duration.ofMinutes(1));
        node.periodic().runOnce();

        assertEquals(List.of(Instant.parse("2026-06-01T10:00:00Z"), Instant.parse("2026-06-01T10:06:00Z")), etas());
        PeriodicSchedule shown = node.admin().schedules().get(0);
        assertNull(shown.pausedAt());
        assertEquals(Instant.parse("2026-06-01T10:06:00Z"), shown.lastSlot());
        assertEquals(h.rows().get(1).getId(), shown.lastTask());
        assertEquals(Instant.parse("2026-06-01T10:07:00Z"), shown.nextSlot());
    }

    /** Moves the clock to each slot the node says comes next, and lets it look there, until {@code end}. */
    private void followSlotsUntil(Engine node, Instant end) {
        PeriodicEnqueuer periodic = node.periodic();
        for (Instant wake = periodic.runOnce(); wake.isBefore(end); wake = periodic.runOnce()) {
            h.clock.advance(Duration.between(h.clock.instant(), wake));
        }
    }

    private void startAt(Instant start) {
        h.clock.advance(Duration.between(h.clock.instant(), start));
        h.start(new Report()); // the harness's engine, for its rows
    }

    /** @return a node with this test's schedule, as settings declare it */
    private Engine node(String cron, String zone, String missed) {
        ArgsCodec codec = new ArgsCodec();
        HandlerRegistry handlers = HandlerRegistry.builder(codec).add(new Report()).build();
        Map<String, String> config = new HashMap<>();
        config.put(Schedules.DECLARED, schedule);
        config.put("taskq.periodic." + schedule + ".task", "periodic-report");
        config.put("taskq.periodic." + schedule + ".cron", cron);
        config.put("taskq.periodic." + schedule + ".zone", zone);
        config.put("taskq.periodic." + schedule + ".queue", h.queue);
        config.put("taskq.periodic." + schedule + ".missed", missed);
        return Engine.create(h.tx, handlers, codec, Schedules.of(handlers, codec, ConfigReader.of(config)),
                WorkerSettings.defaults().with(WorkerSettings.QUEUES, h.queue), h.clock, enqueued -> { });
    }

    private List<Instant> etas() {
        return h.rows().stream().map(Task::getEta).toList();
    }

    private List<String> localEtas() {
        return h.rows().stream().map(task -> ZonedDateTime.ofInstant(task.getEta(), BERLIN).toOffsetDateTime()
                .toString()).toList();
    }
}
