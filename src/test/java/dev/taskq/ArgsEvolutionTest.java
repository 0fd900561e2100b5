package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.taskq.internal.ArgsCodec;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deploy that changes an argument type keeps the tasks queued before it: rows written by the old type run
 * with the new one (a removed field ignored, an added one defaulted, a renamed one read through its alias),
 * unless the handler is {@link StrictArgs}, which fails them with the field named. Every row here is JSON the
 * old type wrote, stored as the previous deploy stored it, and run through the engine on PostgreSQL.
 */
class ArgsEvolutionTest {

    /** The argument type as the previous deploy had it: what the queued rows were written from. */
    record CustomerV1(long id, String email, String fax) {
    }

    /** The field {@code fax} was removed. */
    record FaxRemoved(long id, String email) {
    }

    /** Fields were added: the old rows lack them. */
    record FieldsAdded(long id, String email, String fax, String locale, int credits, boolean vip, Instant since) {
    }

    /** A field was added with a default for the rows that lack it. */
    record LocaleDefaulted(long id, String email, String fax, String locale) {
        LocaleDefaulted {
            locale = locale == null ? "en" : locale;
        }
    }

    /** {@code email} was renamed {@code address}; the alias reads the old rows. */
    record EmailRenamed(long id, @JsonAlias("email") String address, String fax) {
    }

    /** Records the arguments it was called with. */
    abstract static class Recording<A> implements TaskHandler<A> {
        final Queue<Object> seen;

        Recording(Queue<Object> seen) {
            this.seen = seen;
        }

        @Override
        public void handle(A args) {
            seen.add(args);
        }
    }

    @TaskName("fax-removed")
    static final class FaxRemovedHandler extends Recording<FaxRemoved> {
        FaxRemovedHandler(Queue<Object> seen) {
            super(seen);
        }
    }

    @TaskName("fields-added")
    static final class FieldsAddedHandler extends Recording<FieldsAdded> {
        FieldsAddedHandler(Queue<Object> seen) {
            super(seen);
        }
    }

    @TaskName("locale-defaulted")
    static final class LocaleDefaultedHandler extends Recording<LocaleDefaulted> {
        LocaleDefaultedHandler(Queue<Object> seen) {
            super(seen);
        }
    }

    @TaskName("email-renamed")
    static final class EmailRenamedHandler extends Recording<EmailRenamed> {
        EmailRenamedHandler(Queue<Object> seen) {
            super(seen);
        }
    }

    @StrictArgs
    @TaskName("strict-fax-removed")
    static final class StrictFaxRemoved extends Recording<FaxRemoved> {
        StrictFaxRemoved(Queue<Object> seen) {
            super(seen);
        }
    }

    @StrictArgs
    @TaskName("strict-locale-added")
    static final class StrictLocaleAdded extends Recording<LocaleDefaulted> {
        StrictLocaleAdded(Queue<Object> seen) {
            super(seen);
        }
    }

    @StrictArgs
    @TaskName("strict-email-renamed")
    static final class StrictEmailRenamed extends Recording<EmailRenamed> {
        StrictEmailRenamed(Queue<Object> seen) {
            super(seen);
        }
    }

    @StrictArgs
    @TaskName("strict-unchanged")
    static final class StrictUnchanged extends Recording<CustomerV1> {
        StrictUnchanged(Queue<Object> seen) {
            super(seen);
        }
    }

    private final QueueHarness h = new QueueHarness();
    private final Queue<Object> seen = new ConcurrentLinkedQueue<>();
    /** What the previous deploy wrote: the JSON of the old type, as its codec wrote it. */
    private final String oldRow = new ArgsCodec().write(new CustomerV1(7, "ann@example.com", "+1 555 0100"));

