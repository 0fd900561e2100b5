package dev.taskq.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskq.Retry;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import dev.taskq.internal.Engine;
import dev.taskq.internal.Worker;
import dev.taskq.internal.WorkerSettings;
import dev.taskq.support.Await;
import dev.taskq.support.QueueHarness;
import dev.taskq.support.Ref;
import dev.taskq.support.Scrape;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin resource's text and Micrometer's own Prometheus text (the registry WildFly exports with) fed by the same
 * attempts: the same sample names, types and labels, all of {@link TaskQMeter}, and the same series and values.
 * MetricsIT compares the real servers' scrapes the same way.
 */
class MetricsVocabularyTest {

    @TaskName("metered")
    @Retry(maxAttempts = 2)
    static final class Metered implements TaskHandler<Ref> {
        @Override
        public void handle(Ref args) {
            if (args.ref().startsWith("fail")) {
                throw new IllegalStateException("bad " + args.ref());
            }
        }
    }

    private final QueueHarness h = new QueueHarness();

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void theAdminTextAndMicrometerPrintTheSameVocabularyWithTheSameSeries() {
        Engine engine = h.startWith(settings -> settings.with(WorkerSettings.THREADS, "1").with(WorkerSettings.PREFETCH, "0"), new Metered());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StatsSnapshot snapshot = new StatsSnapshot(engine.admin()::stats);
        MicrometerMeters micrometer = new MicrometerMeters(registry, snapshot);
        NodeMeters node = new NodeMeters(h.clock);
        engine.runListeners().add(micrometer);
        engine.runListeners().add(node);

        h.tasks().enqueue(Metered.class, new Ref("ok-1"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("ok-2"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("fail-1"), h.options().withMaxAttempts(1));
        h.tasks().enqueue(Metered.class, new Ref("fail-2"), h.options());
        h.tasks().enqueue(Metered.class, new Ref("later"), h.options().withDelay(Duration.ofHours(1)));
        h.clock.advance(Duration.ofSeconds(3));
        for (int i = 0; i < 4; i++) {
            engine.runner().run(engine.claimer().runOnce().get(0));
        }
        Worker worker = h.startWorker(); // nothing due for it: the retry waits for its back-off on a frozen clock
        Await.until(Duration.ofSeconds(10), "the worker's first heartbeat", () -> worker.lastHeartbeat().isPresent());
        worker.stop(); // its last beat stays, so both texts read the same one
        WorkerGauges gauges = WorkerGauges.of(engine.running(), worker);
        snapshot.refresh().queues().forEach(queue -> micrometer.addGauges(queue.name()));
        micrometer.addWorkerGauges(gauges);

        Scrape admin = Scrape.parse(PrometheusText.format(engine.admin().stats(), node, Optional.of(gauges)));
        Scrape library = Scrape.parse(registry.scrape());

        assertEquals(Scrape.vocabulary(), admin.shapes(Set.of(), sample -> false), admin.text());
        assertEquals(Scrape.vocabulary(), library.shapes(Set.of(), sample -> false), library.text());
        for (String name : Scrape.vocabulary().keySet()) {
            Map<String, String> mine = name.startsWith("taskq_running") || name.startsWith("taskq_heartbeat")
                    ? Map.of() : Map.of("queue", h.queue);
            Map<Map<String, String>, Double> adminSeries = admin.series(name, mine, Set.of());
            Map<Map<String, String>, Double> librarySeries = library.series(name, mine, Set.of());
            assertEquals(adminSeries.keySet(), librarySeries.keySet(), name + " has the same series in both");
            adminSeries.forEach((labels, value) -> assertEquals(value, librarySeries.get(labels), 1e-6,
                    name + labels + " has the same value in both"));
        }

        assertEquals(Map.of(attempt("succeeded"), 2.0, attempt("retrying"), 1.0, attempt("failed"), 1.0),
                admin.series("taskq_attempts_total", Map.of("queue", h.queue), Set.of()));
        assertEquals(4, admin.value("taskq_start_delay_seconds_count", Map.of("queue", h.queue)).orElseThrow());
        assertEquals(3.0, admin.value("taskq_start_delay_seconds_max", Map.of("queue", h.queue)).orElseThrow(),
                "due for 3 s on the test's clock");
        assertEquals(2, admin.value("taskq_tasks", Map.of("queue", h.queue, "group", "future")).orElseThrow(),
                "the delayed task and the retry waiting for its back-off");
        assertEquals(1, admin.value("taskq_tasks", Map.of("queue", h.queue, "group", "failed")).orElseThrow());
        assertEquals(0, admin.value("taskq_running_tasks", Map.of()).orElseThrow());
        assertEquals(worker.lastHeartbeat().orElseThrow().toEpochMilli() / 1000.0,
                admin.value("taskq_heartbeat_timestamp_seconds", Map.of()).orElseThrow(), 1e-3);
    }

    private Map<String, String> attempt(String outcome) {
        return Map.of("queue", h.queue, "task", "metered", "outcome", outcome);
    }
}
