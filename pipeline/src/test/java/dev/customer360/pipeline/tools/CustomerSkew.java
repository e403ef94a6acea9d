package dev.customer360.pipeline.tools;

import java.util.Locale;

/**
 * Which customer the load generator of {@link StreamBench} gives its {@code i}-th pair of records
 * (one call, one click) to: a pure function of {@code i}, so a run is the same every time.
 *
 * <ul>
 *   <li>{@code uniform}: customers in turn ({@code i mod customers}), every customer alike;
 *   <li>{@code hot}: one customer (index 0) gets every fifth pair, 20% of all events, the others
 *       take the rest in turn;
 *   <li>{@code zipf}: customer {@code k} (1-based) gets a share proportional to {@code 1 / k^s},
 *       with {@code s} chosen so that the 1% most active customers get half of all events.
 * </ul>
 */
final class CustomerSkew {
  /** The ways events can be spread over customers. */
  enum Kind {
    uniform,
    hot,
    zipf
  }

  /** The share of all events the customer of {@code hot} gets. */
  static final double HOT_SHARE = 0.2;

  /** The share of the customers that {@code zipf} gives {@link #ZIPF_TOP_SHARE} of the events. */
  static final double ZIPF_TOP_CUSTOMERS = 0.01;

  static final double ZIPF_TOP_SHARE = 0.5;

  final Kind kind;
  final int customers;
  // zipf: cumulative share of customers 0..k, ascending to 1.
  private final double[] cumulative;
  final double zipfExponent;

  private CustomerSkew(Kind kind, int customers) {
    if (customers < (kind == Kind.zipf ? 100 : kind == Kind.hot ? 2 : 1)) {
      throw new IllegalArgumentException(
          "--skew="
              + kind
              + " needs more customers than --users="
              + customers
              + ": at least 100 for zipf (1% of them is one customer), 2 for hot");
    }
    this.kind = kind;
    this.customers = customers;
    if (kind == Kind.zipf) {
      zipfExponent = exponentForTopShare(customers);
      cumulative = cumulativeShares(customers, zipfExponent);
    } else {
      zipfExponent = Double.NaN;
      cumulative = null;
    }
  }

  /** The skew named {@code name} ({@code uniform}, {@code hot} or {@code zipf}). */
  static CustomerSkew of(String name, int customers) {
    Kind kind;
    try {
      kind = Kind.valueOf(name.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--skew=" + name + " is not a skew: give uniform, hot or zipf", e);
    }
    return new CustomerSkew(kind, customers);
  }

  /** The customer (0 .. customers - 1) of the {@code i}-th pair of records. */
  int customerOf(long i) {
    switch (kind) {
      case hot:
        // i = 0, 5, 10, ... to the hot customer; the four pairs between go to 1 .. customers-1.
        if (i % 5 == 0) {
          return 0;
        }
        return 1 + (int) ((i - i / 5 - 1) % (customers - 1));
      case zipf:
        return zipfCustomer(unitInterval(i));
      default:
        return (int) (i % customers);
    }
  }

  /** The share of events the {@code top} most active customers get (for the report and tests). */
  double shareOfTop(int top) {
    switch (kind) {
      case hot:
        return top == 0 ? 0 : HOT_SHARE + (1 - HOT_SHARE) * (top - 1) / (customers - 1);
      case zipf:
        return top == 0 ? 0 : cumulative[Math.min(top, customers) - 1];
      default:
        return Math.min(top, customers) / (double) customers;
    }
  }

  private int zipfCustomer(double u) {
    int lo = 0;
    int hi = customers - 1;
    while (lo < hi) { // the first customer whose cumulative share exceeds u
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** A well-mixed number in [0, 1) from {@code i} (SplitMix64's finalizer). */
  static double unitInterval(long i) {
    long z = i * 0x9E3779B97F4A7C15L + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53;
  }

  private static double[] cumulativeShares(int customers, double s) {
    double[] c = new double[customers];
    double sum = 0;
    for (int k = 0; k < customers; k++) {
      sum += Math.pow(k + 1, -s);
      c[k] = sum;
    }
    for (int k = 0; k < customers; k++) {
      c[k] /= sum;
    }
    c[customers - 1] = 1.0;
    return c;
  }

  /** The Zipf exponent at which the top 1% of {@code customers} get half the weight (bisection). */
  private static double exponentForTopShare(int customers) {
    int top = Math.max(1, (int) Math.round(customers * ZIPF_TOP_CUSTOMERS));
    double lo = 0;
    double hi = 4;
    for (int n = 0; n < 60; n++) {
      double s = (lo + hi) / 2;
      double[] c = cumulativeShares(customers, s);
      if (c[top - 1] < ZIPF_TOP_SHARE) {
        lo = s;
      } else {
        hi = s;
      }
    }
    return (lo + hi) / 2;
  }
}
