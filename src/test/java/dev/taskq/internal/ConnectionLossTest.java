package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import jakarta.resource.spi.ResourceAllocationException;
import java.io.EOFException;
import java.sql.SQLException;
import jakarta.transaction.HeuristicMixedException;
import org.junit.jupiter.api.Test;

/** Which failures mean the database could not be reached, as each layer wraps them. */
class ConnectionLossTest {

    @Test
    void aLostConnectionIsRecognisedUnderEveryWrapper() {
        assertTrue(ConnectionLoss.is(new PersistenceException(new SQLException("refused", "08001"))));
        assertTrue(ConnectionLoss.is(new RuntimeException(new SQLException("shutting down", "57P01"))));
        assertTrue(ConnectionLoss.is(new RuntimeException(new EOFException())));
        // Payara, a dead pooled XA connection: no SQL state anywhere in the chain
        assertTrue(ConnectionLoss.is(new PersistenceException(new SQLException("Error in allocating a connection",
                new ResourceAllocationException("Error in allocating a connection")))));
        // WildFly, a connection that broke during a one-phase commit: Narayana's heuristic hazard
        assertTrue(ConnectionLoss.is(new CommitOutcomeUnknown(new HeuristicMixedException())));
    }

    @Test
    void aStatementThatFailsIsNotALostConnection() {
        assertFalse(ConnectionLoss.is(new PersistenceException(new SQLException("duplicate key", "23505"))));
        assertFalse(ConnectionLoss.is(new IllegalStateException("a handler's own failure")));
    }
}
