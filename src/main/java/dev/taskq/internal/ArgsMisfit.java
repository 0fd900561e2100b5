package dev.taskq.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Says where arguments do not fit their type, in terms a person can act on: the JSON path, the type expected
 * there and the value found, for example {@code $.items[2].quantity: expected int, got "two"}.
 */
final class ArgsMisfit {

    /** Longer values found are cut: the message names the place, the row holds the whole value. */
    private static final int MAX_VALUE_CHARS = 60;

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    /** A location in a reason of Jackson's, "[Source: REDACTED (...); line: 1, column: 20]"; shown without source. */
    private static final Pattern LOCATION = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private ArgsMisfit() {
    }

    /**
     * @param e      why Jackson could not read the arguments
     * @param json   the arguments
     * @param parser the parser that read them, still open and where it stopped
     * @param mapper reads an offending object or array, to quote it
     */
    static String describe(JsonProcessingException e, String json, JsonParser parser, ObjectMapper mapper) {
        if (!(e instanceof JsonMappingException mapping)) {
            return malformed(e);
        }
        // A deserializer reports the parser's failures inside a value as its own, with the path so far.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformed(parse);
        }
        String path = path(mapping.getPath());
        if (e.getCause() instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
            return path + ": expected " + typeName(coercion.getTargetType())
                    + found(parser, json, mapping.getPath(), mapper) + " (out of range)";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path + ": not a field of " + unknown.getReferringClass().getSimpleName() + " (its fields: "
                    + known(unknown.getKnownPropertyIds()) + ")";
        }
        if (e instanceof ValueInstantiationException creation) {
            Throwable cause = creation.getCause();
            return path + ": " + creation.getType().getRawClass().getSimpleName() + " could not be created: "
                    + (cause == null ? e.getOriginalMessage()
                            : Objects.requireNonNullElseGet(cause.getMessage(), cause::toString));
        }
        // A refused type id says so in Jackson's words; its "target" is the base type, which would mislead.
        if (e instanceof MismatchedInputException mismatch && !(e instanceof InvalidTypeIdException)
                && mismatch.getTargetType() != null) {
            return path + ": expected " + typeName(mismatch.getTargetType())
                    + found(parser, json, mapping.getPath(), mapper);
        }
        return path + ": " + e.getOriginalMessage();
    }

    /** @return the message for JSON that goes on after its value, at the token that follows it */
    static String trailingContent(JsonParser parser) {
        return malformed(parser.currentTokenLocation(), "more content after the arguments' value");
    }

    private static String malformed(JsonProcessingException e) {
        return malformed(e.getLocation(), LOCATION.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2"));
    }

    private static String malformed(JsonLocation where, String reason) {
        return "malformed JSON" + (where == null || where.getLineNr() < 0 ? ""
                : " at line " + where.getLineNr() + ", column " + where.getColumnNr()) + ": " + reason;
    }

    /** @return the path as {@code $.items[2].quantity}; names that are not plain identifiers are quoted */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : references) {
            String name = reference.getFieldName();
            if (name != null) {
                path.append(PLAIN_NAME.matcher(name).matches() ? "." + name
                        : "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']");
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Jackson reports the class it would create (ArrayList); the reader thinks of the declared kind (List). */
    private static String typeName(Class<?> type) {
        if (List.class.isAssignableFrom(type)) {
            return "List";
        }
        if (Set.class.isAssignableFrom(type)) {
            return "Set";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "Collection";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "Map";
        }
        return type.getSimpleName();
    }

    /**
     * @return {@code , got <value>} with the value Jackson stopped at, {@code , but the field is missing}, or
     *         nothing if neither can be told
     */
    private static String found(JsonParser parser, String json, List<JsonMappingException.Reference> path,
            ObjectMapper mapper) {
        JsonToken token = parser.currentToken();
        try {
            if (token != null && token.isScalarValue()) {
                return ", got " + shorten(token == JsonToken.VALUE_STRING
                        ? '"' + new String(JsonStringEncoder.getInstance().quoteAsString(parser.getText())) + '"'
                        : parser.getText());
            }
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                return ", got " + shorten(mapper.readTree(parser).toString());
            }
            // Past the value: Jackson looks for missing fields, and reads values it had to buffer (such as
            // @JsonUnwrapped ones), once it has read the whole object. The path says where to look.
            if (path.isEmpty() || path.get(path.size() - 1).getFieldName() == null) {
                return "";
            }
            JsonNode value = mapper.readTree(json);
            for (JsonMappingException.Reference step : path) {
                value = step.getFieldName() != null ? value.get(step.getFieldName()) : value.get(step.getIndex());
                if (value == null) {
                    return ", but the field is missing";
                }
            }
            return ", got " + shorten(value.toString());
        } catch (IOException | RuntimeException e) {
            return ""; // the value could not be quoted; the path and the type still say where and what
        }
    }

    private static String shorten(String json) {
        return json.length() <= MAX_VALUE_CHARS ? json : json.substring(0, MAX_VALUE_CHARS) + "...";
    }

    private static String known(Collection<Object> names) {
        return names == null || names.isEmpty() ? "none"
                : names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
