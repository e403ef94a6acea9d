package dev.customer360.transforms.sql;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Extracts named element texts from one small XML document in a single streaming pass, safely.
 *
 * <p>Security: DTDs and external entities are off, and any {@code <!DOCTYPE>} is refused outright,
 * so neither XXE nor entity expansion ("billion laughs") can happen.
 *
 * <p>Supported paths are the ones feed SQL uses: absolute {@code /a/b/c}, and {@code //b/c} (the
 * path may start at any depth), optionally ending in {@code /text()}. The text of an element is its
 * XPath string value (all descendant text, CDATA included), trimmed. The first match wins.
 */
public final class XmlFields {

  /** Why an XML document could not be read; the message says what is wrong and where. */
  public static final class XmlFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public XmlFieldException(String message) {
      super(message);
    }
  }

  private static final XMLInputFactory FACTORY = newSecureFactory();
  private static final Map<String, Path> PATHS = new ConcurrentHashMap<>();

  private XmlFields() {}

  static XMLInputFactory newSecureFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

  /**
   * Returns, for each name of {@code namesToPaths}, the text at its path; names whose path matches
   * nothing are absent from the result.
   *
   * @throws XmlFieldException if the document is not well-formed XML, has a DOCTYPE, or a path is
   *     of an unsupported form
   */
  public static Map<String, String> extract(String xml, Map<String, String> namesToPaths) {
    Scan scan = new Scan(namesToPaths);
    if (xml == null) {
      return scan.found;
    }
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.createXMLStreamReader(new StringReader(xml));
      while (reader.hasNext()) {
        scan.accept(reader.next(), reader);
      }
      return scan.found;
    } catch (XMLStreamException e) {
      throw new XmlFieldException("XML is not well-formed: " + describe(e));
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // Nothing to release for a StringReader.
        }
      }
    }
  }

  /** One document's scan: the open elements, their texts so far, and the paths found. */
  private static final class Scan {
    private final List<String> names;
    private final Path[] paths;
    private final Map<String, String> found = new LinkedHashMap<>();
    private final List<String> open = new ArrayList<>();
    private final List<StringBuilder> texts = new ArrayList<>();

    Scan(Map<String, String> namesToPaths) {
      names = new ArrayList<>(namesToPaths.keySet());
      paths = new Path[names.size()];
      for (int i = 0; i < paths.length; i++) {
        paths[i] = PATHS.computeIfAbsent(namesToPaths.get(names.get(i)), Path::compile);
      }
    }

    void accept(int event, XMLStreamReader reader) {
      switch (event) {
        case XMLStreamConstants.DTD:
          throw new XmlFieldException(
              "XML has a DOCTYPE declaration, which is refused to prevent XXE and entity"
                  + " expansion attacks; the producer must send plain XML without <!DOCTYPE>");
        case XMLStreamConstants.ENTITY_REFERENCE:
          throw new XmlFieldException(
              "XML references the undeclared entity &" + reader.getLocalName() + ";");
        case XMLStreamConstants.START_ELEMENT:
          open.add(reader.getLocalName());
          texts.add(new StringBuilder());
          break;
        case XMLStreamConstants.CHARACTERS:
        case XMLStreamConstants.CDATA:
        case XMLStreamConstants.SPACE:
          if (!texts.isEmpty()) {
            texts
                .get(texts.size() - 1)
                .append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
          }
          break;
        case XMLStreamConstants.END_ELEMENT:
          end();
          break;
        default:
          break;
      }
    }

    private void end() {
      StringBuilder text = texts.remove(texts.size() - 1);
      for (int i = 0; i < paths.length; i++) {
        if (!found.containsKey(names.get(i)) && paths[i].matches(open)) {
          found.put(names.get(i), text.toString().trim());
        }
      }
      open.remove(open.size() - 1);
      if (!texts.isEmpty()) {
        // XPath string value: a parent's text includes its children's.
        texts.get(texts.size() - 1).append(text);
      }
    }
  }

  private static String describe(XMLStreamException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    // The JDK prefixes "ParseError at [row,col]:[1,42]\nMessage: ..."; keep it on one line.
    return message.replace("\nMessage: ", " ").replace('\n', ' ');
  }

  /** A compiled path of the supported forms. */
  static final class Path {
    private final boolean anywhere;
    private final String[] steps;

    private Path(boolean anywhere, String[] steps) {
      this.anywhere = anywhere;
      this.steps = steps;
    }

    static Path compile(String xpath) {
      String p = xpath.trim();
      if (p.endsWith("/text()")) {
        p = p.substring(0, p.length() - "/text()".length());
      }
      boolean anywhere = p.startsWith("//");
      if (!anywhere && !p.startsWith("/")) {
        throw unsupported(xpath);
      }
      String[] steps = p.substring(anywhere ? 2 : 1).split("/", -1);
      for (String step : steps) {
        if (!step.matches("[A-Za-z_][A-Za-z0-9_.\\-]*")) {
          throw unsupported(xpath);
        }
      }
      return new Path(anywhere, steps);
    }

    private static XmlFieldException unsupported(String xpath) {
      return new XmlFieldException(
          "XPath '"
              + xpath
              + "' is not supported; use /a/b or //a/b (element names only,"
              + " optionally ending in /text())");
    }

    boolean matches(List<String> open) {
      int offset = open.size() - steps.length;
      if (offset < 0 || (!anywhere && offset != 0)) {
        return false;
      }
      for (int i = 0; i < steps.length; i++) {
        if (!steps[i].equals(open.get(offset + i))) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return (anywhere ? "//" : "/") + String.join("/", Arrays.asList(steps));
    }
  }
}
