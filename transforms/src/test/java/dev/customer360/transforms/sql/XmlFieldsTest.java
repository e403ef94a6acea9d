package dev.customer360.transforms.sql;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class XmlFieldsTest {
  private static Map<String, String> paths(String... namesAndPaths) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndPaths.length; i += 2) {
      m.put(namesAndPaths[i], namesAndPaths[i + 1]);
    }
    return m;
  }

  @Test
  public void extractsNamedTextsByAbsoluteAndDescendantPaths() {
    String xml = "<call_log><user_id>u1</user_id><call><id>c1</id></call></call_log>";
    Map<String, String> found =
        XmlFields.extract(
            xml, paths("user", "/call_log/user_id", "call", "//call/id", "missing", "//nope"));
    assertEquals(Map.of("user", "u1", "call", "c1"), found);
  }

  @Test
  public void absolutePathDoesNotMatchDeeperElements() {
    String xml = "<root><a><user_id>deep</user_id></a></root>";
    assertEquals(Map.of(), XmlFields.extract(xml, paths("u", "/user_id")));
    assertEquals(Map.of("u", "deep"), XmlFields.extract(xml, paths("u", "//user_id")));
  }

  @Test
  public void handlesDeclarationCdataWhitespaceEntitiesAndTextSuffix() {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<call_log>\n  <user_id> <![CDATA[a<b]]> "
            + "</user_id>\n  <note>x &amp; y</note>\n</call_log>";
    Map<String, String> found =
        XmlFields.extract(xml, paths("u", "//call_log/user_id", "n", "/call_log/note/text()"));
    assertEquals(Map.of("u", "a<b", "n", "x & y"), found);
  }

  @Test
  public void firstMatchWinsAndParentTextIncludesChildren() {
    String xml = "<r><v>1</v><v>2</v><p>a<c>b</c>c</p></r>";
    assertEquals(
        Map.of("v", "1", "p", "abc"), XmlFields.extract(xml, paths("v", "//v", "p", "//p")));
  }

  @Test
  public void refusesDoctypeSoNoXxeOrEntityExpansion() {
    String xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r><u>&x;</u></r>";
    String laughs =
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
            + "<r><u>&b;</u></r>";
    for (String xml : new String[] {xxe, laughs}) {
      XmlFields.XmlFieldException e =
          assertThrows(
              XmlFields.XmlFieldException.class, () -> XmlFields.extract(xml, paths("u", "//u")));
      assertThat(e.getMessage(), containsString("DOCTYPE"));
    }
  }

  @Test
  public void malformedXmlSaysWhere() {
    XmlFields.XmlFieldException e =
        assertThrows(
            XmlFields.XmlFieldException.class,
            () -> XmlFields.extract("<r><u>x</r>", paths("u", "//u")));
    assertThat(e.getMessage(), containsString("not well-formed"));
    assertThat(e.getMessage(), containsString("[1,"));
  }

  @Test
  public void undeclaredEntityIsAnError() {
    assertThrows(
        XmlFields.XmlFieldException.class,
        () -> XmlFields.extract("<r><u>&nope;</u></r>", paths("u", "//u")));
  }

  @Test
  public void unsupportedXpathIsExplained() {
    XmlFields.XmlFieldException e =
        assertThrows(
            XmlFields.XmlFieldException.class,
            () -> XmlFields.extract("<r/>", paths("u", "//u[@id='1']")));
    assertThat(e.getMessage(), containsString("use /a/b or //a/b"));
  }

  @Test
  public void nullDocumentHasNoFields() {
    assertEquals(Map.of(), XmlFields.extract(null, paths("u", "//u")));
  }

  @Test
  public void theFactoryRefusesDtdsAndExternalEntitiesOfItsOwn() {
    // The scan refuses a DOCTYPE as well; the factory must not resolve one even without it.
    javax.xml.stream.XMLInputFactory f = XmlFields.newSecureFactory();
    assertEquals(false, f.getProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD));
    assertEquals(
        false, f.getProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES));
    assertEquals(false, f.getProperty(javax.xml.stream.XMLInputFactory.IS_NAMESPACE_AWARE));
    assertEquals(true, f.getProperty(javax.xml.stream.XMLInputFactory.IS_COALESCING));
  }

  @Test
  public void pathsCompileToTheirElementSteps() {
    assertEquals("//call_log/user_id", XmlFields.Path.compile("//call_log/user_id").toString());
    assertEquals("/a/b", XmlFields.Path.compile(" /a/b/text() ").toString());
    assertEquals("//a", XmlFields.Path.compile("//a/text()").toString());
    assertEquals("/a-1.x_y", XmlFields.Path.compile("/a-1.x_y").toString());
    for (String bad : new String[] {"a/b", "//a[1]", "/a//b", "//", "/1a", "text()"}) {
      XmlFields.XmlFieldException e =
          assertThrows(bad, XmlFields.XmlFieldException.class, () -> XmlFields.Path.compile(bad));
      assertEquals(
          "XPath '"
              + bad
              + "' is not supported; use /a/b or //a/b (element names only,"
              + " optionally ending in /text())",
          e.getMessage());
    }
  }
}
