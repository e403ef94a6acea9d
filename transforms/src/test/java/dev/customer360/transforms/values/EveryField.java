package dev.customer360.transforms.values;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * Ties a hand coder to its type's declaration: every instance field (the declared ones and those
 * outside the schema) must be set in some sample and come back from the coder. A field added to the
 * type but not to the coder, or not to the samples, fails the test that calls this.
 */
final class EveryField {
  private EveryField() {}

  @SafeVarargs
  static <T> void roundTrips(Coder<T> coder, Class<T> type, T... samples) throws Exception {
    List<Field> fields = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        f.setAccessible(true);
        fields.add(f);
      }
    }
    for (Field f : fields) {
      boolean set = false;
      for (T sample : samples) {
        set |= !isDefault(f.get(sample));
      }
      assertTrue(
          type.getSimpleName() + "." + f.getName() + " is unset in every sample: set it in one",
          set);
    }
    for (T sample : samples) {
      T decoded = CoderUtils.clone(coder, sample);
      for (Field f : fields) {
        assertEquals(
            type.getSimpleName() + "." + f.getName() + " did not survive " + coder,
            f.get(sample),
            f.get(decoded));
      }
    }
  }

  private static boolean isDefault(Object value) {
    return value == null
        || Objects.equals(value, 0)
        || Objects.equals(value, 0L)
        || Objects.equals(value, false)
        || Objects.equals(value, "");
  }
}
