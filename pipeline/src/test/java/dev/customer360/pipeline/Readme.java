package dev.customer360.pipeline;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's fenced blocks that tests follow word for word, each after a marker comment. */
final class Readme {
  private Readme() {}

  static String text() {
    try {
      return Files.readString(Checkout.ROOT.resolve("README.md"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fenced block after {@code <!-- <marker> -->} in {@code readme}. */
  static String block(String readme, String marker) {
    Matcher m =
        Pattern.compile("<!-- " + marker + " -->\\s*```\\w*\\n(.*?)```", Pattern.DOTALL)
            .matcher(readme);
    assertTrue("README has no " + marker + " block", m.find());
    return m.group(1);
  }
}
