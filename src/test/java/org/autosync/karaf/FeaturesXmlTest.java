package org.autosync.karaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXParseException;

/**
 * The Karaf features file as the build makes it ({@code target/feature/features.xml}, filtered from
 * {@code src/main/feature}), checked against the XML schema that Karaf's features service ships and validates with.
 */
class FeaturesXmlTest {

    private static final Path FEATURES = Path.of("target/feature/features.xml");
    private static final String NAMESPACE_PREFIX = "http://karaf.apache.org/xmlns/features/v";
    private static final Pattern MAVEN_URL = Pattern.compile("^(?:wrap:)?mvn:([^/]+)/([^/]+)/([^/$]+)$");

    /** The XSD of the namespace the file declares, unpacked from Karaf's org.apache.karaf.features.core jar (pom.xml). */
    private static URL schemaFor(String namespace) {
        assertThat(namespace).startsWith(NAMESPACE_PREFIX);
        String resource = "org/apache/karaf/features/karaf-features-" + namespace.substring(NAMESPACE_PREFIX.length()) + ".xsd";
        URL schema = FeaturesXmlTest.class.getClassLoader().getResource(resource);
        assertThat(schema).as(resource).isNotNull();
        return schema;
    }

    private static void validate(Path file, String namespace) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Validator validator = factory.newSchema(schemaFor(namespace)).newValidator();
        validator.validate(new StreamSource(file.toFile()));
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** Feature name to the names of the features and the URLs of the bundles it lists. */
    private static Map<String, List<String>> features(Document doc) {
        Map<String, List<String>> features = new TreeMap<>();
        NodeList list = doc.getDocumentElement().getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < list.getLength(); i++) {
            Element feature = (Element) list.item(i);
            if (feature.getParentNode() != doc.getDocumentElement()) {
                continue;
            }
            List<String> content = new ArrayList<>();
            for (var child = feature.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element e) {
                    content.add(e.getLocalName() + " " + e.getTextContent().trim()
                            + (e.hasAttribute("version") ? " " + e.getAttribute("version") : ""));
                }
            }
            features.put(feature.getAttribute("name"), content);
        }
        return features;
    }

    @Test
    void theFeaturesFileIsValidAgainstKarafsSchema() throws Exception {
        Document doc = parse(FEATURES);
        String namespace = doc.getDocumentElement().getNamespaceURI();

        validate(FEATURES, namespace);

        assertThat(namespace).isEqualTo("http://karaf.apache.org/xmlns/features/v1.6.0");
        assertThat(Files.readString(FEATURES)).doesNotContain("${");
    }

    @Test
    void theSchemaRefusesWhatKarafWouldRefuse() throws Exception {
        // the check above can fail: a bundle inside <feature> must be an element of the features namespace
        Path broken = Files.createTempFile("features", ".xml");
        try {
            Files.writeString(broken, Files.readString(FEATURES).replaceFirst("<bundle ", "<bundel "));
            assertThatThrownBy(() -> validate(broken, parse(FEATURES).getDocumentElement().getNamespaceURI()))
                    .isInstanceOf(SAXParseException.class).hasMessageContaining("bundel");
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void eachTargetAndClusterFeaturePullsTheCoreFeatureAndItsClientFromCamelKaraf() throws Exception {
        Map<String, List<String>> features = features(parse(FEATURES));
        String version = features.get("autosync").stream().filter(c -> c.startsWith("bundle mvn:org.autosync/"))
                .findFirst().orElseThrow().replaceAll(".*/", "");

        assertThat(features).containsOnlyKeys("autosync", "autosync-s3", "autosync-swift", "autosync-zookeeper");
        assertThat(features.get("autosync")).contains("feature camel-core [4.14,5)", "feature camel-master [4.14,5)");
        assertThat(features.get("autosync-s3")).containsExactly("feature autosync " + version,
                "feature camel-aws2-s3 [4.14,5)");
        assertThat(features.get("autosync-swift")).containsExactly("feature autosync " + version,
                "feature jackson [2.19,3)");
        assertThat(features.get("autosync-zookeeper")).containsExactly("feature autosync " + version,
                "feature camel-zookeeper [4.14,5)");
    }

    @Test
    void theBundlesItNamesBesideCamelKarafsAreTheOnesThisBuildUsed() throws Exception {
        Path repository = Path.of(System.getProperty("autosync.localRepository"));
        NodeList bundles = parse(FEATURES).getElementsByTagNameNS("*", "bundle");
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < bundles.getLength(); i++) {
            Matcher m = MAVEN_URL.matcher(bundles.item(i).getTextContent().trim());
            assertThat(m.matches()).as(bundles.item(i).getTextContent()).isTrue();
            if (m.group(1).equals("org.autosync")) {
                continue;
            }
            Path jar = repository.resolve(m.group(1).replace('.', '/')).resolve(m.group(2)).resolve(m.group(3))
                    .resolve(m.group(2) + "-" + m.group(3) + ".jar");
            assertThat(jar).exists();
            checked.add(m.group(2));
        }
        assertThat(checked).containsExactlyInAnyOrder("h2-mvstore", "directory-watcher");
    }
}
