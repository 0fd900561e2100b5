package dev.taskq.examples.orders;

import dev.taskq.MaxRunning;
import dev.taskq.Periodic;
import dev.taskq.TaskHandler;
import dev.taskq.TaskName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.logging.Logger;

/**
 * Every five minutes, once for the whole cluster however many nodes run the shop, warns of the items running low,
 * so that someone restocks them before orders fail. A periodic task: TaskQ enqueues one per slot, and it runs like
 * any other task. One at a time: a report that runs late (a retry, a slow database) never overlaps the next.
 */
@ApplicationScoped
@TaskName("low-stock-report")
@Periodic(cron = "0 */5 * * * *")
@MaxRunning(1)
public class LowStockReport implements TaskHandler<Void> {

    private static final Logger LOG = Logger.getLogger(LowStockReport.class.getName());
    static final int LOW = 3;

    @PersistenceContext
    EntityManager entityManager;

    @Override
    public void handle(Void none) {
        List<String> low = entityManager.createQuery("select s.item from Stock s where s.quantity < :low order by "
                + "s.item", String.class).setParameter("low", LOW).getResultList();
        if (!low.isEmpty()) {
            LOG.warning("Fewer than " + LOW + " left of: " + String.join(", ", low));
        }
    }
}
