package dev.taskq.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskq.TaskOptions;
import dev.taskq.TaskQueue;
import dev.taskq.cdi.CdiTest.Confirm;
import dev.taskq.cdi.CdiTest.Job;
import dev.taskq.cdi.CdiTest.Persistence;
import dev.taskq.cdi.CdiTest.Wording;
import dev.taskq.internal.TaskEnqueued;
import dev.taskq.internal.cdi.TaskQClock;
import dev.taskq.support.JtaDatabase;
import dev.taskq.testing.TaskQTesting;
import jakarta.persistence.EntityManager;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test helper is opt-in: a production deployment has no helper bean, no observer of enqueues, keeps nothing
 * of what it enqueued, and its clock cannot be moved. With {@code taskq.testing.enabled=true} the helper is there
 * and sees every enqueue (which also shows that the measurement below would see retained tasks).
 */
class TestingOptInTest {

    private static final int ENQUEUES = 10_000;

    private final String queue = "opt-in-" + UUID.randomUUID().toString().substring(0, 8);
    private WeldContainer container;

    @AfterEach
    void undeploy() {
        if (container != null) {
            container.shutdown();
        }
        EntityManager em = JtaDatabase.entityManagerFactory().createEntityManager();
        try {
            em.getTransaction().begin();
            em.createQuery("delete from Task t where t.queue = :queue").setParameter("queue", queue).executeUpdate();
            em.getTransaction().commit();
        } finally {
            em.close();
        }
    }

    @Test
    void aProductionDeploymentHasNoHelperAndKeepsNothingOfWhatItEnqueued() throws Exception {
        container = deploy(false);

        assertTrue(container.select(TaskQTesting.class).isUnsatisfied(), "no test helper bean in production");
        enqueueAll();
        assertEquals(0, liveInstances(TaskEnqueued.class), "nothing retained after " + ENQUEUES + " enqueues");
        TaskEnqueued sample = new TaskEnqueued(1, "confirm", queue, "{}", 0, Instant.now(), 1, null);
        assertEquals(0, container.getBeanManager().resolveObserverMethods(sample).size(), "nothing observes enqueues");
        IllegalStateException moved = assertThrows(IllegalStateException.class,
                () -> container.select(TaskQClock.class).get().clock().advance(Duration.ofHours(1)));
        assertEquals("TaskQ's clock moves only in a test deployment: set taskq.testing.enabled=true in the test's "
                + "configuration", moved.getMessage());
    }

    @Test
    void withTheOptInTheHelperSeesEveryEnqueue() throws Exception {
        container = deploy(true);
        TaskQTesting testing = container.select(TaskQTesting.class).get();
        testing.reset();

        enqueueAll();

        assertEquals(ENQUEUES, testing.enqueuedIds().size());
        assertTrue(liveInstances(TaskEnqueued.class) >= ENQUEUES, "the helper keeps what it saw until reset()");
        container.select(TaskQClock.class).get().clock().advance(Duration.ofHours(1)); // allowed in a test
    }

    private WeldContainer deploy(boolean testing) {
        System.setProperty("taskq.testing.enabled", String.valueOf(testing));
        try {
            return CdiTest.weld("taskq-opt-in-" + testing, Persistence.class, Wording.class, Confirm.class)
                    .initialize();
        } finally {
            System.clearProperty("taskq.testing.enabled");
        }
    }

    /** Enqueues in batches of 1,000, each batch in a transaction of its own. */
    private void enqueueAll() {
        TaskQueue tasks = container.select(TaskQueue.class).get();
        for (int batch = 0; batch < ENQUEUES / 1_000; batch++) {
            int first = batch * 1_000;
            List<Job> jobs = IntStream.range(first, first + 1_000).mapToObj(i -> new Job(queue, "job-" + i)).toList();
            tasks.enqueueAll(Confirm.class, jobs, TaskOptions.defaults().withQueue(queue).withDelay(Duration.ofDays(1)));
        }
    }

    /** @return how many instances of {@code type} are reachable, from the JVM's class histogram (after a full GC) */
    private static long liveInstances(Class<?> type) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return histogram.lines().map(String::trim).map(line -> line.split("\\s+"))
                .filter(columns -> columns.length >= 4 && columns[3].equals(type.getName()))
                .mapToLong(columns -> Long.parseLong(columns[1])).sum();
    }
}
