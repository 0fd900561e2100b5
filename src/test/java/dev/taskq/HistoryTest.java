package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskq.internal.ClaimedTask;
import dev.taskq.internal.TaskRunner.Outcome;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every attempt's start, end, node, outcome and error, kept with the task: the last ten, errors capped. */
class HistoryTest {

    /** Fails while its ref names more failures than attempts so far; snoozes once when its ref says so. */
    @TaskName("storied")
    @Retry(maxAttempts = 15, backoff = 1)
    static final class Storied implements TaskHandler<Ref> {
        private final TaskContext context = dev.taskq.internal.Engine.taskContext();
        private boolean snoozed;

        @Override
        public void handle(Ref args) {
            String[] parts = args.ref().split(" ");
            if (parts[0].equals("snooze") && !snoozed) {
                snoozed = true;
                throw EndAttempt.snooze(Duration.ofSeconds(5));
            }
            if (context.attempt() <= Integer.parseInt(parts[1])) {
                throw new IllegalStateException("failure " + context.attempt() + " " + "x".repeat(3_000));
            }
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private List<JsonNode> historyOf(long id) throws Exception {
        List<JsonNode> attempts = new ArrayList<>();
        json.readTree(h.row(id).getHistory()).forEach(attempts::add);
        return attempts;
    }

    /** Runs every attempt the task gets, moving the clock past each back-off. */
    private void runToTheEnd() {
        for (int round = 0; round < 40; round++) {
            List<ClaimedTask> claimed = h.engine().claimer().runOnce();
            claimed.forEach(task -> h.engine().runner().run(task));
            h.clock.advance(Duration.ofMinutes(30));
        }
    }

    @Test
    void aRetriedTaskThatSucceedsShowsItsWholeStory() throws Exception {
        h.startWith(settings -> settings.with(WorkerSettings.SUCCEEDED_RETENTION, "1h"), new Storied());
        Instant enqueued = h.clock.instant();
        long id = h.tasks().enqueue(Storied.class, new Ref("snooze 2"), h.options());
        runToTheEnd();

        List<JsonNode> story = historyOf(id);
        assertEquals(List.of("snoozed", "retrying", "retrying", "succeeded"),
                story.stream().map(attempt -> attempt.get("outcome").asText()).toList());
        assertEquals(List.of(1, 1, 2, 3), story.stream().map(attempt -> attempt.get("attempt").asInt()).toList(),
                "the snooze did not count");
        for (JsonNode attempt : story) {
            assertEquals("node-" + h.queue, attempt.get("node").asText());
            Instant started = java.time.OffsetDateTime.parse(attempt.get("startedAt").asText()).toInstant();
            assertTrue(!started.isBefore(enqueued), attempt.toString());
        }
        String error = story.get(1).get("error").asText();
        assertTrue(error.startsWith("java.lang.IllegalStateException: failure 1 xxx"), error);
        assertEquals(2_000, error.length(), "an entry's error is capped");
        assertTrue(story.get(3).get("error").isNull());
    }

    @Test
    void aTaskKeepsItsLastTenAttempts() throws Exception {
        h.start(new Storied());
        long id = h.tasks().enqueue(Storied.class, new Ref("fail 99"), h.options());
        runToTheEnd();

        assertEquals(TaskState.FAILED, h.row(id).getState());
        List<JsonNode> story = historyOf(id);
        assertEquals(10, story.size());
        assertEquals(List.of(6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                story.stream().map(attempt -> attempt.get("attempt").asInt()).toList());
        assertEquals("failed", story.get(9).get("outcome").asText());
    }

    @Test
    void aDirtyAttemptAndACancellationAreInTheStoryToo() throws Exception {
        h.startWith(settings -> settings.with(WorkerSettings.DIRTY_POLICY, "requeue"), new Storied());
        long id = h.tasks().enqueue(Storied.class, new Ref("fail 0"), h.options());
        h.engine().claimer().runOnce(); // its node dies
        h.clock.advance(Duration.ofMinutes(1));
        h.engine().rescuer().runOnce();
        ClaimedTask again = h.engine().claimer().runOnce().get(0);
        assertTrue(h.engine().admin().cancel(id, "ops"));
        assertEquals(Outcome.CANCELLED, h.engine().runner().run(again));

        List<JsonNode> story = historyOf(id);
        assertEquals(List.of("dirty", "cancelled"), story.stream().map(attempt -> attempt.get("outcome").asText())
                .toList());
        assertTrue(story.get(0).get("error").asText().startsWith("Dirty: the worker's heartbeat stopped"));
    }
}
