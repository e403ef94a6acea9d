package dev.customer360.transforms;

/** Why a raw record is rejected; becomes the dead letter's {@code error}. */
final class RejectedRecord extends Exception {
  private static final long serialVersionUID = 1L;

  RejectedRecord(String reason) {
    super(reason, null, false, false);
  }
}
