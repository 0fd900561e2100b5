package dev.taskq.internal;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * A connection of the persistence unit's own data source, held outside any transaction for as long as its user
 * wants (the {@code LISTEN} of {@link CommitListener}), then given back to the pool it came from.
 *
 * <p>Taken from Hibernate's connection provider, so it needs no setting: in a server that is the application's
 * JTA data source (a connection taken on a thread with no transaction is not enlisted in one), in Java SE the
 * persistence unit's pool.
 */
final class DedicatedConnection implements AutoCloseable {

    private final ConnectionProvider provider;
    private final Connection connection;

    private DedicatedConnection(ConnectionProvider provider, Connection connection) {
        this.provider = provider;
        this.connection = connection;
    }

    /** @return a connection in auto-commit mode from the data source of {@code factory}'s persistence unit */
    static DedicatedConnection open(EntityManagerFactory factory) throws SQLException {
        ConnectionProvider provider = factory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
                .requireService(ConnectionProvider.class);
        Connection connection = provider.getConnection();
        try {
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            provider.closeConnection(connection);
            throw e;
        }
        return new DedicatedConnection(provider, connection);
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            provider.closeConnection(connection);
        } catch (SQLException e) {
            // broken already: the pool drops it
        }
    }
}
