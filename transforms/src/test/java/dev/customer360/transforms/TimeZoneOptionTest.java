package dev.customer360.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class TimeZoneOptionTest {
  @Test
  public void readsRegionsUtcAndOffsets() {
    assertEquals(ZoneId.of("Europe/Tallinn"), TimeZoneOption.parse("Europe/Tallinn"));
    assertEquals(ZoneId.of("UTC"), TimeZoneOption.parse(" UTC "));
    assertEquals(ZoneOffset.ofHours(-5), TimeZoneOption.parse("-05:00"));
  }

  @Test
  public void aBadValueSaysWhatToWriteWithoutNamingAFlag() {
    for (String bad : new String[] {"Mars/Base", "", "utc+", "+25:00", "null"}) {
      IllegalArgumentException e =
          assertThrows(bad, IllegalArgumentException.class, () -> TimeZoneOption.parse(bad));
      assertEquals(
          "'" + bad + "' is not a time zone; use e.g. UTC, Europe/Tallinn or +02:00",
          e.getMessage());
    }
  }

  @Test
  public void theOptionDefaultsToUtcAndSurvivesTheTripToTheWorkers() throws Exception {
    assertEquals(
        ZoneId.of("UTC"),
        PipelineOptionsFactory.create().as(EngagementOptions.class).getSourceTimeZone());
    // Runners ship the options as JSON and read them back on each worker.
    EngagementOptions sent =
        PipelineOptionsFactory.fromArgs("--sourceTimeZone=America/New_York")
            .as(EngagementOptions.class);
    ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();
    String json = mapper.writeValueAsString(sent);
    EngagementOptions received =
        mapper.readValue(json, PipelineOptions.class).as(EngagementOptions.class);
    assertEquals(ZoneId.of("America/New_York"), received.getSourceTimeZone());
  }
}
