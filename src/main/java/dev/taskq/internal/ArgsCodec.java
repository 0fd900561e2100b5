package dev.taskq.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.ClassUtil;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.taskq.TaskHandler;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.EnumMap;
import java.util.Map;

/**
 * Task arguments to and from JSON, with Jackson set up so that arguments stay data: no default typing, and a
 * type validator that refuses every class name, so that a class named in the database is never loaded even if
 * an argument type asks for class-name type ids.
 *
 * <p>How strictly JSON is read depends on where it comes from ({@link Reading}): a row written before a deploy
 * changed the argument type is read leniently, so that a rolling deploy does not fail the tasks already queued;
 * arguments being enqueued now may not carry unknown fields. A misfit is reported with its JSON path, the
 * expected type and the value found ({@link ArgsMisfit}).
 */
public final class ArgsCodec {

    /** How strictly arguments are read. */
    public enum Reading {
        /** A stored row: unknown fields are ignored, a missing field gets its default (null, 0, false). */
        LENIENT(false, false),
        /** Arguments being enqueued: unknown fields fail (a caller's mistake), a missing field gets its default. */
        NO_UNKNOWN_FIELDS(true, false),
        /** A {@code @StrictArgs} handler's arguments: unknown fields and missing record components fail. */
        STRICT(true, true);

        private final boolean failOnUnknown;
        private final boolean failOnMissing;

        Reading(boolean failOnUnknown, boolean failOnMissing) {
            this.failOnUnknown = failOnUnknown;
            this.failOnMissing = failOnMissing;
        }
    }

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("taskq-absent-primitives").setDeserializerModifier(new AbsentPrimitives()))
            .polymorphicTypeValidator(new RefuseAllTypes())
            .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final Map<Reading, ObjectReader> readers = new EnumMap<>(Reading.class);

    /** Builds the codec; each instance has its own Jackson mapper, with its caches. */
    public ArgsCodec() {
        for (Reading reading : Reading.values()) {
            ObjectReader reader = mapper.reader();
            reader = reading.failOnUnknown ? reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    : reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            reader = reading.failOnMissing ? reader.with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                    : reader.without(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
            readers.put(reading, reader);
        }
    }

    /**
     * @param handlerClass a handler class
     * @return its argument type {@code A} of {@code TaskHandler<A>}
     * @throws IllegalArgumentException if the class does not fix {@code A} to a concrete type
     */
    public JavaType argsTypeOf(Class<?> handlerClass) {
        JavaType[] parameters = mapper.getTypeFactory().constructType(handlerClass)
                .findTypeParameters(TaskHandler.class);
        if (parameters.length != 1 || parameters[0].hasRawClass(Object.class) && hasUnboundArgs(handlerClass)) {
            throw new IllegalArgumentException(handlerClass.getName() + " must implement TaskHandler<A> with a "
                    + "concrete argument type A, such as TaskHandler<MyArgs> or TaskHandler<Void>");
        }
        return parameters[0];
    }

    private static boolean hasUnboundArgs(Class<?> handlerClass) {
        // Object.class is what Jackson reports for a raw TaskHandler or an unresolved type variable too;
        // only an explicit TaskHandler<Object> fixes A.
        for (Class<?> type = handlerClass; type != null; type = type.getSuperclass()) {
            for (Type implemented : type.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType parameterized
                        && parameterized.getRawType() == TaskHandler.class) {
                    return parameterized.getActualTypeArguments()[0] != Object.class;
                }
            }
        }
        return true;
    }

    /**
     * Checks, when a handler is registered, that Jackson can create values of its argument type.
     *
     * @return null if readable, else why not
     */
    public String whyUnreadable(JavaType argsType) {
        if (argsType.hasRawClass(Void.class) || argsType.isContainerType() || argsType.isPrimitive()) {
            return null;
        }
        try {
            DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper
                    .getDeserializationContext()).createDummyInstance(mapper.getDeserializationConfig());
            JsonDeserializer<Object> deserializer = context.findRootValueDeserializer(argsType);
            if (deserializer instanceof AbstractDeserializer) {
                return argsType.getRawClass().getName() + " is abstract or an interface: use a concrete class";
            }
            if (deserializer instanceof BeanDeserializerBase bean && !bean.getValueInstantiator().canInstantiate()) {
                return argsType.getRawClass().getName() + " has no constructor Jackson can use: add a no-argument "
                        + "constructor, use a record, or annotate a constructor with @JsonCreator";
            }
            return null;
        } catch (JsonProcessingException | RuntimeException e) {
            return argsType.getRawClass().getName() + " cannot be read by Jackson: " + e.getMessage();
        }
    }

    /**
     * @return the arguments as JSON, or {@code null} for {@code null}
     * @throws IllegalArgumentException if Jackson cannot write them, with Jackson's reason
     */
    public String write(Object args) {
        if (args == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(args);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * @return the arguments read into {@code type} as a stored row is read ({@link Reading#LENIENT}), or
     *         {@code null} for {@code null}
     * @throws IllegalArgumentException if the JSON is malformed or does not fit {@code type}, see
     *                                  {@link #read(String, JavaType, Reading)}
     */
    public Object read(String json, JavaType type) {
        return read(json, type, Reading.LENIENT);
    }

    /**
     * @return the arguments read into {@code type}, or {@code null} for {@code null}
     * @throws IllegalArgumentException if the JSON is malformed or does not fit {@code type}, with a message
     *                                  such as {@code $.items[2].quantity: expected int, got "two"}
     */
    public Object read(String json, JavaType type, Reading reading) {
        if (json == null) {
            return null;
        }
        ObjectReader reader = readers.get(reading).forType(type);
        // A parser of our own stays open after a failure, so the misfit can quote the token it stopped at.
        try (JsonParser parser = reader.createParser(json)) {
            try {
                Object value = reader.readValue(parser);
                if (parser.nextToken() != null) {
                    throw new IllegalArgumentException(ArgsMisfit.trailingContent(parser));
                }
                return value;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(ArgsMisfit.describe(e, json, parser, mapper), e);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the arguments could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Lets a primitive that a row lacks take Java's default (0, false), as a missing object field takes null,
     * while an explicit JSON {@code null} for a primitive still fails ({@code FAIL_ON_NULL_FOR_PRIMITIVES}).
     * Jackson asks a property's deserializer for its "absent" value, which for primitives is its null value.
     */
    private static final class AbsentPrimitives extends BeanDeserializerModifier {

        private static final long serialVersionUID = 1L;

        @Override
        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                JsonDeserializer<?> deserializer) {
            Class<?> type = description.getBeanClass();
            return type.isPrimitive() ? new AbsentAsDefault(deserializer, type) : deserializer;
        }
    }

    private static final class AbsentAsDefault extends DelegatingDeserializer {

        private static final long serialVersionUID = 1L;

        private final Class<?> primitive;

        AbsentAsDefault(JsonDeserializer<?> delegate, Class<?> primitive) {
            super(delegate);
            this.primitive = primitive;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new AbsentAsDefault(delegate, primitive);
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return ClassUtil.defaultValue(primitive);
        }
    }

    /** Refuses every polymorphic subtype by class name; arguments are data, never code to load. */
    private static final class RefuseAllTypes extends PolymorphicTypeValidator.Base {

        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            return Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return Validity.DENIED;
        }
    }
}
