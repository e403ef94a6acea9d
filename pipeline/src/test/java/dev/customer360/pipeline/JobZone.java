package dev.customer360.pipeline;

import java.util.TimeZone;
import org.junit.rules.TestRule;
import org.junit.runners.model.Statement;

/**
 * For a test class that runs the job in its own JVM: the job refuses a JVM outside UTC (Beam SQL
 * reads timestamps in the JVM's zone, captured once), so such a class fails before its first test
 * with what to do, instead of each test failing on an exit code or a missing line.
 */
final class JobZone {
  private JobZone() {}

  /** A class rule: {@code @ClassRule public static final TestRule UTC = JobZone.utc();}. */
  static TestRule utc() {
    return (base, description) ->
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            TimeZone zone = TimeZone.getDefault();
            if (!zone.hasSameRules(TimeZone.getTimeZone("UTC"))) {
              throw new AssertionError(
                  description.getTestClass().getSimpleName()
                      + " runs the job, which needs a JVM in UTC, but this one runs in "
                      + zone.getID()
                      + ": start it with -Duser.timezone=UTC (the pipeline module's Surefire and"
                      + " Failsafe argLine do)");
            }
            base.evaluate();
          }
        };
  }
}
