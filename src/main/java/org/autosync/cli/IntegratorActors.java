package org.autosync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.camel.PropertyBindingException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.autosync.cli.MirrorApplication.ConfigurationException;
import org.autosync.keys.KeyMapper;
import org.autosync.targets.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actors that are not built in: {@code --actor=fully.qualified.ClassName} loaded from the classpath, and actors a
 * program gives to {@link Autosync#run(Actor, String...)}. Their settings come from {@code autosync.actor.*}
 * properties and {@code --actor_option KEY=VALUE} (which win) and are bound onto the actor the way Camel binds
 * bean properties ({@link PropertyBindingSupport}: setters, case-insensitive, type conversion, nested
 * {@code a.b=...}). A setting the actor has no property for is an error, and so is whatever the actor's
 * {@link Actor#validate()} rejects: both exit 2. Values are never printed, since they may be secrets.
 */
final class IntegratorActors {

    static final String PROPERTY_PREFIX = "autosync.actor.";
    static final String DEFAULT_PROPERTIES = "application.properties";

    private static final Logger LOG = LoggerFactory.getLogger(IntegratorActors.class);

    private IntegratorActors() {
    }

    /** Whether {@code --actor} names a class rather than a built-in actor. */
    static boolean isClassName(String actor) {
        return actor.indexOf('.') > 0;
    }

    /**
     * The actors for the jobs, one per {@code get()}: the program's instance (shared, never closed by Autosync),
     * or a new, configured instance of the program's factory or of {@code --actor=CLASS}. The first is made and
     * checked right here, so a bad setting stops the run before anything starts.
     */
    static JobActors jobActors(AutosyncCommand options, String pwd) {
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
        Map<String, String> settings = settings(options, pwd);
        if (provided != null && provided.instance() != null) {
            configure(provided.instance(), settings);
            Actor shared = new ProvidedActor.NotClosing(provided.instance());
            return new JobActors(() -> shared, identity(provided.instance()));
        }
        Supplier<Actor> make;
        if (provided != null) {
            make = () -> {
                Actor actor = provided.factory().get();
                if (actor == null) {
                    throw new ConfigurationException("the program's actor factory returned null");
                }
                return actor;
            };
        } else {
            Class<? extends Actor> type = load(options.actor);
            make = () -> instantiate(type);
        }
        Actor first = make.get();
        try {
            configure(first, settings);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
        AtomicReference<Actor> pending = new AtomicReference<>(first);
        return new JobActors(() -> {
            Actor next = pending.getAndSet(null);
            if (next == null) {
                next = make.get();
                configure(next, settings);
            }
            return next;
        }, identity(first));
    }

    /** What the sync state of a job on this actor is keyed on: its class and description (which has no secrets). */
    private static String identity(Actor actor) {
        return "actor:" + actor.getClass().getName() + "\n" + actor.describe();
    }

    /** Actors for the jobs (one per {@code get()}) and the target identity that names their sync state. */
    record JobActors(Supplier<Actor> supplier, String identity) {
    }

    /** Loads {@code className} with the context class loader and checks that it can be an actor. */
    static Class<? extends Actor> load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = IntegratorActors.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
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

    /** A new instance of a class {@link #load} accepted. */
    static Actor instantiate(Class<? extends Actor> type) {
        try {
            Constructor<? extends Actor> constructor = type.getConstructor();
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new ConfigurationException("--actor=" + type.getName() + " could not be created: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ConfigurationException("--actor=" + type.getName() + " could not be created: " + e);
        }
    }

    /**
     * The actor's settings: {@code autosync.actor.*} entries of the properties file (prefix removed), then
     * {@code --actor_option}s, which override them. The properties file is {@code --properties=FILE}, or else
     * {@code application.properties} in the current directory if there is one, or else one on the classpath.
     */
    static Map<String, String> settings(AutosyncCommand options, String pwd) {
        Map<String, String> settings = new LinkedHashMap<>();
        Properties properties = properties(options, pwd);
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith(PROPERTY_PREFIX) && name.length() > PROPERTY_PREFIX.length()) {
                settings.put(name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name).strip());
            }
        }
        if (options.actorOptions != null) {
            settings.putAll(options.actorOptions);
        }
        return settings;
    }

    /**
     * The properties file in the file system: {@code --properties=FILE} (which must exist), else
     * {@code application.properties} in the current directory if there is one; null when neither (then only one on
     * the classpath may be read).
     */
    static Path propertiesFile(AutosyncCommand options, String pwd) {
        if (options.propertiesFile != null) {
            Path file = KeyMapper.absoluteFromLogicalPwd(options.propertiesFile.toString(), pwd);
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException("--properties " + options.propertiesFile + " is not a file");
            }
            return file;
        }
        Path local = KeyMapper.absoluteFromLogicalPwd(DEFAULT_PROPERTIES, pwd);
        return Files.isRegularFile(local) ? local : null;
    }

    private static Properties properties(AutosyncCommand options, String pwd) {
        Properties properties = new Properties();
        Path file = propertiesFile(options, pwd);
        if (file != null) {
            read(properties, file);
            return properties;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(DEFAULT_PROPERTIES)) {
            if (in != null) {
                try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
                LOG.info("actor settings: read {}.* from {} on the classpath", PROPERTY_PREFIX, DEFAULT_PROPERTIES);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot read " + DEFAULT_PROPERTIES + " from the classpath: " + e.getMessage());
        }
        return properties;
    }

    private static void read(Properties properties, Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            LOG.info("actor settings: read {}* from {}", PROPERTY_PREFIX, file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot read properties file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Binds {@code settings} onto {@code actor} (see the class comment), then calls {@link Actor#validate()}.
     *
     * @throws ConfigurationException naming unknown settings, a value that cannot be converted (by name only),
     *                                or the actor's own complaint
     */
    static void configure(Actor actor, Map<String, String> settings) {
        String name = actor.getClass().getName();
        if (!settings.isEmpty()) {
            Map<String, Object> remaining = new LinkedHashMap<>(settings);
            try {
                // a context that is never started: it only lends its type converters
                DefaultCamelContext camel = new DefaultCamelContext();
                PropertyBindingSupport.build()
                        .withIgnoreCase(true)
                        .withRemoveParameters(true) // what is left afterwards had nowhere to go
                        .withMandatory(false)
                        .withPlaceholder(false)     // values are literal: a key may contain {{ or #
                        .withReference(false)
                        .bind(camel, actor, remaining);
            } catch (PropertyBindingException e) {
                throw new ConfigurationException("actor " + name + ": cannot set '" + e.getPropertyName()
                        + "' from the given value" + conversionHint(e));
            } catch (RuntimeException e) {
                throw new ConfigurationException("actor " + name + ": cannot bind its settings: " + e.getClass().getSimpleName());
            }
            if (!remaining.isEmpty()) {
                List<String> unknown = remaining.keySet().stream().sorted().toList();
                throw new ConfigurationException("actor " + name + " has no setting " + String.join(", ", unknown)
                        + " (from --actor_option or " + PROPERTY_PREFIX + "* properties; each needs a public setter)");
            }
        }
        try {
            actor.validate();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigurationException("actor " + name + ": " + e.getMessage());
        }
    }

    private static String conversionHint(PropertyBindingException e) {
        // the cause's message may repeat the value, which may be a secret: only the type is worth saying
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.TypeConversionException tce && tce.getToType() != null) {
                return " (it must convert to " + tce.getToType().getSimpleName() + ")";
            }
        }
        return "";
    }
}
