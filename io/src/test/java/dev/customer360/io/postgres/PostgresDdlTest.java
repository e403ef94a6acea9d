package dev.customer360.io.postgres;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.customer360.transforms.values.CustomerProfile;
import dev.customer360.transforms.values.DeadLetter;
import dev.customer360.transforms.values.Declared;
import dev.customer360.transforms.values.Engagement;
import dev.customer360.transforms.values.EngagementConflict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.Test;

/** src/ddl/postgres.sql and the declared types agree: the sink writes what the tables hold. */
public class PostgresDdlTest {
  private static final Pattern CREATE =
      Pattern.compile("create table if not exists (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL);
  private static final Pattern ALTER =
      Pattern.compile("alter table (\\w+) add column if not exists (\\w+) ([^;]*);");

  /** Each table's columns in order; the value is the column's definition. */
  private static Map<String, Map<String, String>> tables() {
    String ddl = PostgresConnection.ddl().replaceAll("--[^\\n]*", "");
    Map<String, Map<String, String>> tables = new LinkedHashMap<>();
    Matcher create = CREATE.matcher(ddl);
    while (create.find()) {
      Map<String, String> columns = new LinkedHashMap<>();
      for (String line : create.group(2).split(",\\s*\\n")) {
        String[] words = line.trim().split("\\s+", 2);
        if (!words[0].equals("primary")) {
          columns.put(words[0], words[1]);
        }
      }
      tables.put(create.group(1), columns);
    }
    Matcher alter = ALTER.matcher(ddl);
    while (alter.find()) {
      tables.get(alter.group(1)).put(alter.group(2), alter.group(3));
    }
    return tables;
  }

  private static void agree(PostgresTable<?> table, Class<?> type) {
    Map<String, String> ddl = tables().get(table.name());
    assertTrue(table.name() + " is not created by src/ddl/postgres.sql", ddl != null);
    List<String> declared = table.declaredColumns();
    assertEquals(Declared.schema(type).getFieldCount(), declared.size());
    List<String> inDdlOrder =
        ddl.keySet().stream().filter(declared::contains).collect(Collectors.toList());
    assertEquals(
        table.name() + ": the declared fields of " + type.getSimpleName() + ", in order",
        declared,
        inDdlOrder);
    // Every other column is one the sink writes besides them (a key or an encoding) or one the
    // database fills itself.
    List<String> others = new ArrayList<>();
    ddl.forEach(
        (column, definition) -> {
          if (!table.columns().contains(column) && !definition.contains("default now()")) {
            others.add(column);
          }
        });
    assertEquals(table.name() + ": columns nobody writes", List.of(), others);
    assertTrue(
        table.name() + ": every column written exists", ddl.keySet().containsAll(table.columns()));
  }

  @Test
  public void engagementsAgree() {
    agree(PostgresTable.ENGAGEMENTS, Engagement.class);
  }

  @Test
  public void profilesAgreeWithFinalNamedIsFinal() {
    assertTrue(PostgresTable.PROFILES.declaredColumns().contains("is_final"));
    agree(PostgresTable.PROFILES, CustomerProfile.class);
  }

  @Test
  public void deadLettersAgreeAndAlsoHoldTheirIdAndPayloadEncoding() {
    agree(PostgresTable.DEAD_LETTERS, DeadLetter.class);
    assertEquals("id", PostgresTable.DEAD_LETTERS.columns().get(0));
    assertTrue(PostgresTable.DEAD_LETTERS.columns().contains("payload_encoding"));
  }

  @Test
  public void conflictsAgree() {
    agree(PostgresTable.CONFLICTS, EngagementConflict.class);
  }

  @Test
  public void theProfileUpsertUpdatesEveryColumnButItsKey() {
    String sql = PostgresTable.PROFILES.sql();
    for (String column : PostgresTable.PROFILES.columns()) {
      boolean key = column.equals("user_id") || column.equals("window_start");
      assertEquals(column, !key, sql.contains(column + " = excluded." + column));
    }
  }
}
