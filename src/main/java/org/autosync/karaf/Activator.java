package org.autosync.karaf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.autosync.routes.AutosyncJobs;
import org.autosync.routes.JobTemplate;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedServiceFactory;

/**
 * The bundle's start and stop in Karaf: one CamelContext named {@value #CONTEXT_NAME} (camel-karaf's
 * {@link OsgiDefaultCamelContext}, which finds components through camel-karaf's extender), published as an OSGi
 * service so camel-karaf's shell commands list its routes, and a {@link ManagedServiceFactory} for the factory PID
 * {@value JobConfigurations#FACTORY_PID} that hands each configuration to {@link JobConfigurations}.
 */
public final class Activator implements BundleActivator, ManagedServiceFactory {

    public static final String CONTEXT_NAME = "autosync";

    private CamelContext context;
    private JobConfigurations jobs;
    private ServiceRegistration<CamelContext> contextService;
    private ServiceRegistration<ManagedServiceFactory> factoryService;

    @Override
    public void start(BundleContext bundle) throws Exception {
        context = new OsgiDefaultCamelContext(bundle);
        context.getCamelContextExtension().setName(CONTEXT_NAME);
        // sync state under Karaf's data directory rather than the home directory of whoever runs Karaf
        String data = bundle.getProperty("karaf.data");
        if (data != null) {
            context.getPropertiesComponent().addInitialProperty(JobTemplate.STATE_DIR, Path.of(data, "autosync").toString());
        }
        AutosyncJobs.addTemplates(context);
        context.start();
        jobs = new JobConfigurations(context);
        contextService = bundle.registerService(CamelContext.class, context, null);
        Dictionary<String, Object> properties = new Hashtable<>(Map.of(Constants.SERVICE_PID, JobConfigurations.FACTORY_PID));
        factoryService = bundle.registerService(ManagedServiceFactory.class, this, properties);
    }

    @Override
    public void stop(BundleContext bundle) throws Exception {
        factoryService.unregister();
        contextService.unregister();
        // stops every job with its routes and closes their sync state
        context.close();
    }

    @Override
    public String getName() {
        return "Autosync jobs";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) throws ConfigurationException {
        Map<String, Object> map = new Hashtable<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        try {
            jobs.update(pid, map);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(null, e.getMessage());
        } catch (LinkageError e) {
            // the bundle imports the target clients optionally (README.md, Karaf)
            throw new ConfigurationException(null, "configuration " + pid + ": its target's client is not installed"
                    + " (feature autosync-s3 for s3://, autosync-swift for swift://): " + e, e);
        } catch (Exception e) {
            throw new ConfigurationException(null, "configuration " + pid + ": " + e, e);
        }
    }

    @Override
    public void deleted(String pid) {
        try {
            jobs.remove(pid);
        } catch (Exception e) {
            throw new IllegalStateException("configuration " + pid + ": removing its job failed", e);
        }
    }
}
