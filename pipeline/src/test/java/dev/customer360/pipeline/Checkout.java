package dev.customer360.pipeline;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout the tests were compiled in, found from where this class was loaded (…/pipeline/
 * target/test-classes), so tests read the samples, the SQL, the README and their own sources
 * wherever the JVM was started, not only from the module's folder.
 */
final class Checkout {
  /** The checkout's root: the folder with the parent pom and {@code src/samples}. */
  static final Path ROOT = find();

  /** This module's folder in the checkout. */
  static final Path MODULE = ROOT.resolve("pipeline");

  private Checkout() {}

  private static Path find() {
    Path classes;
    try {
      classes = Path.of(Checkout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (Path dir = classes.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isDirectory(dir.resolve("src/samples"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no checkout (a folder with pom.xml and src/samples) above "
            + classes
            + ", where the tests were loaded from; run them from a build of the checkout, e.g."
            + " mvn -pl pipeline -am test");
  }
}
