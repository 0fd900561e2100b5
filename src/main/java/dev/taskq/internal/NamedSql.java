package dev.taskq.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SQL written with named parameters ({@code :now}), as the rest of TaskQ's SQL is, turned into JDBC's positional
 * form once, for {@link PlainJdbc}. A colon starts a name only outside quotes and not as part of a {@code ::} cast.
 *
 * @param jdbc  the SQL with a {@code ?} for each parameter
 * @param names the parameters' names, one per {@code ?}, in order
 */
record NamedSql(String jdbc, List<String> names) {

    /** @return {@code sql} in positional form */
    static NamedSql of(String sql) {
        StringBuilder jdbc = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == ':' && i + 1 < sql.length()) {
                if (sql.charAt(i + 1) == ':') {
                    jdbc.append("::");
                    i++;
                    continue;
                }
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                if (end > i + 1) {
                    names.add(sql.substring(i + 1, end));
                    jdbc.append('?');
                    i = end - 1;
                    continue;
                }
            }
            jdbc.append(c);
        }
        return new NamedSql(jdbc.toString(), List.copyOf(names));
    }

    /**
     * @return the values of {@code parameters} in the order of the {@code ?}
     * @throws IllegalArgumentException if one is missing
     */
    Object[] values(Map<String, ?> parameters) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            if (!parameters.containsKey(names.get(i))) {
                throw new IllegalArgumentException("No value for parameter :" + names.get(i) + " of " + jdbc);
            }
            values[i] = parameters.get(names.get(i));
        }
        return values;
    }
}
