package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.customer360.transforms.values.DeadLetter;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** A record's raw values against its source's rules: every problem named, XML read once. */
@RunWith(JUnit4.class)
public class RuleCheckerTest {
  // Built per test, not once per class: mutation testing must see the constructor run.
  private final RuleChecker callLog = new RuleChecker(StandardSources.CALL_LOG);
  private final RuleChecker clickstream = new RuleChecker(StandardSources.CLICKSTREAM);

  private static final String CALL =
      "<call_log><user_id>u</user_id><start_time>2020-03-04 13:15:12</start_time>"
          + "<call_id>c</call_id><call_time_seconds>60</call_time_seconds></call_log>";

  private static String rejection(RuleChecker checker, List<Object> values) {
    RejectedRecord e = assertThrows(RejectedRecord.class, () -> checker.check(values));
    assertEquals(DeadLetter.Stage.RULES, e.stage);
    return e.getMessage();
  }

  @Test
  public void aRecordMeetingEveryRulePasses() throws RejectedRecord {
    callLog.check(Arrays.asList("2020-03-04 13:19:22", CALL));
    clickstream.check(Arrays.asList("2020-03-04 13:15:12", "u", "s", 3, 40, 0.5));
  }

  @Test
  public void everyBrokenRuleOfTopLevelFieldsIsNamedInRuleOrder() {
    assertEquals(
        "missing required 'user_id';"
            + " 'event_timestamp' 'yesterday' is not a valid timestamp (expected yyyy-MM-dd HH:mm:ss);"
            + " 'site_id' is empty;"
            + " 'total_seconds_on_site' is -1; it must be 0 or more"
            + RejectionReasons.FIX,
        rejection(clickstream, Arrays.asList("yesterday", null, " ", 3, -1, 0.5)));
  }

  @Test
  public void everyBrokenRuleInsideTheXmlIsNamed() {
    String call =
        "<call_log><user_id> </user_id><start_time>2020-03-04 13:15:12</start_time>"
            + "<call_time_seconds>sixty</call_time_seconds></call_log>";
    assertEquals(
        "'xml' //call_log/user_id is empty;"
            + " missing required 'xml' //call_log/call_id;"
            + " 'xml' //call_log/call_time_seconds 'sixty' is not a whole number"
            + RejectionReasons.FIX,
        rejection(callLog, Arrays.asList("2020-03-04 13:19:22", call)));
  }

  @Test
  public void missingOrUnreadableXmlIsOneProblem() {
    assertEquals(
        "missing required field 'xml' (XML)" + RejectionReasons.FIX,
        rejection(callLog, Arrays.asList("2020-03-04 13:19:22", null)));
    assertEquals(
        "field 'xml': XML has a DOCTYPE declaration, which is refused to prevent XXE and entity"
            + " expansion attacks; the producer must send plain XML without <!DOCTYPE>"
            + RejectionReasons.FIX,
        rejection(callLog, Arrays.asList("t", "<!DOCTYPE call_log []>" + CALL)));
  }
}
