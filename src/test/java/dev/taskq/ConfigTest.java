package dev.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.DirtyPolicy;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.internal.cdi.ServerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worker and server settings: documented defaults, every form of value, their rules, and where they are read from. */
class ConfigTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        WorkerSettings settings = WorkerSettings.defaults();

        assertTrue(settings.enabled());
        assertEquals(List.of("default"), settings.queues());
        assertEquals(4, settings.threads());
        assertEquals(64, settings.prefetch());
        assertEquals(Duration.ofSeconds(1), settings.pollInterval());
        assertEquals(Duration.ofSeconds(1), settings.heartbeatInterval());
        assertEquals(Duration.ofSeconds(30), settings.dirtyThreshold());
        assertEquals(DirtyPolicy.KEEP, settings.dirtyPolicy());
        assertEquals(Duration.ofSeconds(10), settings.shutdownGrace());
        assertFalse(settings.keepSucceeded());
        assertEquals(Duration.ZERO, settings.succeededRetention());
        assertEquals(null, settings.failedRetention(), "failed tasks are kept for a person");
        assertTrue(settings.nodeId().endsWith("/" + ProcessHandle.current().pid()), settings.nodeId());
        assertEquals(100, settings.completionBatchSize());
        assertEquals(Duration.ofMillis(20), settings.completionBatchWindow());
    }

    @Test
    void valuesInEveryAcceptedForm() {
        WorkerSettings settings = WorkerSettings.from(ConfigReader.of(Map.of(
                WorkerSettings.ENABLED, "FALSE",
                WorkerSettings.QUEUES, " mail , images:resize ",
                WorkerSettings.POLL_INTERVAL, "250ms",
                WorkerSettings.HEARTBEAT_INTERVAL, "PT2S",
                WorkerSettings.DIRTY_THRESHOLD, "5m",
                WorkerSettings.DIRTY_POLICY, "Requeue",
                WorkerSettings.SHUTDOWN_GRACE, "0s",
                WorkerSettings.NODE_ID, "web-1",
                WorkerSettings.SUCCEEDED_RETENTION, "7d",
                WorkerSettings.FAILED_RETENTION, "30d")));

        assertFalse(settings.enabled());
        assertEquals(List.of("mail", "images:resize"), settings.queues());
        assertEquals(Duration.ofMillis(250), settings.pollInterval());
        assertEquals(Duration.ofSeconds(2), settings.heartbeatInterval());
        assertEquals(Duration.ofMinutes(5), settings.dirtyThreshold());
        assertEquals(DirtyPolicy.REQUEUE, settings.dirtyPolicy());
        assertEquals(Duration.ZERO, settings.shutdownGrace());
        assertEquals("web-1", settings.nodeId());
        assertEquals(Duration.ofDays(7), settings.succeededRetention());
        assertEquals(Duration.ofDays(30), settings.failedRetention());

        WorkerSettings unbatched = WorkerSettings.from(ConfigReader.of(Map.of(
                WorkerSettings.COMPLETION_BATCH_SIZE, "1",
                WorkerSettings.COMPLETION_BATCH_WINDOW, "PT0.005S")));
        assertEquals(1, unbatched.completionBatchSize());
        assertEquals(Duration.ofMillis(5), unbatched.completionBatchWindow());
    }

    @Test
    void aQueueListedWithACountGetsLoopsOfItsOwnAndTheOthersShareTheThreads() {
        WorkerSettings settings = WorkerSettings.from(ConfigReader.of(Map.of(
                WorkerSettings.QUEUES, "mail:2, images:resize, reports : 1, default",
                WorkerSettings.THREADS, "3")));

        assertEquals(List.of("mail", "images:resize", "reports", "default"), settings.queues());
        assertEquals(Map.of("mail", 2, "reports", 1), settings.queueLoops());
        assertEquals(List.of("images:resize", "default"), settings.sharedQueues());
        assertEquals(6, settings.allLoops(), "3 shared, 2 for mail, 1 for reports");
        assertEquals(settings, settings.with(WorkerSettings.NODE_ID, settings.nodeId()), "with() keeps the counts");

        WorkerSettings allOwn = WorkerSettings.from(ConfigReader.of(Map.of(WorkerSettings.QUEUES, "mail:2,reports:1")));
        assertEquals(3, allOwn.allLoops(), "no queue shares the threads, so there are none");

        TaskQueueException zero = assertThrows(TaskQueueException.class, () -> WorkerSettings.from(
                ConfigReader.of(Map.of(WorkerSettings.QUEUES, "mail:0"))));
        assertEquals("taskq.worker.queues (the loops of queue mail) must be between 1 and 256, but was 0.",
                zero.getMessage());
    }

    @Test
    void theServerSettingsDefaultsAreTheDocumentedOnes() {
        ServerSettings settings = ServerSettings.from(ConfigReader.of(Map.of()));

        assertEquals("taskq-admin", settings.adminRole());
        assertFalse(settings.testing(), "the test helper is opt-in");
        assertFalse(settings.migrateSchema());
        assertEquals("java:comp/DefaultManagedExecutorService", settings.executor());
        assertEquals("java:comp/DefaultManagedScheduledExecutorService", settings.scheduler());
    }

    @Test
    void theAdminRoleIsValidatedLikeEveryOtherSetting() {
        assertEquals("ops", ServerSettings.from(ConfigReader.of(Map.of(ServerSettings.ADMIN_ROLE, " ops ")))
                .adminRole());
        for (String bad : new String[] {"", "queue admins", "a,b", "x".repeat(101)}) {
            TaskQueueException e = assertThrows(TaskQueueException.class,
                    () -> ServerSettings.from(ConfigReader.of(Map.of(ServerSettings.ADMIN_ROLE, bad))));
            assertEquals("taskq.admin.role must be a role name of 1 to 100 characters without spaces or commas, "
                    + "such as taskq-admin, but was '" + bad.trim() + "'.", e.getMessage());
        }
    }

    @Test
    void theTestingSwitchIsTrueOrFalse() {
        assertTrue(ServerSettings.from(ConfigReader.of(Map.of(ServerSettings.TESTING, "TRUE"))).testing());
        TaskQueueException e = assertThrows(TaskQueueException.class,
                () -> ServerSettings.from(ConfigReader.of(Map.of(ServerSettings.TESTING, "yes"))));
        assertEquals("taskq.testing.enabled must be true or false, but was 'yes'.", e.getMessage());
    }

    @Test
    void systemPropertiesAreReadWhenThereIsNoMicroProfileConfig() {
        System.setProperty(WorkerSettings.THREADS, "7");
        try {
            ConfigReader reader = ConfigReader.microProfileOr(ConfigReader.systemPropertiesAndEnvironment());
            assertEquals(7, WorkerSettings.from(reader).threads());
        } finally {
            System.clearProperty(WorkerSettings.THREADS);
        }
    }

    @Test
    void environmentVariablesAreNamedAsMicroProfileConfigNamesThem() {
        // PATH is set everywhere: "path" maps to it as taskq.worker.threads maps to TASKQ_WORKER_THREADS.
        assertEquals(System.getenv("PATH"), ConfigReader.systemPropertiesAndEnvironment().get("path").orElseThrow());
    }
}
