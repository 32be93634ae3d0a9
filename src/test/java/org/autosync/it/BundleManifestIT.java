package org.autosync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * The plain jar is the Karaf bundle: what its manifest exports and imports decides whether it resolves against
 * camel-karaf's features. Read from the built jar, as Karaf reads it.
 */
class BundleManifestIT {

    /** What feature autosync provides in Karaf: camel-core, h2-mvstore, directory-watcher, the framework, the JDK. */
    /** What feature {@code autosync} installs; resilience4j comes with its camel-resilience4j feature. */
    private static final List<String> PROVIDED_BY_FEATURE_AUTOSYNC = List.of("org.apache.camel", "org.autosync",
            "org.h2.mvstore", "io.methvin", "io.github.resilience4j", "org.osgi", "org.slf4j", "java");

    private static Path bundle;
    private static Attributes manifest;
    private static Map<String, Attrs> imports;

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("target"))) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().matches("autosync-[0-9].*[0-9T]\\.jar")).toList();
            assertThat(found).as("target/autosync-VERSION.jar").hasSize(1);
            bundle = found.get(0);
        }
        try (JarFile jar = new JarFile(bundle.toFile())) {
            manifest = jar.getManifest().getMainAttributes();
        }
        imports = new Parameters(manifest.getValue("Import-Package"));
    }

    private static boolean optional(Attrs attrs) {
        return "optional".equals(attrs.get("resolution:"));
    }

    private static VersionRange range(Attrs attrs) {
        String version = attrs.get("version");
        return new VersionRange(version == null ? "0" : version);
    }

    /** Whether {@code pkg} is {@code root} or one of its subpackages. */
    private static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private static Map<String, Attrs> importsOf(String root) {
        return imports.entrySet().stream().filter(e -> within(e.getKey(), root))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void itIsTheBundleOrgAutosyncStartedByTheKarafActivator() throws IOException {
        assertThat(manifest.getValue("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("org.autosync");
        assertThat(manifest.getValue("Bundle-Activator")).isEqualTo("org.autosync.karaf.Activator");
        try (JarFile jar = new JarFile(bundle.toFile())) {
            assertThat(jar.getEntry("org/autosync/karaf/Activator.class")).isNotNull();
        }
    }

    @Test
    void theApiPackagesAreExportedWithTheBundleVersionAndTheStandaloneOnesAreNot() {
        Map<String, Attrs> exports = new Parameters(manifest.getValue("Export-Package"));
        String version = manifest.getValue("Bundle-Version");

        assertThat(exports).containsKeys("org.autosync.routes", "org.autosync.targets", "org.autosync.targets.s3",
                "org.autosync.targets.swift", "org.autosync.config", "org.autosync.job", "org.autosync.state");
        assertThat(exports).allSatisfy((pkg, attrs) -> assertThat(attrs.get("version")).as(pkg).isEqualTo(version));
        assertThat(exports).doesNotContainKeys("org.autosync.cli", "org.autosync.embedded", "org.autosync.karaf");
        assertThat(Version.parseVersion(version).getMajor()).isZero();
    }

    @Test
    void camelIsImportedInARangeThatCamelKarafsLtsLinesSatisfy() {
        Map<String, Attrs> camel = importsOf("org.apache.camel");

        assertThat(camel).containsKeys("org.apache.camel", "org.apache.camel.karaf.core", "org.apache.camel.model");
        assertThat(camel).allSatisfy((pkg, attrs) -> {
            VersionRange range = range(attrs);
            assertThat(range.includes(new Version("4.14.0"))).as(pkg + " " + range).isTrue();
            assertThat(range.includes(new Version("4.14.5"))).as(pkg + " " + range).isTrue();
            assertThat(range.includes(new Version("4.18.1"))).as(pkg + " " + range).isTrue();
            assertThat(range.includes(new Version("4.13.0"))).as(pkg + " " + range).isFalse();
            assertThat(range.includes(new Version("5.0.0"))).as(pkg + " " + range).isFalse();
        });
    }

    @Test
    void everyMandatoryImportIsProvidedByFeatureAutosync() {
        List<String> mandatory = imports.entrySet().stream().filter(e -> !optional(e.getValue())).map(Map.Entry::getKey).toList();

        assertThat(mandatory).allSatisfy(pkg ->
                assertThat(PROVIDED_BY_FEATURE_AUTOSYNC).as(pkg).anyMatch(root -> within(pkg, root)));
        // what only the standalone jar uses, and the target clients, are never mandatory
        assertThat(mandatory).noneMatch(pkg -> Stream.of("picocli", "org.gaul", "org.eclipse.jetty", "org.jclouds",
                "ch.qos.logback", "org.apache.camel.main", "sun.misc", "software.amazon", "com.fasterxml",
                "org.apache.http", "org.apache.camel.component.zookeeper").anyMatch(root -> within(pkg, root)));
    }

    @Test
    void theTargetClientsAreImportedOptionallyInRangesTheirKarafFeaturesSatisfy() {
        // camel-karaf wraps the AWS SDK with wrap:, whose packages carry no version
        assertThat(importsOf("software.amazon.awssdk")).containsKey("software.amazon.awssdk.services.s3")
                .allSatisfy((pkg, attrs) -> {
                    assertThat(optional(attrs)).as(pkg).isTrue();
                    assertThat(range(attrs).includes(Version.emptyVersion)).as(pkg).isTrue();
                });
        // httpclient-osgi 4.5.14, httpcore-osgi 4.4.16 (camel-karaf's http-client feature)
        assertThat(importsOf("org.apache.http")).allSatisfy((pkg, attrs) -> {
            assertThat(optional(attrs)).as(pkg).isTrue();
            assertThat(range(attrs).includes(new Version("4.4.16"))).as(pkg).isTrue();
            assertThat(range(attrs).includes(new Version("4.5.14"))).as(pkg).isTrue();
        });
        // jackson 2.19.4 (camel-karaf 4.14.5) and 2.20.1 (4.18.1)
        assertThat(importsOf("com.fasterxml.jackson")).containsKey("com.fasterxml.jackson.databind")
                .allSatisfy((pkg, attrs) -> {
                    assertThat(optional(attrs)).as(pkg).isTrue();
                    assertThat(range(attrs).includes(new Version("2.19.4"))).as(pkg).isTrue();
                    assertThat(range(attrs).includes(new Version("2.20.1"))).as(pkg).isTrue();
                });
        // the wrapped directory-watcher exports without version too
        assertThat(range(imports.get("io.methvin.watcher")).includes(Version.emptyVersion)).isTrue();
    }

    @Test
    void itEmbedsNothingButAutosyncsOwnClasses() throws IOException {
        try (JarFile jar = new JarFile(bundle.toFile())) {
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(name -> name.endsWith(".class") || name.endsWith(".jar"))
                    .filter(name -> !name.startsWith("org/autosync/")).toList();
            assertThat(foreign).isEmpty();
            assertThat(manifest.getValue("Bundle-ClassPath")).isNull();
        }
    }

    @Test
    void theShadedJarIsNoBundleAndStillRunsItsMainClass() throws IOException {
        try (JarFile jar = new JarFile(JarProcess.JAR.toFile())) {
            Attributes shaded = jar.getManifest().getMainAttributes();
            assertThat(shaded.getValue("Main-Class")).isEqualTo("org.autosync.cli.Autosync");
            assertThat(shaded.getValue("Bundle-SymbolicName")).isNull();
            assertThat(shaded.getValue("Import-Package")).isNull();
            assertThat(shaded.getValue("Bundle-Activator")).isNull();
        }
    }
}
