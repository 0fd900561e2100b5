package dev.taskq.internal;

import com.fasterxml.jackson.databind.JavaType;
import java.time.Duration;

/**
 * Everything the queue knows about one handler, worked out once when the application starts.
 *
 * @param name          its stable task name
 * @param handlerClass  its class
 * @param argsType      the type its arguments are read into
 * @param retry         its retry rules
 * @param transactional whether it runs inside the worker's transaction (the default) or outside any
 * @param timeout       its transaction's timeout, or {@code null} for the transaction manager's default
 * @param invoker       calls it
 */
public record HandlerBinding(String name, Class<?> handlerClass, JavaType argsType, RetryPolicy retry,
        boolean transactional, Duration timeout, HandlerInvoker invoker) {

    /** @return whether the handler takes no arguments ({@code TaskHandler<Void>}) */
    public boolean takesNoArgs() {
        return argsType.hasRawClass(Void.class);
    }

    /** Calls a handler; in a server it obtains the CDI bean for the call and releases it afterwards. */
    @FunctionalInterface
    public interface HandlerInvoker {

        /**
         * @param args the arguments, already read into the handler's type
         * @throws Exception whatever the handler threw
         */
        void invoke(Object args) throws Exception;
    }
}
