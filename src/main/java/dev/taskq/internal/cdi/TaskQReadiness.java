package dev.taskq.internal.cdi;

import jakarta.enterprise.inject.spi.CDI;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness: UP when the database answers and, on a node that runs a worker, every loop runs
 * and the heartbeat beats, saying whether the worker hears other nodes' enqueues ({@code listening}); DOWN with
 * the reason otherwise. Not a bean by itself: {@link TaskQExtension} adds it
 * only where the server offers MicroProfile Health.
 */
@Readiness
public class TaskQReadiness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        // Looked up rather than injected: added by the extension, this bean may live in an archive of its own
        // that does not see TaskQ's beans at deployment (Payara).
        WorkerLifecycle lifecycle = CDI.current().select(WorkerLifecycle.class).get();
        JtaTransactions transactions = CDI.current().select(JtaTransactions.class).get();
        try {
            transactions.requiresNew(em -> em.createNativeQuery("select 1").getSingleResult());
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("taskq").down().withData("reason", "the database does not answer: "
                    + e.getMessage()).build();
        }
        String reason = lifecycle.worker().map(worker -> worker.unhealthyReason()).orElse(null);
        if (reason != null) {
            return HealthCheckResponse.named("taskq").down().withData("reason", reason).build();
        }
        // Not a condition of readiness: without LISTEN the worker still runs, with its poll's latency.
        return HealthCheckResponse.named("taskq").up()
                .withData("worker", lifecycle.worker().isPresent() ? "running" : "off")
                .withData("listening", lifecycle.worker().map(worker -> worker.isListening()).orElse(false))
                .build();
    }
}
