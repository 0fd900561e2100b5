package dev.taskq.internal.cdi;

import dev.taskq.TaskHandler;
import dev.taskq.TaskQ;
import dev.taskq.TaskQueueException;
import dev.taskq.internal.ArgsCodec;
import dev.taskq.internal.ConfigReader;
import dev.taskq.internal.HandlerBinding;
import dev.taskq.internal.HandlerBinding.HandlerInvoker;
import dev.taskq.internal.HandlerRegistry;
import dev.taskq.internal.Schedules;
import dev.taskq.internal.metrics.MicroProfileRegistry;
import dev.taskq.testing.TaskQTesting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * TaskQ's CDI integration: reads the application's configuration once, finds every handler bean while the
 * application deploys, and checks them all before it starts. An invalid handler (duplicate name, unreadable argument
 * type, bad {@code @Retry}) or setting fails the deployment with one message naming every problem and class.
 */
public class TaskQExtension implements Extension {

    /** The API class whose visibility says the application sees MicroProfile Metrics. */
    static final String MICROPROFILE_METRICS = "org.eclipse.microprofile.metrics.MetricRegistry";

    private final ArgsCodec codec = new ArgsCodec();
    private final List<Bean<?>> handlerBeans = new ArrayList<>();
    private boolean applicationNamesEntityManager;
    private HandlerRegistry handlers;
    private Schedules schedules;
    private ConfigReader config;
    private ServerSettings settings;
    private TaskQueueException badSettings;

    /** Notices an application producer of {@code @TaskQ EntityManager}; without one TaskQ adds its own. */
    void findEntityManagerProducer(@Observes @WithAnnotations(Produces.class) ProcessAnnotatedType<?> event) {
        Stream<Annotated> members = Stream.concat(event.getAnnotatedType().getMethods().stream(),
                event.getAnnotatedType().getFields().stream());
        if (members.anyMatch(member -> member.isAnnotationPresent(Produces.class)
                && member.isAnnotationPresent(TaskQ.class) && member.getBaseType() == EntityManager.class)) {
            applicationNamesEntityManager = true;
        }
    }

    /**
     * Adds the readiness check where the application sees MicroProfile Health, and the holder of the metrics
     * registry where it sees MicroProfile Metrics; elsewhere their classes could not load.
     */
    void addOptionalBeans(@Observes BeforeBeanDiscovery event) {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        readSettings(application);
        if (visible("org.eclipse.microprofile.health.HealthCheck", application)) {
            event.addAnnotatedType(TaskQReadiness.class, TaskQExtension.class.getName() + ".readiness")
                    .add(ApplicationScoped.Literal.INSTANCE);
        }
        if (visible(MICROPROFILE_METRICS, application)) {
            event.addAnnotatedType(MicroProfileRegistry.class, TaskQExtension.class.getName() + ".metrics");
        }
    }

    /**
     * Outside a test deployment the test helper is no bean: nothing observes enqueues or keeps them. Vetoed rather
     * than added when wanted, so that it stays in TaskQ's own bean archive and sees TaskQ's beans (on Payara a type
     * an extension adds does not).
     */
    void vetoTestHelperOutsideTests(@Observes ProcessAnnotatedType<TaskQTesting> event) {
        if (!settings.testing()) {
            event.veto();
        }
    }

    /**
     * Reads the configuration before any bean exists, since whether the test helper is a bean depends on it. A bad
     * setting is reported once deployment validation comes, with the handlers' problems.
     */
    private void readSettings(ClassLoader application) {
        config = ConfigReader.forApplication(application);
        try {
            settings = ServerSettings.from(config);
        } catch (TaskQueueException e) {
            badSettings = e;
            settings = ServerSettings.from(ConfigReader.of(java.util.Map.of()));
        }
    }

    /** @return whether {@code classLoader} (the application's) sees the class {@code name} */
    static boolean visible(String name, ClassLoader classLoader) {
        try {
            Class.forName(name, false, classLoader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Adds the default {@code @TaskQ EntityManager} only when the application names none. */
    void addDefaultEntityManager(@Observes AfterTypeDiscovery event) {
        if (!applicationNamesEntityManager) {
            event.addAnnotatedType(DefaultEntityManagerProducer.class,
                    TaskQExtension.class.getName() + "." + DefaultEntityManagerProducer.class.getSimpleName())
                    .add(ApplicationScoped.Literal.INSTANCE)
                    .filterFields(field -> field.getJavaMember().getName().equals("entityManager"))
                    .forEach(field -> field.add(new DefaultEntityManagerProducer.DefaultPersistenceContext()));
        }
    }

    <T> void findHandler(@Observes ProcessManagedBean<T> event) {
        Bean<T> bean = event.getBean();
        Class<?> type = bean.getBeanClass();
        if (TaskHandler.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())
                && !(bean instanceof Interceptor)) {
            handlerBeans.add(bean);
        }
    }

    void validateHandlers(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        if (badSettings != null) {
            event.addDeploymentProblem(badSettings);
        }
        HandlerRegistry.Builder builder = HandlerRegistry.builder(codec);
        handlerBeans.forEach(bean -> builder.add(bean.getBeanClass(), invoker(beanManager, bean)));
        try {
            handlers = builder.build();
            schedules = Schedules.of(handlers, codec, config);
        } catch (TaskQueueException e) {
            event.addDeploymentProblem(e);
        }
    }

    /** @return the application's periodic schedules, checked at deployment */
    public Schedules schedules() {
        if (schedules == null) {
            throw new IllegalStateException("TaskQ's schedules are known once the application has deployed");
        }
        return schedules;
    }

    /** @return the application's handlers, checked at deployment */
    public HandlerRegistry handlers() {
        if (handlers == null) {
            throw new IllegalStateException("TaskQ's handlers are known once the application has deployed");
        }
        return handlers;
    }

    /** @return the application's configuration, read once as it deployed */
    public ConfigReader config() {
        return config;
    }

    /** @return the server integration's settings, checked as the application deployed */
    public ServerSettings settings() {
        return settings;
    }

    /** @return the codec the handlers were checked with */
    public ArgsCodec codec() {
        return codec;
    }

    /**
     * Calls a handler bean. A normal-scoped handler is obtained once, through its client proxy; a dependent
     * one is created for each task and destroyed right after, so its {@code @PreDestroy} runs.
     */
    private static HandlerInvoker invoker(BeanManager beanManager, Bean<?> bean) {
        if (beanManager.isNormalScope(bean.getScope())) {
            return new HandlerInvoker() {
                private volatile TaskHandler<?> proxy;

                @Override
                public Object invoke(Object args) throws Exception {
                    if (proxy == null) {
                        proxy = (TaskHandler<?>) beanManager.getReference(bean, bean.getBeanClass(),
                                beanManager.createCreationalContext(bean));
                    }
                    return HandlerBinding.call(proxy, args);
                }
            };
        }
        return args -> {
            CreationalContext<?> context = beanManager.createCreationalContext(bean);
            try {
                return HandlerBinding.call((TaskHandler<?>) beanManager.getReference(bean, bean.getBeanClass(),
                        context), args);
            } finally {
                context.release();
            }
        };
    }
}
