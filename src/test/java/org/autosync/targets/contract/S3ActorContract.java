package org.autosync.targets.contract;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

import org.autosync.targets.Actor;
import org.autosync.targets.s3.S3Actor;
import org.autosync.targets.s3.S3ActorSettings;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** The contract for {@link S3Actor} on some S3 server; multipart from 8 MiB in 5 MiB parts. */
public abstract class S3ActorContract extends ActorContract {

    /** A client for the running server (path-style, its credentials). */
    protected abstract S3Client client();

    @Override
    protected Actor newActor(String container, int pageSize) {
        return new S3Actor(smallPages(client(), pageSize), container,
                S3ActorSettings.defaults().withMultipart(8 * MIB, 5 * MIB));
    }

    @Override
    protected byte[] read(String container, String key) {
        return client().getObjectAsBytes(b -> b.bucket(container).key(key)).asByteArray();
    }

    /**
     * The client with {@code maxKeys = pageSize} forced on every ListObjectsV2, so that listings page.
     * Convenience overloads and paginators (default methods) run on the proxy so they reach the override.
     */
    static S3Client smallPages(S3Client delegate, int pageSize) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("listObjectsV2") && args != null && args.length == 1
                    && args[0] instanceof ListObjectsV2Request r) {
                return invoke(delegate, method, new Object[] {r.toBuilder().maxKeys(pageSize).build()});
            }
            if (method.isDefault() && (method.getName().endsWith("Paginator") || hasConsumer(method))) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return invoke(delegate, method, args);
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, handler);
    }

    private static boolean hasConsumer(Method m) {
        for (Class<?> p : m.getParameterTypes()) {
            if (Consumer.class.isAssignableFrom(p)) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
