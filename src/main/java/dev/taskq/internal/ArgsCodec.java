package dev.taskq.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.AbstractDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.taskq.TaskHandler;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * Task arguments to and from JSON, with Jackson set up so that arguments stay data: no default typing, and a
 * type validator that refuses every class name, so that a class named in the database is never loaded even if
 * an argument type asks for class-name type ids. Unknown properties fail, so a row written for an older
 * version of the argument type is noticed rather than half read.
 */
public final class ArgsCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .polymorphicTypeValidator(new RefuseAllTypes())
            .enable(MapperFeature.BLOCK_UNSAFE_POLYMORPHIC_BASE_TYPES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
     * @return the arguments read into {@code type}, or {@code null} for {@code null}
     * @throws IllegalArgumentException if the JSON is invalid or does not fit {@code type}, with Jackson's reason
     */
    public Object read(String json, JavaType type) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
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
