package dev.customer360.io.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Ids;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * The end of the line for a dead letter the {@code dead_letters} table refused (the output of
 * {@link WriteToPostgres} on {@link PostgresTable#DEAD_LETTERS}): it has nowhere left to go, so the
 * bundle fails rather than lose it, and the runner replays it, then fails the job. The message
 * gives the reason and the dead letter's id, never its payload (personal data).
 */
public final class FailOnRefusedDeadLetterFn extends DoFn<DeadLetter, Void> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ProcessElement
  public void process(@Element DeadLetter refused) {
    throw new IllegalStateException(reason(refused));
  }

  /** One line: which dead letter (id, source, time) and why the table refused it. */
  static String reason(DeadLetter refused) {
    String reference;
    try {
      // The refused dead letter travels as the JSON line of PostgresTable.DEAD_LETTERS.describe.
      JsonNode original = JSON.readTree(refused.payload());
      reference =
          "id "
              + Ids.of(
                  original.path("source").asText(),
                  original.path("error").asText(),
                  original.path("payload").asText())
              + ", source "
              + original.path("source").asText()
              + ", failed_at "
              + original.path("failed_at").asText();
    } catch (IOException | RuntimeException e) {
      reference = "payload not readable";
    }
    String error = refused.error();
    if (error.startsWith(WriteToPostgres.REJECTED)
        && error.endsWith(WriteToPostgres.REJECTED_HINT)) {
      error =
          error.substring(
              WriteToPostgres.REJECTED.length(),
              error.length() - WriteToPostgres.REJECTED_HINT.length());
    }
    return "The dead_letters table refused a dead letter ("
        + reference
        + "): "
        + error
        + ". No dead letter may be lost, so the job stops: make dead_letters match"
        + " src/ddl/postgres.sql and run again";
  }
}
