package org.autosync.cli;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.main.Main;
import org.autosync.errors.Causes;
import org.autosync.targets.Actor;

/**
 * Actors that are not built in, as beans of camel-main's registry that the jobs of the flags name with the template
 * parameter {@code actor=#actor}. {@code --actor=com.x.MyActor --actor_option k=v} is the same as the properties
 * {@code camel.beans.actor=#class:com.x.MyActor} and {@code camel.beans.actor.k=v} (the options win over a properties
 * file); an actor a program gives to {@link Autosync#run(Actor, String...)} is bound as the bean {@code actor} and
 * configured the same way. Camel binds the settings (setters, names ignoring case, type conversion); the job calls
 * {@link Actor#validate()}. One instance serves the jobs of all SOURCEs, except that a program's factory
 * ({@link Autosync#run(java.util.function.Supplier, String...)}) makes one per job, bound as {@code actor-JOBID}.
 * Values are never printed, since they may be secrets.
 */
final class IntegratorActors {

    /** The registry name of the command line's integrator actor. */
    static final String BEAN = "actor";
    private static final String BEANS = "camel.beans.";

    private IntegratorActors() {
    }

    /** Whether {@code --actor} names a class rather than a built-in actor. */
    static boolean isClassName(String actor) {
        return actor.indexOf('.') > 0;
    }

    /** Whether the jobs of the flags go to an integrator actor (a class or the program's). */
    static boolean used(AutosyncCommand options) {
        return options.providedActor != null || isClassName(options.actor);
    }

    /** The bean a job of the flags uses: the one actor, or the job's own when a program gave a factory. */
    static String beanName(AutosyncCommand options, String jobId) {
        return options.providedActor != null && options.providedActor.factory() != null ? BEAN + "-" + jobId : BEAN;
    }

    /** Refuses the options that do not go with an integrator actor, and a class that cannot be one. */
    static void check(AutosyncCommand options) {
        ProvidedActor provided = options.providedActor;
        if (provided != null && !"s3".equals(options.actor)) {
            throw new ConfigurationException("--actor=" + options.actor + " cannot be combined with the actor the program "
                    + "gave (" + provided.name() + ")");
        }
        if (options.embeddedS3 != null || options.endpoint != null || options.region != null) {
            throw new ConfigurationException("--embedded-s3, --endpoint and --region are for --actor=s3");
        }
        if (options.swiftAuthUrl != null || options.swiftUser != null || options.swiftKey != null
                || options.swiftProject != null || options.swiftDomain != null) {
            throw new ConfigurationException("the --swift_* options are for --actor=swift");
        }
        if (provided == null) {
            load(options.actor);
        }
    }

    /**
     * Declares the actor beans of the jobs {@code jobIds} on {@code main}, with the {@code --actor_option}s as
     * override properties (they win over the properties file).
     *
     * @return the actors Autosync makes and closes once main has ended (never the program's own instance)
     */
    static Made declare(Main main, AutosyncCommand options, List<String> jobIds) {
        ProvidedActor provided = options.providedActor;
        List<String> names = new ArrayList<>();
        List<Actor> instances = new ArrayList<>();
        if (provided == null) {
            main.addOverrideProperty(BEANS + BEAN, "#class:" + options.actor);
            names.add(BEAN);
        } else if (provided.instance() != null) {
            main.bind(BEAN, provided.instance());
        } else {
            for (String jobId : jobIds) {
                Actor actor = provided.factory().get();
                if (actor == null) {
                    instances.forEach(Actor::close);
                    throw new ConfigurationException("the program's actor factory returned null");
                }
                main.bind(beanName(options, jobId), actor);
                instances.add(actor);
            }
        }
        if (options.actorOptions != null) {
            for (String name : provided != null && provided.factory() != null
                    ? jobIds.stream().map(id -> beanName(options, id)).toList() : List.of(BEAN)) {
                options.actorOptions.forEach((key, value) -> main.addOverrideProperty(BEANS + name + "." + key, value));
            }
        }
        return new Made(names, instances);
    }

    /**
     * Actors Autosync made, to close once main has ended: a program factory's instances, and the beans camel-main
     * creates from {@code --actor=CLASS} (known by name until {@link #found} looks them up).
     */
    static final class Made {

        static final Made NONE = new Made(List.of(), List.of());

        private final List<String> beanNames;
        private final List<Actor> instances;

        Made(List<String> beanNames, List<Actor> instances) {
            this.beanNames = beanNames;
            this.instances = new ArrayList<>(instances);
        }

        /** Looks up the beans camel-main created, once it has bound them (before the jobs are added). */
        synchronized void found(CamelContext context) {
            for (String name : beanNames) {
                if (context.getRegistry().lookupByName(name) instanceof Actor actor && !instances.contains(actor)) {
                    instances.add(actor);
                }
            }
        }

        /** Closes them, after the jobs that used them stopped. */
        synchronized void close() {
            instances.forEach(Actor::close);
            instances.clear();
        }
    }

    /**
     * A bean setting that Camel could not bind, said without its value (which may be a secret): a setting the bean
     * has no setter for, or a value that does not convert to the setter's type. Empty for other failures.
     */
    static Optional<String> explain(Throwable failure) {
        return Causes.find(PropertyBindingException.class, failure).map(e -> {
            String bean = e.getTarget() == null ? "a bean" : "actor " + e.getTarget().getClass().getName();
            Optional<TypeConversionException> conversion = Causes.find(TypeConversionException.class, e)
                    .filter(tce -> tce.getToType() != null);
            if (conversion.isPresent()) {
                return bean + ": cannot set '" + e.getPropertyName() + "' from the given value (it must convert to "
                        + conversion.get().getToType().getSimpleName() + ")";
            }
            String option = e.getOptionPrefix() != null ? e.getOptionPrefix() : BEANS + "NAME.";
            return bean + " has no setting " + e.getPropertyName() + " (from --actor_option or " + option
                    + "* properties; each needs a public setter)";
        });
    }

    /** Loads {@code className} with the context class loader and checks that it can be an actor. */
    static Class<? extends Actor> load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = IntegratorActors.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigurationException("--actor=" + className + ": no such class on the classpath (run "
                    + "java -cp autosync.jar:YOUR.jar org.autosync.cli.Autosync ...; java -jar ignores -cp)");
        } catch (LinkageError e) {
            throw new ConfigurationException("--actor=" + className + ": the class cannot be loaded: " + e);
        }
        if (!Actor.class.isAssignableFrom(type)) {
            throw new ConfigurationException("--actor=" + className + " does not implement " + Actor.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new ConfigurationException("--actor=" + className + " is abstract; name a concrete class");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new ConfigurationException("--actor=" + className + " is not a public class");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new ConfigurationException("--actor=" + className + " has no public no-argument constructor");
        }
        return type.asSubclass(Actor.class);
    }
}
