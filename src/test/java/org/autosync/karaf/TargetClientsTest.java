package org.autosync.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.autosync.testing.S3Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle imports the AWS SDK and Jackson optionally, so that feature autosync-s3 needs no Jackson and
 * autosync-swift no AWS SDK. These tests run jobs in a class loader of the test class path less one of the two
 * libraries, as the bundle's class space is in Karaf with only one of the features.
 */
class TargetClientsTest {

    @RegisterExtension
    static final S3Fixture s3 = new S3Fixture();

    @TempDir
    Path work;

    /** The test class path less the jars whose path contains {@code fragment}, on the JDK's own classes only. */
    private static URLClassLoader classPathWithout(String fragment) {
        URL[] urls = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains(fragment))
                .map(entry -> {
                    try {
                        return Path.of(entry).toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toArray(URL[]::new);
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static Object call(ClassLoader loader, String className, String method, Object... args) throws Exception {
        Class<?> probe = loader.loadClass(className);
        Class<?>[] types = Arrays.stream(args).map(Object::getClass).toArray(Class<?>[]::new);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return probe.getMethod(method, types).invoke(null, args);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void anS3JobMirrorsWithoutJackson() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        Files.writeString(source.resolve("a.txt"), "a");
        try (URLClassLoader loader = classPathWithout("/com/fasterxml/jackson/")) {
            assertThat(loader.getResource("com/fasterxml/jackson/databind/ObjectMapper.class")).isNull();

            try (AutoCloseable context = (AutoCloseable) call(loader, ClientsProbe.S3.class.getName(), "job",
                    s3.server.endpoint().toString(), s3.server.region(), s3.server.accessKey(), s3.server.secretKey(),
                    source.toString(), "no-jackson", work.resolve("state").toString())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !s3.contents("no-jackson").isEmpty());
            }
        }
        assertThat(s3.contents("no-jackson")).isEqualTo(Map.of("a.txt", "a"));
    }

    @Test
    void aSwiftJobIsMadeAndReachesTheNetworkWithoutTheAwsSdkWhileAnS3JobCannotBe() throws Exception {
        Path source = Files.createDirectories(work.resolve("src"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (URLClassLoader loader = classPathWithout("/software/amazon/awssdk/")) {
            assertThat(loader.getResource("software/amazon/awssdk/services/s3/S3Client.class")).isNull();

            String listing = (String) call(loader, ClientsProbe.class.getName(), "swiftJobListing",
                    "http://127.0.0.1:" + closedPort + "/auth/v1.0", source.toString(), work.resolve("state").toString());
            String s3Job = (String) call(loader, ClientsProbe.class.getName(), "s3JobFailure",
                    source.toString(), work.resolve("state").toString());

            // nobody listens there: the Swift client got as far as connecting
            assertThat(listing).startsWith("java.io.UncheckedIOException: java.net.ConnectException");
            assertThat(s3Job).isEqualTo(NoClassDefFoundError.class.getName());
        }
    }
}
