package org.autosync.targets.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.FileSystemException;
import java.util.Optional;

import org.apache.http.conn.HttpHostConnectException;
import org.autosync.errors.Causes;
import org.autosync.targets.FileChangedException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a failure talking to S3 means: one line for the user ({@link #explain}); whether only a change of
 * configuration can cure it ({@link #isConfigurationError}, for the command line's exit code); and whether it may go
 * away by itself ({@link #isTransient}, for the upload route and the job's circuit breaker).
 */
public final class S3Failures {

    private S3Failures() {
    }

    /**
     * One line for a CLI user: what went wrong talking to S3, e.g. {@code cannot reach the S3 endpoint
     * http://127.0.0.1:9000: Connection refused} or {@code the S3 endpoint rejected the credentials
     * (InvalidAccessKeyId: ...)}. Never includes secrets.
     */
    public static String explain(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Optional<Throwable> unreachable = unreachable(failure);
        if (unreachable.isPresent()) {
            Throwable t = unreachable.get();
            String what = t instanceof UnknownHostException ? "unknown host " + t.getMessage() : t.getMessage();
            return "cannot reach the S3 endpoint " + endpointOf(t) + ": " + what;
        }
        Optional<AwsServiceException> found = Causes.find(AwsServiceException.class, failure);
        if (found.isPresent()) {
            AwsServiceException service = found.get();
            String code = errorCode(service);
            String detail = code + ": " + errorMessage(service) + ", HTTP " + service.statusCode();
            if (isCredentialCode(code)) {
                return "the S3 endpoint rejected the credentials (" + detail + ")";
            }
            if (isAccessDenied(code, service.statusCode())) {
                return "access denied by the S3 endpoint (" + detail + "): check the bucket policy and the user's permissions";
            }
            if ("NoSuchBucket".equals(code)) {
                return "the bucket does not exist (" + detail + ")";
            }
            if ("InvalidBucketName".equals(code)) {
                return "invalid bucket name (" + detail + ")";
            }
            return "the S3 endpoint answered with an error (" + detail + ")";
        }
        Optional<FileChangedException> changed = Causes.find(FileChangedException.class, failure);
        if (changed.isPresent()) {
            return changed.get().getMessage();
        }
        Throwable root = Causes.root(failure);
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        if (root != failure && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message;
    }

    /**
     * Whether retrying cannot help until someone changes the configuration: the endpoint cannot be
     * reached (connection refused, unknown host, no route), the credentials are rejected, access is
     * denied, the bucket does not exist or its name is invalid, or there are no credentials at all.
     */
    public static boolean isConfigurationError(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (unreachable(failure).isPresent()) {
            return true;
        }
        Optional<AwsServiceException> service = Causes.find(AwsServiceException.class, failure);
        if (service.isPresent()) {
            String code = errorCode(service.get());
            return isCredentialCode(code) || isAccessDenied(code, service.get().statusCode())
                    || "NoSuchBucket".equals(code) || "InvalidBucketName".equals(code);
        }
        return Causes.find(SdkClientException.class, failure)
                .map(Throwable::getMessage)
                .filter(m -> m.contains("Unable to load credentials"))
                .isPresent();
    }

    /**
     * Whether the failure may go away by itself (see {@link org.autosync.targets.Actor#isTransient}): the service did
     * not answer (connection refused or reset, unknown host, a timeout: the SDK's client-side failures with an I/O
     * cause) or answered with a 5xx, 429, a throttling code or {@code RequestTimeout}. Permanent: every other answer
     * (403, 404 NoSuchBucket, 400, ...), missing credentials, the local file changing or failing to be read, and any
     * exception that is not the SDK's (a bug). The client's retry strategy has already retried a transient failure
     * of one request by the time it is seen here.
     */
    public static boolean isTransient(Throwable failure) {
        if (failure == null || Causes.find(FileChangedException.class, failure).isPresent()) {
            return false;
        }
        Optional<AwsServiceException> service = Causes.find(AwsServiceException.class, failure);
        if (service.isPresent()) {
            AwsServiceException e = service.get();
            String code = errorCode(e);
            return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
                    || "RequestTimeout".equals(code) || "SlowDown".equals(code) || "BadDigest".equals(code);
        }
        // the SDK's own exception, not one of the earlier attempts its retries attach as suppressed (which Causes.find
        // looks at first, and which carry no cause)
        Optional<SdkClientException> client = outermost(SdkClientException.class, failure);
        if (client.isEmpty()) {
            return false;
        }
        if (client.get() instanceof ApiCallTimeoutException || client.get() instanceof ApiCallAttemptTimeoutException
                || unreachable(client.get()).isPresent()) {
            return true;
        }
        // the connection broke or timed out; a local file that could not be read is the file's failure, not S3's
        return Causes.find(IOException.class, client.get()).isPresent()
                && Causes.find(FileSystemException.class, client.get()).isEmpty();
    }

    private static <T extends Throwable> Optional<T> outermost(Class<T> type, Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 64; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** A 404 with the code NoSuchBucket (some servers answer a listing of a missing bucket without the typed exception). */
    static boolean isNoSuchBucket(S3Exception e) {
        return e.statusCode() == 404 && "NoSuchBucket".equals(errorCode(e));
    }

    /** The Apache client's connect failure first: it names the endpoint (it wraps the JDK's, which does not). */
    private static Optional<Throwable> unreachable(Throwable failure) {
        return Causes.find(HttpHostConnectException.class, failure).<Throwable>map(t -> t)
                .or(() -> Causes.find(ConnectException.class, failure))
                .or(() -> Causes.find(UnknownHostException.class, failure))
                .or(() -> Causes.find(NoRouteToHostException.class, failure));
    }

    private static boolean isCredentialCode(String code) {
        return switch (code) {
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
                 "TokenRefreshRequired", "AuthorizationHeaderMalformed", "InvalidSecurity",
                 "InvalidClientTokenId", "UnrecognizedClientException", "MissingSecurityHeader" -> true;
            default -> false;
        };
    }

    private static boolean isAccessDenied(String code, int status) {
        return "AccessDenied".equals(code) || "AllAccessDisabled".equals(code)
                || (status == 403 && !isCredentialCode(code));
    }

    private static String errorCode(AwsServiceException e) {
        String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
        if (code == null || code.isBlank()) {
            return e.statusCode() == 403 ? "AccessDenied" : e.statusCode() == 404 ? "NotFound" : "HTTP" + e.statusCode();
        }
        return code;
    }

    private static String errorMessage(AwsServiceException e) {
        String message = e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : null;
        return message != null ? message : String.valueOf(e.getMessage());
    }

    private static String endpointOf(Throwable unreachable) {
        if (unreachable instanceof HttpHostConnectException h && h.getHost() != null) {
            return h.getHost().toURI();
        }
        return "(see the endpoint setting)";
    }
}