    @BeforeEach
    void start() {
        h.start(new FaxRemovedHandler(seen), new FieldsAddedHandler(seen), new LocaleDefaultedHandler(seen),
                new EmailRenamedHandler(seen), new StrictFaxRemoved(seen), new StrictLocaleAdded(seen),
                new StrictEmailRenamed(seen), new StrictUnchanged(seen));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void aFieldRemovedFromTheTypeIsIgnoredInOldRows() {
        runUntilSucceeded(h.insertRow("fax-removed", oldRow));
        assertEquals(Set.of(new FaxRemoved(7, "ann@example.com")), seenOnce());
    }

    @Test
    void aFieldAddedToTheTypeIsNullZeroOrFalseInOldRowsOrWhatTheCompactConstructorMakesOfIt() {
        runUntilSucceeded(h.insertRow("fields-added", oldRow), h.insertRow("locale-defaulted", oldRow));
        assertEquals(Set.of(new FieldsAdded(7, "ann@example.com", "+1 555 0100", null, 0, false, null),
                new LocaleDefaulted(7, "ann@example.com", "+1 555 0100", "en")), seenOnce());
    }

    @Test
    void aRenamedFieldIsReadUnderItsOldNameThroughJsonAliasAndUnderItsNewName() {
        runUntilSucceeded(h.insertRow("email-renamed", oldRow), h.tasks().enqueue(EmailRenamedHandler.class,
                new EmailRenamed(8, "bob@example.com", null), h.options()));
        assertEquals(Set.of(new EmailRenamed(7, "ann@example.com", "+1 555 0100"),
                new EmailRenamed(8, "bob@example.com", null)), seenOnce());
    }

    @Test
    void aStrictHandlerFailsOldRowsWithAnUnknownOrAMissingFieldAndNamesIt() {
        long unknown = h.insertRow("strict-fax-removed", oldRow);
        long missing = h.insertRow("strict-locale-added", oldRow);
        long aliased = h.insertRow("strict-email-renamed", oldRow);
        long unchanged = h.insertRow("strict-unchanged", oldRow);
        h.startWorker();
        Await.until(Duration.ofSeconds(30), "the fitting rows ran and the others failed", () -> h.row(aliased) == null
                && h.row(unchanged) == null && h.count(TaskState.FAILED) == 2);

        assertEquals("The stored arguments do not fit task handler 'strict-fax-removed' (argument type "
                + "dev.taskq.ArgsEvolutionTest$FaxRemoved): $.fax: not a field of FaxRemoved (its fields: email, id). "
                + "The argument type changed since the task was enqueued, or the row was edited: make them fit, "
                + "then retry the task.", h.row(unknown).getLastError());
        assertEquals("The stored arguments do not fit task handler 'strict-locale-added' (argument type "
                + "dev.taskq.ArgsEvolutionTest$LocaleDefaulted): $.locale: expected String, but the field is "
                + "missing. The argument type changed since the task was enqueued, or the row was edited: make them "
                + "fit, then retry the task.", h.row(missing).getLastError());
        assertEquals(1, h.row(missing).getAttempt(), "a row that does not fit is not retried");
        assertEquals(Set.of(new EmailRenamed(7, "ann@example.com", "+1 555 0100"),
                new CustomerV1(7, "ann@example.com", "+1 555 0100")), seenOnce());
    }

    @Test
    void enqueueRefusesAnUnknownFieldWhileAMissingOneGetsItsDefault() {
        TaskQueueException unknown = assertThrows(TaskQueueException.class, () -> h.tasks().enqueue("fax-removed",
                Map.of("id", 7, "email", "ann@example.com", "fax", "+1 555 0100"), h.options()));
        assertEquals("The arguments for task handler 'fax-removed' do not fit its argument type "
                + "dev.taskq.ArgsEvolutionTest$FaxRemoved: $.fax: not a field of FaxRemoved (its fields: email, id). "
                + "Pass a dev.taskq.ArgsEvolutionTest$FaxRemoved.", unknown.getMessage());
        assertEquals(0, h.remaining(), "nothing was enqueued");

        runUntilSucceeded(h.tasks().enqueue("fields-added", Map.of("id", 7), h.options()));
        assertEquals(Set.of(new FieldsAdded(7, null, null, null, 0, false, null)), seenOnce());
    }

    @Test
    void enqueueForAStrictHandlerRefusesAMissingField() {
        TaskQueueException missing = assertThrows(TaskQueueException.class, () -> h.tasks().enqueue(
                "strict-locale-added", Map.of("id", 7, "email", "ann@example.com", "fax", "-"), h.options()));
        assertEquals("The arguments for task handler 'strict-locale-added' do not fit its argument type "
                + "dev.taskq.ArgsEvolutionTest$LocaleDefaulted: $.locale: expected String, but the field is missing. "
                + "Pass a dev.taskq.ArgsEvolutionTest$LocaleDefaulted.", missing.getMessage());
        assertEquals(0, h.remaining(), "nothing was enqueued");
    }

    /** Starts the worker and waits until every task succeeded (and was deleted, as succeeded tasks are). */
    private void runUntilSucceeded(long... ids) {
        h.startWorker();
        Await.until(Duration.ofSeconds(30), "the tasks succeeded", () -> Arrays.stream(ids)
                .allMatch(id -> h.row(id) == null));
        assertEquals(0, h.count(TaskState.FAILED));
    }

    /** @return what the handlers saw, each task once, in no particular order */
    private Set<Object> seenOnce() {
        assertEquals(Set.copyOf(seen).size(), seen.size(), "no task ran twice: " + seen);
        return Set.copyOf(seen);
    }
}
