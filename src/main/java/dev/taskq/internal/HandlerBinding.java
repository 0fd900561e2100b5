package dev.taskq.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.taskq.ResultHandler;
import dev.taskq.TaskHandler;
import java.time.Duration;

/**
 * Everything the queue knows about one handler, worked out once when the application starts.
 *
 * @param name          its stable task name
 * @param handlerClass  its class
 * @param argsType      the type its arguments are read into
 * @param strictArgs    whether its arguments are read strictly ({@link dev.taskq.StrictArgs})
 * @param retry         its retry rules
 * @param transactional whether it runs inside the worker's transaction (the default) or outside any
 * @param timeout       its transaction's timeout, or {@code null} for the transaction manager's default
 * @param invoker       calls it
 */
public record HandlerBinding(String name, Class<?> handlerClass, JavaType argsType, boolean strictArgs,
        RetryPolicy retry, boolean transactional, Duration timeout, HandlerInvoker invoker) {

    /** @return whether the handler takes no arguments ({@code TaskHandler<Void>}) */
    public boolean takesNoArgs() {
        return argsType.hasRawClass(Void.class);
    }

    /** @return how its stored rows are read: leniently, so that rows from before a deploy still run */
    public ArgsCodec.Reading storedReading() {
        return strictArgs ? ArgsCodec.Reading.STRICT : ArgsCodec.Reading.LENIENT;
    }

    /** @return how arguments being enqueued for it are checked: an unknown field is the caller's mistake */
    public ArgsCodec.Reading enqueueReading() {
        return strictArgs ? ArgsCodec.Reading.STRICT : ArgsCodec.Reading.NO_UNKNOWN_FIELDS;
    }

    /**
     * Runs one attempt on a handler instance.
     *
     * @return what a {@link ResultHandler} computed; {@code null} for any other handler
     */
    @SuppressWarnings("unchecked")
    public static Object call(TaskHandler<?> handler, Object args) throws Exception {
        if (handler instanceof ResultHandler<?, ?> computing) {
            return ((ResultHandler<Object, ?>) computing).compute(args);
        }
        ((TaskHandler<Object>) handler).handle(args);
        return null;
    }

    /** Calls a handler; in a server it obtains the CDI bean for the call and releases it afterwards. */
    @FunctionalInterface
    public interface HandlerInvoker {

        /**
         * @param args the arguments, already read into the handler's type
         * @return the handler's result, see {@link HandlerBinding#call}
         * @throws Exception whatever the handler threw
         */
        Object invoke(Object args) throws Exception;
    }
}
