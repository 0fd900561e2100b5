package dev.taskq.support;

import com.arjuna.ats.jta.TransactionManager;
import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.SQLException;
import java.util.Map;

/**
 * The test database behind JTA in Java SE, as a server would provide it: a pool whose connections enlist in
 * Narayana's transactions, and a JTA persistence unit on it.
 */
public final class JtaDatabase {

    private static EntityManagerFactory entityManagerFactory;

    private JtaDatabase() {
    }

    public static synchronized EntityManagerFactory entityManagerFactory() {
        if (entityManagerFactory == null) {
            TestDatabase database = TestDatabase.get();
            entityManagerFactory = Persistence.createEntityManagerFactory("taskq-jta", Map.of(
                    "jakarta.persistence.jtaDataSource", dataSource(database.url())));
        }
        return entityManagerFactory;
    }

    private static AgroalDataSource dataSource(String url) {
        try {
            return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(pool -> pool
                            .maxSize(40)
                            .transactionIntegration(new NarayanaTransactionIntegration(
                                    TransactionManager.transactionManager(),
                                    new TransactionSynchronizationRegistryImple()))
                            .connectionFactoryConfiguration(factory -> factory
                                    .jdbcUrl(url)
                                    .principal(new NamePrincipal(TestDatabase.get().user()))
                                    .credential(new io.agroal.api.security.SimplePassword(
                                            TestDatabase.get().password())))));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the JTA data source on " + url, e);
        }
    }
}
