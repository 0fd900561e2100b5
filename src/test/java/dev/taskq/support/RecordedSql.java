package dev.taskq.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/** Keeps the SQL Hibernate prepares, so a test can show and check what the claim really sends. */
public final class RecordedSql implements StatementInspector {

    private static final long serialVersionUID = 1L;
    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();

    @Override
    public String inspect(String sql) {
        if (STATEMENTS.size() < 10_000) {
            STATEMENTS.add(sql);
        }
        return sql;
    }

    public static void clear() {
        STATEMENTS.clear();
    }

    public static List<String> statements() {
        return List.copyOf(STATEMENTS);
    }
}
