package io.github.emotion4j.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM lists every library module of the build, at the build's version. */
class BomTest {
  private static Document read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static String child(Element e, String name) {
    NodeList nodes = e.getElementsByTagName(name);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }

  @Test
  void listsEveryLibraryModuleAtTheParentsVersion() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Document parent = read(root.resolve("pom.xml"));
    Document bom = read(root.resolve("bom/pom.xml"));
    String version = child(parent.getDocumentElement(), "version");
    assertEquals(version, child(bom.getDocumentElement(), "version"), "the BOM's version");

    List<String> libraries = new ArrayList<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().trim();
      if (List.of("bom", "samples", "benchmarks").contains(module)) {
        continue;
      }
      Document pom = read(root.resolve(module).resolve("pom.xml"));
      NodeList ids = pom.getDocumentElement().getChildNodes();
      for (int j = 0; j < ids.getLength(); j++) {
        if (ids.item(j) instanceof Element e && e.getTagName().equals("artifactId")) {
          libraries.add(e.getTextContent().trim());
        }
      }
    }
    List<String> listed = new ArrayList<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertEquals("io.github.emotion4j", child(d, "groupId"));
      assertEquals("${project.version}", child(d, "version"));
      listed.add(child(d, "artifactId"));
    }
    assertEquals(libraries, listed, "every library module, in the build's order");
  }
}
