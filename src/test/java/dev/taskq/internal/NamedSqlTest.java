package dev.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedSqlTest {

    @Test
    void namesBecomePositionsInOrderAndRepeatsBindTheSameValue() {
        NamedSql sql = NamedSql.of("update t set a = :now, b = :now where id = any(cast(:ids as bigint[]))");
        assertEquals("update t set a = ?, b = ? where id = any(cast(? as bigint[]))", sql.jdbc());
        assertEquals(List.of("now", "now", "ids"), sql.names());
        assertArrayEquals(new Object[] {1, 1, "{2}"}, sql.values(Map.of("now", 1, "ids", "{2}")));
    }

    @Test
    void castsAndQuotedColonsAreLeftAsTheyAre() {
        NamedSql sql = NamedSql.of("select coalesce(h, '[]'::jsonb), ':not_a_name', x::text from t where y = :y");
        assertEquals("select coalesce(h, '[]'::jsonb), ':not_a_name', x::text from t where y = ?", sql.jdbc());
        assertEquals(List.of("y"), sql.names());
    }

    @Test
    void aMissingValueIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamedSql.of("delete from t where id = :id").values(Map.of("ids", 1)));
        assertTrue(e.getMessage().contains(":id"), e.getMessage());
    }
}
