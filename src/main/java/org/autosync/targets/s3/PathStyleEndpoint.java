package org.autosync.targets.s3;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The endpoint of every request to a given S3-compatible server, path-style: {@code <endpoint>/<bucket>}, the URL
 * the SDK's rules engine computes for an endpoint override with path-style access, without evaluating its rules
 * (a few hundred of them, for every request). Anything else (no endpoint given, virtual-host style) goes to the
 * SDK's own provider.
 */
final class PathStyleEndpoint implements S3EndpointProvider {

    private final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        if (params.endpoint() == null || !Boolean.TRUE.equals(params.forcePathStyle())) {
            return rules.resolveEndpoint(params);
        }
        URI endpoint = URI.create(params.endpoint());
        String url = params.bucket() == null ? params.endpoint()
                : endpoint.getScheme() + "://" + endpoint.getRawAuthority() + normalizedPath(endpoint.getRawPath())
                        + SdkHttpUtils.urlEncode(params.bucket());
        return CompletableFuture.completedFuture(Endpoint.builder().url(URI.create(url)).build());
    }

    /** The endpoint's path ending in one slash, as the rules' {@code normalizedPath}. */
    private static String normalizedPath(String path) {
        return path == null || path.isEmpty() ? "/" : path.endsWith("/") ? path : path + "/";
    }
}
