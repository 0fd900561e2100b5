package dev.taskq.internal.cdi;

import dev.taskq.TaskQueueException;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.TransactionManager;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Finds the server's JTA {@link TransactionManager}, which the standard leaves without a portable name: a CDI bean
 * where there is one (Narayana's CDI extension), else the names WildFly and Payara bind it under.
 */
final class ServerTransactionManager {

    /** Payara and GlassFish; WildFly; WildFly's older alias. */
    static final List<String> JNDI_NAMES = List.of("java:appserver/TransactionManager",
            "java:jboss/TransactionManager", "java:/TransactionManager");

    private ServerTransactionManager() {
    }

    static TransactionManager find(Instance<TransactionManager> beans) {
        if (beans.isResolvable()) {
            return beans.get();
        }
        List<String> tried = new ArrayList<>();
        for (String name : JNDI_NAMES) {
            try {
                if (new InitialContext().lookup(name) instanceof TransactionManager manager) {
                    return manager;
                }
                tried.add(name + " (not a TransactionManager)");
            } catch (NamingException e) {
                tried.add(name + " (not bound)");
            }
        }
        throw new TaskQueueException("TaskQ found no JTA TransactionManager: no CDI bean, and none at " + tried
                + ". TaskQ runs in WildFly and Payara; in another server, produce the server's TransactionManager "
                + "as a CDI bean (@Produces TransactionManager).");
    }
}
