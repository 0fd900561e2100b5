package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.HandlerBinding;
import dev.taskq.internal.HandlerRegistry;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handlers are checked when the application starts, all problems reported together. */
class HandlerRegistryTest {

    record Mail(String to) {
    }

    /** An argument type Jackson cannot create: no usable constructor. */
    static final class NoCreator {
        private final String value;

        NoCreator(String value, int unused) {
            this.value = value;
        }

        public String getValue() {
            return value;
        }
    }

    @TaskName("send-mail")
    static final class SendMail implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @TaskName("send-mail")
    static final class SendMailToo implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    static final class Unreadable implements TaskHandler<NoCreator> {
        @Override
        public void handle(NoCreator args) {
        }
    }

    static final class AnInterface implements TaskHandler<Runnable> {
        @Override
        public void handle(Runnable args) {
        }
    }

    @SuppressWarnings("rawtypes")
    static final class Raw implements TaskHandler {
        @Override
        public void handle(Object args) {
        }
    }

    @Retry(maxAttempts = 0)
    static final class BadRetry implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @TaskName("has space")
    static final class BadName implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @TaskTimeout(value = 500, unit = java.time.temporal.ChronoUnit.MILLIS)
    static final class SubSecondTimeout implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @TaskTimeout(5)
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    static final class TimeoutWithoutTransaction implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @TaskTimeout(value = 2, unit = java.time.temporal.ChronoUnit.MINUTES)
    static final class TwoMinutes implements TaskHandler<Mail> {
        @Override
        public void handle(Mail args) {
        }
    }

    @Retry(maxAttempts = 7, backoff = 2, maxBackoff = 60, retryOn = IllegalStateException.class)
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    static final class Configured implements TaskHandler<List<Mail>> {
        @Override
        public void handle(List<Mail> args) {
        }
    }

    @Test
    void everyProblemIsReportedNamingTheClasses() {
        TaskQueueException e = assertThrows(TaskQueueException.class, () -> HandlerRegistry.builder(new ArgsCodec())
                .add(new SendMail()).add(new SendMailToo()).add(new Unreadable()).add(new AnInterface())
                .add(new Raw()).add(new BadRetry()).add(new BadName()).add(new SubSecondTimeout())
                .add(new TimeoutWithoutTransaction()).build());

        String message = e.getMessage();
        assertTrue(message.startsWith("TaskQ found invalid task handlers:\n  - "), message);
        assertContains(message, "task name 'send-mail' is used by [dev.taskq.HandlerRegistryTest$SendMail, "
                + "dev.taskq.HandlerRegistryTest$SendMailToo]: give each a distinct @TaskName");
        assertContains(message, "dev.taskq.HandlerRegistryTest$Unreadable: its arguments cannot be read: "
                + "dev.taskq.HandlerRegistryTest$NoCreator has no constructor Jackson can use");
        assertContains(message, "dev.taskq.HandlerRegistryTest$AnInterface: its arguments cannot be read: "
                + "java.lang.Runnable is abstract or an interface");
        assertContains(message, "dev.taskq.HandlerRegistryTest$Raw: dev.taskq.HandlerRegistryTest$Raw must "
                + "implement TaskHandler<A> with a concrete argument type A");
        assertContains(message, "dev.taskq.HandlerRegistryTest$BadRetry: @Retry(maxAttempts) must be between 1 "
                + "and 1000, but was 0");
        assertContains(message, "dev.taskq.HandlerRegistryTest$BadName: @TaskName must be 1 to 200 letters, "
                + "digits or . _ - : $, but was 'has space'");
        assertContains(message, "dev.taskq.HandlerRegistryTest$SubSecondTimeout: @TaskTimeout must be a whole "
                + "number of seconds, at least 1 (JTA counts in seconds), but was 500 Millis");
        assertContains(message, "dev.taskq.HandlerRegistryTest$TimeoutWithoutTransaction: @TaskTimeout is the "
                + "timeout of the handler's transaction, but the handler runs outside any");
    }

    @Test
    void aBindingCarriesNameTypeRetryAndTransactionMode() {
        HandlerRegistry registry = HandlerRegistry.builder(new ArgsCodec()).add(new SendMail())
                .add(new Configured()).build();

        assertEquals(Duration.ofMinutes(2), HandlerRegistry.builder(new ArgsCodec()).add(new TwoMinutes()).build()
                .require(TwoMinutes.class).timeout());
        HandlerBinding mail = registry.require("send-mail");
        assertEquals(SendMail.class, mail.handlerClass());
        assertEquals(Mail.class, mail.argsType().getRawClass());
        assertEquals(3, mail.retry().maxAttempts());
        assertTrue(mail.transactional());
        assertEquals(null, mail.timeout(), "the transaction manager's default");

        HandlerBinding configured = registry.require(Configured.class);
        assertEquals("dev.taskq.HandlerRegistryTest$Configured", configured.name(), "the default name");
        assertEquals("java.util.List<dev.taskq.HandlerRegistryTest$Mail>", configured.argsType().toCanonical());
        assertEquals(7, configured.retry().maxAttempts());
        assertEquals(Duration.ofSeconds(2), configured.retry().backoff().base());
        assertEquals(Duration.ofSeconds(60), configured.retry().backoff().max());
        assertTrue(configured.retry().retries(new IllegalStateException()));
        assertFalse(configured.retry().retries(new IllegalArgumentException()));
        assertFalse(configured.transactional());
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "expected\n  " + expected + "\nin\n" + text);
    }
}
