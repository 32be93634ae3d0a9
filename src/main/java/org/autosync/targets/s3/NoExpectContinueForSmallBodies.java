package org.autosync.targets.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops the {@code Expect: 100-continue} the SDK puts on every PutObject and UploadPart when the body is
 * small: waiting for the server's interim answer costs a round trip per request, which for a small file
 * is most of its upload. Large bodies keep it, so a rejected request (bad credentials, no bucket) is
 * answered before their bytes are sent.
 */
final class NoExpectContinueForSmallBodies implements ExecutionInterceptor {

    /** Bodies below this are sent without waiting for 100 Continue. */
    static final long THRESHOLD = 1024L * 1024L;

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (request.firstMatchingHeader("Expect").isEmpty()) {
            return request;
        }
        long length = request.firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(Long.MAX_VALUE);
        return length < THRESHOLD ? request.toBuilder().removeHeader("Expect").build() : request;
    }
}
