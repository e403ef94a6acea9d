package dev.customer360.io.postgres;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Ids;
import dev.customer360.transforms.values.JsonLines;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The failure for a refused dead letter: its id and the database's reason, not its payload. */
@RunWith(JUnit4.class)
public class FailOnRefusedDeadLetterFnTest {
  @Test
  public void namesTheDeadLetterAndTheReasonButNotThePayload() {
    DeadLetter original =
        DeadLetter.of(
            DeadLetter.Stage.PARSE, "call_log", "not valid JSON", "{\"user_id\": \"ann-42\"");
    DeadLetter refused =
        DeadLetter.of(
            DeadLetter.Stage.PARSE,
            "postgres:dead_letters",
            "PostgreSQL rejected the row: ERROR: new row for relation \"dead_letters\" violates"
                + " check constraint \"refuse_all\"; fix the value at its source, or widen the"
                + " column in src/ddl/postgres.sql, and replay it",
            JsonLines.deadLetter(original));
    String reason = FailOnRefusedDeadLetterFn.reason(refused);
    assertThat(
        reason, containsString("id " + Ids.of("call_log", "not valid JSON", original.payload())));
    assertThat(reason, containsString("source call_log"));
    assertThat(reason, containsString("violates check constraint \"refuse_all\""));
    assertThat(reason, containsString("make dead_letters match src/ddl/postgres.sql"));
    // The hint for a bad row of a table does not fit a refused dead letter.
    assertThat(reason, not(containsString("fix the value at its source")));
    assertThat(reason, not(containsString("ann-42")));
  }
}
