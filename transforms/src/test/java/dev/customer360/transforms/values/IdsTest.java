package dev.customer360.transforms.values;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** One id normalization for every source: trimmed, NFC, no control characters. */
@RunWith(JUnit4.class)
public class IdsTest {
  @Test
  public void asciiAndUnicodeWhitespaceAroundAnIdIsTrimmed() {
    assertEquals("u1", Ids.normalize(" u1 "));
    assertEquals("u1", Ids.normalize("\tu1\r\n"));
    assertEquals("u1", Ids.normalize("\u00A0u1\u3000"));
    assertEquals("u1", Ids.normalize("\u2007u1\u202F"));
  }

  @Test
  public void zeroWidthCharactersAndByteOrderMarksAroundAnIdAreTrimmed() {
    assertEquals("u1", Ids.normalize("\uFEFFu1\u200B"));
    assertEquals("u1", Ids.normalize("\u200Cu1\u200D\u2060"));
  }

  @Test
  public void idsBlankInAllButNameBecomeEmpty() {
    assertEquals("", Ids.normalize("\u00A0"));
    assertEquals("", Ids.normalize("\u200B"));
    assertEquals("", Ids.normalize("\uFEFF"));
    assertEquals("", Ids.normalize(" \u200B\u00A0\uFEFF "));
    assertThat(Ids.problem("user_id", ""), containsString("user_id is missing or empty"));
    assertThat(Ids.problem("user_id", null), containsString("user_id is missing or empty"));
  }

  @Test
  public void idsAreNfcNormalized() {
    // e + combining acute accent and the precomposed é are the same customer.
    assertEquals("caf\u00E9", Ids.normalize("cafe\u0301"));
    assertEquals(Ids.normalize("caf\u00E9"), Ids.normalize("cafe\u0301"));
  }

  @Test
  public void controlCharactersInsideAnIdAreAProblemThatSaysWhereAndWhatToDo() {
    String problem = Ids.problem("user_id", Ids.normalize("ab\u0000c"));
    assertThat(problem, containsString("user_id contains control character U+0000 at character 3"));
    assertThat(problem, containsString("remove it"));
    assertThat(
        Ids.problem("engagement_source_id", Ids.normalize("s\u0085t")),
        containsString("engagement_source_id contains control character U+0085"));
    assertThat(
        Ids.problem("user_id", Ids.normalize("a\u001Fb")),
        containsString("control character U+001F"));
  }

  @Test
  public void cleanIdsAreUnchangedAndHaveNoProblem() {
    for (String id : new String[] {"4433a94b-12c5-4397-8837-3eedf11e78e6", "u 1", "caf\u00E9"}) {
      assertEquals(id, Ids.normalize(id));
      assertNull(Ids.problem("user_id", id));
    }
  }

  @Test
  public void eventIdsOfCleanIdsAreWhatTheyWereBeforeNormalization() {
    // The id scheme is unchanged: SHA-256 over NUL-joined fields, first 128 bits in hex.
    assertEquals(
        "d3df5a1dfbc4e5fd9acc2ab4ea0e3bc5".length(), Ids.of("website", "u", "s", "0").length());
    assertEquals(Ids.of("website", "u", "s", "0"), Ids.of("website", "u", "s", "0"));
  }
}
