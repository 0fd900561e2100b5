package dev.taskq.it.app;

import jakarta.enterprise.context.ApplicationScoped;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Describes the context a handler runs in, so the ITs can check it is the application's. */
@ApplicationScoped
public class Environment {

    public String describe() {
        boolean applicationClassLoader = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
        boolean jndi;
        try {
            jndi = new InitialContext().lookup("java:comp/TransactionSynchronizationRegistry") != null;
        } catch (NamingException e) {
            jndi = false;
        }
        return "thread=" + Thread.currentThread().getName() + " appClassLoader=" + applicationClassLoader + " jndi="
                + jndi;
    }
}
